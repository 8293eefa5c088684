import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends the run's events to an NDJSON file (`events.ndjson`): the run header first, one line
/// per attempt, and an end line. Lines are encoded by hand into an in-memory buffer; a buffer is
/// handed to a writer thread (``EventLogWriteThread``) when it exceeds ``flushThresholdBytes`` or
/// holds lines older than ``flushIntervalNanos``, on ``handOffBuffered()`` (which the run calls on
/// every progress tick, so lines wait at most about ``flushIntervalNanos`` even when no more
/// come), and on ``flush()`` and ``close()``. The header is handed over at once. The caller's
/// thread never waits for the disk unless the disk falls several buffers behind. Call it from
/// one thread, like the recorder.
///
/// A killed run leaves whole lines plus at most one torn line, which ``EventLogReader`` skips. A
/// failed write (a full disk) stops the writing for good: ``writeFailure`` says why and
/// ``linesWritten`` how many whole lines the file holds.
public final class EventLogWriter {
    /// Buffered bytes above which `append` writes to the file.
    public static let flushThresholdBytes = 256 * 1024
    /// Lines are handed to the writer thread at most this long after the previous hand-over (checked
    /// when a line is appended, and on ``handOffBuffered()``), so a killed run loses little.
    public static let flushIntervalNanos: UInt64 = 500_000_000

    /// The file being written.
    public let path: String
    private var fd: Int32
    private var line = JSONLineBuffer(capacity: EventLogWriter.flushThresholdBytes + 64 * 1024)
    private var writer: EventLogWriteThread?
    /// The clock of the hand-over interval (CLOCK_MONOTONIC; tests pass their own).
    private let clock: () -> UInt64
    private var lastHandOffNanos: UInt64
    /// Whole lines in `line` not yet handed over.
    private var bufferedLines = 0
    /// Lines appended so far, header and end line included.
    public private(set) var linesAppended = 0
    private var closedFailure: String?
    private var closedLinesWritten = 0
    /// Attempt lines appended so far.
    public private(set) var attempts = 0
    /// Of which succeeded.
    public private(set) var successes = 0
    /// Dropped arrivals appended so far.
    public private(set) var dropped = 0

    /// Creates (or truncates) the file and writes the header line.
    /// - Throws: ``EventLogError/cannotOpen(path:reason:)``.
    public convenience init(path: String, header: RunHeader) throws {
        try self.init(path: path, header: header, clock: EventLogWriter.monotonicNanos)
    }

    /// - Parameter clock: nanoseconds of a monotonic clock, for the hand-over interval.
    init(path: String, header: RunHeader, clock: @escaping () -> UInt64) throws {
        self.path = path
        self.clock = clock
        lastHandOffNanos = clock()
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw EventLogError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        writer = EventLogWriteThread(fd: fd, path: path)
        line.beginObject()
        line.field("type", "run")
        line.field("schema", header.schema)
        line.field("profile", header.profile)
        line.field("started_at", RunHeader.formatDate(header.startedAt))
        line.field("loadgen_version", header.loadgenVersion)
        if let curl = header.curlVersion { line.field("curl_version", curl) }
        if let uv = header.uvVersion { line.field("uv_version", uv) }
        line.field("seed", header.seed)
        line.field("command", header.command)
        if let mode = header.mode { line.field("mode", mode) }
        if let provider = header.provider { line.field("provider", provider) }
        if let model = header.model { line.field("model", model) }
        if let host = header.host { line.field("host", host) }
        if let hash = header.profileHash { line.field("profile_hash", hash) }
        if let shard = header.shard {
            line.key("shard")
            line.beginNestedObject()
            line.field("index", shard.index)
            line.field("count", shard.count)
            if let startAt = shard.startAt {
                line.field("start_at", ShardStamp.format(startAt))
                line.field("start_lag_us", nanosAsMicros: shard.startLagNanos)
            }
            line.endNestedObject()
        }
        if !header.stages.isEmpty {
            line.key("stages")
            line.bytes.append(UInt8(ascii: "["))
            for (i, stage) in header.stages.enumerated() {
                if i > 0 { line.bytes.append(UInt8(ascii: ",")) }
                line.beginNestedObject()
                line.field("start_us", nanosAsMicros: stage.startNanos)
                if let duration = stage.durationNanos { line.field("duration_us", nanosAsMicros: duration) }
                line.field("label", stage.label)
                line.endNestedObject()
            }
            line.bytes.append(UInt8(ascii: "]"))
        }
        if !header.promptSets.isEmpty {
            line.key("prompt_sets")
            line.bytes.append(UInt8(ascii: "["))
            for (i, set) in header.promptSets.enumerated() {
                if i > 0 { line.bytes.append(UInt8(ascii: ",")) }
                line.beginNestedObject()
                line.field("name", set.name)
                line.field("first", set.first)
                line.field("count", set.count)
                line.endNestedObject()
            }
            line.bytes.append(UInt8(ascii: "]"))
        }
        line.endLine()
        lineEnded()
        // The header goes to the file at once: a run killed in its first second still has it.
        try handOff()
    }

