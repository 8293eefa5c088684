extension Profile {
    /// One entry of `target.mock.faults`: a misbehaviour the mock injects into a fraction of its
    /// responses.
    ///
    ///     faults:
    ///       - {kind: http, status: 529, rate: 0.05}              # an error response instead of a completion
    ///       - {kind: error_event, after_tokens: 3, rate: 0.05}   # a provider error event mid-stream
    ///       - {kind: overloaded_event, after_tokens: 3}          # an overloaded error event (rate 1)
    ///       - {kind: disconnect, after_tokens: 5, rate: 0.05}    # the connection dropped mid-stream
    ///       - {kind: malformed, after_tokens: 2, rate: 0.05}     # one chunk of bad JSON, then the rest
    ///       - {kind: stall, after_tokens: 0, duration: 5s}       # silence after the headers (no duration: forever)
    public struct MockFault: Sendable, Equatable {
        /// What goes wrong.
        public enum Kind: String, Sendable, Equatable, CaseIterable {
            /// An HTTP error response (`status`) instead of a completion.
            case http
            /// A provider error event after `afterTokens` tokens (OpenAI `server_error`, Anthropic
            /// `api_error`), then the response ends.
            case errorEvent = "error_event"
            /// An overloaded error event after `afterTokens` tokens (Anthropic `overloaded_error`;
            /// in OpenAI format a `server_error` whose message says the engine is overloaded).
            case overloadedEvent = "overloaded_event"
            /// The connection is closed after `afterTokens` tokens, without ending the response.
            case disconnect
            /// One event of invalid JSON after `afterTokens` tokens; the stream then goes on.
            case malformed
            /// No bytes for `stallNanos` (nil: until the client gives up) after `afterTokens`
            /// tokens; 0 tokens means right after the response headers, before any body byte.
            case stall
        }

        public var kind: Kind
        /// Fraction of requests that get this fault, 0...1 (default 1).
        public var rate: Double
        /// Tokens sent before the fault (stream faults only; default 0).
        public var afterTokens: Int
        /// The HTTP status of a `.http` fault.
        public var status: Int
        /// How long a `.stall` lasts; nil: forever.
        public var stallNanos: UInt64?

        public init(kind: Kind, rate: Double = 1, afterTokens: Int = 0, status: Int = 500, stallNanos: UInt64? = nil) {
            self.kind = kind
            self.rate = rate
            self.afterTokens = afterTokens
            self.status = status
            self.stallNanos = stallNanos
        }
    }
}
