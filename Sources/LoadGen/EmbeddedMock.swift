import LoadCore
import MockProvider

/// The in-process mock provider a profile with `provider: mock` runs against.
enum EmbeddedMock {
    /// Starts the mock on a free loopback port and returns it with its API root.
    static func start(_ settings: Profile.MockSettings, seed: UInt64) throws -> (server: MockServer, baseURL: String) {
        var config = MockConfig()
        config.ttft = delay(settings.ttft)
        config.interTokenDelayNanos = settings.interTokenNanos
        config.outputTokens = settings.outputTokens
        config.errorRate = settings.errorRate
        config.errorStatus = settings.errorStatus
        config.seed = seed
        let server = MockServer(config: config)
        let port = try server.start(host: "127.0.0.1", port: 0)
        return (server, "http://127.0.0.1:\(port)/v1")
    }

    static func delay(_ spec: DelaySpec) -> MockDelay {
        switch spec {
        case .fixed(let nanos): return .fixed(nanos: nanos)
        case let .uniform(minNanos, maxNanos): return .uniform(minNanos: minNanos, maxNanos: maxNanos)
        case let .normal(meanNanos, stddevNanos): return .normal(meanNanos: meanNanos, stddevNanos: stddevNanos)
        case .exponential(let meanNanos): return .exponential(meanNanos: meanNanos)
        }
    }
}
