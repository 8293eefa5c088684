/// Everything `loadreport` (and `loadgen`'s end-of-run summary) computes from one or more event
/// logs: a pure value, rendered by ``ReportRenderer`` as a table, markdown, CSV or JSON. Its JSON
/// document (``schemaVersion``) is both `loadreport --format json` and `summary.json`.
public struct Report: Sendable, Equatable {
    /// The version of the JSON document (`schema_version`), raised when a key changes meaning or
    /// goes away (new keys do not raise it). docs/report.md, "The JSON document".
    public static let schemaVersion = 2

    /// The event logs read, in order.
    public var runs: [RunInfo]
    /// The percentiles the views show (``Percentiles/standard`` unless asked for others).
    public var percentiles: [Double] = Percentiles.standard
    /// Every attempt of every run.
    public var overall: GroupReport
    /// What the groups split by (nil: no groups).
    public var groupBy: ReportGroupBy?
    /// One per group value, in a natural order (stages and statuses by number, runs as given,
    /// models and providers by name).
    public var groups: [GroupReport]
    /// When asked for.
    public var timeSeries: TimeSeries?
    public var rateLimits: RateLimitView?
    /// What the provider sustained and from which offered load it throttled; nil without 429s.
    public var throttling: Throttling?
    /// The compact comparison of the runs or groups, when asked for (`--compare`, `--compact`).
    public var comparison: Comparison?
    /// Problems tolerated while reading (torn last line, unknown fields, ...).
    public var warnings: [String]
    /// True when the runs are open loop or started late: the from-intended rows and the schedule
    /// lag say something then; a closed-loop run without lag hides them in the table.
    public var showsIntendedStart: Bool
    /// The client self-check (docs/client-check.md): `loadgen`'s verdict, read back from the event
    /// logs' end lines (several runs: ``ClientCheck/merged(_:)``); nil for logs without one.
    public var client: ClientCheck?
    /// What only `loadgen` knows at the end of a run (its outcome, CPU and memory): `summary.json`
    /// carries it under `loadgen`; nil in `loadreport`.
    public var loadgen: RunEndFigures?

    public init(runs: [RunInfo], overall: GroupReport, groupBy: ReportGroupBy?, groups: [GroupReport],
                timeSeries: TimeSeries?, rateLimits: RateLimitView?, warnings: [String], showsIntendedStart: Bool) {
        self.runs = runs
        self.overall = overall
        self.groupBy = groupBy
        self.groups = groups
        self.timeSeries = timeSeries
        self.rateLimits = rateLimits
        self.warnings = warnings
        self.showsIntendedStart = showsIntendedStart
    }

    /// The summary of a live recorder, with no groups or views: what `loadgen` prints at the end
    /// of a run (the same numbers and table as `loadreport` of the run's log).
    public init(recorder: RunRecorder, runs: [RunInfo] = [], percentiles: [Double] = Percentiles.standard) {
        self.init(runs: runs, overall: GroupReport(name: "all", recorder: recorder, percentiles: percentiles),
                  groupBy: nil, groups: [], timeSeries: nil, rateLimits: nil, warnings: [],
                  showsIntendedStart: Self.showsIntendedStart(recorder))
        self.percentiles = percentiles
    }

    /// Schedule lag p99 above which a closed-loop run shows the intended-start rows, in ms.
    public static let lagThresholdMillis = 1.0

    static func showsIntendedStart(_ recorder: RunRecorder) -> Bool {
        let lag = recorder.histogram(.scheduleLag)
        let lagP99Millis = lag.totalCount > 0 ? Double(lag.valueAtPercentileSpecialized(99)) / 1000 : 0
        return recorder.openLoopAttempts > 0 || lagP99Millis > lagThresholdMillis
    }
}

extension Report: Encodable {
    enum CodingKeys: String, CodingKey {
        case schemaVersion, percentiles, runs, overall, groupBy, groups, comparison, timeSeries, rateLimits, throttling
        case warnings
        case showsIntendedStart, loadgen, client
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.schemaVersion, forKey: .schemaVersion)
        try container.encode(percentiles, forKey: .percentiles)
        try container.encode(runs, forKey: .runs)
        try container.encode(overall, forKey: .overall)
        try container.encodeIfPresent(groupBy, forKey: .groupBy)
        try container.encode(groups, forKey: .groups)
        try container.encodeIfPresent(comparison, forKey: .comparison)
        try container.encodeIfPresent(timeSeries, forKey: .timeSeries)
        try container.encodeIfPresent(rateLimits, forKey: .rateLimits)
        try container.encodeIfPresent(throttling, forKey: .throttling)
        try container.encodeIfPresent(client, forKey: .client)
        try container.encode(warnings, forKey: .warnings)
        try container.encode(showsIntendedStart, forKey: .showsIntendedStart)
        try container.encodeIfPresent(loadgen, forKey: .loadgen)
    }
}
