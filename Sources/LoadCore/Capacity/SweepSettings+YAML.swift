extension SweepSettings {
    /// `sweep:` as resolved YAML lines, every default filled in (parsing them again gives equal settings).
    func yamlLines() -> [String] {
        var lines = ["sweep:", "  mode: \(mode.rawValue)"]
        if mode == .rate { lines.append("  arrival: \(arrival.name)") }
        if slo.checks.isEmpty {
            lines.append("  slo: {}")
        } else {
            lines.append("  slo:")
            for check in slo.checks { lines.append("    \(check.name): \"\(check.condition)\"") }
        }
        if let minLoad { lines.append("  min: \(minLoad)") }
        if let maxLoad { lines.append("  max: \(maxLoad)") }
        lines.append("  step: \(DurationFormat.format(nanos: stepNanos))")
        lines.append("  min_completions: \(minCompletions)")
        lines.append("  tolerance: \(tolerance)")
        lines.append("  headroom: \(headroom)")
        lines.append("  max_duration: \(DurationFormat.format(nanos: maxDurationNanos))")
        if let maxCostUSD { lines.append("  max_cost_usd: \(maxCostUSD)") }
        lines.append("  steps: \(steps)")
        lines.append("  growth: \(growth)")
        return lines
    }
}
