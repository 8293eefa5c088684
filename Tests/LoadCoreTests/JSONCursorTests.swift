import XCTest

@testable import LoadCore

final class JSONCursorTests: XCTestCase {
    /// True when the cursor accepts `bytes` as one JSON document.
    static func cursorAccepts(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer)
            do throws(JSONCursor.Rejection) {
                try cursor.skipValue()
                return cursor.isAtEnd
            } catch {
                return false
            }
        }
    }

    static func parserAccepts(_ bytes: [UInt8]) -> Bool {
        (try? JSONParser.parse(bytes)) != nil
    }

    func testVerdictsMatchJSONParser() {
        let cases: [String] = [
            // Scalars, whitespace around them, trailing garbage.
            "null", " true ", "false", "nul", "truex", "\"\"", "1 2", "", " ", "\t\r\n{}\n",
            // Numbers: leading zeros, signs, fractions, exponents, Int64 edges.
            "0", "-0", "00", "-01", "-", "+1", "1.", ".5", "1.5", "1e", "1e+", "1E-2", "-1.5e+2",
            "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1e-400", "0.0e-999",
            // Strings: every escape, bad escapes, surrogates, control characters, UTF-8 rules.
            #""\" \\ \/ \b \f \n \r \t""#, #""\x""#, #""\u12""#, #""\u00e9\u4e2D""#, #""\ud83d\ude00""#,
            #""\ud83d""#, #""\ud83dx""#, #""\ud83d\u0041""#, #""\ude00""#, "\"a\u{1}b\"", "\"héllo ✓ 😀\"",
            "\"abc", "\"\\", "\"\\u",
            // Containers: empty, nested, trailing commas, missing separators, unterminated.
            "[]", "[ ]", "{}", "{ \n}", "[1,]", "[,1]", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":}", "{1:2}", "[1 2]",
            "{\"a\":[1,{\"b\":null}],\"a\":2}", "[", "{", "{\"a\"", "{\"a\":1", "[[[]]",
            // Nesting at and past the limit.
            String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth),
            String(repeating: "[", count: JSONParser.maxDepth + 1) + String(repeating: "]", count: JSONParser.maxDepth + 1),
            String(repeating: "{\"a\":", count: JSONParser.maxDepth) + "1" + String(repeating: "}", count: JSONParser.maxDepth),
        ]
        var documents = cases.map { Array($0.utf8) }
        // Invalid UTF-8 inside a string: overlong, surrogate, past U+10FFFF, truncated, stray continuation.
        for bad: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80], [0xFF]] {
            documents.append([0x22] + bad + [0x22])
        }
        for document in documents {
            XCTAssertEqual(Self.cursorAccepts(document), Self.parserAccepts(document), String(decoding: document, as: UTF8.self))
        }
    }

    func testHugeNumbersAreLeftToJSONParser() {
        // The cursor cannot tell whether these overflow Double without converting them: it rejects
        // them all, and a caller falls back to JSONParser (which accepts 1e308 and rejects 1e309).
        for text in ["1e308", "1e309", "1e400", "-1e400", "0e999", String(repeating: "9", count: 400)] {
            XCTAssertFalse(Self.cursorAccepts(Array(text.utf8)), text)
        }
        XCTAssertTrue(Self.parserAccepts(Array("1e308".utf8)))
        XCTAssertFalse(Self.parserAccepts(Array("1e309".utf8)))
    }

    func testCorpusVerdictsMatchJSONParser() {
        var corpus = ChunkCorpus(seed: 0x5EED_C0A5)
        for document in corpus.documents(count: 3000) {
            let cursor = Self.cursorAccepts(document)
            let parser = Self.parserAccepts(document)
            let text = String(decoding: document, as: UTF8.self)
            // Never accept what JSONParser rejects.
            if cursor { XCTAssertTrue(parser, text) }
            // Reject what it accepts only for numbers of 10^308 and up.
            if parser && !cursor {
                XCTAssertTrue(Self.hasHugeNumber(text), text)
            }
        }
    }

    func testRawStrings() throws {
        let document = Array(#"{"content":"a\nb","":"","k\u0065y":1}"#.utf8)
        try document.withUnsafeBufferPointer { buffer throws in
            var cursor = JSONCursor(buffer)
            XCTAssertTrue(try cursor.enterObject())
            let content = try cursor.readKey()
            XCTAssertTrue(cursor.bytes(of: content, equal: "content"))
            XCTAssertFalse(content.hasEscapes)
            let value = try cursor.readString()
            XCTAssertTrue(value.hasEscapes)
            XCTAssertFalse(value.isEmpty)
            XCTAssertTrue(try cursor.nextMember())
            XCTAssertTrue(try cursor.readKey().isEmpty)
            XCTAssertTrue(try cursor.readString().isEmpty)
            XCTAssertTrue(try cursor.nextMember())
            // An escaped key never matches by bytes.
            let key = try cursor.readKey()
            XCTAssertTrue(key.hasEscapes)
            XCTAssertFalse(cursor.bytes(of: key, equal: "key"))
            XCTAssertEqual(try cursor.readNumber(), .int(1))
            XCTAssertFalse(try cursor.nextMember())
            XCTAssertTrue(cursor.isAtEnd)
        }
    }

    /// True when `text` holds a number whose integer digits plus exponent exceed 308.
    private static func hasHugeNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            guard bytes[i] >= 0x30 && bytes[i] <= 0x39 else {
                i += 1
                continue
            }
            var digits = 0
            while i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 {
                digits += 1
                i += 1
            }
            if digits > 300 { return true }
            if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
                var j = i + 1
                if j < bytes.count && bytes[j] == UInt8(ascii: "+") { j += 1 }
                var exponent = 0
                while j < bytes.count && bytes[j] >= 0x30 && bytes[j] <= 0x39 && exponent < 100_000 {
                    exponent = exponent * 10 + Int(bytes[j] - 0x30)
                    j += 1
                }
                if exponent >= 300 { return true }
            }
        }
        return false
    }
}
