import Foundation
@testable import LoadCore

/// Run directories and a sweep for the HTML report's tests: ReportFixture's run written as an
/// event log (with a thresholds.json), a slower variant of it to compare against, and a sweep's steps.
enum HTMLFixtures {
    /// Writes ReportFixture's run to `<parent>/<name>/events.ndjson`, each successful attempt
    /// `slowerMillis` later to its first token and end, under `model`. Returns the events file.
    static func writeRun(in parent: URL, name: String, slowerMillis: UInt64 = 0, model: String = "m1",
                         thresholds: Bool = false) throws -> String {
        let directory = parent.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var header = ReportFixture.header
        header.model = model
        let path = directory.appendingPathComponent("events.ndjson").path
        let writer = try EventLogWriter(path: path, header: header)
        for entry in ReportFixture.entries() {
            switch entry {
            case .attempt(var attempt):
                if attempt.succeeded {
                    attempt.firstTokenNanos = attempt.firstTokenNanos.map { $0 + slowerMillis * 1_000_000 }
                    attempt.endNanos += slowerMillis * 1_000_000
                }
                try writer.append(attempt)
            case .dropped(let intended): try writer.appendDropped(intendedNanos: intended)
            default: break  // end lines are written below; other lines are not in the fixture
            }
        }
        try writer.appendEnd(endNanos: 21_000_000_000)
        try writer.close()
        if thresholds {
            try """
                {"passed": false, "thresholds": [
                  {"name": "ttft_p99", "condition": "<= 800ms", "limit": 800, "passed": true, "actual": 412.5,
                   "detail": "288 of 300 requests"},
                  {"name": "error_rate", "condition": "<= 1%", "limit": 1, "passed": false, "actual": 4,
                   "detail": "12 of 300 requests <failed>"}]}
                """.write(to: directory.appendingPathComponent("thresholds.json"), atomically: true, encoding: .utf8)
        }
        return path
    }

    /// A sweep against a target that saturates near 120 requests/s: throughput follows the offered
    /// load up to the knee and flattens beyond it, TTFT p99 climbs, goodput falls.
    static var sweep: SweepResult {
        let offered: [Double] = [10, 40, 70, 100, 115, 125, 140, 170]
        let steps = offered.map { rate -> SweepResult.Step in
            let achieved = min(rate, 122)
            let overload = max(0, rate - 110) / 10
            return SweepResult.Step(
                offeredPerSecond: rate, achievedPerSecond: achieved, okPerSecond: achieved * (1 - 0.01 * overload),
                outputTokensPerSecond: achieved * 32, ttftP50Millis: 200 + 20 * overload,
                ttftP99Millis: 230 + 40 * overload * overload, interTokenP99Millis: 12 + overload,
                totalP99Millis: 560 + 60 * overload * overload, http429Share: 0, errorShare: 0.01 * overload,
                goodput: max(0, 1 - 0.12 * overload), verdict: "ok")
        }
        return SweepResult(steps: steps, kneePerSecond: 122, sloPerSecond: 112, sloBracket: 108...116,
                           limitedBy: "latency", ttftP99SLOMillis: 400)
    }
}
