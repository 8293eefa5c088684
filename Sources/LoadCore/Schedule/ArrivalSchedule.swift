/// A source of intended request start times for open-loop load.
///
/// Implementations are pure and deterministic given their inputs (and seed, for random ones),
/// so tests can drive them without a clock. The constant-rate ``OpenLoopSchedule`` is the first;
/// a Poisson or gamma process plugs in by conforming to this protocol, typically reusing
/// ``RateCurve`` to map cumulative arrival counts to times.
public protocol ArrivalSchedule {
    /// The next intended start offset in nanoseconds since the run origin, non-decreasing;
    /// nil once the schedule is exhausted.
    mutating func next() -> UInt64?
}
