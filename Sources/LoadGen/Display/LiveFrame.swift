/// Everything one redraw of the progress display shows: a value, so that rendering is a pure
/// function (``LiveFrameRenderer``) and tests can check it without a terminal.
struct LiveFrame: Equatable {
    var profileName: String
    var elapsedNanos: UInt64
    /// The planned run length, when known.
    var totalNanos: UInt64?
    /// Fraction done (0...1): by time, else by requests against `limits.max_requests`; nil when unknown.
    var progress: Double?
    /// `2/3 rate 5..50/s`; nil without stages.
    var stage: String?
    var isOpenLoop: Bool
    /// Open loop: the profile's arrival rate now; closed loop: the users the stages ask for now.
    var target: Double?
    /// Closed loop: users running.
    var users: Int?
    var window: LiveWindow.Snapshot
    var inFlight: Int
    var queued: Int
    var dropped: Int
    var successes: Int
    var http429: Int
    /// Failures other than 429, and the most frequent class among them.
    var otherErrors: Int
    var topError: String?
    var costUSD: Double?
    /// Why the run is stopping, when it is: `interrupted: finishing 12 in flight (Ctrl-C again cancels)`.
    var state: String?
    /// The frame drawn after the run: its rates are the whole run's averages, not the last seconds'.
    var isFinal = false
    /// `client: saturated (...)` while the client self-check says loadgen is the limit; nil otherwise.
    var client: String?
}
