import Foundation

/// Follows a run's attempts for its thresholds: the final PASS/FAIL verdicts, and (for
/// `abort_on_fail`) whether a threshold has clearly failed while the run is still going.
///
/// Definitions (docs/profiles.md, "Thresholds"):
/// - latency percentiles come from the ``RunRecorder``'s histograms (successful attempts; the
///   schedule lag over all attempts), to their precision (3 significant digits);
/// - `error_rate` = requests whose last attempt failed / requests ended; `http_429_rate` = attempts
///   answered 429 / attempts. Attempts cancelled by an interrupt or the drain grace are left out of both;
/// - the throughputs divide by the run's time from the first start to the last end, as the summary does;
/// - `cost_usd` adds up the attempts' `costUSD`.
///
/// Single-threaded: feed it from the engine's loop thread (or a log reader), like the recorder.
public final class ThresholdTracker {
    public let thresholds: Thresholds
    /// The most requests the run can end, when known in advance: constant and trace arrivals
    /// (their count is fixed) or `limits.max_requests`. It makes some failures certain early.
    public let maxRequests: Int?

    /// Samples needed before the rolling rule may call a failure clear.
    public static let minimumSamples = 100
    /// Consecutive failing checks (one a second) before the rolling rule calls a failure clear.
    public static let consecutiveChecks = 3

    public private(set) var endedRequests = 0
    public private(set) var failedRequests = 0
    public private(set) var countedAttempts = 0
    public private(set) var http429Attempts = 0
    /// Sum of the known costs; nil while no attempt had a price.
    public private(set) var costUSD: Double?

    /// Per check (same index as `thresholds.checks`): latency samples that break the limit.
    private var violations: [Int]
    /// Per check: consecutive once-a-second checks that found it failing.
    private var failingChecks: [Int]
    private var lastCheckNanos: UInt64?

    public init(thresholds: Thresholds, maxRequests: Int?) {
        self.thresholds = thresholds
        self.maxRequests = maxRequests
        violations = Array(repeating: 0, count: thresholds.checks.count)
        failingChecks = Array(repeating: 0, count: thresholds.checks.count)
    }

    /// Counts one finished attempt (call it for every attempt, in completion order).
    public func record(_ attempt: AttemptRecord) {
        if let cost = attempt.costUSD { costUSD = (costUSD ?? 0) + cost }
        guard attempt.errorClass != .cancelled else { return }
        countedAttempts += 1
        if attempt.status == 429 || attempt.errorClass == .http429 { http429Attempts += 1 }
        if !attempt.willRetry {
            endedRequests += 1
            if !attempt.succeeded { failedRequests += 1 }
        }
        for (index, check) in thresholds.checks.enumerated() {
            guard case .latency(let metric, _) = check.metric, Self.perRequestTimes.contains(metric),
                let millis = Self.sampleMillis(metric, of: attempt)
            else { continue }
            if !check.comparison.holds(millis, check.limit) { violations[index] += 1 }
        }
    }

    /// The final verdict on every threshold, in profile order.
    public func evaluate(recorder: RunRecorder) -> [ThresholdResult] {
        thresholds.checks.map { evaluate($0, recorder: recorder) }
    }

    /// For `abort_on_fail`: the first threshold that has clearly failed, or nil. Checks at most once
    /// a second of `elapsedNanos` (the run's clock); call it from each progress tick.
    ///
    /// A failure is clear when
    /// 1. it is certain whatever the remaining requests do: `cost_usd` already above its limit; with
    ///    ``maxRequests`` known, `error_rate` above the limit even if every remaining request
    ///    succeeds (failed > limit × maxRequests), or more per-request latency samples (TTFT, total,
    ///    from intended, lag) breaking a p-th percentile limit than (1 − p/100) × maxRequests; or
    /// 2. (every threshold but the throughputs) the value over everything so far has failed at
    ///    ``consecutiveChecks`` checks in a row with at least ``minimumSamples`` samples.
    /// Throughput minimums are judged at the end only.
    public func clearFailure(recorder: RunRecorder, elapsedNanos: UInt64) -> ThresholdResult? {
        if let last = lastCheckNanos, elapsedNanos < last + 1_000_000_000 { return nil }
        lastCheckNanos = elapsedNanos
        for (index, check) in thresholds.checks.enumerated() {
            if let certain = certainFailure(check, index: index, recorder: recorder) { return certain }
            switch check.metric {
            case .requestsPerSecond, .outputTokensPerSecond, .costUSD:
                continue
            case .latency, .errorRate, .http429Rate:
                let result = evaluate(check, recorder: recorder)
                guard samples(for: check, recorder: recorder) >= Self.minimumSamples, !result.passed else {
                    failingChecks[index] = 0
                    continue
                }
                failingChecks[index] += 1
                if failingChecks[index] >= Self.consecutiveChecks {
                    var clear = result
                    clear.detail = "failing for \(failingChecks[index]) s in a row" + (result.detail.map { ", \($0)" } ?? "")
                    return clear
                }
            }
        }
        return nil
    }

    // MARK: - Values

