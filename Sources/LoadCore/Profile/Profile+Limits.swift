extension Profile {
    /// `limits:` — bounds that stop or throttle a run.
    public struct Limits: Sendable, Equatable {
        /// Stop after this many requests (also set by `load.requests`).
        public var maxRequests: Int?
        /// Requests in flight at most; arrivals beyond it wait (default 10 000).
        public var maxInFlight: Int
        /// Arrivals that may wait for an in-flight slot; one more is dropped and counted (default 100 000).
        public var maxQueued: Int
        /// Whole-request timeout (default 120 s).
        public var timeoutNanos: UInt64
        /// TCP + TLS connect timeout (default 10 s).
        public var connectTimeoutNanos: UInt64
        /// Stop new requests once the spend of finished attempts plus an estimate for those in
        /// flight reaches this many US dollars (nil: no limit). See `CostBudget`.
        public var maxCostUSD: Double?
        /// Time-to-first-token timeout, from the attempt's start to its first content token (default:
        /// none, only `timeoutNanos` bounds it).
        public var ttftTimeoutNanos: UInt64?
        /// Idle timeout: no response byte for this long once the response has begun (default: none).
        public var idleTimeoutNanos: UInt64?
        /// Connections open at once, at most (default: unlimited; each attempt in flight may open one).
        public var maxConnections: Int?
        /// After a first interrupt (or an early stop), requests still in flight this long afterwards
        /// are cancelled (`limits.grace`, default 30 s; `--grace` overrides it).
        public var graceNanos: UInt64 = 30_000_000_000

        public init(maxRequests: Int? = nil, maxInFlight: Int = 10_000, maxQueued: Int = 100_000,
                    timeoutNanos: UInt64 = 120_000_000_000, connectTimeoutNanos: UInt64 = 10_000_000_000) {
            self.maxRequests = maxRequests
            self.maxInFlight = maxInFlight
            self.maxQueued = maxQueued
            self.timeoutNanos = timeoutNanos
            self.connectTimeoutNanos = connectTimeoutNanos
        }
    }
}
