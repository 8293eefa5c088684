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
        config.rateLimit = settings.rateLimit.map(rateLimit)
        config.capacity = settings.capacity.map { settings in
            var capacity = MockCapacity(maxConcurrent: settings.streams, maxQueue: settings.queue)
            capacity.rejectStatus = settings.rejectStatus
            return capacity
        }
        let server = MockServer(config: config)
        let port = try server.start(host: "127.0.0.1", port: 0)
        return (server, "http://127.0.0.1:\(port)/v1")
    }

    static func rateLimit(_ settings: Profile.MockRateLimitSettings) -> MockRateLimit {
        var limit = MockRateLimit(requestsPerMinute: settings.requestsPerMinute, tokensPerMinute: settings.tokensPerMinute)
        limit.inputTokensPerMinute = settings.inputTokensPerMinute
        limit.outputTokensPerMinute = settings.outputTokensPerMinute
        limit.burstNanos = settings.burstNanos
        limit.headerFamily = settings.headers == .anthropic ? .anthropic : .openai
        return limit
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
