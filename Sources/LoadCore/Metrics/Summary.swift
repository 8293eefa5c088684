import Foundation

/// The numbers of `summary.json`, computed from a ``RunRecorder``: rows in milliseconds (tokens/s
/// for `output_tokens_per_s`). The tables come from ``Report`` and ``ReportRenderer``.
public struct Summary: Sendable, Equatable, Codable {
    /// One distribution, in milliseconds (tokens/s for the rate).
    public struct Row: Sendable, Equatable, Codable {
        public var metric: LatencyMetric
        public var count: UInt64
        public var meanMillis: Double
        public var p50Millis: Double
        public var p90Millis: Double
        public var p95Millis: Double
        public var p99Millis: Double
        public var p999Millis: Double
        public var maxMillis: Double
    }

    /// Latency rows, in display order.
    public var rows: [Row]
    public var attempts: Int
    public var successes: Int
    /// Failed attempts per error class raw value, e.g. `"http_429": 12`.
    public var errorsByClass: [String: Int]
    /// First start to last end, seconds.
    public var elapsedSeconds: Double
    /// Attempts per second over the elapsed time.
    public var requestsPerSecond: Double
    /// Successful attempts per second.
    public var successesPerSecond: Double
    /// Output tokens of successful attempts per second.
    public var outputTokensPerSecond: Double
    public var outputTokens: Int
    /// Cost of all attempts in US dollars, from usage and the models catalog; nil when no attempt
    /// had a price.
    public var costUSD: Double?

    /// Computes the summary.
    /// - Parameter recorder: the aggregated run(s).
    public init(recorder: RunRecorder) {
        var metrics: [LatencyMetric] = [.ttft, .interToken, .timePerOutputToken, .total, .outputTokensPerSecond]
        if Report.showsIntendedStart(recorder) {
            metrics += [.ttftFromIntended, .totalFromIntended, .scheduleLag]
        }
        rows = metrics.map { metric in
            let h = recorder.histogram(metric)
            let empty = h.totalCount == 0
            let pass = h.valuesAtPercentilesAndMean([50, 90, 95, 99, 99.9])  // one pass
            func ms(_ index: Int) -> Double {
                empty ? 0 : Double(pass.values[index]) / metric.recordedPerUnit
            }
            return Row(metric: metric, count: h.totalCount, meanMillis: empty ? 0 : pass.mean / 1000,
                       p50Millis: ms(0), p90Millis: ms(1), p95Millis: ms(2), p99Millis: ms(3), p999Millis: ms(4),
                       maxMillis: empty ? 0 : Double(h.maxRecorded) / 1000)
        }
        attempts = recorder.attempts
        successes = recorder.successes
        errorsByClass = Dictionary(uniqueKeysWithValues: recorder.errorsByClass.map { ($0.key.rawValue, $0.value) })
        outputTokens = recorder.outputTokens
        elapsedSeconds = Double(recorder.elapsedNanos) / 1e9
        let seconds = elapsedSeconds
        requestsPerSecond = seconds > 0 ? Double(attempts) / seconds : 0
        successesPerSecond = seconds > 0 ? Double(successes) / seconds : 0
        outputTokensPerSecond = seconds > 0 ? Double(outputTokens) / seconds : 0
        costUSD = recorder.pricedAttempts > 0 ? recorder.costUSD : nil
    }

    /// The row of one metric, if shown.
    public func row(_ metric: LatencyMetric) -> Row? { rows.first { $0.metric == metric } }
}
