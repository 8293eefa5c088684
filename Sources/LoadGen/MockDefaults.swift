import LoadCore

/// The mock's behaviour when nothing is said: the same for `loadgen mock` as for a profile's
/// `target.mock` (``Profile/MockSettings``), so that a run against either looks alike.
enum MockDefaults {
    static let ttftNanos: UInt64 = {
        if case .fixed(let nanos) = Profile.MockSettings().ttft { return nanos }
        return 200_000_000
    }()
    static let interTokenNanos = Profile.MockSettings().interTokenNanos
    static let outputTokens = Profile.MockSettings().outputTokens
}
