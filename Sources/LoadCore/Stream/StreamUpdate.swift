/// Token usage as reported by a provider.
public struct TokenUsage: Equatable, Sendable {
    public var inputTokens: Int?
    public var outputTokens: Int?

    public init(inputTokens: Int?, outputTokens: Int?) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
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
    /// True for the end-of-stream marker (`data: [DONE]`).
    public var done = false
    /// Set when the event reported an error or could not be parsed.
    public var failure: StreamFailure?

    public init(tokens: Int = 0, usage: TokenUsage? = nil, done: Bool = false, failure: StreamFailure? = nil) {
        self.tokens = tokens
        self.usage = usage
        self.done = done
        self.failure = failure
    }
}
