import Foundation
import XCTest
@testable import LoadCore

/// The compact comparison: one row per run, stage or group, named by profile and load, with
/// changes against a baseline.
final class ComparisonTests: XCTestCase {
    /// Two runs of the fixture: `slow` as it is, `fast` with every time halved and the profile and
    /// load of another configuration.
    private func twoRuns() -> Report {
        let accumulator = ReportAccumulator(options: ReportOptions(groupBy: .run))
        var slow = ReportFixture.header
        slow.profile = "chat"
        accumulator.beginRun(slow, path: "/runs/20261118T110640Z-chat/events.ndjson")
        for entry in ReportFixture.entries() { accumulator.add(entry) }
        var fast = ReportFixture.header
        fast.profile = "chat-fast"
        fast.stages = [RunHeader.Stage(startNanos: 0, durationNanos: 10_000_000_000, label: "rate 40/s")]
        accumulator.beginRun(fast, path: "/runs/20261118T120000Z-chat-fast/events.ndjson")
        for entry in ReportFixture.entries() {
            guard case .attempt(var attempt) = entry else { continue }
            attempt.intendedStartNanos /= 2
            attempt.startNanos /= 2
            attempt.endNanos /= 2
            attempt.firstTokenNanos = attempt.firstTokenNanos.map { $0 / 2 }
            attempt.tokenOffsetsMicros = attempt.tokenOffsetsMicros.map { $0 / 2 }
            if attempt.status == 429 { attempt.status = 200; attempt.errorClass = nil; attempt.willRetry = false }
            accumulator.add(.attempt(attempt))
        }
        return accumulator.report()
    }

    func testRunsAreNamedByProfileAndLoadWithChangesAgainstTheFirst() throws {
        let report = twoRuns()
        let comparison = try Comparison(report)
        XCTAssertEqual(comparison.rows.map(\.name), ["chat @ 10/s, 20/s", "chat-fast @ 40/s"])
        XCTAssertEqual(comparison.baseline, "chat @ 10/s, 20/s")
        XCTAssertEqual(comparison.rows[0].deltas, [:])
        let slow = comparison.rows[0].figures
        let fast = comparison.rows[1].figures
        XCTAssertEqual(slow.requestErrorRate, 12.0 / 300)
        XCTAssertEqual(slow.ttftP50Millis, report.groups[0].stats(.ttft)?.p50)
        XCTAssertEqual(fast.interTokenP99Millis, report.groups[1].stats(.interToken)?.p99)
        let deltas = comparison.rows[1].deltas
        // Half the times: TTFT −50 % (to HDR precision), twice the rate.
        XCTAssertEqual(try XCTUnwrap(deltas["ttft_p50_ms"] ?? nil), -50, accuracy: 0.2)
        XCTAssertEqual(try XCTUnwrap(deltas["requests_per_s"] ?? nil),
                       (fast.requestsPerSecond - slow.requestsPerSecond) / slow.requestsPerSecond * 100, accuracy: 1e-9)
        // Errors in percentage points: 2 timeouts of 310 requests (the 429s now ended theirs) against 12 of 300.
        XCTAssertEqual(try XCTUnwrap(deltas["request_error_rate"] ?? nil), (2.0 / 310 - 12.0 / 300) * 100, accuracy: 1e-9)

        let table = ComparisonText.render(comparison, format: .table)
        XCTAssertTrue(table.hasPrefix("against chat @ 10/s, 20/s (the baseline)"), table)
        let fastLine = try XCTUnwrap(table.split(separator: "\n").first { $0.hasPrefix("chat-fast @ 40/s") })
        XCTAssertTrue(fastLine.contains("(-50.0 %)") || fastLine.contains("(-49.9 %)"), String(fastLine))
        XCTAssertTrue(fastLine.contains("0.65 % (-3.4 pp)"), String(fastLine))

        let csv = ComparisonText.render(comparison, format: .csv).split(separator: "\n")
        XCTAssertEqual(csv.first.map(String.init), ComparisonText.columns.joined(separator: ","))
        XCTAssertEqual(csv.count, 3)
        XCTAssertTrue(csv[1].hasSuffix(",,,,,,,"), "the baseline has no deltas: \(csv[1])")
    }

    func testTheBaselineIsChosenByRunArgumentNameOrLabel() throws {
        let report = twoRuns()
        for baseline in ["/runs/20261118T120000Z-chat-fast", "/runs/20261118T120000Z-chat-fast/events.ndjson",
                         "20261118T120000Z-chat-fast", "chat-fast @ 40/s"]
        {
            let comparison = try Comparison(report, baseline: baseline)
            XCTAssertEqual(comparison.baseline, "chat-fast @ 40/s", baseline)
            XCTAssertEqual(comparison.rows[1].deltas, [:], baseline)
            XCTAssertFalse(comparison.rows[0].deltas.isEmpty, baseline)
        }
        XCTAssertThrowsError(try Comparison(report, baseline: "runs/nope")) {
            XCTAssertEqual("\($0)", "--baseline runs/nope is none of the compared rows: chat @ 10/s, 20/s, "
                + "chat-fast @ 40/s, 20261118T110640Z-chat, 20261118T120000Z-chat-fast")
        }
    }

    /// One row per stage with `--group-by stage`, against the first stage.
    func testStagesCompareAgainstTheFirst() throws {
        let report = try ReportFixture.report([ReportFixture.temporaryRun().path], options: ReportOptions(groupBy: .stage))
        var withComparison = report
        withComparison.comparison = try Comparison(report)
        XCTAssertEqual(withComparison.comparison?.rows.map(\.name), ["0 (rate 10/s)", "1 (rate 20/s)"])
        let offered = try XCTUnwrap(withComparison.comparison?.rows.map(\.figures.offeredPerSecond))
        XCTAssertEqual(offered[0], 10, accuracy: 0.5)
        XCTAssertEqual(offered[1], 20, accuracy: 1.5)
        let text = try ReportRenderer.render(withComparison, view: .compact, format: .table)
        XCTAssertTrue(text.contains("1 (rate 20/s)"), text)
        let json = try ReportRenderer.render(withComparison, view: .compact, format: .json)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let rows = try XCTUnwrap((object["comparison"] as? [String: Any])?["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["name"] as? String }, ["0 (rate 10/s)", "1 (rate 20/s)"])
        XCTAssertNotNil(rows[1]["deltas"] as? [String: Any])
        XCTAssertNotNil(rows[0]["ttft_p99_ms"] as? Double)
    }
}
