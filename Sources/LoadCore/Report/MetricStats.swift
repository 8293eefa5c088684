import Histogram

/// One distribution summarized: count, mean and percentiles in the metric's reported unit
/// (milliseconds for times, tokens/s for the rate), from an HDR histogram (3 significant digits).
public struct MetricStats: Sendable, Equatable, Codable {
    /// The percentiles every table shows, 0-100.
    public static let percentiles: [Double] = [50, 90, 95, 99, 99.9]

    public var metric: LatencyMetric
    /// `ms` or `tokens/s`.
    public var unit: String
    public var count: UInt64
    public var mean: Double
    public var p50: Double
    public var p90: Double
    public var p95: Double
    public var p99: Double
    public var p999: Double
    public var max: Double

    /// Summarizes `histogram`, which recorded `metric` (see ``LatencyMetric/recordedPerUnit``). An
    /// empty histogram gives zeros with count 0.
    public init(metric: LatencyMetric, histogram: Histogram<UInt64>) {
        self.metric = metric
        unit = metric.unit
        count = histogram.totalCount
        let scale = metric.recordedPerUnit
        let empty = count == 0
        func value(_ percentile: Double) -> Double {
            empty ? 0 : Double(histogram.valueAtPercentile(percentile)) / scale
        }
        mean = empty ? 0 : histogram.mean / scale
        p50 = value(50)
        p90 = value(90)
        p95 = value(95)
        p99 = value(99)
        p999 = value(99.9)
        max = empty ? 0 : Double(histogram.maxRecorded) / scale
    }

    /// mean, p50, p90, p95, p99, p99.9, max: the value columns of a table, in order.
    public var values: [Double] { [mean, p50, p90, p95, p99, p999, max] }

    /// The value column names matching ``values``.
    public static let valueColumns = ["mean", "p50", "p90", "p95", "p99", "p99.9", "max"]
}
