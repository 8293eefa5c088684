import Foundation

/// Computes a step's ``StepStatistics`` from its attempts: what `loadgen sweep` feeds its policy
/// after each step, and what `loadreport --capacity` recomputes from the event log with other SLOs.
///
/// All times are nanoseconds on the run's clock. The window is [`windowStartNanos`, `windowEndNanos`).
public struct StepMeasurement {
    /// Start lag p90 above which the client is called saturated: ``ClientCheck``'s rule (a tenth of
    /// the requests started this late were held by the client: its CPU, or `max_in_flight`).
    public static let clientStartLagMillis = ClientCheck.startLagP90LimitMillis

    public var load: Double
    public var windowStartNanos: UInt64
    public var windowEndNanos: UInt64
    public var slo: Thresholds
    /// The engine loop's busy fraction over the step, when known (`loadgen sweep`; not in the event
    /// log, so `loadreport --capacity` judges the client without it).
    public var loopBusyFraction: Double?

    private var attempts: [AttemptRecord] = []
    private var droppedIntendedNanos: [UInt64] = []

    public init(load: Double, windowStartNanos: UInt64, windowEndNanos: UInt64, slo: Thresholds) {
        precondition(windowEndNanos > windowStartNanos, "a step's window must not be empty")
        self.load = load
        self.windowStartNanos = windowStartNanos
        self.windowEndNanos = windowEndNanos
        self.slo = slo
    }

    /// Adds one attempt of the step (warm-up included: outstanding counts and cost need them).
    public mutating func add(_ attempt: AttemptRecord) {
        attempts.append(attempt)
    }

    /// Adds a dropped arrival (never sent) by its intended start.
    public mutating func addDropped(intendedNanos: UInt64) {
        droppedIntendedNanos.append(intendedNanos)
    }

    private func inWindow(_ nanos: UInt64) -> Bool { nanos >= windowStartNanos && nanos < windowEndNanos }

    /// The statistics of the step.
    public func statistics() -> StepStatistics {
        let seconds = Double(windowEndNanos - windowStartNanos) / 1e9
        let counted = attempts.filter { $0.errorClass != .cancelled }
        let intended = counted.filter { inWindow($0.intendedStartNanos) }
        let ending = counted.filter { inWindow($0.endNanos) }
        let endingOK = ending.filter(\.succeeded)
        let offered = intended.filter { $0.attemptNumber == 1 }.count + droppedIntendedNanos.filter(inWindow).count

        var stats = StepStatistics(
            load: load, windowSeconds: seconds, offeredPerSecond: Double(offered) / seconds,
            achievedPerSecond: Double(ending.count) / seconds, okPerSecond: Double(endingOK.count) / seconds,
            completions: endingOK.count, requests: intended.filter { !$0.willRetry }.count)
        stats.outputTokensPerSecond = Double(endingOK.reduce(0) { $0 + $1.outputTokens }) / seconds

        let recorder = RunRecorder()
        let tracker = ThresholdTracker(thresholds: slo, maxRequests: nil)
        for attempt in intended {
            recorder.record(attempt)
            tracker.record(attempt)
        }
        func percentile(_ metric: LatencyMetric, _ p: Double) -> Double? {
            let histogram = recorder.histogram(metric)
            return histogram.totalCount > 0 ? Double(histogram.valueAtPercentileSpecialized(p)) / 1000 : nil
        }
        stats.ttftP50Millis = percentile(.ttft, 50)
        stats.ttftP99Millis = percentile(.ttft, 99)
        stats.itlP99Millis = percentile(.interToken, 99)
        stats.totalP50Millis = percentile(.total, 50)
        stats.totalP99Millis = percentile(.total, 99)
        stats.startLagP99Millis = percentile(.scheduleLag, 99)
        let total = recorder.histogram(.total)
        stats.totalMeanMillis = total.totalCount > 0 ? total.meanOfRecordedValues / 1000 : nil
        stats.meanOutputTokens = recorder.successes > 0 ? Double(recorder.outputTokens) / Double(recorder.successes) : nil
        stats.slo = slo.checks.isEmpty ? [] : tracker.evaluate(recorder: recorder)

        stats.outstandingAtStart = outstanding(atNanos: windowStartNanos)
        stats.outstandingAtEnd = outstanding(atNanos: windowEndNanos)
        let quarter = (windowEndNanos - windowStartNanos) / 4
        stats.ttftFirstQuarterMillis = medianTTFTFromIntended(intended, from: windowStartNanos, to: windowStartNanos + quarter)
        stats.ttftLastQuarterMillis = medianTTFTFromIntended(intended, from: windowEndNanos - quarter, to: windowEndNanos)

        let is429 = { (a: AttemptRecord) in a.status == 429 || a.errorClass == .http429 }
        if !intended.isEmpty {
            stats.share429 = Double(intended.filter(is429).count) / Double(intended.count)
            stats.errorShare = Double(intended.filter { !$0.succeeded && !is429($0) }.count) / Double(intended.count)
        }
        if let first429 = intended.filter(is429).map(\.intendedStartNanos).min(),
           windowEndNanos - first429 >= quarter, quarter > 0 {
            let accepted = intended.filter { $0.intendedStartNanos >= first429 && !is429($0) }.count
            stats.acceptedAfter429PerSecond = Double(accepted) / (Double(windowEndNanos - first429) / 1e9)
        }
        stats.announcedRequestsLimit = attempts.last { $0.rateLimit?.requests?.limit != nil }?.rateLimit?.requests?.limit
        stats.goodput = goodput(intended.filter { !$0.willRetry })
        var figures = ClientFigures(recorder: recorder)
        figures.loopBusyFraction = loopBusyFraction
        let client = ClientCheck(judging: figures)
        if client.verdict == .saturated {
            stats.clientVerdict = .saturated
            stats.clientReason = client.reasons.joined(separator: ", ")
        }
        let costs = attempts.compactMap(\.costUSD)
        stats.costUSD = costs.isEmpty ? nil : costs.reduce(0, +)
        return stats
    }

