import Histogram

/// A distribution as HdrHistogram plots it: value against percentile, the percentile axis on the
/// log10(1/(1-p)) scale from 0 to 99.999 %. Points are taken at even steps of that scale (not one
/// per recorded value), so the curve's size never depends on the number of requests.
struct PercentileCurve {
    /// (position on the percentile scale, value in the metric's unit).
    var points: [(position: Double, value: Double)]
    /// p50, p90, p99, p99.9, p99.99 and the maximum that the data resolve: (position, value, name).
    var keyPoints: [(position: Double, value: Double, name: String)]
    var count: UInt64

    /// Steps along the percentile scale (0 to 5): 40 per decade.
    static let stepsPerDecade = 40

    /// The curve of `histogram`, which recorded `metric` (values divided by its
    /// ``LatencyMetric/recordedPerUnit``). The curve stops at the percentile the data resolve,
    /// 1 - 1/count (60 values: about 98.3 %), where it reaches the maximum.
    init(histogram: Histogram<UInt64>, metric: LatencyMetric) {
        count = histogram.totalCount
        points = []
        keyPoints = []
        guard count > 0 else { return }
        let scale = metric.recordedPerUnit
        let resolved = min(ChartTicks.percentilePosition(100 * (1 - 1 / Double(count))), ChartTicks.percentileEnd)
        let steps = Int((resolved * Double(Self.stepsPerDecade)).rounded(.down))
        let positions = (0...steps).map { Double($0) / Double(Self.stepsPerDecade) }
        let keys = [(50.0, "p50"), (90, "p90"), (99, "p99"), (99.9, "p99.9"), (99.99, "p99.99")]
            .filter { ChartTicks.percentilePosition($0.0) <= resolved + 1e-9 }
        // Every percentile in one pass over the histogram.
        let values = histogram.valuesAtPercentiles(positions.map(ChartTicks.percentile(atPosition:)) + keys.map(\.0))
        for (index, position) in positions.enumerated() {
            points.append((position, Double(values[index]) / scale))
        }
        let maximum = Double(histogram.maxRecorded) / scale
        if resolved > points.last!.position { points.append((resolved, maximum)) }
        for (index, (percentile, name)) in keys.enumerated() {
            keyPoints.append((ChartTicks.percentilePosition(percentile), Double(values[positions.count + index]) / scale, name))
        }
        keyPoints.append((resolved, maximum, "max"))
    }
}
