import LoadCore

/// What a `MockServer` serves: the behaviour a profile's `target.mock` describes (delays, tokens,
/// injected errors and faults, rate limits, capacity: LoadCore's `Profile.MockSettings`, used as
/// is), the seed of its draws and its event loop threads. `settings.dialect` only tells loadgen
/// which route to use: the mock serves every dialect at once.
public struct MockConfig: Sendable, Equatable {
    /// The behaviour.
    public var settings: Profile.MockSettings
    /// Seed for the delay, error and fault draws (loop i draws from `seed + i`).
    public var seed: UInt64
    /// Event loop threads; 0 means one per core.
    public var threads: Int

    public init(settings: Profile.MockSettings = MockConfig.immediate, seed: UInt64 = 1, threads: Int = 0) {
        self.settings = settings
        self.seed = seed
        self.threads = threads
    }

    /// No delays and 16 tokens a completion: the tests' defaults.
    public static let immediate = Profile.MockSettings(ttft: .fixed(nanos: 0), interTokenNanos: 0, outputTokens: 16)
}
