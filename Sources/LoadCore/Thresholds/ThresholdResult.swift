/// The verdict on one threshold at the end of a run.
public struct ThresholdResult: Sendable, Equatable {
    public var threshold: Threshold
    /// The measured value in the threshold's unit, or nil when there was nothing to measure.
    public var actual: Double?
    public var passed: Bool
    /// What the value was computed from, e.g. `12 of 400 requests`, or why there is none.
    public var detail: String?

    public init(threshold: Threshold, actual: Double?, passed: Bool, detail: String? = nil) {
        self.threshold = threshold
        self.actual = actual
        self.passed = passed
        self.detail = detail
    }

    /// One line for messages: `ttft_p99 = 912.4ms, limit <= 800ms`.
    public var summary: String {
        let value = actual.map { Threshold.display($0, of: threshold.metric) } ?? "no data"
        return "\(threshold.name) = \(value), limit \(threshold.condition)"
    }
}
