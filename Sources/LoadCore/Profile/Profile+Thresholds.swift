extension Profile {
    /// `thresholds:` as resolved YAML lines (none when the profile has no thresholds): every
    /// objective with its comparison spelled out, e.g. `ttft_p99: "<= 800ms"`.
    func thresholdLines() -> [String] {
        guard !thresholds.isEmpty || thresholds.abortOnFail else { return [] }
        var lines = ["thresholds:"]
        for check in thresholds.checks {
            lines.append("  \(check.name): \"\(check.condition)\"")
        }
        lines.append("  abort_on_fail: \(thresholds.abortOnFail)")
        return lines
    }
}

extension Profile {
    /// The most requests a run of this profile can make, when known in advance: the exact count of
    /// constant and trace arrivals (capped by `limits.max_requests`), else `limits.max_requests`.
    /// Thresholds use it to call some failures certain before the run ends.
    public var requestBound: Int? {
        guard load.mode == .open else { return limits.maxRequests }
        switch load.arrival {
        case .constant:
            return plannedRequests()
        case .trace(_, let offsets):
            return min(offsets.count, limits.maxRequests ?? .max)
        case .poisson, .gamma:
            return limits.maxRequests
        }
    }
}
