import Dispatch
import Foundation

/// `histograms.hlog` as HdrHistogram interval logs are meant to be: one histogram per metric per
/// interval (default 1 s), so HdrHistogram's log tools (Java `HistogramLogProcessor`, Python
/// `hdrh.log.HistogramLogReader`) plot percentiles over time, and shards' logs, started together,
/// line up interval by interval.
///
/// Each attempt is recorded once, in the interval of its end (`endNanos`, on the run's clock),
/// with a ``RunRecorder`` of its own per interval, histograms only (``RunRecorder/recordLatencies(_:)``):
/// so the intervals of a metric add up to exactly the run's histogram. Attempts reach the log roughly in order of their end; the last
/// ``openIntervals`` intervals stay open for stragglers (a stream cut off 200 ms after its end
/// marker ends at the marker), and an attempt ending in an interval already written goes into the
/// oldest one still open. A closed interval is encoded on a queue of its own, off the loop thread.
///
/// Single-threaded like ``RunRecorder``: ``record(_:)`` and ``text(startedAt:runName:)`` from one
/// thread.
public final class IntervalHistogramLog {
    /// The length of an interval.
    public let intervalNanos: UInt64
    /// Intervals kept open for attempts that reach the log late.
    public static let openIntervals = 3

    /// Open intervals, oldest first: (index, its attempts' histograms).
    private var open: [(index: UInt64, recorder: RunRecorder)] = []
    /// The highest interval written; later attempts of it or earlier go to the oldest open one.
    private var closedThrough: UInt64?
    private let encoder = DispatchQueue(label: "loadgen.hlog-encoder")
    /// Lines of the closed intervals, in order (written by ``encoder``).
    private var lines: [String] = []

    /// - Parameter intervalNanos: the length of an interval, 1 ms or more.
    public init(intervalNanos: UInt64 = 1_000_000_000) {
        precondition(intervalNanos >= 1_000_000, "an interval is 1 ms or more")
        self.intervalNanos = intervalNanos
    }

    /// Adds one attempt to the interval of its end.
    public func record(_ attempt: AttemptRecord) {
        var index = attempt.endNanos / intervalNanos
        if let closedThrough, index <= closedThrough { index = open.first?.index ?? closedThrough + 1 }
        if let slot = open.lastIndex(where: { $0.index == index }) {
            open[slot].recorder.recordLatencies(attempt)
            return
        }
        let recorder = RunRecorder()
        recorder.recordLatencies(attempt)
        let position = open.firstIndex(where: { $0.index > index }) ?? open.count
        open.insert((index, recorder), at: position)
        // Intervals more than `openIntervals` behind the newest are done.
        while let oldest = open.first, let newest = open.last, newest.index - oldest.index >= UInt64(Self.openIntervals) {
            close(open.removeFirst())
        }
    }

    private func close(_ interval: (index: UInt64, recorder: RunRecorder)) {
        closedThrough = max(closedThrough ?? 0, interval.index)
        let intervalNanos = self.intervalNanos
        encoder.async { [self] in
            lines.append(Self.lines(of: interval.recorder, startNanos: interval.index * intervalNanos, lengthNanos: intervalNanos))
        }
    }

    /// The whole log, every interval closed: the header, then one line per metric with values per
    /// interval, in order of time.
    /// - Parameters:
    ///   - startedAt: the run's wall-clock start (the log's `StartTime`; intervals start from it).
    ///   - runName: named in the first comment line.
    public func text(startedAt: Date, runName: String) -> String {
        while !open.isEmpty { close(open.removeFirst()) }
        let body = encoder.sync { lines.joined() }
        var text = "#[loadgen histograms of run \(runName): one line per metric and "
            + "\(DurationFormat.format(nanos: intervalNanos)) interval (by the attempts' ends); values in "
            + "microseconds, output_tokens_per_s in thousandths of a token per second]\n"
        text += "#[Histogram log format version 1.3]\n"
        text += "#[StartTime: " + Self.seconds(startedAt.timeIntervalSince1970) + " (seconds since epoch), "
            + RunHeader.formatDate(startedAt) + "]\n"
        text += "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n"
        return text + body
    }

    /// One line per non-empty metric of an interval.
    static func lines(of recorder: RunRecorder, startNanos: UInt64, lengthNanos: UInt64) -> String {
        var text = ""
        let start = seconds(Double(startNanos) / 1e9)
        let length = seconds(Double(lengthNanos) / 1e9)
        for metric in LatencyMetric.allCases {
            let histogram = recorder.histogram(metric)
            guard histogram.totalCount > 0 else { continue }
            let maximum = seconds(Double(histogram.max) / metric.recordedPerUnit)
            text += "Tag=\(metric.rawValue),\(start),\(length),\(maximum),\(HdrV2Encoding.base64(histogram))\n"
        }
        return text
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.3f", value)
    }
}
