/// Seeded Poisson arrivals following the stages' rate curve: a non-homogeneous Poisson process of
/// intensity λ(t).
///
/// By the time-rescaling theorem, if x₁ < x₂ < … is a unit-rate Poisson process (increments
/// x_k − x_{k−1} i.i.d. Exp(1), with x₀ = 0), then t_k = Λ⁻¹(x_k) is a Poisson process of
/// intensity λ(t), where Λ(t) = ∫₀ᵗ λ(s) ds (see ``RateCurve``). So over [0, T) the count is
/// Poisson with mean Λ(T), and at a constant rate r the inter-arrival times are Exp(r): mean 1/r,
/// coefficient of variation (standard deviation / mean) exactly 1.
///
/// Exp(1) is drawn as −ln U with U uniform on (0, 1] from a ``SplitMix64`` seeded with `seed`,
/// so the same stages and seed always give the same schedule. Unlike ``OpenLoopSchedule`` the
/// first arrival is not at 0 but at Λ⁻¹(Exp(1)).
public struct PoissonSchedule: ArrivalSchedule, Sendable {
    /// The rate curve built from the stages.
    public let curve: RateCurve
    private var generator: SplitMix64
    /// Cumulative expected arrivals of the last arrival returned (x_k).
    private var cumulative = 0.0

    /// - Parameters:
    ///   - stages: open-loop stages (levels are arrivals per second).
    ///   - seed: seeds the ``SplitMix64`` that draws the increments.
    public init(stages: [Stage], seed: UInt64) {
        self.curve = RateCurve(stages: stages)
        self.generator = SplitMix64(seed: seed)
    }

    /// The next intended start offset in nanoseconds since the run origin, or nil after the last stage.
    public mutating func next() -> UInt64? {
        cumulative += generator.nextStandardExponential()
        return curve.time(atCumulativeArrivals: cumulative)
    }
}
