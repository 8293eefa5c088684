/// How open-loop arrivals are spaced around the stages' rate curve λ(t). Each process has, over
/// [0, T), an expected Λ(T) = ∫₀ᵀ λ(s) ds arrivals; they differ in how the gaps vary.
public enum ArrivalProcess: Sendable, Equatable {
    /// Even pacing (``OpenLoopSchedule``): at a constant rate r, arrivals exactly 1/r apart.
    case constant
    /// A Poisson process (``PoissonSchedule``): exponential gaps, coefficient of variation 1.
    case poisson
    /// A gamma renewal process (``GammaSchedule``): gaps with coefficient of variation
    /// 1/√burstiness; burstiness 1 is Poisson, below 1 burstier, above 1 more regular.
    case gamma(burstiness: Double)
    /// Recorded arrival times replayed as they are (``TraceSchedule``); `path` is the trace file.
    case trace(path: String, offsetsNanos: [UInt64])

    /// The profile spelling: `constant`, `poisson`, `gamma` or `trace`.
    public var name: String {
        switch self {
        case .constant: return "constant"
        case .poisson: return "poisson"
        case .gamma: return "gamma"
        case .trace: return "trace"
        }
    }

    /// The profile spellings, in the order they are listed in messages.
    public static let names = ["constant", "poisson", "gamma", "trace"]

    /// A fresh schedule of this process over the stages.
    /// - Parameters:
    ///   - stages: open-loop stages (levels are arrivals per second).
    ///   - seed: seeds the random processes (ignored by `constant`); the profile's `seed`.
    /// - Returns: an ``OpenLoopSchedule``, ``PoissonSchedule`` or ``GammaSchedule``.
    public func makeSchedule(stages: [Stage], seed: UInt64) -> any ArrivalSchedule {
        switch self {
        case .constant: return OpenLoopSchedule(stages: stages)
        case .poisson: return PoissonSchedule(stages: stages, seed: seed)
        case .gamma(let burstiness): return GammaSchedule(stages: stages, burstiness: burstiness, seed: seed)
        case .trace(_, let offsetsNanos): return TraceSchedule(offsetsNanos: offsetsNanos)
        }
    }
}
