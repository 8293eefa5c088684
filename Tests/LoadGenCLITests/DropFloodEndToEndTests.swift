import Foundation
import XCTest

/// Issue 11: drops that come in floods were written one line each (120 MB/s at an absurd rate).
/// 100,000 arrivals/s against one slot and one queue place for 2 s: the run ends by itself, the
/// event log holds a few counted `dropped` lines (at most one per 100 ms), and they add up to the
/// end line's count and the summary's.
final class DropFloodEndToEndTests: XCTestCase {
    func testDropsInAFloodAreCountedInAFewLines() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile("""
            name: flood
            target: {provider: mock, model: mock-small, mock: {ttft: 5ms, output_tokens: 2}}
            load: {mode: open, rate: 100000, duration: 2s}
            limits: {max_in_flight: 1, max_queue: 1}
            """, in: directory)
        let runs = directory.appendingPathComponent("runs")
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)

        let run = try CLITestSupport.onlyRunDirectory(in: runs)
        let text = try String(contentsOf: run.appendingPathComponent("events.ndjson"), encoding: .utf8)
        let lines = try text.split(separator: "\n").map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let dropped = lines.filter { $0["type"] as? String == "dropped" }
        let end = try XCTUnwrap(lines.last)
        XCTAssertEqual(end["type"] as? String, "end")
        let droppedTotal = try XCTUnwrap(end["dropped"] as? Int)
        XCTAssertGreaterThan(droppedTotal, 10_000, "most of 200,000 arrivals find the slot taken")
        let elapsed = try XCTUnwrap(end["end_us"] as? Double) / 1e6
        XCTAssertLessThanOrEqual(Double(dropped.count), elapsed * 10 + 3, "\(dropped.count) dropped lines in \(elapsed) s")
        XCTAssertEqual(dropped.map { $0["count"] as? Int ?? 1 }.reduce(0, +), droppedTotal)
        let summary = try CLITestSupport.json(run.appendingPathComponent("summary.json"))
        XCTAssertEqual((summary["loadgen"] as? [String: Any])?["dropped"] as? Int, droppedTotal)
        XCTAssertEqual((summary["overall"] as? [String: Any])?["dropped"] as? Int, droppedTotal)

        let report = try BinaryRunner.run([run.path], binary: "loadreport")
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("\(droppedTotal) dropped"), report.stdout)
    }
}
