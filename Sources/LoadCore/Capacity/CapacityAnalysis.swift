import Foundation

/// Turns finished steps into a ``CapacityResult``: brackets, the knee, the SLO capacity, the limit
/// and the recommendation. Used by ``SweepPolicy`` while it searches and by `loadreport --capacity`
/// on a finished run; both see the same numbers for the same steps.
public enum CapacityAnalysis {
    /// The load a step stands for on the search axis: its load, except the baseline (one user) in
    /// rate mode, which stands for the rate it achieved.
    public static func axisLoad(_ result: SweepStepResult, mode: SweepSettings.Mode) -> Double {
        if mode == .rate, result.step.closedLoop { return result.statistics.okPerSecond }
        return result.step.load
    }

    /// The bracket of a criterion: the lowest failing load, and the highest passing load below it
    /// (a pass above a failure is noise and ignored).
    public static func bracket(_ results: [SweepStepResult], mode: SweepSettings.Mode,
                               passes: (StepVerdict) -> Bool) -> CapacityResult.Bracket {
        let high = results.filter { !passes($0.verdict) }.map { axisLoad($0, mode: mode) }.min()
        let low = results.filter { passes($0.verdict) }.map { axisLoad($0, mode: mode) }
            .filter { high == nil || $0 < high! }.max()
        return CapacityResult.Bracket(low: low, high: high)
    }

    /// The result over `results`.
    /// - Parameters:
    ///   - results: the steps, in the order they ran.
    ///   - settings: the sweep's settings (mode, headroom).
    ///   - stopReason: why the search stopped.
    public static func result(of results: [SweepStepResult], settings: SweepSettings,
                              stopReason: String) -> CapacityResult {
        let mode = settings.mode
        let knee = bracket(results, mode: mode) { $0.withinLimits }
        let slo = bracket(results, mode: mode) { $0.meetsSLO }
        let kneeStep = results
            .filter { $0.verdict.withinLimits && (knee.high == nil || axisLoad($0, mode: mode) < knee.high!) }
            .max { $0.statistics.okPerSecond < $1.statistics.okPerSecond }

        // The first failing step above the SLO capacity says what limits it.
        let failing = slo.high.flatMap { high in
            results.first { !$0.verdict.meetsSLO && axisLoad($0, mode: mode) == high }
        }
        let limitedBy = failing.map { limit(of: $0.verdict) }
        let rateLimit = rateLimit(results)

        var sloLoad = slo.low
        if limitedBy == .rateLimit, let limit = rateLimit?.requestsPerSecond, mode == .rate {
            // A token bucket lets a short step pass above its refill rate (its burst): the refill
            // rate measured after the first 429 is the sustained limit.
            sloLoad = min(sloLoad ?? limit, limit)
        }
        let sloStep = slo.low.flatMap { low in results.last { $0.verdict.meetsSLO && axisLoad($0, mode: mode) == low } }
        let sloRPS: Double?
        if mode == .rate {
            sloRPS = sloLoad
        } else {
            sloRPS = sloStep?.statistics.okPerSecond
        }
        var recommendation: CapacityResult.Recommendation?
        if let sloRPS, let sloStep {
            let rps = sloRPS * (1 - settings.headroom)
            let meanSeconds = (sloStep.statistics.totalMeanMillis ?? 0) / 1000
            recommendation = CapacityResult.Recommendation(
                headroom: settings.headroom, requestsPerSecond: rps,
                outputTokensPerSecond: rps * (sloStep.statistics.meanOutputTokens ?? 0),
                concurrentStreams: Int((rps * meanSeconds).rounded(.up)))
        }
        return CapacityResult(
            mode: mode, steps: results, kneeLoad: kneeStep.map { axisLoad($0, mode: mode) },
            kneeRPS: kneeStep?.statistics.okPerSecond, kneeReached: knee.high != nil, sloLoad: sloLoad,
            sloRPS: sloRPS, sloBracket: slo, limitedBy: limitedBy,
            firstFailures: failing?.verdict.findings.map { "\($0.signal.rawValue): \($0.detail)" } ?? [],
            rateLimit: rateLimit, recommendation: recommendation, stopReason: stopReason)
    }

    /// What a failing verdict says limits the target, most specific first: the client (so that a
    /// client limit is never reported as the target's), 429s, other errors, else latency.
    public static func limit(of verdict: StepVerdict) -> CapacityResult.LimitedBy {
        if verdict.fired(.client) { return .client }
        if verdict.fired(.rateLimit) { return .rateLimit }
        if verdict.fired(.errors) { return .errors }
        return .latency
    }

    /// The rate limit the 429 answers show: the median accepted rate after the first 429 over the
    /// steps whose 429 share fired, with the limit announced in the headers.
    static func rateLimit(_ results: [SweepStepResult]) -> CapacityResult.RateLimit? {
        let accepted = results.filter { $0.verdict.fired(.rateLimit) }
            .compactMap(\.statistics.acceptedAfter429PerSecond).sorted()
        guard !accepted.isEmpty else { return nil }
        let median = accepted.count % 2 == 1
            ? accepted[accepted.count / 2]
            : (accepted[accepted.count / 2 - 1] + accepted[accepted.count / 2]) / 2
        let announced = results.compactMap(\.statistics.announcedRequestsLimit).last
        return CapacityResult.RateLimit(requestsPerSecond: median, announcedRequests: announced)
    }
}
