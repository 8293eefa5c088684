import Foundation

@testable import LoadCore

/// A synthetic target for the sweep policy's tests: what a step against it would measure, as a pure
/// function of the step. Models a server with `streams` generation slots and a fixed service time
/// (a knee at streams / service), optionally behind a token-bucket rate limit, with errors or a
/// saturated client beyond given loads.
struct FakeCapacityTarget {
    var streams = 64.0
    var ttftSeconds = 0.2
    var serviceSeconds = 0.52
    var outputTokens = 32.0
    /// Requests per second a token bucket lets through (nil: none), and the bucket's burst.
    var rateLimit: Double?
    var burst = 30.0
    /// Above this load, this share of attempts fail with a 5xx.
    var errorsAbove: (load: Double, share: Double)?
    /// Above this load, the client's start lag explodes.
    var clientSaturatesAbove: Double?
    /// Dollars per request (nil: unpriced).
    var costPerRequest: Double?

    /// Requests per second the slots serve at most.
    var capacity: Double { streams / serviceSeconds }

    func measure(_ step: SweepStep, slo: Thresholds) -> StepStatistics {
        let window = Double(step.windowNanos) / 1e9
        let warmup = Double(step.warmupNanos) / 1e9
        if step.closedLoop { return closedLoop(step, window: window, slo: slo) }
        let offered = step.load
        var accepted = offered
        var share429 = 0.0
        var acceptedAfter429: Double?
        if let limit = rateLimit, offered > limit {
            // The bucket starts full: the burst passes, then the refill rate.
            let excess = (offered - limit) * (warmup + window) - burst
            if excess > 0 {
                share429 = min(1, excess / (offered * window))
                accepted = offered * (1 - share429)
                acceptedAfter429 = limit
            }
        }
        let served = min(accepted, capacity)
        let queueGrowth = max(0, accepted - capacity) * window
        let waitAtStart = max(0, accepted - capacity) * warmup / capacity
        let waitAtEnd = waitAtStart + queueGrowth / capacity
        let utilisation = min(1, accepted / capacity)
        // Below the knee, a little queueing as utilisation nears 1; beyond it, the queue's wait.
        let p99Wait = accepted <= capacity ? 0.05 * pow(utilisation, 8) : waitAtEnd
        var stats = StepStatistics(
            load: step.load, windowSeconds: window, offeredPerSecond: offered,
            achievedPerSecond: served + offered * share429, okPerSecond: served,
            completions: Int(served * window), requests: Int(offered * window))
        stats.outputTokensPerSecond = served * outputTokens
        stats.ttftP50Millis = (ttftSeconds + (waitAtStart + waitAtEnd) / 2) * 1000
        stats.ttftP99Millis = (ttftSeconds + p99Wait) * 1000
        stats.totalP50Millis = (serviceSeconds + (waitAtStart + waitAtEnd) / 2) * 1000
        stats.totalP99Millis = (serviceSeconds + p99Wait) * 1000
        stats.totalMeanMillis = stats.totalP50Millis
        stats.itlP99Millis = 10
        stats.meanOutputTokens = outputTokens
        stats.outstandingAtStart = Int(served * serviceSeconds + waitAtStart * capacity)
        stats.outstandingAtEnd = Int(served * serviceSeconds + waitAtEnd * capacity)
        stats.ttftFirstQuarterMillis = (ttftSeconds + waitAtStart + (waitAtEnd - waitAtStart) / 8) * 1000
        stats.ttftLastQuarterMillis = (ttftSeconds + waitAtEnd - (waitAtEnd - waitAtStart) / 8) * 1000
        stats.share429 = share429
        stats.acceptedAfter429PerSecond = acceptedAfter429
        stats.announcedRequestsLimit = rateLimit.map { $0 * 60 }
        if let errors = errorsAbove, step.load > errors.load { stats.errorShare = errors.share }
        if let client = clientSaturatesAbove, step.load > client {
            stats.clientVerdict = .saturated
            stats.clientReason = "start lag p99 250ms"
            stats.startLagP99Millis = 250
        }
        stats.costUSD = costPerRequest.map { $0 * offered * (warmup + window) }
        stats.slo = evaluate(slo, stats)
        stats.goodput = stats.slo.allSatisfy(\.passed) ? 1 - share429 - stats.errorShare : 0.5
        return stats
    }

    private func closedLoop(_ step: SweepStep, window: Double, slo: Thresholds) -> StepStatistics {
        let users = step.load
        let served = min(users / serviceSeconds, capacity)
        let total = users / served
        let requests = step.maxRequests.map(Double.init) ?? served * window
        let measured = min(window, requests / served)
        var stats = StepStatistics(
            load: users, windowSeconds: measured, offeredPerSecond: served, achievedPerSecond: served, okPerSecond: served,
            completions: Int(requests), requests: Int(requests))
        stats.outputTokensPerSecond = served * outputTokens
        stats.ttftP50Millis = (ttftSeconds + total - serviceSeconds) * 1000
        stats.ttftP99Millis = stats.ttftP50Millis
        stats.totalP50Millis = total * 1000
        stats.totalP99Millis = total * 1000
        stats.totalMeanMillis = total * 1000
        stats.itlP99Millis = 10
        stats.meanOutputTokens = outputTokens
        stats.outstandingAtStart = Int(users)
        stats.outstandingAtEnd = Int(users)
        stats.costUSD = costPerRequest.map { $0 * requests }
        stats.slo = evaluate(slo, stats)
        return stats
    }

    private func evaluate(_ slo: Thresholds, _ stats: StepStatistics) -> [ThresholdResult] {
        slo.checks.map { check in
            let actual: Double?
            switch check.metric {
            case .latency(.ttft, _): actual = stats.ttftP99Millis
            case .latency(.total, _): actual = stats.totalP99Millis
            case .latency(.interToken, _): actual = stats.itlP99Millis
            case .errorRate: actual = stats.share429 + stats.errorShare
            case .http429Rate: actual = stats.share429
            default: actual = nil
            }
            return ThresholdResult(threshold: check, actual: actual,
                                   passed: actual.map { check.comparison.holds($0, check.limit) } ?? false)
        }
    }
}

/// Runs a policy against a fake target to its end, on a fake clock: each step takes its warm-up,
/// its window and a drain of one p99 total time.
struct SweepDriver {
    var target: FakeCapacityTarget
    var settings: SweepSettings

    struct Outcome {
        var result: CapacityResult
        var elapsedNanos: UInt64
        var spentUSD: Double
    }

    func run() -> Outcome {
        var policy = SweepPolicy(settings: settings)
        var action = policy.start()
        var elapsed: UInt64 = 0
        var spent = 0.0
        while case .run(let step) = action {
            let stats = target.measure(step, slo: settings.slo)
            elapsed += UInt64(stats.windowSeconds * 1e9) + step.warmupNanos
                + UInt64((stats.totalP99Millis ?? 0) * 1e6)
            spent += stats.costUSD ?? 0
            action = policy.finished(stats, elapsedNanos: elapsed, spentUSD: spent)
        }
        guard case .done(let result) = action else { fatalError("unreachable") }
        return Outcome(result: result, elapsedNanos: elapsed, spentUSD: spent)
    }
}
