import Foundation
import XCTest
@testable import LoadCore

/// Every view and format of the report over ``ReportFixture``, byte for byte against the files in
/// Tests/LoadCoreTests/Golden (refresh them with `UPDATE_GOLDEN=1 swift test ...` and review the diff).
/// Key figures are also asserted from the fixture's ground truth, independently of the goldens.
final class ReportGoldenTests: XCTestCase {
    private var directory = ""
    private var path = ""

    override func setUpWithError() throws {
        (directory, path) = try ReportFixture.temporaryRun()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")

    /// Compares `text` (temporary paths replaced by `TMP`) with the golden file `name`.
    private func assertGolden(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let normalized = text.replacingOccurrences(of: directory, with: "TMP")
            .replacingOccurrences(of: directory.replacingOccurrences(of: "/", with: "\\/"), with: "TMP")
        let url = Self.goldenDirectory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try normalized.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if normalized != expected {
            let got = normalized.split(separator: "\n", omittingEmptySubsequences: false)
            let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }
            XCTFail("\(name) differs from the golden file at line \((first?.offset ?? min(got.count, want.count)) + 1):\n"
                + "got:  \(first.map { String($0.element.0) } ?? "(end)")\nwant: \(first.map { String($0.element.1) } ?? "(end)")",
                file: file, line: line)
        }
    }

    func testSummaryInEveryFormat() throws {
        let report = try ReportFixture.report([path])
        try assertGolden(try ReportRenderer.render(report, view: .summary, format: .table), "summary.txt")
        try assertGolden(try ReportRenderer.render(report, view: .summary, format: .markdown), "summary.md")
        try assertGolden(try ReportRenderer.render(report, view: .summary, format: .csv), "summary.csv")
        try assertGolden(try ReportRenderer.render(report, view: .summary, format: .json), "summary.json")
    }

    func testSummaryFiguresFromTheGroundTruth() throws {
        let all = try ReportFixture.report([path]).overall
        XCTAssertEqual(all.attempts, 310)
        XCTAssertEqual(all.attemptSuccesses, 288)
        XCTAssertEqual(all.attemptErrorsByClass, ["http_429": 20, "timeout_total": 2])
        XCTAssertEqual(all.retries, 10)
        XCTAssertEqual(all.requests, 300)
        XCTAssertEqual(all.requestSuccesses, 288)
        XCTAssertEqual(all.requestErrorsByClass, ["http_429": 10, "timeout_total": 2])
        XCTAssertEqual(all.attemptsByStatus, ["200": 288, "429": 20, "0": 2])
        XCTAssertEqual(all.offered, 303)
        XCTAssertEqual(all.dropped, 3)
        // Output tokens: 100 × 10 in stage 0, 188 × 20 in stage 1 (178 first attempts + 10 retries).
        XCTAssertEqual(all.outputTokens, 1000 + 188 * 20)
        XCTAssertEqual(all.estimatedOutputAttempts, 2)  // requests 100 and 200 (i ≡ 0 mod 50; 150, 250 timed out)
        XCTAssertEqual(all.inputTokens, 100 * 50 + 188 * 80)
        XCTAssertEqual(all.costUSD ?? 0, 100 * 0.0001 + 188 * 0.0002, accuracy: 1e-12)
        XCTAssertEqual(all.pricedAttempts, 288)
        // TTFT: stage 0 100..199 ms, stage 1 200..399 ms less the 429s and timeouts, retries again.
        XCTAssertEqual(all.stats(.ttft)?.count, 288)
        XCTAssertEqual(all.stats(.interToken)?.count, 100 * 9 + 188 * 19)
        // Time per output token, (end − first token) / (tokens − 1): (9 × 20 + 10) / 9 ms in stage 0,
        // (19 × 10 + 5) / 19 ms in stage 1 (188 of the 288), within HDR precision.
        XCTAssertEqual(all.stats(.timePerOutputToken)?.p50 ?? 0, 195.0 / 19, accuracy: 0.011)
        XCTAssertEqual(all.stats(.timePerOutputToken)?.max ?? 0, 190.0 / 9, accuracy: 0.022)
        // First start 0.0 s; last end: the retry of request 289 starts at 19.950 05 s and ends
        // 389 + 190 + 5 ms later (request 299 was a quick 429).
        XCTAssertEqual(all.elapsedSeconds, 19.950_05 + 0.584, accuracy: 1e-9)
        let text = try ReportRenderer.render(try ReportFixture.report([path]), view: .summary, format: .table)
        XCTAssertTrue(text.contains("requests: 300 (288 ok, 12 failed: http_429 10, timeout_total 2)"), text)
        XCTAssertTrue(text.contains("attempts: 310 (288 ok, 22 failed: http_429 20, timeout_total 2; 10 retries)"), text)
        XCTAssertTrue(text.contains("offered: 303 arrivals, 3 dropped"), text)
    }

