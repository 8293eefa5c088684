// STUB: to be replaced by the SwiftNIO server.

/// A delay drawn for each request (used for time to first token).
public enum MockDelay: Sendable, Equatable {
    case fixed(nanos: UInt64)
    case uniform(minNanos: UInt64, maxNanos: UInt64)
    case normal(meanNanos: UInt64, stddevNanos: UInt64)
    case exponential(meanNanos: UInt64)
}

/// The mock provider's behaviour.
public struct MockConfig: Sendable, Equatable {
    /// Time from the request's arrival to the first content token.
    public var ttft: MockDelay = .fixed(nanos: 0)
    /// Delay between consecutive tokens.
    public var interTokenDelayNanos: UInt64 = 0
    /// Tokens per completion (a request's smaller max_tokens wins).
    public var outputTokens: Int = 16
    /// Fraction of requests (0...1) answered with `errorStatus` instead of a completion.
    public var errorRate: Double = 0
    /// Status used for injected errors.
    public var errorStatus: Int = 500
    /// Event loop threads; 0 means one per core.
    public var threads: Int = 0
    /// Seed for the delay and error draws.
    public var seed: UInt64 = 1

    public init() {}
}

/// An OpenAI-compatible streaming chat-completions server for tests, benchmarks and the quick start.
public final class MockServer {
    public let config: MockConfig

    public init(config: MockConfig) {
        self.config = config
    }

    /// Binds and starts serving. Port 0 picks a free port. Returns the bound port.
    public func start(host: String = "127.0.0.1", port: Int = 0) throws -> Int { 0 }

    /// Stops accepting, closes connections and joins the event loop threads.
    public func shutdown() {}
}
