// STUB: to be replaced by the real parser.
/// Parses OpenAI chat-completions stream events.
public struct OpenAIStreamParser {
    public init() {}

    /// Interprets one SSE event of a chat-completions stream.
    public mutating func parse(_ event: SSEEvent) -> StreamUpdate { StreamUpdate() }

    /// Interprets a non-streamed chat-completions response body.
    public static func parseCompletion(_ body: [UInt8]) -> StreamUpdate { StreamUpdate() }
}
