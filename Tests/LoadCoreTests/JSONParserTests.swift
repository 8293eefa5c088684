import XCTest

@testable import LoadCore

final class JSONParserTests: XCTestCase {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    func testValidDocuments() throws {
        let cases: [(input: String, expected: JSONValue)] = [
            // Scalars at top level.
            ("null", .null),
            ("true", .bool(true)),
            (" false ", .bool(false)),
            ("\"\"", .string("")),
            // Integers: zero, negative, Int64 extremes.
            ("0", .int(0)),
            ("-0", .int(0)),
            ("-42", .int(-42)),
            ("9223372036854775807", .int(Int64.max)),
            ("-9223372036854775808", .int(Int64.min)),
            // Past Int64: UInt64 while it fits (a seed), then a double.
            ("9223372036854775808", .uint(9_223_372_036_854_775_808)),  // past Int64: UInt64 (a seed)
            ("18446744073709551615", .uint(UInt64.max)),
            ("18446744073709551616", .double(18_446_744_073_709_551_616)),
            // Fractions and exponents.
            ("1.5", .double(1.5)),
            ("-0.25", .double(-0.25)),
            ("1e3", .double(1000)),
            ("2E-2", .double(0.02)),
            ("-1.5e+2", .double(-150)),
            ("0.0", .double(0)),
            // Escapes: every simple one.
            (#""\" \\ \/ \b \f \n \r \t""#, .string("\" \\ / \u{8} \u{C} \n \r \t")),
            // \u escapes: ASCII, BMP, and a surrogate pair (U+1F600).
            (#""\u0041\u00e9\u4e2D\ud83d\ude00""#, .string("Aé中😀")),
            // Raw UTF-8 passes through.
            ("\"héllo ✓ 😀\"", .string("héllo ✓ 😀")),
            // Escapes mixed with raw UTF-8 after the first escape.
            ("\"a\\nü\"", .string("a\nü")),
            // Empty containers, with whitespace inside.
            ("[ ]", .array([])),
            ("{ \n}", .object([])),
            // Nested containers keep member order and duplicates.
            (
                #"{"b":[1,{"c":null}],"a":{"d":[true,false]},"b":2}"#,
                .object([
                    (key: "b", value: .array([.int(1), .object([(key: "c", value: .null)])])),
                    (key: "a", value: .object([(key: "d", value: .array([.bool(true), .bool(false)]))])),
                    (key: "b", value: .int(2)),
                ])
            ),
            // All four whitespace characters between tokens.
            ("\t[\r\n1 ,\t2 ]\n", .array([.int(1), .int(2)])),
            // Nesting exactly at the depth limit is accepted.
            (String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth),
             nested(JSONParser.maxDepth)),
        ]
        for row in cases {
            XCTAssertEqual(try parse(row.input), row.expected, row.input)
        }
    }

    private func nested(_ depth: Int) -> JSONValue {
        var value = JSONValue.array([])
        for _ in 1..<depth { value = .array([value]) }
        return value
    }

    func testInvalidDocumentsAreRejectedWithOffset() {
        let cases: [(input: String, offset: Int)] = [
            // Empty input.
            ("", 0),
            // Only whitespace.
            ("   ", 3),
            // Trailing comma in an array.
            ("[1,2,]", 5),
            // Trailing comma in an object.
            (#"{"a":1,}"#, 7),
            // Trailing garbage after a complete document.
            ("{} x", 3),
            // Two documents.
            ("1 2", 2),
            // Unterminated string: reported at its opening quote.
            (#"{"a":"abc"#, 5),
            // Unterminated string after an escape.
            (#""ab\n"#, 0),
            // Unknown escape: reported at the backslash.
            (#""a\x""#, 2),
            // Short \u escape.
            (#""\u12""#, 3),
            // Lone high surrogate.
            (#""\ud83d""#, 7),
            // Lone low surrogate.
            (#""\ude00""#, 1),
            // High surrogate followed by a non-surrogate escape.
            (#""\ud83d\u0041""#, 7),
            // Leading zeros.
            ("012", 0),
            ("-01", 0),
            // Lone minus, missing fraction digits, missing exponent digits.
            ("-", 1),
            ("1.", 2),
            ("1e+", 3),
            // Out-of-range double.
            ("1e400", 0),
            // Raw control character in a string.
            ("\"a\u{1}b\"", 2),
            // Unquoted key and single quotes.
            ("{a:1}", 1),
            ("'a'", 0),
            // Bad literals.
            ("tru", 0),
            ("nul", 0),
            ("nulls", 4),
            // Missing colon and missing comma.
            (#"{"a" 1}"#, 5),
            ("[1 2]", 3),
            // Unterminated containers.
            ("[1", 2),
            (#"{"a":1"#, 6),
        ]
        for row in cases {
            do {
                let value = try parse(row.input)
                XCTFail("\(row.input): accepted as \(value)")
            } catch let error as JSONParseError {
                XCTAssertEqual(error.offset, row.offset, "\(row.input): \(error.reason)")
            } catch {
                XCTFail("\(row.input): unexpected error \(error)")
            }
        }
    }

    func testDepthBombIsRejected() {
        // 100 000 nested arrays would overflow the stack without a limit.
        let bomb = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertThrowsError(try parse(bomb)) { error in
            let parseError = error as? JSONParseError
            XCTAssertEqual(parseError?.offset, JSONParser.maxDepth)  // the first bracket past the limit
            XCTAssertEqual(parseError?.reason, "nesting deeper than \(JSONParser.maxDepth)")
        }
    }

    func testInvalidUTF8IsRejected() {
        let cases: [(bytes: [UInt8], offset: Int)] = [
            // Stray continuation byte.
            ([0x22, 0x80, 0x22], 1),
            // Overlong encoding of "/".
            ([0x22, 0xC0, 0xAF, 0x22], 1),
            // Encoded surrogate U+D800.
            ([0x22, 0x61, 0xED, 0xA0, 0x80, 0x22], 2),
            // Truncated 3-byte sequence before the closing quote.
            ([0x22, 0xE4, 0xB8, 0x22], 1),
            // Invalid UTF-8 in the escaped (slow) path.
            ([0x22, 0x5C, 0x6E, 0xFF, 0x22], 3),
        ]
        for row in cases {
            XCTAssertThrowsError(try JSONParser.parse(row.bytes), "\(row.bytes)") { error in
                XCTAssertEqual((error as? JSONParseError)?.offset, row.offset, "\(row.bytes)")
            }
        }
    }

    func testAccessors() throws {
        let value = try parse(#"{"s":"x","n":3,"d":2.0,"f":2.5,"a":[1],"z":null}"#)
        XCTAssertEqual(value["s"]?.stringValue, "x")
        XCTAssertEqual(value["n"]?.intValue, 3)
        XCTAssertEqual(value["d"]?.intValue, 2)  // integral double
        XCTAssertNil(value["f"]?.intValue)  // fractional double is not an Int
        XCTAssertEqual(value["a"]?.arrayValue, [.int(1)])
        XCTAssertEqual(value["z"]?.isNull, true)
        XCTAssertNil(value["missing"])
        XCTAssertNil(value["s"]?["s"])  // subscript on a non-object
        XCTAssertEqual(JSONParseError(offset: 4, reason: "r").description, "invalid JSON at byte 4: r")
    }
}
