extension DelaySpec {
    /// Draws one delay in nanoseconds (the mock's time to first token, per request).
    ///
    /// `.fixed` draws nothing from `generator`; `.uniform` draws in [min, max] (bounds swapped if
    /// given in the wrong order); `.normal` is Box-Muller, clamped at 0; `.exponential` is
    /// `-mean * ln(u)` for u uniform in (0, 1].
    /// - Returns: the delay, never negative, at most `UInt64.max / 2`.
    public func drawNanos(using generator: inout SplitMix64) -> UInt64 {
        switch self {
        case .fixed(let nanos):
            return nanos
        case let .uniform(a, b):
            let low = min(a, b)
            let high = max(a, b)
            if low == high { return low }
            return low + UInt64.random(in: 0...(high - low), using: &generator)
        case let .normal(meanNanos, stddevNanos):
            return Self.clampedNanos(Double(meanNanos) + generator.nextStandardNormal() * Double(stddevNanos))
        case .exponential(let meanNanos):
            return Self.clampedNanos(Double(meanNanos) * generator.nextStandardExponential())
        }
    }

    private static func clampedNanos(_ value: Double) -> UInt64 {
        guard value.isFinite, value > 0 else { return 0 }
        return value >= 9.2e18 ? UInt64.max / 2 : UInt64(value)
    }
}
