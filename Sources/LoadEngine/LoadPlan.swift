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

/// How a run ended.
public struct RunOutcome: Sendable {
    /// Attempts handed to libcurl (retries included).
    public var started = 0
    /// Attempts that ended with a response or an error (cancelled ones included).
    public var completed = 0
    /// The most attempts in flight at once.
    public var peakInFlight = 0
    /// Attempts cancelled by a second interrupt.
    public var cancelled = 0
    /// Attempts that were retries (attempt number 2 or more); `started` counts them too.
    public var retries = 0
    /// Arrivals that were queued for a slot, and retries that were waiting for their backoff, and never
    /// started because the run was interrupted or stopped.
    public var neverStarted = 0
    /// Arrivals dropped because `maxInFlight` attempts were running and `maxQueued` were waiting.
    public var dropped = 0
    /// Why the run was stopped early from a callback (``Engine/stopArrivals(reason:)``), e.g. a cost
    /// limit or a failed threshold; nil otherwise.
    public var stopReason: String?
    /// True when attempts were still in flight at the end of the drain grace period and were cancelled.
    public var graceExpired = false
    /// The signal that interrupted the run (SIGINT 2, SIGTERM 15), or nil when it ran to its end.
    public var interruptedBySignal: Int32?
    /// Nanoseconds from the origin to the end of the last attempt.
    public var elapsedNanos: UInt64 = 0
    /// uv_loop_close's status: 0 when every handle was closed.
    public var loopCloseStatus: Int32 = 0
    /// The loop's busy fraction over the run (0...1: 1 − idle ÷ wall time, libuv's idle-time
    /// metric); nil where libuv lacks the metric.
    public var loopBusyFraction: Double?

    /// Nothing started yet.
    public init() {}
}
