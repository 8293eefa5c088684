/// Deterministic, evenly paced open-loop arrivals following the stages' rate curve.
///
/// Arrival k (k = 0, 1, 2, …) is intended at the time t_k where the integral of the rate reaches
/// k: Λ(t_k) = k (see ``RateCurve`` for Λ and its inverse). At a constant rate r this is
/// t_k = k / r, so 200/s over 10 s yields 2000 arrivals at 0, 5 ms, …, 9.995 s. Over a linear
/// ramp from r₀ to r₁ across D seconds, Λ(t) = r₀·t + (r₁ − r₀)·t²/(2D) and t_k is the positive
/// root of that quadratic. Because Λ is accumulated across stages, spacing is continuous at stage
/// boundaries. Each stage covers [start, end); the first arrival is at 0.
public struct OpenLoopSchedule: ArrivalSchedule, Sendable {
    /// The rate curve built from the stages.
    public let curve: RateCurve
    private var nextIndex: UInt64 = 0

    /// - Parameter stages: open-loop stages (levels are arrivals per second).
    public init(stages: [Stage]) {
        self.curve = RateCurve(stages: stages)
    }

    /// The next intended start offset in nanoseconds since the run origin, or nil after the last stage.
    public mutating func next() -> UInt64? {
        guard let nanos = curve.time(atCumulativeArrivals: Double(nextIndex)) else { return nil }
        nextIndex += 1
        return nanos
    }

    /// Expected number of arrivals (rounded up), or nil when the last stage is unbounded.
    public var plannedArrivals: Int? {
        let total = curve.totalArrivals
        guard total.isFinite else { return nil }
        return Int((total - 1e-9).rounded(.up))
    }
}
