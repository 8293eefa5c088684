import LoadCore

extension APIDialect {
    /// The dialect of a mock request path, or nil for a path that is not a completion route. The
    /// mock serves every dialect at once, each at the path of the provider it imitates:
    /// `/v1/chat/completions` (OpenAI), `/openai/v1/chat/completions` (Groq: OpenAI plus `x_groq`),
    /// `/v1/messages` (Anthropic Messages).
    init?(mockPath path: Substring) {
        switch path {
        case "/v1/chat/completions": self = .openAI
        case "/openai/v1/chat/completions": self = .groq
        case "/v1/messages": self = .anthropic
        default: return nil
        }
    }

    /// The API root the mock serves this dialect under (`/v1`; Groq's `/openai/v1`).
    public var mockAPIRoot: String {
        self == .groq ? "/openai/v1" : "/v1"
    }
}
