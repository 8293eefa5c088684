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
    /// Token-bucket rate limits (429 with `retry-after` when exceeded); nil: none.
    public var rateLimit: MockRateLimit?
    /// Completions generated at once, the rest queued; nil: unlimited.
    public var capacity: MockCapacity?

    public init() {}
}
