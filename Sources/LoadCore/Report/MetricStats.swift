import Histogram

/// One distribution summarized: count, mean, percentiles and max in the metric's reported unit
/// (milliseconds for times, tokens/s for the rate), from an HDR histogram (3 significant digits).
///
/// ``p50`` to ``p999`` are always computed; the views show ``percentiles`` (``values``), the
/// standard five unless the report was asked for others (`--percentiles`).
public struct MetricStats: Sendable, Equatable {
    /// The percentiles every table shows by default, 0-100.
    public static let percentiles: [Double] = Percentiles.standard

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
    /// The percentiles the views show, 0-100, rising.
    public var percentiles: [Double]
    /// The value at each of ``percentiles``, same order.
    public var percentileValues: [Double]

    /// Summarizes `histogram`, which recorded `metric` (see ``LatencyMetric/recordedPerUnit``). An
    /// empty histogram gives zeros with count 0.
    /// - Parameter percentiles: what the views show (``Percentiles/standard`` by default).
    public init(metric: LatencyMetric, histogram: Histogram<UInt64>, percentiles: [Double] = Percentiles.standard) {
        self.metric = metric
        unit = metric.unit
        count = histogram.totalCount
        let scale = metric.recordedPerUnit
        let empty = count == 0
        // One pass over the histogram for all of them.
        let pass = histogram.valuesAtPercentilesAndMean([50, 90, 95, 99, 99.9] + percentiles)
        func value(_ index: Int) -> Double { empty ? 0 : Double(pass.values[index]) / scale }
        mean = empty ? 0 : pass.mean / scale
        p50 = value(0)
        p90 = value(1)
        p95 = value(2)
        p99 = value(3)
        p999 = value(4)
        max = empty ? 0 : Double(histogram.maxRecorded) / scale
        self.percentiles = percentiles
        percentileValues = percentiles.indices.map { value(5 + $0) }
    }

    /// The value at one of ``percentiles`` (or of the five always computed); nil otherwise.
    public func value(at percentile: Double) -> Double? {
        if let index = percentiles.firstIndex(of: percentile) { return percentileValues[index] }
        switch percentile {
        case 50: return p50
        case 90: return p90
        case 95: return p95
        case 99: return p99
        case 99.9: return p999
        default: return nil
        }
    }

    /// mean, the chosen percentiles, max: the value columns of a table, in order.
    public var values: [Double] { [mean] + percentileValues + [max] }

    /// The value column labels matching ``values``: `mean`, `p50`, ..., `p99.9`, `max`.
    public var valueColumns: [String] { Self.valueColumns(percentiles) }

    /// The value column labels for these percentiles.
    public static func valueColumns(_ percentiles: [Double]) -> [String] {
        ["mean"] + percentiles.map(Percentiles.label) + ["max"]
    }

    /// The value column names of the standard percentiles.
    public static let valueColumns = valueColumns(Percentiles.standard)
}

extension MetricStats: Encodable {
    /// `{"unit": "ms", "count": 288, "mean": 247.1, "p50": 245.1, ..., "max": 398}`: the chosen
    /// percentiles under their keys (``Percentiles/key(_:)``); the name is the key above it.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: NamedKey.self)
        try container.encode(unit, forKey: NamedKey("unit"))
        try container.encode(count, forKey: NamedKey("count"))
        try container.encode(mean, forKey: NamedKey("mean"))
        for (percentile, value) in zip(percentiles, percentileValues) {
            try container.encode(value, forKey: NamedKey(Percentiles.key(percentile)))
        }
        try container.encode(max, forKey: NamedKey("max"))
    }
}

/// A coding key made from a string: keys known only at run time (percentiles, metric names).
struct NamedKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
