extension Profile {
    /// Which API a profile drives.
    public enum Provider: String, Sendable, Equatable, CaseIterable {
        /// The embedded mock server (no network, no key); it speaks the dialect `mock.dialect` names.
        case mock
        /// api.openai.com (or `base_url`), Chat Completions.
        case openai
        /// api.anthropic.com (or `base_url`), Messages.
        case anthropic
        /// api.groq.com (or `base_url`), OpenAI Chat Completions with Groq's `x_groq` usage.
        case groq
        /// Any server speaking OpenAI Chat Completions: vLLM, TGI, Ollama, LiteLLM...
        case openaiCompatible = "openai-compatible"

        /// The API root used when `base_url` is not given (nil: the profile must give one, or the
        /// engine starts the mock).
        public var defaultBaseURL: String? {
            switch self {
            case .openai: return "https://api.openai.com/v1"
            case .anthropic: return "https://api.anthropic.com/v1"
            case .groq: return "https://api.groq.com/openai/v1"
            case .openaiCompatible, .mock: return nil
            }
        }

        /// The key variable used when `api_key_env` is not given (nil: no key is sent).
        public var defaultKeyEnv: String? {
            switch self {
            case .openai: return "OPENAI_API_KEY"
            case .anthropic: return "ANTHROPIC_API_KEY"
            case .groq: return "GROQ_API_KEY"
            case .openaiCompatible, .mock: return nil
            }
        }

        /// A model name for examples in error messages.
        var exampleModel: String {
            switch self {
            case .openai, .openaiCompatible: return "gpt-4o-mini"
            case .anthropic: return "claude-sonnet-4-5"
            case .groq: return "llama-3.1-8b-instant"
            case .mock: return "mock-small"
            }
        }
    }

    /// `target:` — the API under test.
    public struct Target: Sendable, Equatable {
        /// The OpenAI API root used when `base_url` is not given.
        public static let openAIBaseURL = "https://api.openai.com/v1"
        /// The key variable used for provider openai when `api_key_env` is not given.
        public static let openAIKeyEnv = "OPENAI_API_KEY"
        /// The `anthropic-version` header sent when `anthropic_version` is not given.
        public static let defaultAnthropicVersion = "2023-06-01"

        public var provider: Provider
        /// The model name sent in requests (default `mock-small` for the mock).
        public var model: String
        /// API root, e.g. `http://127.0.0.1:8000/v1`; nil for the mock (the engine starts it).
        public var baseURL: String?
        /// Name of the environment variable holding the API key; nil: send no key.
        public var apiKeyEnv: String?
        /// The embedded mock's behaviour; non-nil exactly when `provider` is `.mock`.
        public var mock: MockSettings?
        /// The `anthropic-version` header (provider anthropic, and the mock speaking Anthropic).
        public var anthropicVersion = Target.defaultAnthropicVersion
        /// A PEM file of CA certificates to verify the server with (`ca_file`, relative to the
        /// profile); nil: the system's store.
        public var caFile: String?
        /// HTTP/1.1 (one stream per connection) or HTTP/2 (multiplexed) (`http: 1.1 | 2`, default 1.1).
        public var http: HTTPVersion = .http1_1
        /// `headers`: custom headers sent with every request, in the order written.
        public var headers: [HeaderField] = []

        public init(provider: Provider, model: String, baseURL: String? = nil, apiKeyEnv: String? = nil,
                    mock: MockSettings? = nil) {
            self.provider = provider
            self.model = model
            self.baseURL = baseURL
            self.apiKeyEnv = apiKeyEnv
            self.mock = mock
        }

        /// The wire format: the provider's, or for the mock the one it is told to speak.
        public var dialect: APIDialect {
            switch provider {
            case .openai, .openaiCompatible: return .openAI
            case .anthropic: return .anthropic
            case .groq: return .groq
            case .mock: return mock?.dialect ?? .openAI
            }
        }
    }
}
