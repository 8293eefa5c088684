extension Profile {
    /// `target.mock.rate_limit:` — token buckets the mock enforces, announced in the response headers
    /// of a provider's family; a request that finds a bucket empty gets 429 with `retry-after`.
    public struct MockRateLimitSettings: Sendable, Equatable {
        /// Which provider's headers announce the limits.
        public enum HeaderFamily: String, Sendable, Equatable, CaseIterable {
            /// `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, resets as durations (OpenAI, Groq).
            case openai
            /// `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`,
            /// resets as RFC 3339 times.
            case anthropic
        }

        /// Requests per minute (`requests_per_minute`).
        public var requestsPerMinute: Int?
        /// Tokens (prompt + completion) per minute (`tokens_per_minute`).
        public var tokensPerMinute: Int?
        /// Prompt tokens per minute (`input_tokens_per_minute`, Anthropic's ITPM).
        public var inputTokensPerMinute: Int?
        /// Completion tokens per minute (`output_tokens_per_minute`, Anthropic's OTPM).
        public var outputTokensPerMinute: Int?
        /// How much each bucket holds, as time at its refill rate (`burst`, default 1 s: a 600 RPM
        /// bucket holds 10 requests, as OpenAI enforces limits over short windows).
        public var burstNanos: UInt64
        /// The header family (`headers`, default openai).
        public var headers: HeaderFamily

        public init(requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil, inputTokensPerMinute: Int? = nil,
                    outputTokensPerMinute: Int? = nil, burstNanos: UInt64 = 1_000_000_000,
                    headers: HeaderFamily = .openai) {
            self.requestsPerMinute = requestsPerMinute
            self.tokensPerMinute = tokensPerMinute
            self.inputTokensPerMinute = inputTokensPerMinute
            self.outputTokensPerMinute = outputTokensPerMinute
            self.burstNanos = burstNanos
            self.headers = headers
        }
    }

    /// `target.mock.capacity:` — the mock generates at most `streams` completions at once; later
    /// requests wait in a FIFO queue (their time to first token starts when they get a slot), and a
    /// request that finds `queue` waiting is refused with `rejectStatus`.
    public struct MockCapacitySettings: Sendable, Equatable {
        /// Completions generated at once (`streams`).
        public var streams: Int
        /// Requests that may wait (`queue`, default unlimited).
        public var queue: Int?
        /// Status for a request refused because the queue is full (`reject_status`, default 503;
        /// Anthropic answers 529).
        public var rejectStatus: Int

        public init(streams: Int, queue: Int? = nil, rejectStatus: Int = 503) {
            self.streams = streams
            self.queue = queue
            self.rejectStatus = rejectStatus
        }
    }
}
