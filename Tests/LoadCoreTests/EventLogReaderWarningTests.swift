import Foundation
import XCTest
@testable import LoadCore

/// What the reader tolerates with a warning: fields and line types a newer loadgen may write, a
/// torn last line; and the newer major schema it refuses.
final class EventLogReaderWarningTests: XCTestCase {
    private func read(_ lines: [String], terminated: Bool = true) throws -> (attempts: [AttemptRecord], warnings: [String]) {
        let directory = try ReportFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/events.ndjson"
        try (lines.joined(separator: "\n") + (terminated ? "\n" : "")).write(toFile: path, atomically: true, encoding: .utf8)
        let reader = try EventLogReader(path: path)
        var attempts: [AttemptRecord] = []
        while let entry = try reader.next() {
            if case .attempt(let attempt) = entry { attempts.append(attempt) }
        }
        return (attempts, reader.warnings.map { $0.replacingOccurrences(of: path, with: "LOG") })
    }

    private let header = #"{"type":"run","schema":1,"profile":"p","started_at":"2026-11-18T11:06:40Z","loadgen_version":"9","seed":1,"command":[]}"#

    func testUnknownFieldsAndLineTypesAreReadAroundWithOneWarningEach() throws {
        let (attempts, warnings) = try read([
            #"{"type":"run","schema":1,"profile":"p","started_at":"2026-11-18T11:06:40Z","loadgen_version":"9","seed":1,"command":[],"worker":3}"#,
            #"{"type":"attempt","request":0,"intended_us":0.0,"start_us":1.0,"end_us":9.0,"status":200,"tokens":1,"model":"x","shard":2}"#,
            #"{"type":"tick","in_flight":3}"#,
            #"{"type":"attempt","request":1,"intended_us":0.0,"start_us":1.0,"end_us":9.0,"status":200,"tokens":1,"model":"y"}"#,
            #"{"type":"tick","in_flight":4}"#,
            #"{"type":"end","attempts":2,"successes":2,"dropped":0,"end_us":10.0}"#,
        ])
        XCTAssertEqual(attempts.map(\.requestID), [0, 1])
        XCTAssertEqual(attempts.map(\.status), [200, 200])
        XCTAssertEqual(warnings, [
            "LOG: ignored fields this build does not know: run.worker (first on line 1), attempt.model (first on line 2), "
                + "attempt.shard (first on line 2); a newer loadgen may have written them, a newer loadreport may read them",
            "LOG: skipped 2 line(s) of type \"tick\" that this build does not know (first on line 3)",
        ])
    }

    func testTornLastLineAndMissingEndLine() throws {
        let (attempts, warnings) = try read([
            header,
            #"{"type":"attempt","request":0,"intended_us":0.0,"start_us":1.0,"end_us":9.0,"status":200,"tokens":1}"#,
            #"{"type":"attempt","request":1,"intended_us":0.0,"start_u"#,
        ], terminated: false)
        XCTAssertEqual(attempts.count, 1)
        XCTAssertEqual(warnings, [
            "LOG:3: skipped a torn last line (56 bytes); the run was probably interrupted",
            "LOG: no end line; the run did not finish, the attempts logged so far are used",
        ])
    }

    func testABadFieldNamesTheLineAndTheField() throws {
        XCTAssertThrowsError(try read([
            header,
            #"{"type":"attempt","request":0,"intended_us":"soon","start_us":1.0,"end_us":9.0}"#,
            #"{"type":"end","attempts":1,"successes":0}"#,
        ])) { error in
            XCTAssertTrue("\(error)".hasSuffix(":2: malformed event: intended_us must be a non-negative number of microseconds"),
                          "\(error)")
        }
    }

    func testNewerMajorSchemaIsRefusedWithAClearMessage() throws {
        XCTAssertThrowsError(try read([#"{"type":"run","schema":2,"profile":"p"}"#])) { error in
            XCTAssertTrue("\(error)".hasSuffix("written with event-log schema 2, but this build reads schema 1 only; "
                + "use a newer loadreport"), "\(error)")
        }
        // A minor revision of schema 1 (1.1) is read.
        XCTAssertNoThrow(try read([#"{"type":"run","schema":1.1,"profile":"p","seed":1,"command":[]}"#]))
    }
}
