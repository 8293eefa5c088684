/// The last line of a complete event log: `{"type":"end","attempts":N,"successes":S,"dropped":D,"end_us":T}`.
/// A log without it comes from a run that was killed; its attempts are still valid.
public struct RunEnd: Sendable, Equatable {
    /// Attempt lines written.
    public var attempts: Int
    /// Of which succeeded.
    public var successes: Int
    /// The run's end, nanoseconds since the run origin (microsecond resolution in the log).
    public var endNanos: UInt64?
    /// Arrivals dropped because every in-flight slot and the wait queue were full.
    public var dropped: Int
    /// The client self-check `loadgen` made at the end of the run (nil in logs of earlier builds).
    public var client: ClientCheck?

    public init(attempts: Int, successes: Int, endNanos: UInt64?, dropped: Int = 0) {
        self.attempts = attempts
        self.successes = successes
        self.endNanos = endNanos
        self.dropped = dropped
    }
}
