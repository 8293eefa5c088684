/// Token usage as reported by a provider, normalised across dialects.
public struct TokenUsage: Equatable, Sendable {
    /// Every input token, cached ones included (OpenAI `prompt_tokens`; Anthropic `input_tokens` +
    /// `cache_read_input_tokens` + `cache_creation_input_tokens`).
    public var inputTokens: Int?
    /// Output tokens (OpenAI `completion_tokens`, Anthropic `output_tokens`).
    public var outputTokens: Int?
    /// The part of `inputTokens` read from the provider's prompt cache (OpenAI
    /// `prompt_tokens_details.cached_tokens`, Anthropic `cache_read_input_tokens`).
    public var cachedInputTokens: Int?

    public init(inputTokens: Int?, outputTokens: Int?, cachedInputTokens: Int? = nil) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
    }
}

/// A failure reported inside a response body.
public struct StreamFailure: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// The provider sent an error object (e.g. `data: {"error": ...}`).
        case providerError
        /// The provider said it is overloaded.
        case overloaded
        /// The bytes broke the protocol (bad JSON, unexpected shape).
        case malformed
    }

    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }
}

/// What one SSE event (or one non-streamed body) told us.
public struct StreamUpdate: Equatable, Sendable {
    /// Token-bearing deltas in this event (content, reasoning or tool-call); usually 0 or 1.
    public var tokens: Int = 0
    /// Usage, when this event carried it.
    public var usage: TokenUsage?
    /// Time the request waited in the provider's queue, when this event reported it (Groq `queue_time`).
    public var providerQueueNanos: UInt64?
    /// True for the end-of-stream marker (`data: [DONE]`, Anthropic `message_stop`).
    public var done = false
    /// Set when the event reported an error or could not be parsed.
    public var failure: StreamFailure?
    /// The mock's send time of this event (its `x_mock_sent_ns` stamp, CLOCK_MONOTONIC ns), when
    /// the stream carries stamps (``SendStampField``); nil otherwise.
    public var sentStampNanos: UInt64?

    public init(tokens: Int = 0, usage: TokenUsage? = nil, providerQueueNanos: UInt64? = nil, done: Bool = false,
                failure: StreamFailure? = nil) {
        self.tokens = tokens
        self.usage = usage
        self.providerQueueNanos = providerQueueNanos
        self.done = done
        self.failure = failure
    }
}
