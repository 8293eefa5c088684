import Foundation
import XCTest

@testable import LoadCore

/// Trace replay: `load: {mode: open, arrival: trace, trace: FILE}`.
final class TraceScheduleTests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-trace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testTraceFileForms() throws {
        let text = "# recorded 2026-11-24\n0\n0.25, extra columns are ignored\n\n0.25\n1.5\t# tab\r\n"
        XCTAssertEqual(try TraceFile.parse(text, file: "t.txt"), [0, 250_000_000, 250_000_000, 1_500_000_000])
    }

    func testBadTraceFilesNameTheLine() {
        // Table: trace text → expected message prefix.
        let cases: [(String, String)] = [
            ("0\n0.5\nsoon\n", "t.txt:3: expected an arrival time in seconds"),  // not a number
            ("0\n-1\n", "t.txt:2: expected an arrival time in seconds"),  // negative
            ("0\n2\n1\n", "t.txt:3: arrival times must not go backwards"),  // out of order
            ("# only a comment\n", "t.txt:1: the trace has no arrival times"),  // empty
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try TraceFile.parse(text, file: "t.txt")) { error in
                XCTAssertTrue("\(error)".hasPrefix(expected), "\(error)")
            }
        }
    }

    func testProfileReplaysTheTraceRelativeToItsFile() throws {
        let directory = try temporaryDirectory()
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("traces"), withIntermediateDirectories: true)
        try "0\n0.1\n0.1\n0.75\n2\n".write(to: directory.appendingPathComponent("traces/t.txt"), atomically: true, encoding: .utf8)
        let profilePath = directory.appendingPathComponent("p.yaml").path
        let profile = try Profile.parse(
            yaml: "target: {provider: mock}\nload: {mode: open, arrival: trace, trace: traces/t.txt}\n", file: profilePath)
        var schedule = profile.load.makeArrivalSchedule(seed: 1)
        var offsets: [UInt64] = []
        while let next = schedule.next() { offsets.append(next) }
        XCTAssertEqual(offsets, [0, 100_000_000, 100_000_000, 750_000_000, 2_000_000_000])
        XCTAssertEqual(profile.plannedRequests(), 5)
        XCTAssertEqual(profile.load.totalDurationNanos, 2_001_000_000, "the trace's span plus 1 ms")
        let again = try Profile.parse(yaml: profile.resolvedYAML(), file: "/elsewhere/resolved.yaml")
        XCTAssertEqual(again, profile, profile.resolvedYAML())
    }

    func testBadTraceProfilesAreReported() throws {
        let directory = try temporaryDirectory()
        try "0\n1\n0.5\n".write(to: directory.appendingPathComponent("backwards.txt"), atomically: true, encoding: .utf8)
        let file = directory.appendingPathComponent("bad.yaml").path
        // Table: load: value → expected "path: message" fragment.
        let cases: [(String, String)] = [
            ("{mode: open, arrival: trace}", "load.trace: missing required field for arrival: trace"),
            ("{mode: open, arrival: trace, trace: nowhere.txt}", "load.trace: cannot read the trace file"),
            ("{mode: open, arrival: trace, trace: backwards.txt}", "backwards.txt:3: arrival times must not go backwards"),
            ("{mode: open, arrival: trace, trace: backwards.txt, rate: 5}", "load.rate: with arrival: trace"),
            ("{mode: open, rate: 5, duration: 5s, trace: backwards.txt}", "load.trace: trace applies only to arrival: trace"),
            ("{mode: closed, users: 2, duration: 5s, trace: backwards.txt}", "load.trace: trace applies only to mode: open"),
        ]
        for (load, expected) in cases {
            do {
                _ = try Profile.parse(yaml: "target: {provider: mock}\nload: \(load)\n", file: file)
                XCTFail("expected a problem for \(load)")
            } catch let error as ProfileError {
                XCTAssertTrue(error.description.contains(expected), "\(error.description)\nexpected: \(expected)")
            }
        }
    }
}
