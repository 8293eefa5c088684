/// What a sweep found: the knee, the SLO capacity with its bracket, what limits the target, and a
/// recommendation. ``CapacityAnalysis/result(of:settings:stopReason:)`` computes it from the steps;
/// `summary.json` carries it as `capacity.*`.
public struct CapacityResult: Sendable, Equatable {
    /// What stops more load from being served within the SLO.
    public enum LimitedBy: String, Sendable, Equatable {
        /// Latency: a queue builds or a latency SLO fails.
        case latency
        /// The provider's rate limit (429 answers).
        case rateLimit = "rate_limit"
        /// Other errors (5xx, overload, timeouts, connection failures).
        case errors
        /// The load generator itself (never reported as the target's limit).
        case client
    }

    /// A load range: the highest load that passed and the lowest that failed above it.
    public struct Bracket: Sendable, Equatable {
        /// Nil when no step passed.
        public var low: Double?
        /// Nil when no step failed.
        public var high: Double?

        public init(low: Double?, high: Double?) {
            self.low = low
            self.high = high
        }

        /// (high − low) / low, or nil when open on a side.
        public var relativeWidth: Double? {
            guard let low, let high, low > 0 else { return nil }
            return (high - low) / low
        }
    }

    /// The rate limit seen in 429 answers.
    public struct RateLimit: Sendable, Equatable {
        /// Requests accepted per second once the limit was reached.
        public var requestsPerSecond: Double
        /// The request limit the provider announced in its headers (per its window), when it did.
        public var announcedRequests: Double?
    }

    /// A load to plan for: the SLO capacity less the headroom.
    public struct Recommendation: Sendable, Equatable {
        public var headroom: Double
        public var requestsPerSecond: Double
        public var outputTokensPerSecond: Double
        /// Concurrent streams by Little's law: requests/s × mean request time.
        public var concurrentStreams: Int
    }

    public var mode: SweepSettings.Mode
    public var steps: [SweepStepResult]
    /// The step with the highest successful throughput among those within limits.
    public var kneeLoad: Double?
    /// Its successes per second.
    public var kneeRPS: Double?
    /// False when no step saturated up to the highest load tried: the knee lies higher.
    public var kneeReached: Bool
    /// The highest load that met the SLO (clamped to the rate limit when that limits).
    public var sloLoad: Double?
    /// Requests per second at ``sloLoad`` (rate mode: the load itself; users mode: its successes per second).
    public var sloRPS: Double?
    /// The SLO boundary: highest passing and lowest failing load.
    public var sloBracket: Bracket
    /// What failed at the lowest failing load above the SLO capacity (nil: nothing failed).
    public var limitedBy: LimitedBy?
    /// The findings of that step, e.g. `ttft_p99 = 612.0ms, limit <= 400ms`.
    public var firstFailures: [String]
    public var rateLimit: RateLimit?
    public var recommendation: Recommendation?
    /// Why the sweep stopped: `converged`, `max_duration`, `max_cost_usd`, `max load`, ...
    public var stopReason: String
}