    deinit {
        try? close()
    }

    /// Buffers one attempt line; writes the buffer when it is large.
    /// - Throws: ``EventLogError/io(path:reason:)`` when a write fails.
    public func append(_ attempt: AttemptRecord) throws {
        attempt.encode(into: &line)
        lineEnded()
        attempts += 1
        if attempt.succeeded { successes += 1 }
        try handOffIfDue()
    }

    /// Buffers a `{"type":"dropped"}` line for an arrival that was never sent (queue full).
    /// - Parameter intendedNanos: its intended start, nanoseconds since the origin.
    public func appendDropped(intendedNanos: UInt64) throws {
        try appendDropped(DroppedArrivals(intendedNanos: intendedNanos))
    }

    /// Buffers one `{"type":"dropped"}` line for arrivals that were never sent (queue full): the
    /// one-arrival form `{"type":"dropped","intended_us":..}` for one, else
    /// `{"type":"dropped","intended_us":first,"count":N,"last_intended_us":last}`.
    public func appendDropped(_ drops: DroppedArrivals) throws {
        line.beginObject()
        line.field("type", "dropped")
        line.field("intended_us", nanosAsMicros: drops.firstIntendedNanos)
        if drops.count != 1 {
            line.field("count", drops.count)
            line.field("last_intended_us", nanosAsMicros: drops.lastIntendedNanos)
        }
        line.endLine()
        lineEnded()
        dropped += drops.count
        try handOffIfDue()
    }

    /// Buffers the end line `{"type":"end",...}` with the counts so far.
    /// - Parameters:
    ///   - endNanos: the run's end, nanoseconds since the origin.
    ///   - client: the client self-check of the run, written as `client` (docs/client-check.md).
    public func appendEnd(endNanos: UInt64?, client: ClientCheck? = nil) throws {
        line.beginObject()
        line.field("type", "end")
        line.field("attempts", attempts)
        line.field("successes", successes)
        line.field("dropped", dropped)
        if let endNanos { line.field("end_us", nanosAsMicros: endNanos) }
        client?.encode(into: &line)
        line.endLine()
        lineEnded()
        try handOffIfDue()
    }

    private func lineEnded() {
        bufferedLines += 1
        linesAppended += 1
    }

    /// Hands what is buffered to the writer thread without waiting for the disk. The run calls it
    /// on each progress tick (every 500 ms), so that lines reach the file even when no more come.
    /// - Throws: ``EventLogError/io(path:reason:)`` when a write has failed.
    public func handOffBuffered() throws {
        try handOff()
        if let failure = writer?.failure { throw EventLogError.io(path: path, reason: "write failed: \(failure)") }
    }

    /// The first failed write's error text (the system's), if a write failed; nothing is written after it.
    public var writeFailure: String? { writer?.failure ?? closedFailure }

    /// Whole lines in the file so far (header included; a torn last line not counted).
    public var linesWritten: Int { writer?.linesWritten ?? closedLinesWritten }

    /// Hands the buffer to the writer thread when it is large or its oldest line has waited long.
    private func handOffIfDue() throws {
        if line.bytes.count > Self.flushThresholdBytes {
            try handOff()
        } else if clock() &- lastHandOffNanos >= Self.flushIntervalNanos {
            try handOff()
        }
    }

    private func handOff() throws {
        lastHandOffNanos = clock()
        guard let writer, !line.bytes.isEmpty else { return }
        let lines = bufferedLines
        bufferedLines = 0
        var next = try writer.enqueue(line.bytes, lines: lines)
        if next.capacity < Self.flushThresholdBytes { next.reserveCapacity(Self.flushThresholdBytes + 64 * 1024) }
        line.bytes = next
    }

    /// Writes every buffered line to the file and waits until it is written.
    /// - Throws: ``EventLogError/io(path:reason:)`` when a write failed.
    public func flush() throws {
        guard let writer else { return }
        try handOff()
        try writer.drain()
    }

    /// Waits until what was handed over is written, without handing over what is buffered (tests).
    func waitUntilHandedOverIsWritten() {
        try? writer?.drain()
    }

    /// Flushes, stops the writer thread and closes the file. Further appends are buffered and lost.
    public func close() throws {
        guard let writer, fd >= 0 else { return }
        defer {
            writer.stop()
            closedFailure = writer.failure
            closedLinesWritten = writer.linesWritten
            self.writer = nil
            _ = closeDescriptor(fd)
            fd = -1
        }
        try flush()
    }

    /// CLOCK_MONOTONIC in nanoseconds (a vDSO call: tens of nanoseconds).
    static func monotonicNanos() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}

/// POSIX `close`, which the `close()` method shadows inside the class.
private func closeDescriptor(_ fd: Int32) -> Int32 {
    close(fd)
}
