/// A source of intended request start times for open-loop load.
///
/// Implementations are pure and deterministic given their inputs (and seed, for random ones),
/// so tests can drive them without a clock. ``OpenLoopSchedule`` paces evenly; ``PoissonSchedule``
/// and ``GammaSchedule`` draw seeded random gaps. All map cumulative arrival targets to times
/// through ``RateCurve``; ``ArrivalProcess/makeSchedule(stages:seed:)`` picks one.
public protocol ArrivalSchedule {
    /// The next intended start offset in nanoseconds since the run origin, non-decreasing;
    /// nil once the schedule is exhausted.
    mutating func next() -> UInt64?
}
