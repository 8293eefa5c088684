import XCTest
@testable import LoadCore

final class OpenLoopScheduleTests: XCTestCase {
    private func drain(_ stages: [Stage]) -> [UInt64] {
        var schedule = OpenLoopSchedule(stages: stages)
        var times: [UInt64] = []
        while let t = schedule.next() { times.append(t) }
        return times
    }

    func testConstantRateHasExactSpacing() {
        // 200/s over 10 s: 2000 arrivals, 5 ms apart, first at 0.
        let times = drain([Stage(durationNanos: 10_000_000_000, level: .constant(200))])
        XCTAssertEqual(times.count, 2000)
        XCTAssertEqual(times.first, 0)
        for (i, t) in times.enumerated() { XCTAssertEqual(t, UInt64(i) * 5_000_000) }
    }

    func testRampFromZero() {
        // 0 → 100/s over 60 s: ∫ = 3000 arrivals; N(30 s) = 750, a quarter.
        let times = drain([Stage(durationNanos: 60_000_000_000, level: .ramp(from: 0, to: 100))])
        XCTAssertEqual(Double(times.count), 3000, accuracy: 30)
        let firstHalf = times.filter { $0 < 30_000_000_000 }.count
        XCTAssertEqual(Double(firstHalf) / Double(times.count), 0.25, accuracy: 0.01)
        XCTAssertEqual(times, times.sorted())
        XCTAssertLessThan(times.last ?? 0, 60_000_000_000)
    }

    func testStageBoundariesAreContinuous() {
        // 10/s for 1 s then 10/s for 1 s must look like 10/s for 2 s.
        let split = drain([
            Stage(durationNanos: 1_000_000_000, level: .constant(10)),
            Stage(durationNanos: 1_000_000_000, level: .constant(10)),
        ])
        let whole = drain([Stage(durationNanos: 2_000_000_000, level: .constant(10))])
        XCTAssertEqual(split, whole)
        // A ramp ending at 50 followed by 50/s: the spacing across the boundary is ~20 ms.
        let ramp = drain([
            Stage(durationNanos: 2_000_000_000, level: .ramp(from: 10, to: 50)),
            Stage(durationNanos: 1_000_000_000, level: .constant(50)),
        ])
        XCTAssertEqual(ramp.count, 60 + 50)
        let gaps = zip(ramp.dropFirst(), ramp).map { Double($0 - $1) / 1e6 }
        for gap in gaps[58...] { XCTAssertEqual(gap, 20, accuracy: 0.5) }  // across the boundary at index 59
    }

    func testFractionalStageCarriesOver() {
        // 3/s for 0.5 s (1.5 arrivals) then 3/s: still evenly paced at 333.3 ms.
        let times = drain([
            Stage(durationNanos: 500_000_000, level: .constant(3)),
            Stage(durationNanos: 1_500_000_000, level: .constant(3)),
        ])
        XCTAssertEqual(times, [0, 333_333_333, 666_666_667, 1_000_000_000, 1_333_333_333, 1_666_666_667])
    }

    func testPlannedArrivals() {
        XCTAssertEqual(OpenLoopSchedule(stages: [Stage(durationNanos: 60_000_000_000, level: .ramp(from: 0, to: 100))])
            .plannedArrivals, 3000)
    }

    func testClosedLoopPlan() {
        let plan = ClosedLoopPlan(stages: [
            Stage(durationNanos: 10_000_000_000, level: .ramp(from: 1, to: 11)),
            Stage(durationNanos: 5_000_000_000, level: .constant(64)),
        ])
        XCTAssertEqual(plan.users(atNanos: 0), 1)
        XCTAssertEqual(plan.users(atNanos: 5_000_000_000), 6)
        XCTAssertEqual(plan.users(atNanos: 12_000_000_000), 64)
        XCTAssertEqual(plan.users(atNanos: 15_000_000_000), 0)
        XCTAssertEqual(plan.endNanos, 15_000_000_000)
        XCTAssertEqual(plan.maxUsers, 64)
        let open = ClosedLoopPlan(stages: [Stage(durationNanos: nil, level: .constant(100))], maxRequests: 500)
        XCTAssertNil(open.endNanos)
        XCTAssertEqual(open.users(atNanos: 1_000_000_000_000), 100)
    }
}
