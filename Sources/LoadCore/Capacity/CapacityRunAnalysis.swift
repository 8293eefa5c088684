import Foundation

/// The capacity analysis of a finished run, from its event log: each step's statistics are
/// recomputed from the attempts, with the sweep's SLOs or others, and judged again. Nothing is sent.
///
/// The steps come from the run's `sweep.json` (a `loadgen sweep` run). Any other run with stages
/// works too: each stage of constant load (`rate 20/s`, `users 16`) is a step whose first 10 % is
/// its warm-up; ramps are skipped.
public enum CapacityRunAnalysis {
    /// The share of a plain stage taken as its warm-up.
    public static let plainStageWarmup = 0.1

    /// Analyzes one run.
    /// - Parameters:
    ///   - eventsPath: the run's `events.ndjson`.
    ///   - record: the run's `sweep.json`, or nil for a plain staged run.
    ///   - slo: SLOs replacing the sweep's (nil: the sweep's, none for a plain run).
    ///   - headroom: the recommendation's headroom replacing the sweep's (nil: the sweep's, 20 %).
    /// - Returns: the result and the reader's warnings (a torn last line, a run that did not finish).
    /// - Throws: ``EventLogError``, or ``SweepRecordError`` when no step can be found.
    public static func analyze(eventsPath: String, record: SweepRecord?, slo: Thresholds?, headroom: Double? = nil)
        throws -> (result: CapacityResult, warnings: [String])
    {
        let reader = try EventLogReader(path: eventsPath)
        let header = reader.header
        var settings = record?.settings ?? SweepSettings()
        if record == nil { settings.mode = header.mode == "closed" ? .users : .rate }
        if let slo { settings.slo = slo }
        if let headroom { settings.headroom = headroom }
        var skipped: [String] = []
        let plan = record.map(\.steps) ?? plainSteps(header.stages, skipped: &skipped)
        guard !plan.isEmpty else {
            throw SweepRecordError(path: eventsPath, reason: "no step to analyze: neither a sweep.json beside it nor a "
                + "stage of constant load in its header")
        }
        let timeline = StageTimeline(stages: header.stages)
        var measurements = plan.map { recorded in
            StepMeasurement(load: recorded.step.load, windowStartNanos: recorded.windowStartNanos,
                            windowEndNanos: recorded.windowEndNanos, slo: settings.slo)
        }
        let positionOfStage = Dictionary(plan.enumerated().map { ($1.step.index, $0) }, uniquingKeysWith: { a, _ in a })
        while let entry = try reader.next() {
            switch entry {
            case .attempt(let attempt):
                guard let stage = attempt.stage ?? timeline.stageIndex(atNanos: attempt.intendedStartNanos),
                      let position = positionOfStage[stage] else { continue }
                measurements[position].add(attempt)
            case .dropped(let intended):
                guard let stage = timeline.stageIndex(atNanos: intended), let position = positionOfStage[stage] else { continue }
                measurements[position].addDropped(intendedNanos: intended)
            case .droppedArrivals(let drops):
                for intended in drops.spreadIntendedNanos() {
                    guard let stage = timeline.stageIndex(atNanos: intended), let position = positionOfStage[stage] else { continue }
                    measurements[position].addDropped(intendedNanos: intended)
                }
            case .end, .other:
                continue
            }
        }
        var results: [SweepStepResult] = []
        for (recorded, measurement) in zip(plan, measurements) {
            let statistics = measurement.statistics()
            let baseline = results.first { $0.step.phase == .baseline }?.statistics
            let verdict = StepVerdict(statistics, settings: settings,
                                      baseline: recorded.step.phase == .baseline ? nil : baseline,
                                      closedLoop: recorded.step.closedLoop)
            results.append(SweepStepResult(step: recorded.step, statistics: statistics, verdict: verdict))
        }
        let stopReason = record.map { $0.stopReason ?? "the sweep did not finish" } ?? "a plain run: its stages"
        return (CapacityAnalysis.result(of: results, settings: settings, stopReason: stopReason),
                reader.warnings + skipped)
    }

    /// Steps from a plain run's stages: constant ones, with their first 10 % as warm-up.
    static func plainSteps(_ stages: [RunHeader.Stage], skipped: inout [String]) -> [SweepRecord.Step] {
        var steps: [SweepRecord.Step] = []
        for (index, stage) in stages.enumerated() {
            let words = stage.label.split(separator: " ")
            guard let duration = stage.durationNanos, duration > 0, words.count == 2,
                  words[0] == "rate" || words[0] == "users",
                  let load = Double(words[1].hasSuffix("/s") ? String(words[1].dropLast(2)) : String(words[1]))
            else {
                skipped.append("stage \(index) (\(stage.label)) is not a constant load with a duration; left out")
                continue
            }
            let warmup = UInt64(Double(duration) * plainStageWarmup)
            let step = SweepStep(index: index, phase: .steps, load: load, closedLoop: words[0] == "users",
                                 warmupNanos: warmup, windowNanos: duration - warmup)
            steps.append(SweepRecord.Step(step: step, startNanos: stage.startNanos,
                                          windowStartNanos: stage.startNanos + warmup,
                                          windowEndNanos: stage.startNanos + duration))
        }
        return steps
    }
}
