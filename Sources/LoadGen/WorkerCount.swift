import Foundation
import LoadCore

/// `--workers N|auto`: how many engines (threads, each with its own libuv loop) run the process's
/// part of the schedule (``WorkerGroup``).
///
/// `auto` (the default) gives one worker per ``loadPerWorker`` of the profile's peak level (the
/// highest stage level: arrivals per second in open loop, users in closed loop), divided by the
/// number of shards, rounded up and capped at the machine's cores: a *small* load (a peak of 500
/// or less per process) keeps one worker and runs exactly as before workers existed.
/// `--warmup-connections` keeps one worker under `auto` (and refuses more: warm-up would delay
/// the workers' shared origin). Workers never outnumber `limits.max_in_flight` nor
/// `limits.max_connections` (each worker gets its share of them, at least one).
enum WorkerCount {
    /// The peak level (arrivals/s or users) one worker is given under `auto`. One loop follows
    /// 50,000-80,000 token events/s (docs/PERFORMANCE.md): about 1,000 streams at 50-80 tokens/s.
    static let loadPerWorker = 500.0
    /// The most workers `--workers` accepts.
    static let maxWorkers = 256

    /// - Parameters:
    ///   - text: the flag's value, `auto` or a number from 1 to ``maxWorkers``.
    ///   - profile: the profile whose peak level `auto` reads.
    ///   - shards: the number of shards (`--shard i/N`: N; else 1).
    ///   - warmupConnections: `--warmup-connections`.
    ///   - cores: the machine's active cores.
    /// - Throws: ``CLIError`` (exit 2) for anything else, and for N > 1 with a warm-up.
    static func resolve(_ text: String, profile: Profile, shards: Int, warmupConnections: Int,
                        cores: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> Int {
        if text == "auto" {
            return automatic(profile: profile, shards: shards, warmupConnections: warmupConnections, cores: cores)
        }
        guard let workers = Int(text), workers >= 1, workers <= maxWorkers else {
            throw CLIError("--workers \(text): give a number of workers from 1 to \(maxWorkers), or auto",
                           exitCode: ExitStatus.invalidInput)
        }
        let cap = limit(profile)
        if workers > cap {
            throw CLIError("--workers \(workers): limits.max_in_flight and limits.max_connections allow \(cap) "
                + "(each worker needs at least one of each); give --workers \(cap) or less", exitCode: ExitStatus.invalidInput)
        }
        if workers > 1 && warmupConnections > 0 {
            throw CLIError("--workers \(workers) with --warmup-connections: warm-up runs with one worker only; "
                + "drop one of the two flags", exitCode: ExitStatus.invalidInput)
        }
        return workers
    }

    /// `auto`: ⌈peak ÷ shards ÷ ``loadPerWorker``⌉, from 1 to `cores`; 1 with a warm-up.
    static func automatic(profile: Profile, shards: Int, warmupConnections: Int, cores: Int) -> Int {
        guard warmupConnections == 0 else { return 1 }
        let peak = profile.load.stages.map { max($0.level.start, $0.level.end) }.max() ?? 0
        let perProcess = peak / Double(max(1, shards))
        guard perProcess.isFinite, perProcess > loadPerWorker else { return 1 }
        let wanted = Int(min(Double(maxWorkers), (perProcess / loadPerWorker).rounded(.up)))
        return max(1, min(wanted, cores, limit(profile)))
    }

    /// The most workers the profile's limits allow: each needs an in-flight slot and a connection.
    private static func limit(_ profile: Profile) -> Int {
        min(profile.limits.maxInFlight, profile.limits.maxConnections ?? Int.max)
    }
}
