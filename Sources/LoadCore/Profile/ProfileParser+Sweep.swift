import Foundation
import Yams

/// `sweep:` in a profile: the capacity search of `loadgen sweep` (``SweepSettings``). Every problem
/// names its key, line and column.
extension ProfileParser {
    static let sweepKeys = ["mode", "arrival", "slo", "min", "max", "step", "min_completions", "tolerance", "headroom",
                            "max_duration", "max_cost_usd", "steps", "growth"]

    mutating func parseSweep(_ node: Node) -> SweepSettings? {
        var sweep = SweepSettings()
        guard let fields = mapping(node, "sweep", known: Self.sweepKeys,
                                   hints: ["thresholds": "the sweep's objectives are sweep.slo: (same syntax as thresholds:)",
                                           "rate": "bounds are sweep.min: and sweep.max:, in requests/s (mode: rate)",
                                           "users": "bounds are sweep.min: and sweep.max:, in users (mode: users)"])
        else { return nil }
        if let n = fields["mode"] {
            if let text = scalarText(n), let mode = SweepSettings.Mode(rawValue: text) {
                sweep.mode = mode
            } else {
                report(n, "sweep.mode", "expected rate (open-loop arrivals/s) or users (closed-loop concurrency), "
                    + "got \(describe(n))")
            }
        }
        if let n = fields["arrival"] {
            switch scalarText(n) {
            case "constant": sweep.arrival = .constant
            case "poisson": sweep.arrival = .poisson
            default: report(n, "sweep.arrival", "expected constant or poisson, got \(describe(n))")
            }
            if sweep.mode == .users {
                report(n, "sweep.arrival", "arrival applies only to mode: rate (closed-loop users pace themselves)")
            }
        }
        if let n = fields["slo"] { sweep.slo = parseSweepSLO(n) }
        let unit = sweep.mode == .rate ? "requests per second" : "users"
        func bound(_ key: String) -> Double? {
            guard let n = fields[key] else { return nil }
            var text = scalarText(n)?.trimmingCharacters(in: .whitespaces) ?? ""
            if sweep.mode == .rate, text.hasSuffix("/s") { text = String(text.dropLast(2)) }
            guard let value = Double(text), value.isFinite, value > 0,
                  sweep.mode == .rate || value == value.rounded() else {
                report(n, "sweep.\(key)", "expected a positive \(sweep.mode == .rate ? "number" : "whole number") of "
                    + "\(unit), got \(describe(n))")
                return nil
            }
            return value
        }
        sweep.minLoad = bound("min")
        sweep.maxLoad = bound("max")
        if let low = sweep.minLoad, let high = sweep.maxLoad, low > high, let n = fields["max"] {
            report(n, "sweep.max", "expected max >= min (\(SweepStep.format(low))), got \(SweepStep.format(high))")
        }
        if let n = fields["step"], let nanos = duration(n, "sweep.step") {
            if nanos < 1_000_000_000 {
                report(n, "sweep.step", "expected at least 1s (a step must hold enough completions), got \(describe(n))")
            } else {
                sweep.stepNanos = nanos
            }
        }
        if let n = fields["max_duration"], let nanos = duration(n, "sweep.max_duration") { sweep.maxDurationNanos = nanos }
        if let n = fields["min_completions"], let value = integer(n, "sweep.min_completions", minimum: 1) {
            sweep.minCompletions = value
        }
        if let n = fields["steps"], let value = integer(n, "sweep.steps", minimum: 1) { sweep.steps = value }
        if let n = fields["tolerance"] {
            if let value = sweepShare(n), value > 0, value < 1 {
                sweep.tolerance = value
            } else {
                report(n, "sweep.tolerance", "expected a percentage above 0 like 5% (or a fraction like 0.05), got \(describe(n))")
            }
        }
        if let n = fields["headroom"] {
            if let value = sweepShare(n), value < 1 {
                sweep.headroom = value
            } else {
                report(n, "sweep.headroom", "expected a percentage below 100% like 20% (or a fraction like 0.2), got \(describe(n))")
            }
        }
        if let n = fields["growth"] {
            if let value = number(n), value > 1, value <= 10 {
                sweep.growth = value
            } else {
                report(n, "sweep.growth", "expected a factor above 1 and at most 10 like 2, got \(describe(n))")
            }
        }
        if let n = fields["max_cost_usd"] {
            if let value = number(n), value > 0 {
                sweep.maxCostUSD = value
            } else {
                report(n, "sweep.max_cost_usd", "expected a positive number of US dollars like 5 or 0.50, got \(describe(n))")
            }
        }
        return sweep
    }

    /// `sweep.slo:`: the objectives in the syntax of `thresholds:` (without `abort_on_fail`).
    mutating func parseSweepSLO(_ node: Node) -> Thresholds {
        var slo = Thresholds()
        if isNull(node) { return slo }
        guard case .mapping(let entries) = node else {
            report(node, "sweep.slo", "expected a mapping of objectives like {ttft_p99: 800ms, error_rate: 1%}, "
                + "got \(describe(node))")
            return slo
        }
        for (keyNode, value) in entries {
            guard let key = scalarText(keyNode) else {
                report(keyNode, "sweep.slo", "expected a text key, got \(describe(keyNode))")
                continue
            }
            guard let metric = Self.thresholdMetric(named: key), metric != .costUSD,
                  metric != .requestsPerSecond, metric != .outputTokensPerSecond else {
                report(keyNode, "sweep.slo.\(key)", "unknown SLO \"\(key)\"; a sweep's SLOs are the per-step "
                    + "thresholds: ttft_pNN, itl_pNN, tpot_pNN, total_pNN, ttft_from_intended_pNN, "
                    + "total_from_intended_pNN, schedule_lag_pNN, error_rate, http_429_rate (docs/profiles.md)")
                continue
            }
            if let threshold = parseThreshold(value, "sweep.slo.\(key)", name: key, metric: metric) {
                slo.checks.append(threshold)
            }
        }
        return slo
    }

    /// A share written as `5%` or `0.05`, or nil.
    private func sweepShare(_ node: Node) -> Double? {
        guard let text = scalarText(node) else { return nil }
        return Self.thresholdLimit(text, metric: .errorRate)
    }
}
