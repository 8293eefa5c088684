/// The wire format of a provider's API: how requests are written and how responses are read.
public enum APIDialect: String, Sendable, Equatable, CaseIterable {
    /// OpenAI Chat Completions: `POST {base}/chat/completions`, `Authorization: Bearer`, `data:`
    /// chunks ending with `data: [DONE]`. Also every OpenAI-compatible server.
    case openAI = "openai"
    /// Anthropic Messages: `POST {base}/messages`, `x-api-key` and `anthropic-version` headers,
    /// typed events (`message_start` ... `message_stop`).
    case anthropic
    /// Groq: OpenAI Chat Completions plus `x_groq` (usage with queue time) on the final chunk.
    case groq

    /// The event that ends a complete stream, as error messages name it.
    public var endMarker: String {
        switch self {
        case .openAI, .groq: return "[DONE]"
        case .anthropic: return "message_stop"
        }
    }

    /// The request path appended to the API root.
    public var requestPath: String {
        switch self {
        case .openAI, .groq: return "chat/completions"
        case .anthropic: return "messages"
        }
    }
}
