/// The rate-limit state a provider announced in one response's headers, normalised across header
/// families: OpenAI and Groq `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, Anthropic
/// `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`, and
/// `retry-after` / `retry-after-ms`. Absent values stay nil; nothing is guessed.
public struct RateLimitSnapshot: Sendable, Equatable {
    /// One limited quantity (requests, tokens, input tokens or output tokens).
    public struct Window: Sendable, Equatable {
        /// The quota for the provider's window (e.g. requests per minute).
        public var limit: Double?
        /// What is left of it.
        public var remaining: Double?
        /// Milliseconds until the quota is fully replenished, as of the response (durations like `6m0s`
        /// and RFC 3339 times are both turned into this).
        public var resetMillis: Double?

        public init(limit: Double? = nil, remaining: Double? = nil, resetMillis: Double? = nil) {
            self.limit = limit
            self.remaining = remaining
            self.resetMillis = resetMillis
        }

        /// True when no value is set.
        public var isEmpty: Bool { limit == nil && remaining == nil && resetMillis == nil }
    }

    public var requests: Window?
    public var tokens: Window?
    public var inputTokens: Window?
    public var outputTokens: Window?
    /// `retry-after-ms`, or `retry-after` (seconds or an HTTP date) in milliseconds.
    public var retryAfterMillis: Double?

    public init(requests: Window? = nil, tokens: Window? = nil, inputTokens: Window? = nil,
                outputTokens: Window? = nil, retryAfterMillis: Double? = nil) {
        self.requests = requests
        self.tokens = tokens
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.retryAfterMillis = retryAfterMillis
    }

    /// True when the response carried no rate-limit information at all.
    public var isEmpty: Bool {
        (requests?.isEmpty ?? true) && (tokens?.isEmpty ?? true) && (inputTokens?.isEmpty ?? true)
            && (outputTokens?.isEmpty ?? true) && retryAfterMillis == nil
    }
}
