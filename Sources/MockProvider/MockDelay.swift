#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A delay drawn for each request (used for time to first token).
public enum MockDelay: Sendable, Equatable {
    /// Always `nanos`.
    case fixed(nanos: UInt64)
    /// Uniform in [`minNanos`, `maxNanos`] (bounds swapped if given in the wrong order).
    case uniform(minNanos: UInt64, maxNanos: UInt64)
    /// Gaussian (Box-Muller), clamped at 0.
    case normal(meanNanos: UInt64, stddevNanos: UInt64)
    /// Exponential with the given mean: `-mean * ln(1 - u)` for u uniform in [0, 1).
    case exponential(meanNanos: UInt64)

    /// Draws one delay in nanoseconds.
    ///
    /// - Parameter generator: the random source; `.fixed` does not consume from it.
    /// - Returns: the delay in nanoseconds, never negative.
    public func drawNanos<G: RandomNumberGenerator>(using generator: inout G) -> UInt64 {
        switch self {
        case .fixed(let nanos):
            return nanos
        case .uniform(let a, let b):
            let low = min(a, b)
            let high = max(a, b)
            if low == high { return low }
            return low + UInt64.random(in: 0...(high - low), using: &generator)
        case .normal(let meanNanos, let stddevNanos):
            // Box-Muller: z = sqrt(-2 ln u1) * cos(2 pi u2), u1 in (0, 1].
            let u1 = 1.0 - Self.unitInterval(&generator)
            let u2 = Self.unitInterval(&generator)
            let z = (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
            return Self.clampedNanos(Double(meanNanos) + z * Double(stddevNanos))
        case .exponential(let meanNanos):
            let u = Self.unitInterval(&generator)
            return Self.clampedNanos(-Double(meanNanos) * log(1.0 - u))
        }
    }

    private static func unitInterval<G: RandomNumberGenerator>(_ generator: inout G) -> Double {
        Double(generator.next() >> 11) * 0x1.0p-53
    }

    private static func clampedNanos(_ value: Double) -> UInt64 {
        guard value.isFinite, value > 0 else { return 0 }
        return value >= 1.8e19 ? UInt64.max / 2 : UInt64(value)
    }
}
