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

extension RunOutcome {
    /// Adds `other`'s attempt counts (started, completed, cancelled, retries, never started,
    /// dropped) to these, and keeps the first stop reason, signal and failed loop close, any expired
    /// grace, and the busier loop's busy fraction. Peak in flight and elapsed time are the caller's
    /// to combine: workers run at once (peaks add), sweep steps one after the other (the largest).
    public mutating func addCounts(of other: RunOutcome) {
        started += other.started
        completed += other.completed
        cancelled += other.cancelled
        retries += other.retries
        neverStarted += other.neverStarted
        dropped += other.dropped
        stopReason = stopReason ?? other.stopReason
        graceExpired = graceExpired || other.graceExpired
        interruptedBySignal = interruptedBySignal ?? other.interruptedBySignal
        if loopCloseStatus == 0 { loopCloseStatus = other.loopCloseStatus }
        loopBusyFraction = [loopBusyFraction, other.loopBusyFraction].compactMap { $0 }.max()
    }
}
