import LoadCore

/// How the engine generates load.
public struct LoadPlan {
    public enum Mode {
        /// Open loop: requests start at the intended times the closure returns, in nanoseconds after the
        /// run's origin, in non-decreasing order; nil ends the schedule. Responses never slow arrivals.
        case open(nextArrivalNanos: () -> UInt64?)
        /// Closed loop: `users` each send a request, wait for its end plus `thinkTimeNanos`, and repeat.
        case closed(users: Int, thinkTimeNanos: UInt64)
    }

    public var mode: Mode
    /// No request starts at or after this offset from the origin (open loop: by intended start).
    public var durationNanos: UInt64?
    /// No more than this many requests in all.
    public var maxRequests: Int?
    /// Requests in flight at most; later starts wait in a FIFO queue and keep their intended start time.
    public var maxInFlight: Int
    /// Starts that may wait for a slot; an arrival that finds the queue full is dropped and counted
    /// (`RunOutcome.dropped`), never sent late and never lost silently.
    public var maxQueued: Int

    /// Closed loop: the number of users wanted at each offset (nanoseconds since the origin). The
    /// engine compares it with the users it has every 10 ms, adds users at once and retires the
    /// excess as their requests end. Nil: `users` throughout.
    public var userTarget: ((UInt64) -> Int)?
    /// Connections to open before the run starts (a GET to the target URL each, answer ignored), so
    /// that the first requests do not pay for connection setup. 0: measure cold starts too.
    public var warmupConnections: Int
    /// Connections open at once, at most (nil: unlimited). With HTTP/1.1 a connection carries one
    /// attempt at a time, so this also caps the attempts in flight (the rest wait in the engine's
    /// queue, keeping their intended start); with HTTP/2 attempts share connections as streams.
    public var maxConnections: Int?
    /// Retries of failed attempts (nil: none). Each retry is its own attempt and record, with the
    /// request's id; it waits in the engine until its backoff ends (its intended start), then for a
    /// slot like any arrival.
    public var retry: RetryPolicy?
    /// Seeds the retry backoff's jitter (the run's seed; a slice draws from its own derived seed,
    /// ``ScheduleSlice/seed(from:)``).
    public var seed: UInt64 = 1
    /// The slice of the run this engine runs (``ScheduleSlice/whole`` unless sharded). The schedule
    /// and user counts given here are already the slice's; the slice numbers requests and users
    /// run-wide (request *j* of the slice is *j*·N + i) and derives the seed of the retry jitter.
    public var slice: ScheduleSlice = .whole
    /// The run's origin (monotonic nanoseconds, `uv_hrtime`'s clock) when several engines share one
    /// (`--workers N`: every worker's records and intended starts count from the same instant); it
    /// must not be later than the engine's start. Nil: the moment arrivals begin (after warm-up).
    public var sharedOriginNanos: UInt64?

    public init(
        mode: Mode, durationNanos: UInt64? = nil, maxRequests: Int? = nil, maxInFlight: Int = 10_000,
        maxQueued: Int = 100_000, warmupConnections: Int = 0
    ) {
        self.mode = mode
        self.durationNanos = durationNanos
        self.maxRequests = maxRequests
        self.maxInFlight = maxInFlight
        self.maxQueued = maxQueued
        self.warmupConnections = warmupConnections
    }
}

/// A snapshot of the run, reported on each tick.
public struct RunProgress: Sendable {
    public var elapsedNanos: UInt64
    public var started: Int
    public var completed: Int
    public var inFlight: Int
    /// Arrivals waiting for an in-flight slot.
    public var queued: Int
    /// True once the run stopped accepting new arrivals (schedule done, limit reached or interrupted).
    public var stopping: Bool
    /// Closed loop: the users running now (sending or thinking); nil in open loop.
    public var users: Int?
    /// True once SIGINT or SIGTERM arrived.
    public var interrupted: Bool
    /// Nanoseconds since the loop started, and of them the loop's idle time (blocked waiting for
    /// events; nil without libuv's idle-time metric): two ticks give the busy fraction between them.
    public var loopNanos: UInt64 = 0
    public var loopIdleNanos: UInt64?
}
