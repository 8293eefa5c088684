extension Profile {
    /// `target.mock:` — how the embedded mock provider behaves (provider mock only).
    public struct MockSettings: Sendable, Equatable {
        /// Delay before the first token (default 200 ms).
        public var ttft: DelaySpec
        /// Delay between tokens (default 10 ms).
        public var interTokenNanos: UInt64
        /// Tokens per response (default 32).
        public var outputTokens: Int
        /// Fraction of requests answered with `errorStatus`, 0...1 (default 0).
        public var errorRate: Double
        /// HTTP status of injected errors (default 500).
        public var errorStatus: Int
        /// Token-bucket rate limits the mock enforces (`rate_limit:`); nil: none.
        public var rateLimit: MockRateLimitSettings?
        /// Concurrent completions the mock generates, the rest waiting in its queue (`capacity:`); nil: unlimited.
        public var capacity: MockCapacitySettings?

        public init(ttft: DelaySpec = .fixed(nanos: 200_000_000), interTokenNanos: UInt64 = 10_000_000,
                    outputTokens: Int = 32, errorRate: Double = 0, errorStatus: Int = 500) {
            self.ttft = ttft
            self.interTokenNanos = interTokenNanos
            self.outputTokens = outputTokens
            self.errorRate = errorRate
            self.errorStatus = errorStatus
        }
    }
}
