import Foundation

/// What makes a run directory one shard of a distributed run (`loadgen --shard i/N --start-at T`):
/// its slice of the schedule and the start it shares with the other shards. Written in the event
/// log's header (`"shard":{...}`) and in run.json; `loadreport` checks it before merging shards.
public struct ShardStamp: Sendable, Equatable {
    /// The shard, from 0.
    public var index: Int
    /// The number of shards of the run.
    public var count: Int
    /// The common start (`--start-at`), when the shards were given one; nil when each started on
    /// its own.
    public var startAt: Date?
    /// How late this shard's origin was after ``startAt``, in nanoseconds (0 without a start time).
    public var startLagNanos: UInt64

    public init(index: Int, count: Int, startAt: Date? = nil, startLagNanos: UInt64 = 0) {
        self.index = index
        self.count = count
        self.startAt = startAt
        self.startLagNanos = startLagNanos
    }

    /// `i/N`.
    public var slice: String { "\(index)/\(count)" }

    /// RFC 3339 UTC with milliseconds, the spelling of `start_at`.
    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}

/// A hash that names a resolved profile, so that shards of different profiles are not merged:
/// FNV-1a (64 bits) of `profile.resolved.yaml`'s text, as `fnv1a64:` and 16 hex digits. Not a
/// cryptographic hash: it tells profiles apart, it does not authenticate them. Trace and prompt
/// files enter only by their paths (the resolved YAML names them).
public enum ProfileHash {
    public static func of(resolvedYAML text: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension EventLogEntry {
    /// The entry on the common clock of a shard's run: a shard's origin is when its wait for the
    /// common start ended, ``ShardStamp/startLagNanos`` after it, so its attempts' times move later
    /// by that lag (drop lines keep theirs: a lag is below the resolution of their reports).
    /// - Parameter header: the header of the log the entry comes from.
    public func onCommonClock(of header: RunHeader) -> EventLogEntry {
        guard let lag = header.shard?.startLagNanos, lag > 0, case .attempt(let attempt) = self else { return self }
        return .attempt(attempt.shifted(byNanos: lag))
    }
}
