/// What `loadgen` knows at the end of a run beyond its event log: how the run ended and what it
/// cost the client. `summary.json` carries it under `loadgen` (docs/report.md); `loadreport`,
/// which reads only event logs, has no such section.
public struct RunEndFigures: Sendable, Equatable, Encodable {
    /// Attempts started, cancelled (interrupt or drain grace), and arrivals never started.
    public var started: Int
    public var cancelled: Int
    public var neverStarted: Int
    /// Arrivals dropped (every slot and the queue full).
    public var dropped: Int
    /// Attempts after the first of their request.
    public var retries: Int
    public var peakInFlight: Int
    /// True when a signal stopped the run.
    public var interrupted: Bool
    /// Why the run stopped early (a threshold, the cost budget, refused requests); nil when it ran out.
    public var stopReason: String?
    /// The client's CPU time over the run, seconds (with the embedded mock's when it ran in-process).
    public var clientCPUSeconds: Double
    /// Resident memory at the start and at its peak, KiB.
    public var startRSSKiB: Int
    public var peakRSSKiB: Int

    public init(started: Int, cancelled: Int, neverStarted: Int, dropped: Int, retries: Int, peakInFlight: Int,
                interrupted: Bool, stopReason: String?, clientCPUSeconds: Double, startRSSKiB: Int, peakRSSKiB: Int) {
        self.started = started
        self.cancelled = cancelled
        self.neverStarted = neverStarted
        self.dropped = dropped
        self.retries = retries
        self.peakInFlight = peakInFlight
        self.interrupted = interrupted
        self.stopReason = stopReason
        self.clientCPUSeconds = clientCPUSeconds
        self.startRSSKiB = startRSSKiB
        self.peakRSSKiB = peakRSSKiB
    }

    enum CodingKeys: String, CodingKey {
        case started, cancelled, neverStarted = "never_started", dropped, retries, peakInFlight = "peak_in_flight"
        case interrupted, stopReason = "stop_reason", clientCPUSeconds = "client_cpu_s"
        case startRSSKiB = "start_rss_kb", peakRSSKiB = "peak_rss_kb"
    }
}
