/// Slice `index` of `count` of a run's schedule: the part one shard (a process, possibly on another
/// machine) runs, so that the slices together run exactly the one-process schedule.
///
/// - Open loop: arrival *k* of the schedule (k = 0, 1, 2, …, in order of intended start) belongs to
///   slice *k* mod *N*. Every slice draws the whole schedule from the same seed and keeps its own
///   arrivals (``SlicedArrivalSchedule``), so the union of the slices' intended starts is exactly
///   the one-process schedule, whatever the arrival process (constant, poisson, gamma, trace).
/// - Counts (closed-loop users at each instant, `max_requests`): a total *T* is dealt like the
///   arrivals, item *k* < *T* to slice *k* mod *N*; slice *i* gets ⌈(T − i)/N⌉ (0 when T ≤ i), so
///   the shares differ by at most one and add up to *T* exactly (``share(of:)``).
/// - Identities: a slice's *j*-th request (or user) is number *j*·*N* + *i* of the whole run
///   (``globalNumber(local:)``): numbers never collide across slices, and in an open loop without
///   drops request *k* is arrival *k*, so prompt selection (a function of the request number) picks
///   the same prompt for an arrival in every split.
/// - Randomness that is not part of the schedule (retry jitter, back-off) is drawn per slice from a
///   seed derived from the run's seed and the slice (``seed(from:)``).
///
/// ``whole`` (0 of 1) is the unsliced run: every formula above reduces to the identity.
public struct ScheduleSlice: Sendable, Equatable, CustomStringConvertible {
    /// The slice, from 0.
    public let index: Int
    /// The number of slices, 1 or more.
    public let count: Int

    /// The whole schedule: one process.
    public static let whole = ScheduleSlice(index: 0, count: 1)

    /// - Precondition: `0 <= index < count`.
    public init(index: Int, count: Int) {
        precondition(count >= 1 && index >= 0 && index < count, "a slice needs 0 <= index < count, got \(index)/\(count)")
        self.index = index
        self.count = count
    }

    /// True for the unsliced run (0 of 1).
    public var isWhole: Bool { count == 1 }

    /// `i/N`, the spelling of `--shard`.
    public var description: String { "\(index)/\(count)" }

    /// True when arrival (or item) `k` belongs to this slice.
    public func owns(_ k: UInt64) -> Bool { k % UInt64(count) == UInt64(index) }

    /// This slice's part of `total` items dealt in turn: ⌈(total − index) / count⌉, 0 when
    /// `total <= index`. The shares of all slices add up to `total`.
    public func share(of total: Int) -> Int {
        guard total > index else { return 0 }
        return (total - index + count - 1) / count
    }

    /// The run-wide number of this slice's `local`-th request or user: `local`·count + index.
    public func globalNumber(local: UInt64) -> UInt64 { local &* UInt64(count) &+ UInt64(index) }

    /// The run-wide number of this slice's `local`-th user.
    public func globalNumber(local: Int) -> Int { local * count + index }

    /// A seed for this slice's own random draws: `seed` itself for the whole run (so an unsliced
    /// run draws exactly as before slicing existed), else a SplitMix64 mix of the seed, the index
    /// and the count, so that slices draw independent streams.
    public func seed(from seed: UInt64) -> UInt64 {
        guard !isWhole else { return seed }
        var mixer = SplitMix64(seed: seed ^ (UInt64(count) << 32 | UInt64(index)) &* 0xD1B5_4A32_D192_ED03)
        return mixer.next()
    }

    /// Parses `i/N` (0 ≤ i < N, 1 ≤ N ≤ 10,000).
    /// - Returns: nil when `text` is not of that form.
    public static func parse(_ text: String) -> ScheduleSlice? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
              count >= 1, count <= maxCount, index >= 0, index < count
        else { return nil }
        return ScheduleSlice(index: index, count: count)
    }

    /// The most slices a run may be cut into.
    public static let maxCount = 10_000
}

/// The arrivals of one slice of an open-loop schedule: draws the whole schedule and keeps arrival
/// *k* when *k* mod *N* is the slice's index (see ``ScheduleSlice``). Costs *N* draws of the
/// underlying schedule per arrival kept, a few nanoseconds each.
public struct SlicedArrivalSchedule: ArrivalSchedule {
    private var whole: any ArrivalSchedule
    private let slice: ScheduleSlice
    /// The number of the next arrival `whole` returns.
    private var nextNumber: UInt64 = 0

    /// - Parameters:
    ///   - whole: the one-process schedule, fresh (nothing drawn yet).
    ///   - slice: the slice to keep.
    public init(_ whole: any ArrivalSchedule, slice: ScheduleSlice) {
        self.whole = whole
        self.slice = slice
    }

    /// The next intended start of the slice, nanoseconds since the origin; nil when the whole
    /// schedule is exhausted.
    public mutating func next() -> UInt64? {
        while let nanos = whole.next() {
            let number = nextNumber
            nextNumber += 1
            if slice.owns(number) { return nanos }
        }
        return nil
    }
}
