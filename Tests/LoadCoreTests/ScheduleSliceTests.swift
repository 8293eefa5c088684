import XCTest
@testable import LoadCore

/// Slices of a schedule (`--shard i/N`): the union of the N slices is exactly the one-process
/// schedule, counts are dealt so that they add up, numbers never collide.
final class ScheduleSliceTests: XCTestCase {
    /// 2 s ramping 10..200/s, then 3 s at 150/s, then a fall to 0 over 1 s.
    private static let stages = [
        Stage(durationNanos: 2_000_000_000, level: .ramp(from: 10, to: 200)),
        Stage(durationNanos: 3_000_000_000, level: .constant(150)),
        Stage(durationNanos: 1_000_000_000, level: .ramp(from: 150, to: 0)),
    ]

    private func drain(_ schedule: any ArrivalSchedule) -> [UInt64] {
        var schedule = schedule
        var times: [UInt64] = []
        while let t = schedule.next() { times.append(t) }
        return times
    }

    /// Every process, every N: slice i holds exactly the arrivals k ≡ i (mod N) of the whole
    /// schedule, with their exact intended starts; together the slices are the whole schedule.
    func testUnionOfSlicesIsTheWholeScheduleForEveryProcess() {
        let processes: [ArrivalProcess] = [
            .constant,  // even pacing over ramps
            .poisson,  // seeded exponential gaps
            .gamma(burstiness: 0.5),  // seeded, bursty
            .trace(path: "t.csv", offsetsNanos: [0, 0, 5, 1_000, 1_000, 2_000_000, 7_000_000_000]),  // ties included
        ]
        for process in processes {
            let whole = drain(process.makeSchedule(stages: Self.stages, seed: 42))
            XCTAssertGreaterThan(whole.count, 6, process.name)
            for count in [1, 2, 3, 4, 7] {
                var union: [(k: Int, nanos: UInt64)] = []
                var total = 0
                for index in 0..<count {
                    let slice = ScheduleSlice(index: index, count: count)
                    let part = drain(SlicedArrivalSchedule(process.makeSchedule(stages: Self.stages, seed: 42), slice: slice))
                    total += part.count
                    XCTAssertEqual(part.count, slice.share(of: whole.count), "\(process.name) \(slice)")
                    for (j, nanos) in part.enumerated() {
                        union.append((Int(slice.globalNumber(local: UInt64(j))), nanos))
                    }
                }
                XCTAssertEqual(total, whole.count, "\(process.name) N=\(count)")
                let merged = union.sorted { $0.k < $1.k }
                XCTAssertEqual(merged.map(\.k), Array(0..<whole.count), "\(process.name) N=\(count)")
                XCTAssertEqual(merged.map(\.nanos), whole, "\(process.name) N=\(count): exact intended starts")
            }
        }
    }

    /// Closed loop: at every instant of a ramp up and down, the slices' users add up to the plan's
    /// and differ by at most one.
    func testUsersAddUpAtEveryInstant() {
        let plan = ClosedLoopPlan(stages: [
            Stage(durationNanos: 10_000_000_000, level: .ramp(from: 1, to: 37)),
            Stage(durationNanos: 5_000_000_000, level: .constant(37)),
            Stage(durationNanos: 10_000_000_000, level: .ramp(from: 37, to: 0)),
        ])
        for count in [1, 2, 3, 4, 5, 8, 40] {
            let slices = (0..<count).map { ScheduleSlice(index: $0, count: count) }
            var nanos: UInt64 = 0
            while nanos <= 26_000_000_000 {
                let parts = slices.map { plan.users(atNanos: nanos, in: $0) }
                XCTAssertEqual(parts.reduce(0, +), plan.users(atNanos: nanos), "N=\(count) at \(nanos) ns")
                XCTAssertLessThanOrEqual((parts.max() ?? 0) - (parts.min() ?? 0), 1, "N=\(count) at \(nanos) ns")
                nanos += 10_000_000
            }
            XCTAssertEqual(slices.map(plan.maxUsers(in:)).reduce(0, +), plan.maxUsers, "N=\(count)")
        }
    }

    func testSharesAddUp() {
        // Table: (total, count) → every slice's share, in order.
        let cases: [(Int, Int, [Int])] = [
            (10, 4, [3, 3, 2, 2]),  // uneven: the first slices take one more
            (3, 4, [1, 1, 1, 0]),  // fewer items than slices: the last get none
            (0, 3, [0, 0, 0]),  // nothing to deal
            (8, 1, [8]),  // the whole run
        ]
        for (total, count, expected) in cases {
            let shares = (0..<count).map { ScheduleSlice(index: $0, count: count).share(of: total) }
            XCTAssertEqual(shares, expected, "\(total) over \(count)")
        }
        let plan = ClosedLoopPlan(stages: [Stage(durationNanos: nil, level: .constant(4))], maxRequests: 1_001)
        XCTAssertEqual((0..<4).compactMap { plan.maxRequests(in: ScheduleSlice(index: $0, count: 4)) }.reduce(0, +), 1_001)
    }

    func testNumbersAreRunWideAndNeverCollide() {
        var seen = Set<UInt64>()
        for index in 0..<5 {
            let slice = ScheduleSlice(index: index, count: 5)
            for local in 0..<100 as Range<UInt64> {
                XCTAssertTrue(seen.insert(slice.globalNumber(local: local)).inserted)
            }
        }
        XCTAssertEqual(seen, Set(0..<500))
        XCTAssertEqual(ScheduleSlice.whole.globalNumber(local: 17 as UInt64), 17)
    }

    func testSeedsAreTheRunsForTheWholeAndDistinctPerSlice() {
        XCTAssertEqual(ScheduleSlice.whole.seed(from: 1234), 1234)
        let seeds = (0..<8).map { ScheduleSlice(index: $0, count: 8).seed(from: 1234) }
        XCTAssertEqual(Set(seeds).count, 8)
        XCTAssertNotEqual(ScheduleSlice(index: 0, count: 2).seed(from: 1234), ScheduleSlice(index: 0, count: 4).seed(from: 1234))
        // Deterministic: the same slice of the same seed draws the same stream in every process.
        XCTAssertEqual(ScheduleSlice(index: 3, count: 8).seed(from: 1234), seeds[3])
    }

    func testParse() {
        // Table: text → slice, or nil when refused.
        let cases: [(String, ScheduleSlice?)] = [
            ("0/1", .whole),
            ("3/4", ScheduleSlice(index: 3, count: 4)),
            ("4/4", nil),  // index out of range
            ("-1/4", nil),  // negative
            ("1/0", nil),  // no slices
            ("1", nil),  // no count
            ("a/b", nil),  // not numbers
            ("1/2/3", nil),  // too many parts
            ("0/10001", nil),  // too many slices
        ]
        for (text, expected) in cases {
            XCTAssertEqual(ScheduleSlice.parse(text), expected, text)
        }
    }
}
