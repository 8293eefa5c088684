/// A delay that may vary per request: fixed, or drawn from a distribution (by the seeded RNG).
///
/// In YAML: `200ms`, `{uniform: [100ms, 300ms]}`, `{normal: {mean: 200ms, stddev: 20ms}}`,
/// `{exponential: 200ms}` (the mean).
public enum DelaySpec: Sendable, Equatable {
    case fixed(nanos: UInt64)
    case uniform(minNanos: UInt64, maxNanos: UInt64)
    /// Truncated at 0 when sampled.
    case normal(meanNanos: UInt64, stddevNanos: UInt64)
    case exponential(meanNanos: UInt64)

    /// The expected delay in nanoseconds.
    public var meanNanos: UInt64 {
        switch self {
        case .fixed(let nanos): return nanos
        case let .uniform(minNanos, maxNanos): return minNanos + (maxNanos - minNanos) / 2
        case .normal(let meanNanos, _): return meanNanos
        case .exponential(let meanNanos): return meanNanos
        }
    }
}
