import Foundation

/// What `loadgen validate` prints for a profile with `sweep:`: the search's phases and bounds, and
/// its worst-case duration and cost.
public enum SweepPlanText {
    /// The plan of a profile's sweep: its budget is `sweep.max_cost_usd` capped by
    /// `limits.max_cost_usd`; a request is priced at its largest `max_tokens` of output (input left out).
    public static func lines(_ settings: SweepSettings, profile: Profile, price: ModelPrice?) -> [String] {
        let limit = [settings.maxCostUSD, profile.limits.maxCostUSD].compactMap { $0 }.min()
        let perRequest = profile.largestMaxTokens.flatMap { tokens in
            price.map { $0.costUSD(inputTokens: 0, cachedInputTokens: 0, outputTokens: tokens) }
        }
        return lines(settings, costLimitUSD: limit, dollarsPerRequest: perRequest)
    }

    /// - Parameters:
    ///   - settings: the sweep.
    ///   - costLimitUSD: the sweep's budget (`sweep.max_cost_usd`, capped by `limits.max_cost_usd`).
    ///   - dollarsPerRequest: the price of one request at the largest `max_tokens` (nil: unpriced).
    public static func lines(_ settings: SweepSettings, costLimitUSD: Double?, dollarsPerRequest: Double?) -> [String] {
        let unit = settings.loadUnit
        func load(_ value: Double?) -> String? { value.map { SweepStep.format($0) + unit } }
        var lines = ["  sweep: mode \(settings.mode.rawValue)"
            + (settings.mode == .rate ? ", \(settings.arrival.name) arrivals" : ", closed-loop users")
            + ", SLO " + (settings.slo.checks.isEmpty ? "none (saturation, 429s and errors only)"
                : settings.slo.checks.map { "\($0.name) \($0.condition)" }.joined(separator: ", "))]
        lines.append("    baseline: 1 user, \(SweepPolicy.baselineRequests) requests")
        lines.append("    ceiling: from " + (load(settings.minLoad) ?? (settings.mode == .rate ? "2 × one user's rate" : "2 users"))
            + ", × \(SweepStep.format(settings.growth)) per probe, until saturation"
            + (load(settings.maxLoad).map { " or \($0)" } ?? ""))
        lines.append("    steps: \(settings.steps) evenly up to the ceiling's throughput, windows of at least "
            + DurationFormat.format(nanos: settings.stepNanos) + " and \(settings.minCompletions) completions")
        lines.append("    refine: bisection until the bracket is within \(Self.percent(settings.tolerance)); "
            + "recommendation with \(Self.percent(settings.headroom)) headroom")
        lines.append("    worst case: " + DurationFormat.format(nanos: settings.maxDurationNanos) + " (max_duration); "
            + worstCaseCost(settings, costLimitUSD: costLimitUSD, dollarsPerRequest: dollarsPerRequest))
        return lines
    }

    static func worstCaseCost(_ settings: SweepSettings, costLimitUSD: Double?, dollarsPerRequest: Double?) -> String {
        guard let dollarsPerRequest, dollarsPerRequest > 0 else {
            return "cost: not estimated (no price, or no max_tokens)" + (costLimitUSD.map { ", limit " + dollars($0) } ?? "")
        }
        var bound: Double?
        if settings.mode == .rate, let max = settings.maxLoad {
            // Every second at the highest load, every request at its largest output.
            bound = max * Double(settings.maxDurationNanos) / 1e9 * dollarsPerRequest
        }
        switch (bound, costLimitUSD) {
        case let (bound?, limit?):
            return "cost at most \(dollars(min(bound, limit))) (max_cost_usd \(dollars(limit)); all at max for max_duration "
                + "\(dollars(bound)))"
        case let (nil, limit?):
            return "cost at most \(dollars(limit)) (max_cost_usd)"
        case let (bound?, nil):
            return "cost at most \(dollars(bound)) (all at max for max_duration; set sweep.max_cost_usd to bound it lower)"
        case (nil, nil):
            return "cost unbounded: up to \(String(format: "$%.6f", dollarsPerRequest)) a request; "
                + "set sweep.max_cost_usd or sweep.max"
        }
    }

    static func dollars(_ value: Double) -> String { String(format: "$%.2f", value) }

    static func percent(_ share: Double) -> String {
        let value = share * 100
        return (value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)) + " %"
    }
}
