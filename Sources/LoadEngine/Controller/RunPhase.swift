/// Where a run is in its life: the ``RunController``'s state. Each phase says what may start.
///
///     notStarted ─begin─▶ warmingUp ─last warm-up ends─▶ running
///     notStarted ─begin (no warm-up)───────────────────▶ running
///     running ─schedule over, max_requests, duration─▶ arrivalsEnded
///     running, arrivalsEnded, warmingUp ─signal, stopArrivals, cancelInFlight─▶ stopping
///     arrivalsEnded, stopping ─nothing in flight, queued or waiting─▶ finished
enum RunPhase: Equatable {
    /// Before ``ControllerEvent/begin``.
    case notStarted
    /// Warm-up connections are open; the origin is not set yet.
    case warmingUp
    /// Arrivals (open loop) or users (closed loop) start requests; retries start when their backoff ends.
    case running
    /// The schedule is over (its end, `max_requests` or the duration): nothing new arrives; what was
    /// admitted (queued requests, retries waiting for their backoff) still starts and finishes.
    case arrivalsEnded
    /// Stopped early (a signal, ``ControllerEvent/stopArrivals(reason:)``): nothing starts, retries
    /// included; attempts in flight finish, or are cancelled at the grace deadline or by a second
    /// interrupt.
    case stopping(Stopping)
    /// The run is over; the engine shuts down.
    case finished

    struct Stopping: Equatable {
        /// SIGINT/SIGTERM received so far; the second cancels what is in flight.
        var interrupts: Int
        /// When attempts still in flight are cancelled (absolute clock), nil without a grace period.
        var graceDeadlineNanos: UInt64?
    }

    /// True while new arrivals may be admitted.
    var admitsArrivals: Bool { self == .running }

    /// True while retries and queued requests may start.
    var startsAdmitted: Bool { self == .running || self == .arrivalsEnded }
}
