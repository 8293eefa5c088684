import LoadCore

/// What happened, as the ``RunController`` is told: each event comes with the clock's time.
enum ControllerEvent {
    /// The engine starts: open the warm-up connections, or set the origin and admit the first requests.
    case begin
    /// One warm-up connection answered (or failed); the run proper begins after the last.
    case warmupEnded
    /// An attempt ended (success, failure, timeout or cancellation). Its report comes back at once
    /// (``ControllerCommand/report(_:)``); requests it lets start wait for ``settle``.
    case attemptEnded(AttemptRecord)
    /// A batch of ``attemptEnded(_:)`` is over: fill free slots, let users go on, re-arm the wake timer.
    case settle
    /// The wake timer (``ControllerCommand/armWake(atNanos:)``) fired.
    case wake
    /// SIGINT or SIGTERM: the first stops arrivals, the second cancels what is in flight.
    case signal(Int32)
    /// Stop arrivals early (a cost limit, a failed threshold, refused requests); the first reason wins.
    case stopArrivals(reason: String)
    /// Stop arrivals and cancel what is in flight.
    case cancelInFlight(reason: String)
}

/// What the ``RunController`` asks the engine to do, in order.
enum ControllerCommand: Equatable {
    /// Open this many warm-up connections.
    case openWarmup(connections: Int)
    /// Hand an attempt to libcurl.
    case start(AttemptStart)
    /// Hand a finished attempt's record on (`Engine.onAttempt`), with `willRetry` set.
    case report(AttemptRecord)
    /// Cancel every attempt in flight; report each back as ``ControllerEvent/attemptEnded(_:)``
    /// with class `cancelled` and this reason, then send ``ControllerEvent/settle``.
    case cancelInFlight(CancelReason)
    /// Arrivals dropped since the last report (`Engine.onDropped`).
    case dropped(DroppedArrivals)
    /// Send ``ControllerEvent/wake`` at this absolute clock time (now or earlier: at once, after
    /// the loop has polled for I/O and signals).
    case armWake(atNanos: UInt64)
    /// No wake is needed.
    case disarmWake
    /// The run is over: close everything.
    case finish
}

/// One attempt to start.
struct AttemptStart: Equatable {
    var requestID: UInt64
    var userID: Int?
    /// Nanoseconds since the origin (for a retry, the end of its backoff).
    var intendedStartNanos: UInt64
    var attemptNumber: Int
}

/// Why attempts in flight were cancelled; the text goes into each record's `cancelReason`.
enum CancelReason: Equatable {
    case secondInterrupt
    /// The drain grace period ended; `stopReason` is why arrivals had stopped (nil: a signal).
    case graceExpired(graceNanos: UInt64, stopReason: String?)
    /// ``ControllerEvent/cancelInFlight(reason:)``.
    case requested(String)

    var text: String {
        switch self {
        case .secondInterrupt:
            return "second interrupt"
        case .graceExpired(let grace, let stopReason):
            let period = "grace period (\(DurationFormat.format(nanos: grace))) over"
            return stopReason.map { "\(period) after: \($0)" } ?? "\(period) after an interrupt"
        case .requested(let reason):
            return reason
        }
    }
}
