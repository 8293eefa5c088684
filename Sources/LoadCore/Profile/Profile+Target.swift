extension Profile {
    /// Which API a profile drives.
    public enum Provider: String, Sendable, Equatable, CaseIterable {
        /// The embedded mock server (no network, no key).
        case mock
        /// api.openai.com (or `base_url`), Chat Completions.
        case openai
        /// Any server speaking OpenAI Chat Completions: vLLM, TGI, Ollama, LiteLLM...
        case openaiCompatible = "openai-compatible"
    }

    /// `target:` — the API under test.
    public struct Target: Sendable, Equatable {
        /// The OpenAI API root used when `base_url` is not given.
        public static let openAIBaseURL = "https://api.openai.com/v1"
        /// The key variable used for provider openai when `api_key_env` is not given.
        public static let openAIKeyEnv = "OPENAI_API_KEY"

        public var provider: Provider
        /// The model name sent in requests (default `mock-small` for the mock).
        public var model: String
        /// API root, e.g. `http://127.0.0.1:8000/v1`; nil for the mock (the engine starts it).
        public var baseURL: String?
        /// Name of the environment variable holding the API key; nil: send no key.
        public var apiKeyEnv: String?
        /// The embedded mock's behaviour; non-nil exactly when `provider` is `.mock`.
        public var mock: MockSettings?
        /// A PEM file of CA certificates to verify the server with (`ca_file`, relative to the
        /// profile); nil: the system's store.
        public var caFile: String?
        /// HTTP/1.1 (one stream per connection) or HTTP/2 (multiplexed) (`http: 1.1 | 2`, default 1.1).
        public var http: HTTPVersion = .http1_1

        public init(provider: Provider, model: String, baseURL: String? = nil, apiKeyEnv: String? = nil,
                    mock: MockSettings? = nil) {
            self.provider = provider
            self.model = model
            self.baseURL = baseURL
            self.apiKeyEnv = apiKeyEnv
            self.mock = mock
        }
    }
}
