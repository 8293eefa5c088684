import Foundation
import LoadCore

/// `--shard i/N`, `--shard auto` or `--shard auto/N`: which slice of the schedule this process runs.
///
/// `auto` reads the slice from the environment of a Kubernetes Indexed Job: the index from
/// `JOB_COMPLETION_INDEX` (set by Kubernetes in every pod of an Indexed Job) and the count from
/// `LOADGEN_SHARDS` (set in the Job's pod template to its `completions`), or from `auto/N`.
enum ShardArgument {
    /// The variable Kubernetes sets to the pod's index in an Indexed Job.
    static let indexVariable = "JOB_COMPLETION_INDEX"
    /// The variable that gives the number of shards to `--shard auto`.
    static let countVariable = "LOADGEN_SHARDS"

    /// - Parameters:
    ///   - text: the flag's value.
    ///   - environment: where `auto` reads the index (and the count).
    /// - Returns: the slice.
    /// - Throws: ``CLIError`` (exit 2) saying what is wrong and what to give instead.
    static func resolve(_ text: String, environment: [String: String]) throws -> ScheduleSlice {
        let usage = "give --shard as i/N (0 <= i < N <= \(ScheduleSlice.maxCount)), auto (index from "
            + "\(indexVariable), count from \(countVariable)) or auto/N"
        guard text == "auto" || text.hasPrefix("auto/") else {
            guard let slice = ScheduleSlice.parse(text) else {
                throw CLIError("--shard \(text): \(usage)", exitCode: ExitStatus.invalidInput)
            }
            return slice
        }
        let countText: String
        if text == "auto" {
            guard let value = environment[countVariable], !value.isEmpty else {
                throw CLIError("--shard auto: \(countVariable) is not set; set it to the number of shards (the Job's "
                    + "completions), or give --shard auto/N", exitCode: ExitStatus.invalidInput)
            }
            countText = value
        } else {
            countText = String(text.dropFirst("auto/".count))
        }
        guard let count = Int(countText), count >= 1, count <= ScheduleSlice.maxCount else {
            throw CLIError("--shard \(text): the number of shards \"\(countText)\" is not a whole number from 1 to "
                + "\(ScheduleSlice.maxCount)", exitCode: ExitStatus.invalidInput)
        }
        guard let indexText = environment[indexVariable], !indexText.isEmpty else {
            throw CLIError("--shard \(text): \(indexVariable) is not set (Kubernetes sets it in the pods of an Indexed "
                + "Job); set it, or give --shard i/N", exitCode: ExitStatus.invalidInput)
        }
        guard let index = Int(indexText), index >= 0, index < count else {
            throw CLIError("--shard \(text): \(indexVariable)=\(indexText) is not a shard index from 0 to \(count - 1)",
                           exitCode: ExitStatus.invalidInput)
        }
        return ScheduleSlice(index: index, count: count)
    }
}

/// `--start-at TIME`: the wall-clock time, shared by every shard, at which the run's origin falls.
enum StartTime {
    /// A start this far in the past is still taken (the run starts at once, the lag recorded).
    static let pastToleranceSeconds = 1.0
    /// A start further ahead than this is refused as a mistake.
    static let maxAheadSeconds = 24.0 * 3600

    /// Parses RFC 3339 with a zone (`2026-12-02T10:00:00Z`, `2026-12-02T10:00:00.250Z`,
    /// `2026-12-02T11:00:00+01:00`).
    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// Checks a start against the clock.
    /// - Throws: ``CLIError`` (exit 2) for a time that cannot be read, that is more than
    ///   ``pastToleranceSeconds`` in the past, or more than ``maxAheadSeconds`` ahead.
    static func check(_ text: String, now: Date) throws -> Date {
        guard let date = parse(text) else {
            throw CLIError("--start-at \(text): expected an RFC 3339 time with a zone, like 2026-12-02T10:00:00Z",
                           exitCode: ExitStatus.invalidInput)
        }
        let ahead = date.timeIntervalSince(now)
        let nowText = ShardStamp.format(now)
        if ahead < -pastToleranceSeconds {
            throw CLIError("--start-at \(text) is \(String(format: "%.1f", -ahead)) s in the past (now \(nowText)); the other "
                + "shards may have started without this one: give a time in the future (e.g. date -u -d '+30 seconds' "
                + "+%Y-%m-%dT%H:%M:%SZ) and start every shard again", exitCode: ExitStatus.invalidInput)
        }
        if ahead > maxAheadSeconds {
            throw CLIError("--start-at \(text) is \(String(format: "%.1f", ahead / 3600)) h ahead (now \(nowText)); give a "
                + "time within 24 h", exitCode: ExitStatus.invalidInput)
        }
        return date
    }

    /// Sleeps until `date` (the last 2 ms by polling the clock, so that shards on synchronised
    /// clocks start within a fraction of a millisecond of one another).
    /// - Returns: how late the wait ended, in nanoseconds (0 when `date` had not come).
    static func wait(until date: Date) -> UInt64 {
        while true {
            let left = date.timeIntervalSinceNow
            if left <= 0 { return UInt64((-left * 1e9).rounded()) }
            if left > 0.002 {
                Thread.sleep(forTimeInterval: min(left - 0.002, 1))
            }
        }
    }
}
