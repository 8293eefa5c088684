import LoadCore
import MockProvider

/// The in-process mock provider a profile with `provider: mock` runs against.
enum EmbeddedMock {
    /// Starts the mock on a free loopback port and returns it with the API root of the dialect it
    /// is to speak (`/v1` for OpenAI and Anthropic, `/openai/v1` for Groq, as the real providers).
    static func start(_ settings: Profile.MockSettings, seed: UInt64) throws -> (server: MockServer, baseURL: String) {
        var config = MockConfig()
        config.ttft = delay(settings.ttft)
        config.interTokenDelayNanos = settings.interTokenNanos
        config.outputTokens = settings.outputTokens
        config.errorRate = settings.errorRate
        config.errorStatus = settings.errorStatus
        config.faults = settings.faults.map(fault)
        config.seed = seed
        config.rateLimit = settings.rateLimit.map(rateLimit)
        config.capacity = settings.capacity.map { settings in
            var capacity = MockCapacity(maxConcurrent: settings.streams, maxQueue: settings.queue)
            capacity.rejectStatus = settings.rejectStatus
            return capacity
        }
        let server = MockServer(config: config)
        let port = try server.start(host: "127.0.0.1", port: 0)
        let root = settings.dialect == .groq ? "/openai/v1" : "/v1"
        return (server, "http://127.0.0.1:\(port)\(root)")
    }

    static func fault(_ settings: Profile.MockFault) -> MockFault {
        let kind: MockFault.Kind
        switch settings.kind {
        case .http: kind = .http
        case .errorEvent: kind = .errorEvent
        case .overloadedEvent: kind = .overloadedEvent
        case .disconnect: kind = .disconnect
        case .malformed: kind = .malformed
        case .stall: kind = .stall
        }
        return MockFault(kind: kind, rate: settings.rate, afterTokens: settings.afterTokens, status: settings.status,
                         stallNanos: settings.stallNanos)
    }

    static func rateLimit(_ settings: Profile.MockRateLimitSettings) -> MockRateLimit {
        var limit = MockRateLimit(requestsPerMinute: settings.requestsPerMinute, tokensPerMinute: settings.tokensPerMinute)
        limit.inputTokensPerMinute = settings.inputTokensPerMinute
        limit.outputTokensPerMinute = settings.outputTokensPerMinute
        limit.burstNanos = settings.burstNanos
        limit.headerFamily = settings.headers.map { $0 == .anthropic ? .anthropic : .openai }
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
