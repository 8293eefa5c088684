/// The piecewise-linear arrival rate λ(t) of a list of open-loop stages, and the inverse of its
/// integral.
///
/// The cumulative expected arrivals are Λ(t) = ∫₀ᵗ λ(s) ds. Within a stage of length D that ramps
/// linearly from r₀ to r₁ (arrivals per second), starting at time T with Λ(T) = C:
///
///     Λ(T + t) = C + r₀·t + (r₁ − r₀)·t² / (2D),      0 ≤ t < D
///
/// Solving Λ(T + t) = C + m for t gives the quadratic a·t² + r₀·t − m = 0 with a = (r₁ − r₀)/(2D):
///
///     t = 2m / (r₀ + √(r₀² + 4·a·m))
///
/// This form (the conjugate of the textbook root) is numerically stable, valid for rising and
/// falling ramps, and needs no special case for r₀ = 0 except m = 0 (t = 0). For a constant rate
/// it reduces to t = m / r₀.
///
/// Any arrival process is a sequence of cumulative targets x₀ ≤ x₁ ≤ … mapped through Λ⁻¹:
/// x_k = k gives evenly paced arrivals; x_k = x_{k−1} + Exp(1) gives a Poisson process of intensity λ(t)
/// (the time-rescaling theorem).
public struct RateCurve: Sendable {
    struct Segment: Sendable {
        var startNanos: UInt64
        var durationNanos: UInt64?
        var fromRate: Double
        var toRate: Double
        /// Λ at the segment start.
        var startArrivals: Double
        /// Expected arrivals within the segment (infinite when unbounded).
        var arrivals: Double
    }

    let segments: [Segment]

    /// Builds the curve. A stage without a duration is unbounded and runs at its final level.
    /// - Parameter stages: open-loop stages; levels are arrivals per second.
    public init(stages: [Stage]) {
        var segments: [Segment] = []
        var startNanos: UInt64 = 0
        var cumulative = 0.0
        for stage in stages {
            guard let durationNanos = stage.durationNanos else {
                let rate = stage.level.end
                segments.append(Segment(startNanos: startNanos, durationNanos: nil, fromRate: rate, toRate: rate,
                                        startArrivals: cumulative, arrivals: rate > 0 ? .infinity : 0))
                break
            }
            let seconds = Double(durationNanos) / 1e9
            let arrivals = (stage.level.start + stage.level.end) / 2 * seconds
            segments.append(Segment(startNanos: startNanos, durationNanos: durationNanos,
                                    fromRate: stage.level.start, toRate: stage.level.end,
                                    startArrivals: cumulative, arrivals: arrivals))
            cumulative += arrivals
            startNanos += durationNanos
        }
        self.segments = segments
    }

    /// Expected total arrivals over all stages (infinite when the last stage is unbounded).
    public var totalArrivals: Double {
        guard let last = segments.last else { return 0 }
        return last.startArrivals + last.arrivals
    }

    /// The end of the last stage in nanoseconds, or nil when it is unbounded.
    public var endNanos: UInt64? {
        guard let last = segments.last else { return 0 }
        return last.durationNanos.map { last.startNanos + $0 }
    }

    /// Λ⁻¹(x): the time at which the expected cumulative arrivals reach `x`.
    /// - Returns: nanoseconds since the run origin, or nil when `x` is at or beyond the end of the
    ///   last stage (the interval of each stage is half-open, [start, end)).
    public func time(atCumulativeArrivals x: Double) -> UInt64? {
        for segment in segments {
            let m = x - segment.startArrivals
            // Half-open: an arrival exactly on a boundary belongs to the next stage.
            guard m < segment.arrivals - 1e-9 else { continue }
            return segment.startNanos + Self.offsetNanos(segment: segment, arrivals: max(m, 0))
        }
        return nil
    }

    static func offsetNanos(segment: Segment, arrivals m: Double) -> UInt64 {
        if m <= 0 { return 0 }
        let r0 = segment.fromRate
        let r1 = segment.toRate
        let nanos: Double
        if r0 == r1 || segment.durationNanos == nil {
            nanos = m * 1e9 / r0
        } else {
            let seconds = Double(segment.durationNanos ?? 0) / 1e9
            let discriminant = max(r0 * r0 + 2 * (r1 - r0) * m / seconds, 0)
            nanos = 2 * m / (r0 + discriminant.squareRoot()) * 1e9
        }
        var result = UInt64(max(nanos.rounded(), 0))
        if let duration = segment.durationNanos, result >= duration { result = duration - 1 }
        return result
    }
}
