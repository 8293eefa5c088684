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
        /// The dialect the mock speaks, and loadgen with it (default openai).
        public var dialect: APIDialect = .openAI
        /// Misbehaviours injected into a fraction of responses (default none).
        public var faults: [MockFault] = []
        /// Token-bucket rate limits the mock enforces (`rate_limit:`); nil: none.
        public var rateLimit: MockRateLimitSettings?
        /// Concurrent completions the mock generates, the rest waiting in its queue (`capacity:`); nil: unlimited.
        public var capacity: MockCapacitySettings?
        /// Stamp each SSE event and the response headers with the mock's CLOCK_MONOTONIC send time
        /// in nanoseconds (`x_mock_sent_ns`, `x-mock-sent-ns`; `stamp:`, default false): docs/mock.md.
        public var stamp = false

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
