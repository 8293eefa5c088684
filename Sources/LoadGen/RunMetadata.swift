import Foundation
import LoadCore
import LoadEngine

/// `run.json`: what ran, where, with what, and how it ended. Written when the run starts (so a
/// killed run has it) and again at the end with the outcome. No secrets: no key, no base URL.
enum RunMetadata {
    /// The file's schema version.
    static let schema = 1

    /// - Parameter workers: the engines (`--workers`) the run used; nil where it does not apply (a sweep).
    static func render(header: RunHeader, profilePath: String, outcome: RunOutcome?, endedAt: Date?,
                       files: [String], workers: Int? = nil) throws -> String {
        var json: [String: Any] = [
            "schema": schema,
            "profile": header.profile,
            "profile_file": profilePath,
            "started_at": format(header.startedAt),
            "loadgen_version": header.loadgenVersion,
            "curl_version": header.curlVersion ?? "",
            "uv_version": header.uvVersion ?? "",
            "seed": header.seed,
            "command": header.command,
            "mode": header.mode ?? "",
            "provider": header.provider ?? "",
            "model": header.model ?? "",
            "host": header.host ?? "",
            "os": ProcessInfo.processInfo.operatingSystemVersionString,
            "cpus": ProcessInfo.processInfo.activeProcessorCount,
            "event_log_schema": header.schema,
            "files": files,
        ]
        if let hash = header.profileHash { json["profile_hash"] = hash }
        if let workers { json["workers"] = workers }
        if let shard = header.shard {
            var stamp: [String: Any] = ["index": shard.index, "count": shard.count]
            if let startAt = shard.startAt {
                stamp["start_at"] = ShardStamp.format(startAt)
                stamp["start_lag_s"] = Double(shard.startLagNanos) / 1e9
            }
            json["shard"] = stamp
        }
        if let endedAt {
            json["ended_at"] = format(endedAt)
            json["wall_s"] = endedAt.timeIntervalSince(header.startedAt)
        }
        if let outcome {
            var ending: [String: Any] = [
                "started": outcome.started, "completed": outcome.completed, "cancelled": outcome.cancelled,
                "never_started": outcome.neverStarted, "dropped": outcome.dropped,
                "peak_in_flight": outcome.peakInFlight, "elapsed_s": Double(outcome.elapsedNanos) / 1e9,
            ]
            if let reason = outcome.stopReason { ending["stop_reason"] = reason }
            if let signal = outcome.interruptedBySignal { ending["interrupted_by_signal"] = Int(signal) }
            json["outcome"] = ending
        }
        let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// ISO 8601 UTC with milliseconds.
    private static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