    /// Requests intended at or before `nanos` and not ended by then (every attempt of the step).
    private func outstanding(atNanos nanos: UInt64) -> Int {
        attempts.reduce(0) { $0 + ($1.intendedStartNanos <= nanos && $1.endNanos > nanos ? 1 : 0) }
    }

    private func medianTTFTFromIntended(_ attempts: [AttemptRecord], from: UInt64, to: UInt64) -> Double? {
        let values = attempts.compactMap { a -> Double? in
            guard a.succeeded, a.intendedStartNanos >= from, a.intendedStartNanos < to, let first = a.firstTokenNanos
            else { return nil }
            return first > a.intendedStartNanos ? Double(first - a.intendedStartNanos) / 1e6 : 0
        }.sorted()
        guard !values.isEmpty else { return nil }
        return values[values.count / 2]
    }

    /// The share of requests that succeeded and met every per-request latency SLO (nil: no request).
    private func goodput(_ requests: [AttemptRecord]) -> Double? {
        guard !requests.isEmpty else { return nil }
        let good = requests.filter { request in
            request.succeeded && slo.checks.allSatisfy { check in
                guard case .latency(let metric, let percentile) = check.metric,
                      let value = Self.perRequestMillis(metric, percentile: percentile, of: request) else { return true }
                return check.comparison.holds(value, check.limit)
            }
        }
        return Double(good.count) / Double(requests.count)
    }

    /// One request's own value of a latency metric, milliseconds: its TTFT, total time, lag or time
    /// per output token, or the given percentile of its own inter-token gaps (nil: not defined).
    static func perRequestMillis(_ metric: LatencyMetric, percentile: Double, of attempt: AttemptRecord) -> Double? {
        switch metric {
        case .interToken:
            let offsets = attempt.tokenOffsetsMicros
            guard offsets.count > 1 else { return nil }
            let gaps = (1..<offsets.count).map { offsets[$0] >= offsets[$0 - 1] ? Double(offsets[$0] - offsets[$0 - 1]) : 0 }
                .sorted()
            let rank = min(gaps.count - 1, max(0, Int((percentile / 100 * Double(gaps.count)).rounded(.up)) - 1))
            return gaps[rank] / 1000
        case .timePerOutputToken:
            guard let first = attempt.firstTokenNanos, attempt.outputTokens >= 2, attempt.endNanos > first else { return nil }
            return Double(attempt.endNanos - first) / Double(attempt.outputTokens - 1) / 1e6
        case .outputTokensPerSecond:
            return nil
        default:
            return ThresholdTracker.sampleMillis(metric, of: attempt)
        }
    }
}
