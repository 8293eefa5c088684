/// What a report groups by and which views it computes.
public struct ReportOptions: Sendable, Equatable {
    /// Split the summary into groups (nil: one group, all attempts).
    public var groupBy: ReportGroupBy?
    /// Compute the time series with this interval (nanoseconds); nil: not computed.
    public var timeSeriesIntervalNanos: UInt64?
    /// Compute the rate-limit view, rows of this interval (nanoseconds, a whole number of seconds);
    /// nil: not computed.
    public var rateLimitIntervalNanos: UInt64?
    /// The percentiles the views show (`--percentiles`), 0-100, rising.
    public var percentiles: [Double]

    public init(groupBy: ReportGroupBy? = nil, timeSeriesIntervalNanos: UInt64? = nil,
                rateLimitIntervalNanos: UInt64? = nil, percentiles: [Double] = Percentiles.standard) {
        self.groupBy = groupBy
        self.percentiles = percentiles
        self.timeSeriesIntervalNanos = timeSeriesIntervalNanos
        self.rateLimitIntervalNanos = rateLimitIntervalNanos
    }
}

/// How `--group-by` splits the attempts.
public enum ReportGroupBy: String, Sendable, CaseIterable, Codable {
    /// The run header's model.
    case model
    /// The run header's provider.
    case provider
    /// The profile stage the attempt's intended start falls in (`stage` field, else the header's stages).
    case stage
    /// The HTTP status (0: no response).
    case status
    /// The prompt set the attempt's prompt came from (`prompt` field and the header's `prompt_sets`).
    case promptSet = "prompt_set"
    /// The run (event log) the attempt comes from: what `--compare` shows side by side.
    case run
}
