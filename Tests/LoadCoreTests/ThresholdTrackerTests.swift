import XCTest

@testable import LoadCore

/// Threshold verdicts from known attempts, and the rules that call a failure clear early.
final class ThresholdTrackerTests: XCTestCase {
    private let ms: UInt64 = 1_000_000

    /// A successful attempt started at `startMillis` with the given TTFT and total time.
    private func success(_ id: UInt64, startMillis: UInt64, ttftMillis: UInt64, totalMillis: UInt64,
                         tokens: Int = 10) -> AttemptRecord {
        var record = AttemptRecord(requestID: id, intendedStartNanos: startMillis * ms, startNanos: startMillis * ms,
                                   endNanos: (startMillis + totalMillis) * ms)
        record.status = 200
        record.firstTokenNanos = (startMillis + ttftMillis) * ms
        record.countedOutputTokens = tokens
        return record
    }

    private func failure(_ id: UInt64, status: Int, errorClass: ErrorClass, atMillis: UInt64) -> AttemptRecord {
        var record = AttemptRecord(requestID: id, intendedStartNanos: atMillis * ms, startNanos: atMillis * ms,
                                   endNanos: (atMillis + 5) * ms)
        record.status = status
        record.errorClass = errorClass
        return record
    }

    private func thresholds(_ yaml: String, abort: Bool = false) throws -> Thresholds {
        let text = "target: {provider: mock}\nload: {mode: open, rate: 5, duration: 10s}\nthresholds: {\(yaml)"
            + (abort ? ", abort_on_fail: true}" : "}")
        return try Profile.parse(yaml: text, file: "p.yaml").thresholds
    }

    func testVerdictsFollowTheDocumentedDefinitions() throws {
        let tracker = ThresholdTracker(
            thresholds: try thresholds("""
                ttft_p50: 100ms, total_p99: 150ms, error_rate: "< 25%", http_429_rate: "<= 10%",
                min_requests_per_s: 10, min_output_tokens_per_s: 100, cost_usd: 0.01
                """),
            maxRequests: nil)
        let recorder = RunRecorder()
        var records: [AttemptRecord] = []
        // 8 successes over 1 s: TTFT 100 ms, total 200 ms, 10 tokens and $0.002 each.
        for i in 0..<8 {
            var record = success(UInt64(i), startMillis: UInt64(i) * 100, ttftMillis: 100, totalMillis: 200)
            record.costUSD = 0.002
            records.append(record)
        }
        // One request fails with a 500; another gets a 429, is retried and succeeds (one request, two attempts).
        records.append(failure(8, status: 500, errorClass: .http5xx, atMillis: 500))
        var throttled = failure(9, status: 429, errorClass: .http429, atMillis: 600)
        throttled.willRetry = true
        records.append(throttled)
        records.append(success(9, startMillis: 700, ttftMillis: 100, totalMillis: 200))
        // One cancelled by an interrupt: left out of both rates.
        records.append(failure(10, status: 0, errorClass: .cancelled, atMillis: 800))
        for record in records {
            recorder.record(record)
            tracker.record(record)
        }
        let results = tracker.evaluate(recorder: recorder)
        let byName = Dictionary(uniqueKeysWithValues: results.map { ($0.threshold.name, $0) })

        // TTFT p50 is 100 ms (to histogram precision): passes <= 100ms.
        XCTAssertEqual(try XCTUnwrap(byName["ttft_p50"]?.actual), 100, accuracy: 0.1)
        XCTAssertEqual(byName["ttft_p50"]?.passed, true)
        // Total p99 is 200 ms: fails <= 150ms.
        XCTAssertEqual(byName["total_p99"]?.passed, false)
        // 1 of 10 requests failed (the retried one succeeded, the cancelled one does not count): 10 % < 25 %.
        XCTAssertEqual(try XCTUnwrap(byName["error_rate"]?.actual), 0.1, accuracy: 1e-12)
        XCTAssertEqual(byName["error_rate"]?.detail, "1 of 10 requests failed")
        XCTAssertEqual(byName["error_rate"]?.passed, true)
        // 1 of 11 attempts answered 429: 9.1 % <= 10 %.
        XCTAssertEqual(try XCTUnwrap(byName["http_429_rate"]?.actual), 1.0 / 11, accuracy: 1e-12)
        XCTAssertEqual(byName["http_429_rate"]?.passed, true)
        // 9 successes from the first start (0) to the last end (900 ms): 10/s, just enough.
        XCTAssertEqual(try XCTUnwrap(byName["min_requests_per_s"]?.actual), 10, accuracy: 1e-9)
        XCTAssertEqual(byName["min_requests_per_s"]?.passed, true)
        XCTAssertEqual(try XCTUnwrap(byName["min_output_tokens_per_s"]?.actual), 100, accuracy: 1e-9)
        // 8 × $0.002 = $0.016 > $0.01.
        XCTAssertEqual(try XCTUnwrap(byName["cost_usd"]?.actual), 0.016, accuracy: 1e-12)
        XCTAssertEqual(byName["cost_usd"]?.passed, false)

        let table = ThresholdTable.render(results)
        XCTAssertTrue(table.hasPrefix("thresholds: 2 of 7 failed\n"), table)
        XCTAssertTrue(table.contains("FAIL  total_p99"), table)
        XCTAssertTrue(table.contains("PASS  error_rate"), table)
    }

