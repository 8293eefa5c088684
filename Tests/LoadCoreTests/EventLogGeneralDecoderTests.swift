import Foundation
import XCTest
@testable import LoadCore

/// The reader's general decoder (`JSONParser`, for lines the fast path declines and for the header).
final class EventLogGeneralDecoderTests: XCTestCase {
    private func reader(_ lines: [String]) throws -> (EventLogReader, String) {
        let directory = try ReportFixture.temporaryDirectory()
        addTeardownBlock { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/events.ndjson"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return (try EventLogReader(path: path), path)
    }

    /// A seed is any UInt64: the largest comes back exact (a Double would round it).
    func testTheLargestSeedIsReadExactly() throws {
        let (reader, _) = try reader([#"{"type":"run","schema":1,"profile":"p","seed":18446744073709551615,"command":["a"]}"#])
        XCTAssertEqual(reader.header.seed, UInt64.max)
        XCTAssertEqual(reader.header.command, ["a"])
    }

    /// A schema number beyond Int's range is refused as a newer schema, not a crash (it trapped
    /// converting the Double to Int).
    func testAHugeSchemaNumberIsRefusedNotACrash() throws {
        XCTAssertThrowsError(try reader([#"{"type":"run","schema":1e300,"profile":"p"}"#])) { error in
            guard case EventLogError.unsupportedSchema = error else { return XCTFail("\(error)") }
        }
        XCTAssertNoThrow(try reader([#"{"type":"run","schema":-1e300,"profile":"p"}"#]))
    }

    /// A malformed line in the middle names what is wrong and where, from JSONParser.
    func testAMalformedLineSaysWhatIsWrong() throws {
        let (reader, _) = try reader([
            #"{"type":"run","schema":1,"profile":"p","seed":1,"command":[]}"#,
            #"{"type":"attempt","request":0,"intended_us":0,"start_us":1,"end_us":2,"status":200,}"#,
            #"{"type":"end","attempts":1,"successes":1,"dropped":0,"end_us":10.0}"#,
        ])
        XCTAssertThrowsError(try reader.next()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(":2"), text)
            XCTAssertTrue(text.contains("invalid JSON at byte"), text)
        }
    }

    /// Lines the fast path declines (null fields, a fractional integer field) decode or fail by field.
    func testDeclinedLinesDecodeByField() throws {
        let (reader, _) = try reader([
            #"{"type":"run","schema":1,"profile":"p","seed":1,"command":[]}"#,
            #"{"status":200,"type":"attempt","request":5,"intended_us":0,"start_us":1.5,"end_us":2,"tokens":3,"error":null,"will_retry":true,"token_offsets_us":[1,2]}"#,
            #"{"type":"attempt","request":6,"intended_us":0,"start_us":1,"end_us":2,"status":200.5}"#,
        ])
        guard case .attempt(let attempt)? = try reader.next() else { return XCTFail("no attempt") }
        XCTAssertEqual(attempt.requestID, 5)
        XCTAssertEqual(attempt.startNanos, 1_500)
        XCTAssertEqual(attempt.countedOutputTokens, 3)
        XCTAssertTrue(attempt.willRetry)
        XCTAssertEqual(attempt.tokenOffsetsMicros, [1, 2])
        XCTAssertEqual(reader.generalDecoderLines, 1)
        XCTAssertThrowsError(try reader.next()) { error in
            XCTAssertTrue("\(error)".contains("status must be an integer"), "\(error)")
        }
    }
}
