/// The provider format a route speaks. The mock serves every dialect at once, each at the path of
/// the provider it imitates.
enum MockDialect: Equatable {
    /// `POST /v1/chat/completions`: OpenAI Chat Completions.
    case openAI
    /// `POST /openai/v1/chat/completions` (Groq's own path): OpenAI format plus `x_groq`.
    case groq
    /// `POST /v1/messages`: Anthropic Messages.
    case anthropic

    /// The dialect of a request path, or nil for a path that is not a completion route.
    init?(path: Substring) {
        switch path {
        case "/v1/chat/completions": self = .openAI
        case "/openai/v1/chat/completions": self = .groq
        case "/v1/messages": self = .anthropic
        default: return nil
        }
    }
}
