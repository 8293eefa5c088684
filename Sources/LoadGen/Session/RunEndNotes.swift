import Foundation
import LoadCore
import LoadEngine

/// The lines printed after the summary table: dropped arrivals, retries, a TLS hint, and the
/// client's CPU time and memory. (Why the run stopped early is the verdict's, ``RunVerdict``.)
enum RunEndNotes {
    static func lines(
        outcome: RunOutcome, summary: Summary, plan: LoadPlan, usage: (before: ResourceUsage, after: ResourceUsage),
        embeddedMock: Bool
    ) -> [String] {
        var lines: [String] = []
        if outcome.dropped > 0 {
            lines.append("dropped arrivals: \(outcome.dropped) (\(plan.maxInFlight) in flight and \(plan.maxQueued) "
                + "waiting; raise limits.max_in_flight or limits.max_queue, or lower the rate)")
        }
        if outcome.retries > 0 {
            lines.append("retries: \(outcome.retries) of the \(outcome.started) attempts were retries (each is its own "
                + "line in events.ndjson)")
        }
        if let failures = summary.errorsByClass[ErrorClass.tls.rawValue], failures > 0 {
            lines.append("TLS failed for \(failures) attempts: if the server's certificate is private, give its CA with "
                + "--ca-file FILE or target.ca_file (or --insecure for a server you trust)")
        }
        let cpuSeconds = usage.after.cpuSeconds - usage.before.cpuSeconds
        let cpuPerRequest = cpuSeconds / Double(max(outcome.completed, 1)) * 1e6
        let cpuLabel = embeddedMock ? "process CPU (client and embedded mock)" : "client CPU"
        lines.append(String(format: "%@: %.2f s (%.0f µs per request), peak RSS %d KiB",
                            cpuLabel, cpuSeconds, cpuPerRequest, usage.after.peakRSSKiB))
        return lines
    }
}