    private func evaluate(_ check: Threshold, recorder: RunRecorder) -> ThresholdResult {
        let seconds = Double(recorder.elapsedNanos) / 1e9
        let actual: Double?
        var detail: String?
        switch check.metric {
        case let .latency(metric, percentile):
            let histogram = recorder.histogram(metric)
            if histogram.totalCount > 0 {
                actual = Double(histogram.valueAtPercentileSpecialized(percentile)) / 1000
                detail = "\(histogram.totalCount) samples"
            } else {
                actual = nil
                let twoTokens = metric == .interToken || metric == .timePerOutputToken
                detail = "no samples (no successful attempt\(twoTokens ? " with two tokens" : ""))"
            }
        case .errorRate:
            actual = endedRequests > 0 ? Double(failedRequests) / Double(endedRequests) : nil
            detail = endedRequests > 0 ? "\(failedRequests) of \(endedRequests) requests failed" : "no request ended"
        case .http429Rate:
            actual = countedAttempts > 0 ? Double(http429Attempts) / Double(countedAttempts) : nil
            detail = countedAttempts > 0 ? "\(http429Attempts) of \(countedAttempts) attempts" : "no attempt ended"
        case .requestsPerSecond:
            actual = seconds > 0 ? Double(recorder.successes) / seconds : nil
            detail = seconds > 0 ? "\(recorder.successes) successes in \(Self.seconds(seconds))" : "no request ended"
        case .outputTokensPerSecond:
            actual = seconds > 0 ? Double(recorder.outputTokens) / seconds : nil
            detail = seconds > 0 ? "\(recorder.outputTokens) tokens in \(Self.seconds(seconds))" : "no request ended"
        case .costUSD:
            actual = costUSD
            detail = costUSD == nil ? "no attempt had a price (the model is not in the pricing catalog)" : nil
        }
        let passed = actual.map { check.comparison.holds($0, check.limit) } ?? false
        return ThresholdResult(threshold: check, actual: actual, passed: passed, detail: detail)
    }

    private func certainFailure(_ check: Threshold, index: Int, recorder: RunRecorder) -> ThresholdResult? {
        switch check.metric {
        case .costUSD:
            guard let costUSD, !check.comparison.holds(costUSD, check.limit) else { return nil }
            return ThresholdResult(threshold: check, actual: costUSD, passed: false, detail: "the cost only grows")
        case .errorRate:
            guard let maxRequests, maxRequests > 0 else { return nil }
            let lowest = Double(failedRequests) / Double(maxRequests)
            guard !check.comparison.holds(lowest, check.limit) else { return nil }
            return ThresholdResult(
                threshold: check, actual: Double(failedRequests) / Double(max(endedRequests, 1)), passed: false,
                detail: "\(failedRequests) failed of at most \(maxRequests) requests: cannot recover")
        case .latency(let metric, let percentile):
            guard Self.perRequestTimes.contains(metric), let maxRequests else { return nil }
            let allowed = (1 - percentile / 100) * Double(maxRequests)
            guard Double(violations[index]) > allowed else { return nil }
            var result = evaluate(check, recorder: recorder)
            result.passed = false
            result.detail = "\(violations[index]) samples beyond the limit, more than \(100 - percentile)% "
                + "of at most \(maxRequests) requests: cannot recover"
            return result
        case .http429Rate, .requestsPerSecond, .outputTokensPerSecond:
            return nil
        }
    }

    private func samples(for check: Threshold, recorder: RunRecorder) -> Int {
        switch check.metric {
        case .latency(let metric, _): return Int(recorder.histogram(metric).totalCount)
        case .errorRate: return endedRequests
        case .http429Rate: return countedAttempts
        case .requestsPerSecond, .outputTokensPerSecond, .costUSD: return 0
        }
    }

    /// The times with one sample per request, which the certain-failure rule can count.
    static let perRequestTimes: Set<LatencyMetric> = [.ttft, .ttftFromIntended, .total, .totalFromIntended, .scheduleLag]

    /// The attempt's value of a per-request latency metric in milliseconds, as the recorder records it.
    static func sampleMillis(_ metric: LatencyMetric, of attempt: AttemptRecord) -> Double? {
        func millis(_ from: UInt64, _ to: UInt64?) -> Double? {
            guard let to else { return nil }
            return to > from ? Double(to - from) / 1e6 : 0
        }
        if metric == .scheduleLag { return millis(attempt.intendedStartNanos, attempt.startNanos) }
        guard attempt.succeeded else { return nil }
        switch metric {
        case .ttft: return millis(attempt.startNanos, attempt.firstTokenNanos)
        case .ttftFromIntended: return millis(attempt.intendedStartNanos, attempt.firstTokenNanos)
        case .total: return millis(attempt.startNanos, attempt.endNanos)
        case .totalFromIntended: return millis(attempt.intendedStartNanos, attempt.endNanos)
        case .interToken, .timePerOutputToken, .scheduleLag, .outputTokensPerSecond, .measurementDelay: return nil
        }
    }

    private static func seconds(_ value: Double) -> String {
        String(format: "%.1f s", value)
    }
}
