import Foundation

/// A small, fast, seeded 64-bit pseudo-random generator (Steele, Lea & Flood, "Fast Splittable
/// Pseudorandom Number Generators", OOPSLA 2014; the constants of Vigna's `splitmix64.c`).
///
/// The state advances by the golden-ratio increment γ = 0x9E3779B97F4A7C15 and each output is
/// the state passed through a bijective mixing function, so every seed (including 0) gives a
/// full-period (2⁶⁴) stream. The same seed always yields the same sequence on every platform,
/// which is what makes seeded schedules reproducible. Not cryptographically secure.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    private var state: UInt64

    /// - Parameter seed: any value; equal seeds give equal streams.
    public init(seed: UInt64) {
        self.state = seed
    }

    /// The next 64 uniformly distributed bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform draw from the half-open interval **(0, 1]**, never 0.
    ///
    /// Takes the top 53 bits b ∈ [0, 2⁵³) and returns (b + 1)·2⁻⁵³, so every result is an exact
    /// multiple of 2⁻⁵³ and the smallest is 2⁻⁵³ ≈ 1.1e-16. Excluding 0 lets callers take
    /// `log(u)` (≥ −36.7) and `u^(1/k)` without special cases.
    public mutating func nextUnitInterval() -> Double {
        Double((next() >> 11) + 1) * 0x1p-53
    }

    /// A standard normal draw N(0, 1) by the Box–Muller transform:
    /// Z = √(−2 ln U₁) · cos(2π U₂) with U₁, U₂ uniform on (0, 1]. Uses two uniforms per call
    /// (the sine partner is discarded so the stream position depends only on the call count).
    public mutating func nextStandardNormal() -> Double {
        let u1 = nextUnitInterval()
        let u2 = nextUnitInterval()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// An exponential draw with mean 1, Exp(1) = −ln U with U uniform on (0, 1] (inverse CDF);
    /// the result is finite and ≥ 0.
    public mutating func nextStandardExponential() -> Double {
        -log(nextUnitInterval())
    }

    /// A gamma draw with the given shape k and scale 1, mean k and variance k.
    ///
    /// For k ≥ 1, Marsaglia & Tsang (2000), "A Simple Method for Generating Gamma Variables":
    /// with d = k − 1/3 and c = 1/√(9d), draw Z ~ N(0, 1) and U ~ U(0, 1]; let V = (1 + cZ)³.
    /// Accept d·V when V > 0 and ln U < Z²/2 + d − d·V + d·ln V; otherwise retry. Acceptance is
    /// above 95 % for all k ≥ 1.
    ///
    /// For 0 < k < 1, the boost Gamma(k) = Gamma(k + 1) · U^(1/k) (same paper, section 6), which
    /// may underflow to exactly 0 for very small k — a valid (coincident) gamma value.
    /// - Parameter shape: k > 0 (a precondition: validate user input before calling).
    public mutating func nextGamma(shape k: Double) -> Double {
        precondition(k > 0 && k.isFinite, "gamma shape must be positive and finite, got \(k)")
        if k < 1 {
            let boosted = nextGamma(shape: k + 1)
            return boosted * pow(nextUnitInterval(), 1 / k)
        }
        let d = k - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            let z = nextStandardNormal()
            let base = 1 + c * z
            guard base > 0 else { continue }
            let v = base * base * base
            let u = nextUnitInterval()
            if log(u) < 0.5 * z * z + d - d * v + d * log(v) { return d * v }
        }
    }
}
