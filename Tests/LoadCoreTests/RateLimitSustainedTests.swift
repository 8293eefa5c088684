import Foundation
import XCTest
@testable import LoadCore

/// The rate-limit view's last interval and its sustained rate, over synthetic runs fed straight to
/// a ``ReportAccumulator``.
final class RateLimitSustainedTests: XCTestCase {
    private static let second: UInt64 = 1_000_000_000

    private func header(seconds: UInt64) -> RunHeader {
        var header = RunHeader(profile: "limits", startedAt: Date(timeIntervalSince1970: 1_795_000_000),
                               loadgenVersion: "test", seed: 1, command: ["loadgen"], mode: "open")
        header.stages = [RunHeader.Stage(startNanos: 0, durationNanos: seconds * Self.second, label: "rate")]
        return header
    }

    /// Arrivals evenly spaced at `rate` a second for `seconds`, admitted by a token bucket of
    /// `perSecond` tokens a second holding `capacity` (full at the start); the rest answered 429.
    private func run(rate: Double, seconds: UInt64, bucket perSecond: Double, capacity: Double,
                     interval: UInt64) -> Report {
        let accumulator = ReportAccumulator(options: ReportOptions(rateLimitIntervalNanos: interval * Self.second))
        accumulator.beginRun(header(seconds: seconds), path: "/runs/limits/events.ndjson")
        var tokens = capacity
        var last = 0.0
        let count = Int(rate * Double(seconds))
        for i in 0..<count {
            let at = Double(i) / rate
            tokens = min(capacity, tokens + (at - last) * perSecond)
            last = at
            let nanos = UInt64((at * 1e9).rounded())
            var attempt = AttemptRecord(requestID: UInt64(i), intendedStartNanos: nanos, startNanos: nanos,
                                        endNanos: nanos + 5_000_000)
            if tokens >= 1 {
                tokens -= 1
                attempt.status = 200
                attempt.firstTokenNanos = nanos + 1_000_000
                attempt.usageOutputTokens = 10
                attempt.usageInputTokens = 50
            } else {
                attempt.status = 429
                attempt.errorClass = .http429
            }
            accumulator.add(.attempt(attempt))
        }
        accumulator.endRun(warnings: [])
        return accumulator.report()
    }

    /// 2,652 arrivals a minute for 25 s in 10 s rows: the last row holds 5 s, and its rates are
    /// over those 5 s (2,652/min), not over 10 (1,326/min); it is marked partial.
    func testTheLastPartialIntervalIsDividedByItsLength() throws {
        let report = run(rate: 44.2, seconds: 25, bucket: 1000, capacity: 1000, interval: 10)
        let rows = try XCTUnwrap(report.rateLimits?.rows)
        XCTAssertEqual(rows.map(\.startSeconds), [0, 10, 20])
        XCTAssertEqual(rows.map(\.partial), [false, false, true])
        XCTAssertEqual(rows.map(\.lengthSeconds), [10, 10, 5])
        for row in rows {
            XCTAssertEqual(row.offeredPerMinute, 2652, accuracy: 2652 * 0.01, "row at \(row.startSeconds) s")
            XCTAssertEqual(row.successesPerMinute, 2652, accuracy: 2652 * 0.01, "row at \(row.startSeconds) s")
        }
        let text = try ReportRenderer.render(report, view: .rateLimits, format: .table)
        XCTAssertTrue(text.contains("\n20*  "), text)
        XCTAssertTrue(text.contains("20*: a partial interval (the arrivals ended after 5.00 s of it)"), text)
        let csv = try ReportRenderer.render(report, view: .rateLimits, format: .csv)
        XCTAssertTrue(csv.split(separator: "\n").last?.hasPrefix("20,5.000,true,2652.0,") ?? false, csv)
    }

    /// 20 arrivals a second for 60 s against a bucket of 600 a minute holding 10: the first
    /// seconds pass a burst (the best 2 s row admits 900/min), then the bucket admits 10 a second.
    /// The sustained rate is the 600/min, the best interval stays apart and labelled a burst.
    func testSustainedIsTheAdmittedRateNotTheBestBurst() throws {
        let report = run(rate: 20, seconds: 60, bucket: 10, capacity: 10, interval: 2)
        let view = try XCTUnwrap(report.rateLimits)
        let sustained = try XCTUnwrap(view.sustained)
        XCTAssertEqual(sustained.successesPerMinute, 600, accuracy: 600 * 0.02)
        XCTAssertEqual(sustained.tokensPerMinute, 600 * 60, accuracy: 600 * 60 * 0.02)
        XCTAssertEqual(sustained.fromSeconds, 0)
        XCTAssertEqual(sustained.toSeconds, 60)
        XCTAssertEqual(sustained.http429Share, 0.5, accuracy: 0.02)
        XCTAssertGreaterThan(view.ceilingSuccessesPerMinute, 800, "the first 2 s admit the burst")
        let text = try ReportRenderer.render(report, view: .rateLimits, format: .table)
        // 609: the 9 of the burst's first second are in the span (the first 429 came in second 0).
        XCTAssertTrue(text.contains("sustained: 609.0 successful requests/min, 36540.0 tokens/min"), text)
        XCTAssertTrue(text.contains("best interval: "), text)
        XCTAssertTrue(text.contains("(a burst over 2 s, not a sustainable rate)"), text)
        XCTAssertFalse(text.contains("ceiling observed"), text)

        // The direct answer, in the summary and in the JSON document.
        let throttling = try XCTUnwrap(report.throttling)
        XCTAssertEqual(throttling.first429.offeredPerSecond, 20, accuracy: 0.01)
        let summary = try ReportRenderer.render(report, view: .summary, format: .table)
        XCTAssertTrue(summary.contains("throttled: sustained ≈ 6"), summary)
        XCTAssertTrue(summary.contains("; 429s from 20.0/s offered (1200/min)"), summary)
    }

    /// Without --rate-limits the summary still answers; without 429s it says nothing.
    func testTheSummaryAnswersOnlyWhen429sCame() throws {
        let accumulator = ReportAccumulator()
        accumulator.beginRun(header(seconds: 10), path: "/runs/a/events.ndjson")
        var ok = AttemptRecord(requestID: 1, intendedStartNanos: 0, startNanos: 0, endNanos: 10_000_000)
        ok.status = 200
        accumulator.add(.attempt(ok))
        XCTAssertNil(accumulator.report().throttling)
        XCTAssertFalse(try ReportRenderer.render(accumulator.report(), view: .summary, format: .table).contains("throttled"))
        var limited = AttemptRecord(requestID: 2, intendedStartNanos: 9_500_000_000, startNanos: 9_500_000_000,
                                    endNanos: 9_510_000_000)
        limited.status = 429
        limited.errorClass = .http429
        accumulator.add(.attempt(limited))
        let report = accumulator.report()
        XCTAssertNil(report.rateLimits, "the view itself only when asked for")
        let throttling = try XCTUnwrap(report.throttling)
        XCTAssertNil(throttling.sustained, "0.5 s after the first 429 is too short to tell")
        XCTAssertTrue(throttling.line.hasPrefix("throttled: sustained rate unknown"), throttling.line)
    }
}
