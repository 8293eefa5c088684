import LoadCore

/// The timeouts, retries and connection settings `loadgen validate` prints.
enum TransportDescription {
    static func lines(for profile: Profile) -> [String] {
        let limits = profile.limits
        let format = { (nanos: UInt64?) in nanos.map { DurationFormat.format(nanos: $0) } ?? "none" }
        var lines = [
            "  timeouts: connect \(format(limits.connectTimeoutNanos)), ttft \(format(limits.ttftTimeoutNanos)), "
                + "idle \(format(limits.idleTimeoutNanos)), total \(format(limits.timeoutNanos))",
            "  connections: \(limits.maxConnections.map(String.init) ?? "unlimited"), HTTP/\(profile.target.http.rawValue)"
                + (profile.target.caFile.map { ", CA file \($0)" } ?? ""),
        ]
        if let retries = profile.retries, retries.maxAttempts > 1 {
            let classes = ErrorClass.allCases.filter { retries.retryOn.contains($0) }.map(\.rawValue)
            let wait = retries.honorRetryAfter
                ? "retry-after (at most \(DurationFormat.format(nanos: retries.maxRetryAfterNanos))), else backoff"
                : "backoff"
            lines.append("  retries: up to \(retries.maxAttempts) attempts on \(classes.joined(separator: ", ")); waits: \(wait) "
                + "from \(DurationFormat.format(nanos: retries.backoffBaseNanos)), doubling up to "
                + "\(DurationFormat.format(nanos: retries.backoffMaxNanos)), full jitter")
        } else {
            lines.append("  retries: off")
        }
        return lines
    }
}
