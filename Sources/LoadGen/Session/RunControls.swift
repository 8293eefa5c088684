import LoadEngine

/// What the session's watchers (cost budget, disk space, thresholds, refusals, a failed event log)
/// need of the run: its origin, what is in flight, and a way to stop it. One ``Engine`` (the
/// default, one worker: calls on its loop thread) or a ``WorkerGroup`` (`--workers N`: every engine).
protocol RunControls: AnyObject {
    /// The monotonic time records count from (0 before arrivals begin).
    var originNanos: UInt64 { get }
    /// Attempts in flight now.
    var inFlightCount: Int { get }
    /// No new arrivals; what is in flight finishes (``Engine/stopArrivals(reason:)``).
    func stopArrivals(reason: String)
    /// Cancels what is in flight after stopping arrivals (``Engine/cancelInFlight(reason:)``).
    func cancelInFlight(reason: String)
}

extension Engine: RunControls {}
