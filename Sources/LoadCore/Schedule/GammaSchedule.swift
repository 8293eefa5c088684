/// Seeded gamma-renewal arrivals following the stages' rate curve: bursty (or smoother than
/// Poisson) traffic with a tunable coefficient of variation.
///
/// Cumulative targets advance by i.i.d. increments G_k ~ Gamma(shape k, scale 1/k), so
/// E[G] = k·(1/k) = 1 and Var[G] = k·(1/k)² = 1/k; each target is mapped to a time by
/// t_k = Λ⁻¹(x_k) (see ``RateCurve``). The mean increment of 1 keeps the expected number of
/// arrivals over [0, T) at Λ(T), the same as ``OpenLoopSchedule`` and ``PoissonSchedule``. At a
/// constant rate r the inter-arrival times are Gamma(k, 1/(k·r)): mean 1/r and coefficient of
/// variation CV = √Var / E = 1/√k. Hence `burstiness` = k:
///
/// - k = 1: Gamma(1, 1) = Exp(1), a Poisson process (CV 1);
/// - k < 1: burstier than Poisson, e.g. k = 0.5 gives CV √2 ≈ 1.414 (clusters and long gaps);
/// - k > 1: more regular, approaching constant pacing as k → ∞ (k = 4 gives CV 0.5).
///
/// Gamma draws use Marsaglia–Tsang for k ≥ 1 and the boost Gamma(k) = Gamma(k + 1)·U^(1/k) for
/// k < 1 (``SplitMix64/nextGamma(shape:)``), all from one ``SplitMix64`` seeded with `seed`, so the
/// same stages, burstiness and seed always give the same schedule. The first arrival is at
/// Λ⁻¹(G₁), not at 0.
public struct GammaSchedule: ArrivalSchedule, Sendable {
    /// The rate curve built from the stages.
    public let curve: RateCurve
    /// The gamma shape k; the inter-arrival CV at a constant rate is 1/√k.
    public let burstiness: Double
    private var generator: SplitMix64
    /// Cumulative expected arrivals of the last arrival returned (x_k).
    private var cumulative = 0.0

    /// - Parameters:
    ///   - stages: open-loop stages (levels are arrivals per second).
    ///   - burstiness: the gamma shape k > 0 (a precondition; the profile parser validates it).
    ///   - seed: seeds the ``SplitMix64`` that draws the increments.
    public init(stages: [Stage], burstiness: Double, seed: UInt64) {
        precondition(burstiness > 0 && burstiness.isFinite, "burstiness must be positive and finite, got \(burstiness)")
        self.curve = RateCurve(stages: stages)
        self.burstiness = burstiness
        self.generator = SplitMix64(seed: seed)
    }

    /// The next intended start offset in nanoseconds since the run origin, or nil after the last stage.
    public mutating func next() -> UInt64? {
        cumulative += generator.nextGamma(shape: burstiness) / burstiness
        return curve.time(atCumulativeArrivals: cumulative)
    }
}
