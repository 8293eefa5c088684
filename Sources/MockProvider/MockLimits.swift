/// Token-bucket rate limits the mock enforces (`MockConfig.rateLimit`).
///
/// Each limit is a bucket that holds `burstNanos` worth of its per-minute rate and refills
/// continuously at that rate; a request takes 1 from the requests bucket and its token counts from
/// the token buckets. A request that finds any bucket short is answered 429, with `retry-after`
/// (whole seconds, rounded up) and, for the OpenAI family, `retry-after-ms`: the time until every
/// bucket it needs holds enough. Every completion response and every 429 announces the state in
/// the headers of `headerFamily`.
public struct MockRateLimit: Sendable, Equatable {
    /// Which provider's headers announce the limits.
    public enum HeaderFamily: String, Sendable, Equatable {
        /// `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, resets as durations like `6s`,
        /// `1m0s`, `120ms` (OpenAI and Groq).
        case openai
        /// `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`,
        /// resets as RFC 3339 times.
        case anthropic
    }

    /// Requests per minute.
    public var requestsPerMinute: Int?
    /// Prompt plus completion tokens per minute.
    public var tokensPerMinute: Int?
    /// Prompt tokens per minute (Anthropic's input tokens limit).
    public var inputTokensPerMinute: Int?
    /// Completion tokens per minute (Anthropic's output tokens limit).
    public var outputTokensPerMinute: Int?
    /// How much each bucket holds, as time at its refill rate (default 1 s: 600 RPM holds 10).
    public var burstNanos: UInt64 = 1_000_000_000
    /// The header family (default OpenAI's).
    public var headerFamily: HeaderFamily = .openai

    public init(requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
    }
}

/// A cap on the completions the mock generates at once (`MockConfig.capacity`): the rest wait in
/// a FIFO queue shared by all connections, and their time to first token starts when they get a
/// slot. A request that finds `maxQueue` waiting is refused with `rejectStatus`.
public struct MockCapacity: Sendable, Equatable {
    /// Completions generated at once.
    public var maxConcurrent: Int
    /// Requests that may wait for a slot (nil: unlimited).
    public var maxQueue: Int?
    /// The status of a refusal (503; Anthropic's overload is 529).
    public var rejectStatus: Int = 503

    public init(maxConcurrent: Int, maxQueue: Int? = nil) {
        self.maxConcurrent = maxConcurrent
        self.maxQueue = maxQueue
    }
}
