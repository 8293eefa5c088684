/// What one sweep step measured in its window (after its warm-up): the input of ``SweepPolicy`` and
/// the rows of the capacity table. ``StepMeasurement`` computes it from the step's attempts; tests
/// build it by hand.
///
/// Rates divide by the window's length. Requests are the ones *intended* in the window (their
/// latencies count however late they end); completions are the attempts *ending* in the window.
public struct StepStatistics: Sendable, Equatable {
    /// Whether the client could keep up: ``ClientCheck`` on the step's figures.
    public enum ClientVerdict: String, Sendable, Equatable {
        case ok
        case saturated
    }

    /// The step's load: requests/s (rate mode) or users.
    public var load: Double
    /// The measured window, seconds.
    public var windowSeconds: Double
    /// Requests intended in the window, per second (dropped arrivals included).
    public var offeredPerSecond: Double
    /// Attempts ending in the window (cancelled ones left out), per second.
    public var achievedPerSecond: Double
    /// Successful attempts ending in the window, per second.
    public var okPerSecond: Double
    /// Output tokens of the successes ending in the window, per second.
    public var outputTokensPerSecond: Double
    /// Successful attempts ending in the window.
    public var completions: Int
    /// Requests intended in the window (the sample of the percentiles, shares and goodput).
    public var requests: Int
    /// Latency percentiles of the successful requests intended in the window, milliseconds (nil: none).
    public var ttftP50Millis: Double?
    public var ttftP99Millis: Double?
    public var itlP99Millis: Double?
    public var totalP50Millis: Double?
    public var totalP99Millis: Double?
    /// Mean time a successful request took, milliseconds: Little's law turns it into streams.
    public var totalMeanMillis: Double?
    /// Mean output tokens of a successful request.
    public var meanOutputTokens: Double?
    /// Requests outstanding (intended and not yet ended: queued in the client or in flight) at the
    /// window's start and end.
    public var outstandingAtStart: Int
    public var outstandingAtEnd: Int
    /// The 99th percentile of start lag (actual minus intended start), milliseconds.
    public var startLagP99Millis: Double?
    /// Median TTFT from the intended start of the successes intended in the window's first and
    /// last quarters, milliseconds: a queue that builds up shows as a rise.
    public var ttftFirstQuarterMillis: Double?
    public var ttftLastQuarterMillis: Double?
    /// Attempts answered 429, over the attempts of the requests intended in the window.
    public var share429: Double
    /// Other failed attempts (errors but 429 and cancellations), over the same attempts.
    public var errorShare: Double
    /// Attempts not answered 429 per second, from the window's first 429 to its end (nil: no 429,
    /// or too little time after it): a token bucket's refill rate once its burst is spent.
    public var acceptedAfter429PerSecond: Double?
    /// The request limit the provider announced in its rate-limit headers (per its window, e.g. a minute).
    public var announcedRequestsLimit: Double?
    /// Share of the requests intended in the window that succeeded and met every per-request SLO.
    public var goodput: Double?
    /// Every SLO evaluated over the window's requests, in profile order.
    public var slo: [ThresholdResult]
    public var clientVerdict: ClientVerdict
    /// Why the client verdict is `saturated`, e.g. `start lag p99 140ms`.
    public var clientReason: String?
    /// Cost of the step's attempts (window and warm-up), US dollars (nil: no price).
    public var costUSD: Double?

    public init(load: Double, windowSeconds: Double, offeredPerSecond: Double, achievedPerSecond: Double,
                okPerSecond: Double, completions: Int, requests: Int) {
        self.load = load
        self.windowSeconds = windowSeconds
        self.offeredPerSecond = offeredPerSecond
        self.achievedPerSecond = achievedPerSecond
        self.okPerSecond = okPerSecond
        self.outputTokensPerSecond = 0
        self.completions = completions
        self.requests = requests
        self.outstandingAtStart = 0
        self.outstandingAtEnd = 0
        self.share429 = 0
        self.errorShare = 0
        self.slo = []
        self.clientVerdict = .ok
    }
}
