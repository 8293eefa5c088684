import Foundation

extension SweepResult {
    /// A sweep's capacity analysis (``CapacityRunAnalysis``) as the page draws it: each step's
    /// measured window, the knee and SLO capacity in requests/s, the bracket (rate sweeps: its
    /// loads are requests/s) and the TTFT p99 SLO.
    init(capacity: CapacityResult, settings: SweepSettings) {
        let steps = capacity.steps.map { result -> Step in
            let statistics = result.statistics
            var verdict = "client " + statistics.clientVerdict.rawValue
            if let reason = statistics.clientReason { verdict += " (\(reason))" }
            verdict += result.verdict.meetsSLO ? ", meets the SLO" : result.verdict.sustained ? ", sustained" : ", saturated"
            return Step(
                offeredPerSecond: statistics.offeredPerSecond, achievedPerSecond: statistics.achievedPerSecond,
                okPerSecond: statistics.okPerSecond, outputTokensPerSecond: statistics.outputTokensPerSecond,
                ttftP50Millis: statistics.ttftP50Millis, ttftP99Millis: statistics.ttftP99Millis,
                interTokenP99Millis: statistics.itlP99Millis, totalP99Millis: statistics.totalP99Millis,
                http429Share: statistics.share429, errorShare: statistics.errorShare, goodput: statistics.goodput,
                verdict: verdict)
        }
        var bracket: ClosedRange<Double>?
        if settings.mode == .rate, let low = capacity.sloBracket.low, let high = capacity.sloBracket.high, low <= high {
            bracket = low...high
        }
        let ttftSLO = settings.slo.checks.first { $0.metric == .latency(.ttft, percentile: 99) }?.limit
        self.init(steps: steps, kneePerSecond: capacity.kneeRPS, sloPerSecond: capacity.sloRPS, sloBracket: bracket,
                  limitedBy: capacity.limitedBy?.rawValue, ttftP99SLOMillis: ttftSLO)
    }

    /// The sweep of the run whose events file is `eventsPath`: nil unless a `sweep.json` lies beside
    /// it (a `loadgen sweep` run). Reads the log once more (the steps' windows).
    /// - Throws: what reading the log or the sweep record throws.
    static func read(eventsPath: String) throws -> SweepResult? {
        let recordPath = ((eventsPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("sweep.json")
        guard let data = FileManager.default.contents(atPath: recordPath) else { return nil }
        let record = try SweepRecord.parse(data, path: recordPath)
        let (capacity, _) = try CapacityRunAnalysis.analyze(eventsPath: eventsPath, record: record, slo: nil)
        return SweepResult(capacity: capacity, settings: record.settings)
    }
}
