import Foundation

extension RunRecorder {
    /// `histograms.hlog`: every non-empty histogram in HdrHistogram's interval-log format (version
    /// 1.3), one line per metric tagged with its name, each in the compressed V2 encoding
    /// (``HdrV2Encoding``) that merges exactly. HdrHistogram's log readers (Java
    /// `HistogramLogReader`, Python `hdrh.log.HistogramLogReader`) read it.
    ///
    ///     #[Histogram log format version 1.3]
    ///     #[StartTime: 1795000000.000 (seconds since epoch), 2026-11-19T00:26:40Z]
    ///     "StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"
    ///     Tag=ttft,0.000,12.340,22.015,HISTFAAAAC...
    ///
    /// Each line covers the whole run: start 0 s from the StartTime, length the run's elapsed
    /// seconds, and the histogram's maximum divided by 1,000 (milliseconds for times, tokens/s for
    /// the rate). Values are recorded as ``LatencyMetric/unit`` says: microseconds, thousandths of
    /// a token per second.
    /// - Parameters:
    ///   - startedAt: the run's wall-clock start.
    ///   - runName: named in the first comment line.
    public func histogramLog(startedAt: Date, runName: String) -> String {
        var text = "#[loadgen histograms of run \(runName): one line per metric; values in microseconds, "
            + "output_tokens_per_s in thousandths of a token per second]\n"
        text += "#[Histogram log format version 1.3]\n"
        text += "#[StartTime: " + Self.seconds(startedAt.timeIntervalSince1970) + " (seconds since epoch), "
            + RunHeader.formatDate(startedAt) + "]\n"
        text += "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n"
        let length = Self.seconds(Double(elapsedNanos) / 1e9)
        for metric in LatencyMetric.allCases {
            let histogram = histogram(metric)
            guard histogram.totalCount > 0 else { continue }
            let maximum = Self.seconds(Double(histogram.max) / metric.recordedPerUnit)
            text += "Tag=\(metric.rawValue),0.000,\(length),\(maximum),\(HdrV2Encoding.base64(histogram))\n"
        }
        return text
    }

    private static func seconds(_ value: Double) -> String {
        String(format: "%.3f", value)
    }
}
