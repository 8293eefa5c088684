import LoadCore
import MockProvider

/// The in-process mock provider a profile with `provider: mock` runs against.
enum EmbeddedMock {
    /// Starts the mock on a free loopback port, serving `settings` as they are, and returns it with
    /// the API root of the dialect it is to speak (`/v1` for OpenAI and Anthropic, `/openai/v1` for
    /// Groq, as the real providers).
    static func start(_ settings: Profile.MockSettings, seed: UInt64) throws -> (server: MockServer, baseURL: String) {
        let server = MockServer(config: MockConfig(settings: settings, seed: seed))
        let port = try server.start(host: "127.0.0.1", port: 0)
        return (server, "http://127.0.0.1:\(port)\(settings.dialect.mockAPIRoot)")
    }
}
