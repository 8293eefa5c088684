import Foundation
import LoadCore
import LoadEngine

/// `summary.json`: the run's figures for machines (scripts, benchmarks, CI checks).
enum SummaryJSON {
    static func render(
        summary: Summary, outcome: RunOutcome, recorder: RunRecorder, profileName: String,
        cpuSeconds: Double, startRSSKiB: Int, peakRSSKiB: Int, capacity: [String: Any]? = nil
    ) throws -> String {
        var latency: [String: Any] = [:]
        for row in summary.rows {
            latency[row.metric.rawValue] = [
                "count": row.count, "mean": row.meanMillis, "p50": row.p50Millis, "p90": row.p90Millis, "p95": row.p95Millis,
                "p99": row.p99Millis, "p999": row.p999Millis, "max": row.maxMillis,
            ]
        }
        var json: [String: Any] = [
            "profile": profileName,
            "attempts": summary.attempts,
            "successes": summary.successes,
            "errors_total": summary.attempts - summary.successes,
            "errors": summary.errorsByClass,
            "duration_s": summary.elapsedSeconds,
            "requests_per_s": summary.requestsPerSecond,
            "successes_per_s": summary.successesPerSecond,
            "output_tokens": summary.outputTokens,
            "output_tokens_per_s": summary.outputTokensPerSecond,
            "latency_ms": latency,
            "started": outcome.started,
            "cancelled": outcome.cancelled,
            "never_started": outcome.neverStarted,
            "dropped": outcome.dropped,
            "retries": outcome.retries,
            "peak_in_flight": outcome.peakInFlight,
            "interrupted": outcome.interruptedBySignal != nil,
            "client_cpu_s": cpuSeconds,
            "start_rss_kb": startRSSKiB,
            "peak_rss_kb": peakRSSKiB,
        ]
        if let cost = summary.costUSD { json["cost_usd"] = cost }
        if let reason = outcome.stopReason { json["stop_reason"] = reason }
        // `loadgen sweep`: the capacity result (CapacityText.object, docs/capacity.md).
        if let capacity { json["capacity"] = capacity }
        let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
