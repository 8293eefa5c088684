/// The response parser of one dialect: what the engine holds per transfer, so that it reads every
/// provider the same way.
///
/// OpenAI and Groq streams go to `OpenAIStreamParser` (which also reads Groq's `x_groq`),
/// Anthropic streams to `AnthropicStreamParser`. Non-streamed bodies go to their parsers'
/// whole-body functions.
public struct ProviderStreamParser {
    /// The dialect being read.
    public let dialect: APIDialect
    private var openAI = OpenAIStreamParser()
    private var anthropic = AnthropicStreamParser()

    public init(dialect: APIDialect) {
        self.dialect = dialect
    }

    /// Interprets one SSE event of a streamed response.
    public mutating func parse(_ event: SSEEvent) -> StreamUpdate {
        switch dialect {
        case .openAI, .groq: return openAI.parse(event)
        case .anthropic: return anthropic.parse(event)
        }
    }

    /// Interprets one borrowed SSE event (`SSEDecoder.feedBorrowed`): as `parse(_:)` does, without
    /// copying ordinary events.
    public mutating func parse(_ event: SSEEventView) -> StreamUpdate {
        switch dialect {
        case .openAI, .groq: return openAI.parse(event)
        case .anthropic: return anthropic.parse(event)
        }
    }

    /// Forgets everything of the previous stream (Anthropic's running usage totals).
    public mutating func reset() {
        if dialect == .anthropic { anthropic = AnthropicStreamParser() }
    }

    /// Interprets a whole non-streamed response body of `dialect`.
    public static func parseBody(_ body: [UInt8], dialect: APIDialect) -> StreamUpdate {
        switch dialect {
        case .openAI, .groq: return OpenAIStreamParser.parseCompletion(body)
        case .anthropic: return AnthropicStreamParser.parseMessage(body)
        }
    }
}