    func testGroupedByStageAndStatus() throws {
        let byStage = try ReportFixture.report([path], options: ReportOptions(groupBy: .stage))
        XCTAssertEqual(byStage.groups.map(\.name), ["0 (rate 10/s)", "1 (rate 20/s)"])
        XCTAssertEqual(byStage.groups.map(\.attempts), [100, 210])
        XCTAssertEqual(byStage.groups.map(\.dropped), [0, 3])
        try assertGolden(try ReportRenderer.render(byStage, view: .summary, format: .table), "group-stage.txt")
        let byStatus = try ReportFixture.report([path], options: ReportOptions(groupBy: .status))
        XCTAssertEqual(byStatus.groups.map(\.name), ["0 (no response)", "200", "429"])
        XCTAssertEqual(byStatus.groups.map(\.attempts), [2, 288, 20])
        try assertGolden(try ReportRenderer.render(byStatus, view: .summary, format: .csv), "group-status.csv")
    }

    func testTimeSeries() throws {
        let report = try ReportFixture.report([path], options: ReportOptions(timeSeriesIntervalNanos: 1_000_000_000))
        let series = try XCTUnwrap(report.timeSeries)
        // Offered: 10 a second in stage 0, 20 in stage 1, plus the 3 dropped in second 15.
        XCTAssertEqual(series.rows[3].offered, 10)
        XCTAssertEqual(series.rows[12].offered, 20)
        XCTAssertEqual(series.rows[15].offered, 23)
        XCTAssertEqual(series.rows.reduce(0) { $0 + $1.offered }, 303)
        XCTAssertEqual(series.rows.reduce(0) { $0 + $1.started }, 310)
        XCTAssertEqual(series.rows.reduce(0) { $0 + $1.completed }, 310)
        XCTAssertEqual(series.rows.reduce(0) { $0 + $1.http429 }, 20)
        XCTAssertEqual(series.rows.last?.inFlight, 0)
        let tokens = series.rows.reduce(0.0) { $0 + $1.outputTokensPerSecond }
        XCTAssertEqual(tokens, Double(1000 + 188 * 20), accuracy: 1e-6)
        try assertGolden(try ReportRenderer.render(report, view: .timeSeries, format: .csv), "timeseries-1s.csv")
    }

    func testRateLimitView() throws {
        let report = try ReportFixture.report([path], options: ReportOptions(rateLimitIntervalNanos: 5_000_000_000))
        let view = try XCTUnwrap(report.rateLimits)
        // The first 429 is request 109: intended 10.45 s, started 50 µs later. The 5 s around it
        // (seconds 8-12) offered 10, 10, 20, 20, 20 a second.
        XCTAssertEqual(view.first429?.seconds ?? 0, 10.450_050, accuracy: 1e-9)
        XCTAssertEqual(view.first429?.offeredPerSecond ?? 0, 16, accuracy: 1e-9)
        XCTAssertEqual(view.total429, 20)
        // One 429 in every 10 requests: the trailing 5 s window (seconds 6-10: 61 attempts) passes
        // 1 % at the end of second 10, when it holds the first; seconds 8-12 offered 16 a second.
        XCTAssertEqual(view.onePercent429?.seconds, 11)
        XCTAssertEqual(view.onePercent429?.offeredPerSecond, 16)
        XCTAssertEqual(view.announcedRequestsLimit, 1200)
        XCTAssertEqual(view.announcedTokensLimit, 60_000)
        // Best full interval, 10-15 s: 89 first attempts succeed (100 less 10 × 429 and a timeout)
        // and 5 retries: 94 in 5 s, 1,128 a minute; each with 20 output and 80 input tokens.
        XCTAssertEqual(view.ceilingSuccessesPerMinute, 1128)
        XCTAssertEqual(view.ceilingTokensPerMinute, 1128 * 100)
        try assertGolden(try ReportRenderer.render(report, view: .rateLimits, format: .table), "ratelimits-5s.txt")
        try assertGolden(try ReportRenderer.render(report, view: .rateLimits, format: .csv), "ratelimits-5s.csv")
    }

    func testCompareTwoRuns() throws {
        try FileManager.default.createDirectory(atPath: directory + "/stage0", withIntermediateDirectories: true)
        let stageZero = ReportFixture.entries().filter {
            if case .attempt(let record) = $0 { return record.stage == 0 }
            return false
        }
        try ReportFixture.write(to: directory + "/stage0/events.ndjson", entries: stageZero)
        let report = try ReportFixture.report([path, directory + "/stage0/events.ndjson"],
                                              options: ReportOptions(groupBy: .run))
        XCTAssertEqual(report.groups.map(\.name), ["fixture", "stage0"])
        XCTAssertEqual(report.groups.map(\.attempts), [310, 100])
        try assertGolden(try ReportRenderer.render(report, view: .compare, format: .table), "compare.txt")
        try assertGolden(try ReportRenderer.render(report, view: .compare, format: .markdown), "compare.md")
    }

    func testAttemptsCSV() throws {
        var csv = AttemptCSV.headerLine
        _ = try ReportFixture.report([path]) { attempt, run, header in
            csv += AttemptCSV.line(attempt, run: run, header: header)
        }
        XCTAssertEqual(csv.split(separator: "\n").count, 1 + 310 + 2)  // two error messages hold a newline
        try assertGolden(csv, "attempts.csv")
    }
}
