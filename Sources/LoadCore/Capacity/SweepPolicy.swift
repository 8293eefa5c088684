import Foundation

/// The capacity search of `loadgen sweep` as a plain state machine: each finished step's
/// statistics in, the next step (or the result) out. It touches no clock and no I/O; the caller
/// runs the steps and says how much time and money the sweep has used.
///
/// Phases (docs/capacity.md):
/// 1. baseline: one closed-loop user for ``baselineRequests`` requests (at most a step's window);
/// 2. ceiling: the load starts at `min` (default: twice one user's rate, or 2 users) and grows by
///    `growth` per probe until a probe is not within limits (a saturation signal, 429s, errors,
///    the client) or reaches `max`; probes use short windows;
/// 3. steps: `steps` evenly spaced loads up to the ceiling's throughput C (the successes per second
///    of the saturated probe: a saturated target serves at its capacity), with full windows;
/// 4. refine: bisection of the SLO bracket, then of the knee bracket, until each is narrower than
///    `tolerance`; the first refine load is C × (1 + 2 × tolerance) when it lies inside a bracket.
///
/// Stop rules: both brackets converged (or open: nothing failed up to `max`); the next step would
/// end after `max_duration` or cost more than `max_cost_usd` allows; ``maxSteps`` steps.
///
/// Windows: a step's measured window is max(`step`, 4 × the last p99 total time, the time for
/// `min_completions` completions), capped at 3 × `step`; a probe's is max(`step` / 4, 4 × p99,
/// time for 20 completions), capped at `step`. The warm-up is max(1 s, 2 × p99), capped at `step`.
public struct SweepPolicy {
    /// What to do next.
    public enum Action: Sendable, Equatable {
        case run(SweepStep)
        case done(CapacityResult)
    }

    public let settings: SweepSettings
    /// The finished steps, in order.
    public private(set) var results: [SweepStepResult] = []
    /// Requests of the baseline.
    public static let baselineRequests = 10
    /// Completions a probe's window should hold.
    public static let probeCompletions = 20
    /// Steps at most, whatever the budget.
    public static let maxSteps = 40

    private var current: SweepStep?
    private var pendingLoads: [Double] = []
    private var ceilingThroughput: Double?
    private var triedGuess = false

    public init(settings: SweepSettings) {
        self.settings = settings
    }

    /// The first step: the baseline.
    public mutating func start() -> Action {
        let step = SweepStep(
            index: 0, phase: .baseline, load: 1, closedLoop: true, warmupNanos: 0, windowNanos: settings.stepNanos,
            maxRequests: Self.baselineRequests)
        current = step
        return .run(step)
    }

    /// Takes a finished step's statistics and decides the next step.
    /// - Parameters:
    ///   - statistics: what the step just run measured.
    ///   - elapsedNanos: time the sweep has taken so far, this step included.
    ///   - spentUSD: what the sweep has cost so far (0 when unpriced).
    public mutating func finished(_ statistics: StepStatistics, elapsedNanos: UInt64, spentUSD: Double = 0) -> Action {
        guard let step = current else { preconditionFailure("SweepPolicy.finished called with no step running") }
        let baseline = results.first?.statistics
        let verdict = StepVerdict(statistics, settings: settings, baseline: step.phase == .baseline ? nil : baseline,
                                  closedLoop: step.closedLoop)
        results.append(SweepStepResult(step: step, statistics: statistics, verdict: verdict))
        current = nil

        guard let next = nextLoad(after: step, verdict: verdict) else {
            return finish(reason: stopReasonWhenSearchEnds)
        }
        guard results.count < Self.maxSteps else { return finish(reason: "max steps (\(Self.maxSteps))") }
        let planned = plan(phase: next.phase, load: next.load)
        if elapsedNanos + planned.durationNanos + drainNanos(of: planned) > settings.maxDurationNanos {
            return finish(reason: "max_duration")
        }
        if let maxCost = settings.maxCostUSD, spentUSD + estimatedCost(of: planned, spentUSD: spentUSD) > maxCost {
            return finish(reason: "max_cost_usd")
        }
        current = planned
        return .run(planned)
    }

    /// The result so far (also when the caller stops the sweep itself, e.g. on an interrupt).
    public func result(stopReason: String) -> CapacityResult {
        CapacityAnalysis.result(of: results, settings: settings, stopReason: stopReason)
    }

    // MARK: - Search

    private var stopReasonWhenSearchEnds = "converged"

    /// The next phase and load, or nil when the search is over.
    private mutating func nextLoad(after step: SweepStep, verdict: StepVerdict) -> (phase: SweepStep.Phase, load: Double)? {
        let isRate = settings.mode == .rate
        switch step.phase {
        case .baseline:
            guard let baseline = results.first?.statistics, baseline.completions > 0 else {
                stopReasonWhenSearchEnds = "the baseline (one user) had no successful response"
                return nil
            }
            let start = settings.minLoad ?? (isRate ? Self.rounded(2 * baseline.okPerSecond) : 2)
            return (.ceiling, cap(start))
        case .ceiling:
            if verdict.withinLimits {
                if let max = settings.maxLoad, step.load >= max {
                    ceilingThroughput = max
                    return startSteps()
                }
                return (.ceiling, cap(isRate ? Self.rounded(step.load * settings.growth)
                                             : (step.load * settings.growth).rounded()))
            }
            let measured = results.last!.statistics
            if isRate {
                ceilingThroughput = measured.okPerSecond > 0 ? measured.okPerSecond : step.load
            } else if let baseline = results.first?.statistics, baseline.okPerSecond > 0 {
                ceilingThroughput = max(1, (measured.okPerSecond / baseline.okPerSecond).rounded())
            } else {
                ceilingThroughput = step.load
            }
            return startSteps()
        case .steps:
            if !pendingLoads.isEmpty { return (.steps, pendingLoads.removeFirst()) }
            return refineLoad()
        case .refine:
            return refineLoad()
        }
    }

