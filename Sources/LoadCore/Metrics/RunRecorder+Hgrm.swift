import Histogram

extension RunRecorder {
    /// The HdrHistogram percentile distribution (.hgrm text) of one metric, values in
    /// milliseconds, for plotting with HdrHistogram's plotter.
    /// - Parameters:
    ///   - metric: which histogram.
    ///   - ticksPerHalfDistance: reporting points per halving of the remaining percentile distance.
    /// - Returns: the .hgrm text.
    public func hgrm(_ metric: LatencyMetric, ticksPerHalfDistance: Int = 5) -> String {
        // The library's format, written by code specialized here (HistogramDistributionText.swift).
        histogram(metric).percentileDistributionText(outputValueUnitScalingRatio: 1000, ticksPerHalfDistance: ticksPerHalfDistance)
    }

    /// The .hgrm text of every metric that recorded something, keyed by a file name such as
    /// `ttft.hgrm`.
    public func hgrmFiles() -> [String: String] {
        var files: [String: String] = [:]
        for metric in LatencyMetric.allCases where histogram(metric).totalCount > 0 {
            files["\(metric.rawValue).hgrm"] = hgrm(metric)
        }
        return files
    }
}
