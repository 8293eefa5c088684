/// A misbehaviour the mock injects into a fraction of its responses (`MockConfig.faults`, or one
/// request's `x-mock-fault` header).
///
/// Stream faults act on streamed responses only; a non-streamed response gets only `.http`.
public struct MockFault: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// An error response with `status` instead of a completion (in the route's dialect).
        case http
        /// A provider error event after `afterTokens` tokens, then the response ends (no `[DONE]` or
        /// `message_stop`): OpenAI `{"error":{"type":"server_error",...}}`, Anthropic `api_error`.
        case errorEvent = "error_event"
        /// An overloaded error event after `afterTokens` tokens, then the response ends: Anthropic
        /// `overloaded_error`; in OpenAI format a `server_error` whose message says "overloaded".
        case overloadedEvent = "overloaded_event"
        /// The connection is closed after `afterTokens` tokens, leaving the chunked body unfinished.
        case disconnect
        /// One event of invalid JSON after `afterTokens` tokens; the stream then goes on normally.
        case malformed
        /// No bytes for `stallNanos` (nil: until the client closes) after `afterTokens` tokens;
        /// with 0 tokens the stall starts right after the response headers, before any body byte.
        case stall
    }

    public var kind: Kind
    /// Fraction of requests (0...1) that get this fault. The faults of a config share one draw, so
    /// a request gets at most one; their rates should add up to 1 or less.
    public var rate: Double
    /// Content tokens sent before a stream fault (capped at the completion's length).
    public var afterTokens: Int
    /// Status of an `.http` fault.
    public var status: Int
    /// Length of a `.stall`; nil stalls forever.
    public var stallNanos: UInt64?

    public init(kind: Kind, rate: Double = 1, afterTokens: Int = 0, status: Int = 500, stallNanos: UInt64? = nil) {
        self.kind = kind
        self.rate = rate
        self.afterTokens = afterTokens
        self.status = status
        self.stallNanos = stallNanos
    }
}
