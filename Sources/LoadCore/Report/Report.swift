/// Everything `loadreport` (and `loadgen`'s end-of-run summary) computes from one or more event
/// logs: a pure value, rendered by ``ReportRenderer`` as a table, markdown, CSV or JSON.
public struct Report: Sendable, Equatable, Codable {
    /// The event logs read, in order.
    public var runs: [RunInfo]
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
    /// Problems tolerated while reading (torn last line, unknown fields, ...).
    public var warnings: [String]
    /// True when the runs are open loop or started late: the from-intended rows and the schedule
    /// lag say something then; a closed-loop run without lag hides them in the table.
    public var showsIntendedStart: Bool

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
    public init(recorder: RunRecorder, runs: [RunInfo] = []) {
        self.init(runs: runs, overall: GroupReport(name: "all", recorder: recorder), groupBy: nil, groups: [],
                  timeSeries: nil, rateLimits: nil, warnings: [],
                  showsIntendedStart: Self.showsIntendedStart(recorder))
    }

    /// Schedule lag p99 above which a closed-loop run shows the intended-start rows, in ms.
    public static let lagThresholdMillis = 1.0

    static func showsIntendedStart(_ recorder: RunRecorder) -> Bool {
        let lag = recorder.histogram(.scheduleLag)
        let lagP99Millis = lag.totalCount > 0 ? Double(lag.valueAtPercentile(99)) / 1000 : 0
        return recorder.openLoopAttempts > 0 || lagP99Millis > lagThresholdMillis
    }
}