    func testNoDataFails() throws {
        let tracker = ThresholdTracker(thresholds: try thresholds("ttft_p99: 1s, cost_usd: 1"), maxRequests: nil)
        let recorder = RunRecorder()
        let failed = failure(0, status: 500, errorClass: .http5xx, atMillis: 0)
        recorder.record(failed)
        tracker.record(failed)
        let results = tracker.evaluate(recorder: recorder)
        XCTAssertEqual(results.map(\.passed), [false, false])
        XCTAssertNil(results[0].actual)
        XCTAssertEqual(results[0].detail, "no samples (no successful attempt)")
        XCTAssertEqual(results[1].detail, "no attempt had a price (the model is not in the pricing catalog)")
    }

    /// With at most 100 requests, 6 failures make `error_rate <= 5%` impossible: a clear failure
    /// at the next check; 5 failures do not.
    func testErrorRateFailsForCertainAgainstTheRequestBound() throws {
        let tracker = ThresholdTracker(thresholds: try thresholds("error_rate: 5%", abort: true), maxRequests: 100)
        let recorder = RunRecorder()
        for i in 0..<5 {
            tracker.record(failure(UInt64(i), status: 500, errorClass: .http5xx, atMillis: UInt64(i)))
        }
        XCTAssertNil(tracker.clearFailure(recorder: recorder, elapsedNanos: 1_000 * ms), "5 of 100 may still pass")
        tracker.record(failure(5, status: 500, errorClass: .http5xx, atMillis: 6))
        XCTAssertNil(tracker.clearFailure(recorder: recorder, elapsedNanos: 1_500 * ms), "checks are a second apart")
        let clear = try XCTUnwrap(tracker.clearFailure(recorder: recorder, elapsedNanos: 2_000 * ms))
        XCTAssertEqual(clear.threshold.name, "error_rate")
        XCTAssertEqual(clear.detail, "6 failed of at most 100 requests: cannot recover")
    }

    /// p99 <= 500ms over at most 100 requests tolerates one slow request; the second is a clear failure.
    func testLatencyPercentileFailsForCertainAgainstTheRequestBound() throws {
        let tracker = ThresholdTracker(thresholds: try thresholds("ttft_p99: 500ms", abort: true), maxRequests: 100)
        let recorder = RunRecorder()
        for i in 0..<3 {
            let ttft: UInt64 = i == 0 ? 50 : 900
            let record = success(UInt64(i), startMillis: UInt64(i), ttftMillis: ttft, totalMillis: ttft + 10)
            recorder.record(record)
            tracker.record(record)
            let clear = tracker.clearFailure(recorder: recorder, elapsedNanos: UInt64(i + 1) * 1_000 * ms)
            XCTAssertEqual(clear != nil, i == 2, "after \(i + 1) samples, \(i) slow")
        }
    }

    /// Without a request bound, a threshold must fail on everything so far at 3 checks in a row,
    /// with at least 100 samples.
    func testRollingRuleNeedsSamplesAndThreeFailingChecks() throws {
        let tracker = ThresholdTracker(
            thresholds: try thresholds("ttft_p50: 100ms, min_requests_per_s: 1000000", abort: true), maxRequests: nil)
        let recorder = RunRecorder()
        func add(_ count: Int, ttftMillis: UInt64) {
            for _ in 0..<count {
                let record = success(UInt64(recorder.attempts), startMillis: 0, ttftMillis: ttftMillis, totalMillis: 300)
                recorder.record(record)
                tracker.record(record)
            }
        }
        add(99, ttftMillis: 200)
        XCTAssertNil(tracker.clearFailure(recorder: recorder, elapsedNanos: 1_000 * ms), "99 samples: too few")
        add(1, ttftMillis: 200)
        XCTAssertNil(tracker.clearFailure(recorder: recorder, elapsedNanos: 2_000 * ms), "failing once")
        XCTAssertNil(tracker.clearFailure(recorder: recorder, elapsedNanos: 3_000 * ms), "failing twice")
        add(300, ttftMillis: 50)  // recovers: the count starts again
        XCTAssertNil(tracker.clearFailure(recorder: recorder, elapsedNanos: 4_000 * ms))
        add(1000, ttftMillis: 300)
        XCTAssertNil(tracker.clearFailure(recorder: recorder, elapsedNanos: 5_000 * ms))
        XCTAssertNil(tracker.clearFailure(recorder: recorder, elapsedNanos: 6_000 * ms))
        let clear = try XCTUnwrap(tracker.clearFailure(recorder: recorder, elapsedNanos: 7_000 * ms))
        XCTAssertEqual(clear.threshold.name, "ttft_p50", "the throughput minimum never aborts a run")
        XCTAssertTrue(clear.detail?.hasPrefix("failing for 3 s in a row") ?? false, clear.detail ?? "")
    }

    func testRequestBoundIsKnownOnlyForFixedCounts() throws {
        func bound(_ load: String, limits: String = "") throws -> Int? {
            try Profile.parse(yaml: "target: {provider: mock}\nload: \(load)\n\(limits)", file: "p.yaml").requestBound
        }
        XCTAssertEqual(try bound("{mode: open, rate: 20, duration: 10s}"), 200)
        XCTAssertEqual(try bound("{mode: open, rate: 20, duration: 10s}", limits: "limits: {max_requests: 50}"), 50)
        XCTAssertNil(try bound("{mode: open, arrival: poisson, rate: 20, duration: 10s}"))
        XCTAssertEqual(try bound("{mode: open, arrival: poisson, rate: 20, duration: 10s}",
                                 limits: "limits: {max_requests: 70}"), 70)
        XCTAssertNil(try bound("{mode: closed, users: 2, duration: 10s}"))
        XCTAssertEqual(try bound("{mode: closed, users: 2, requests: 30}"), 30)
    }
}