    private mutating func startSteps() -> (phase: SweepStep.Phase, load: Double)? {
        guard let ceiling = ceilingThroughput else { return refineLoad() }
        let count = max(1, settings.steps)
        var loads: [Double] = []
        for i in 1...count {
            var load = ceiling * Double(i) / Double(count)
            load = settings.mode == .rate ? Self.rounded(load) : load.rounded()
            if let min = settings.minLoad { load = Swift.max(load, min) }
            if load > 0, !loads.contains(load) { loads.append(cap(load)) }
        }
        pendingLoads = loads
        guard !pendingLoads.isEmpty else { return refineLoad() }
        return (.steps, pendingLoads.removeFirst())
    }

    /// Bisection: the SLO bracket first, then the knee bracket; nil when both are narrow enough or open.
    private mutating func refineLoad() -> (phase: SweepStep.Phase, load: Double)? {
        let mode = settings.mode
        let slo = CapacityAnalysis.bracket(results, mode: mode) { $0.meetsSLO }
        let knee = CapacityAnalysis.bracket(results, mode: mode) { $0.withinLimits }
        for bracket in [slo, knee] {
            guard let low = bracket.low, let high = bracket.high, !isNarrow(low: low, high: high) else { continue }
            var load = (low + high) / 2
            if !triedGuess, let ceiling = ceilingThroughput {
                let guess = ceiling * (1 + 2 * settings.tolerance)
                if guess > low, guess < high {
                    triedGuess = true
                    load = guess
                }
            }
            load = mode == .rate ? Self.rounded(load) : load.rounded()
            if load <= low || load >= high { continue }
            return (.refine, load)
        }
        if slo.high == nil, knee.high == nil, let max = settings.maxLoad,
           results.contains(where: { $0.step.load >= max }) {
            stopReasonWhenSearchEnds = "max load reached without saturation"
        }
        return nil
    }

    private func isNarrow(low: Double, high: Double) -> Bool {
        if settings.mode == .users, high - low <= 1 { return true }
        return low > 0 && (high - low) / low <= settings.tolerance
    }

    // MARK: - Planning

    private func plan(phase: SweepStep.Phase, load: Double) -> SweepStep {
        let step = Double(settings.stepNanos) / 1e9
        let p99 = lastTotalP99Seconds
        let meanSeconds = (results.last?.statistics.totalMeanMillis ?? 0) / 1000
        // Seconds for n completions at this load: n / rate, or n × mean time / users.
        func secondsFor(_ completions: Int) -> Double {
            if settings.mode == .rate { return Double(completions) / load }
            return Double(completions) * max(meanSeconds, 0.001) / load
        }
        let window: Double
        if phase == .ceiling {
            window = min(max(step / 4, 4 * p99, secondsFor(Self.probeCompletions)), step)
        } else {
            window = min(max(step, 4 * p99, secondsFor(settings.minCompletions)), SweepSettings.maxWindowFactor * step)
        }
        let warmup = min(max(1, 2 * p99), step)
        return SweepStep(
            index: results.count, phase: phase, load: load, closedLoop: settings.mode == .users,
            warmupNanos: UInt64((warmup * 1e9).rounded()), windowNanos: UInt64((window * 1e9).rounded()))
    }

    /// The p99 total time of the latest step within limits, in seconds (0 before any): a saturated
    /// step's p99 is its queue's wait, not the time a request needs.
    private var lastTotalP99Seconds: Double {
        let sustained = results.last { $0.verdict.withinLimits && $0.statistics.totalP99Millis != nil }
        return (sustained?.statistics.totalP99Millis ?? 0) / 1000
    }

    /// The worst-case time for a step's requests to end after its window: one p99 total time, and
    /// for a probe the queue that (growth − 1) × its window of overload leaves behind.
    private func drainNanos(of step: SweepStep) -> UInt64 {
        let p99 = UInt64(lastTotalP99Seconds * 1e9)
        guard step.phase == .ceiling else { return p99 }
        return p99 + UInt64(Double(step.windowNanos) * (settings.growth - 1))
    }

    /// Cost of a planned step at the average cost per request so far.
    private func estimatedCost(of step: SweepStep, spentUSD: Double) -> Double {
        let requestsSoFar = results.reduce(0) { $0 + $1.statistics.requests }
        guard spentUSD > 0, requestsSoFar > 0 else { return 0 }
        let seconds = Double(step.durationNanos) / 1e9
        let meanSeconds = max((results.last?.statistics.totalMeanMillis ?? 1000) / 1000, 0.001)
        let requests = settings.mode == .rate ? step.load * seconds : step.load * seconds / meanSeconds
        return spentUSD / Double(requestsSoFar) * requests
    }

    private func cap(_ load: Double) -> Double {
        guard let max = settings.maxLoad else { return load }
        return Swift.min(load, max)
    }

    private func finish(reason: String) -> Action {
        .done(result(stopReason: reason))
    }

    /// A rate rounded to 3 significant digits, so that tables and labels read well.
    static func rounded(_ rate: Double) -> Double {
        guard rate > 0 else { return rate }
        let magnitude = pow(10, floor(log10(rate)) - 2)
        // Through text, so that 31.9 is 31.9 and not 31.900000000000002 in sweep.json and summary.json.
        return Double(String(format: "%.3g", (rate / magnitude).rounded() * magnitude)) ?? rate
    }
}
