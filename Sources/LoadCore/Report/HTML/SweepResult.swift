/// A sweep's outcome as the HTML report draws it: one entry per step, the knee and the SLO
/// capacity. Filled from a `loadgen sweep` run's capacity analysis (``read(eventsPath:)``); the
/// page's sweep section stays out for other runs.
public struct SweepResult: Sendable, Equatable {
    /// One step: a load held for a while, and what it achieved.
    public struct Step: Sendable, Equatable {
        public var offeredPerSecond: Double
        /// Attempts started per second (what the target was actually sent).
        public var achievedPerSecond: Double
        /// Successful requests per second.
        public var okPerSecond: Double
        public var outputTokensPerSecond: Double?
        public var ttftP50Millis: Double?
        public var ttftP99Millis: Double?
        public var interTokenP99Millis: Double?
        public var totalP99Millis: Double?
        /// 429s and other errors, shares of the step's attempts (0-1).
        public var http429Share: Double
        public var errorShare: Double
        /// Share of requests meeting every per-request SLO (0-1); nil without SLOs.
        public var goodput: Double?
        /// The client's verdict for the step, e.g. `ok` or `saturated (loop busy 97 %)`.
        public var verdict: String?

        public init(offeredPerSecond: Double, achievedPerSecond: Double, okPerSecond: Double,
                    outputTokensPerSecond: Double? = nil, ttftP50Millis: Double? = nil, ttftP99Millis: Double? = nil,
                    interTokenP99Millis: Double? = nil, totalP99Millis: Double? = nil, http429Share: Double = 0,
                    errorShare: Double = 0, goodput: Double? = nil, verdict: String? = nil) {
            self.offeredPerSecond = offeredPerSecond
            self.achievedPerSecond = achievedPerSecond
            self.okPerSecond = okPerSecond
            self.outputTokensPerSecond = outputTokensPerSecond
            self.ttftP50Millis = ttftP50Millis
            self.ttftP99Millis = ttftP99Millis
            self.interTokenP99Millis = interTokenP99Millis
            self.totalP99Millis = totalP99Millis
            self.http429Share = http429Share
            self.errorShare = errorShare
            self.goodput = goodput
            self.verdict = verdict
        }
    }

    public var steps: [Step]
    /// The highest sustained throughput, successful requests/s.
    public var kneePerSecond: Double?
    /// The highest offered load meeting the SLOs, and the bracket it was found in.
    public var sloPerSecond: Double?
    public var sloBracket: ClosedRange<Double>?
    /// What failed first beyond the SLO capacity: `latency`, `rate_limit`, `errors` or `client`.
    public var limitedBy: String?
    /// The TTFT p99 SLO, ms (drawn on the latency chart).
    public var ttftP99SLOMillis: Double?

    public init(steps: [Step], kneePerSecond: Double? = nil, sloPerSecond: Double? = nil,
                sloBracket: ClosedRange<Double>? = nil, limitedBy: String? = nil, ttftP99SLOMillis: Double? = nil) {
        self.steps = steps
        self.kneePerSecond = kneePerSecond
        self.sloPerSecond = sloPerSecond
        self.sloBracket = sloBracket
        self.limitedBy = limitedBy
        self.ttftP99SLOMillis = ttftP99SLOMillis
    }
}
