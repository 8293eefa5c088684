import Foundation

/// One line set of the HTML report: a run, or several runs or shards merged into one. Holds only
/// what the page draws (percentile curves, per-second series, the rate-limit rows, the tables'
/// numbers), so its size depends on the run's duration, never on its number of requests.
public struct HTMLReportRun {
    /// The label of its lines: the run's name, or `a + b` for merged runs.
    public var name: String
    /// The event logs it was read from, with their headers' metadata.
    public var sources: [Source]
    /// The summary numbers (the text report's).
    public var summary: GroupReport
    /// The client self-check from the log's end line (nil for logs without one).
    public var client: ClientCheck?
    /// Percentile curves of the metrics drawn (ttft, ttft_from_intended, inter_token, total, total_from_intended).
    var curves: [LatencyMetric: PercentileCurve]
    /// One row per second.
    public var timeSeries: TimeSeries?
    /// One row per second.
    public var rateLimits: RateLimitView?
    /// The stages of its (first) header: start and label.
    public var stages: [RunHeader.Stage]
    /// Thresholds.json of each run directory that had one.
    public var thresholds: [ThresholdFile]
    public var showsIntendedStart: Bool

    /// An event log read: what its header and run directory say.
    public struct Source {
        public var info: RunInfo
        public var command: [String]
        public var curlVersion: String?
        public var uvVersion: String?
    }

    /// A run directory's `thresholds.json`: every verdict as the run printed it.
    public struct ThresholdFile {
        public struct Entry {
            public var name: String
            public var condition: String
            public var actual: Double?
            public var passed: Bool
            public var detail: String?
        }

        public var run: String
        public var passed: Bool
        public var abortedBy: String?
        public var entries: [Entry]

        /// Reads `thresholds.json`; nil when the file is absent or not the expected JSON.
        static func read(path: String, run: String) -> ThresholdFile? {
            guard let data = FileManager.default.contents(atPath: path),
                  let object = try? JSONParser.parse([UInt8](data)),
                  let list = object["thresholds"]?.arrayValue
            else { return nil }
            let entries = list.filter(\.isObject).map { entry in
                Entry(name: entry["name"]?.stringValue ?? "?", condition: entry["condition"]?.stringValue ?? "",
                      actual: entry["actual"]?.doubleValue, passed: entry["passed"]?.boolValue ?? false,
                      detail: entry["detail"]?.stringValue)
            }
            return ThresholdFile(run: run, passed: object["passed"]?.boolValue ?? false,
                                 abortedBy: object["aborted_by"]?.stringValue, entries: entries)
        }
    }

    /// The metrics whose percentile curves the page draws.
    static let curveMetrics: [LatencyMetric] = [.ttft, .ttftFromIntended, .interToken, .total, .totalFromIntended]

    /// The run `accumulator` read (computed with one-second time series and rate-limit rows), and
    /// its `report`.
    init(name: String, accumulator: ReportAccumulator, report: Report, sources: [Source], thresholds: [ThresholdFile],
         stages: [RunHeader.Stage]) {
        self.name = name
        self.sources = sources
        summary = report.overall
        client = report.client
        curves = Dictionary(uniqueKeysWithValues: Self.curveMetrics.map {
            ($0, PercentileCurve(histogram: accumulator.overall.histogram($0), metric: $0))
        })
        timeSeries = report.timeSeries
        rateLimits = report.rateLimits
        self.stages = stages
        self.thresholds = thresholds
        showsIntendedStart = report.showsIntendedStart
    }
}
