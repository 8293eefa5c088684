@testable import LoadEngine
import LoadCore
import XCTest

/// A controller running one slice of a run (`--shard i/N`) numbers its requests and users run-wide,
/// and draws its retry jitter from the slice's own seed.
final class RunControllerSliceTests: XCTestCase {
    /// Slice 1 of 4 of a 0, 10, 20, ... ms schedule: arrivals 1, 5, 9 (intended 10, 50, 90 ms) become
    /// requests 1, 5, 9, the numbers (and so the prompts) they have in the one-process run.
    func testOpenLoopRequestsKeepTheirRunWideNumbers() {
        let slice = ScheduleSlice(index: 1, count: 4)
        let whole = OpenLoopSchedule(stages: [Stage(durationNanos: ms(120), level: .constant(100))])
        var sliced = SlicedArrivalSchedule(whole, slice: slice)
        var plan = LoadPlan(mode: .open(nextArrivalNanos: { sliced.next() }), durationNanos: ms(120))
        plan.slice = slice
        let driver = ControllerDriver(plan)
        var starts: [AttemptStart] = []
        starts += ControllerDriver.starts(driver.send(.begin, atRun: 0))
        for t in [ms(10), ms(50), ms(90), ms(120)] {
            starts += ControllerDriver.starts(driver.send(.wake, atRun: t))
        }
        XCTAssertEqual(starts.map(\.requestID), [1, 5, 9])
        XCTAssertEqual(starts.map(\.intendedStartNanos), [ms(10), ms(50), ms(90)])
    }

    /// Slice 2 of 3 of 7 users: its share is users 2 and 5 of the run.
    func testClosedLoopUsersKeepTheirRunWideNumbers() {
        let slice = ScheduleSlice(index: 2, count: 3)
        var plan = LoadPlan(mode: .closed(users: slice.share(of: 7), thinkTimeNanos: 0), durationNanos: ms(100))
        plan.slice = slice
        let driver = ControllerDriver(plan)
        let starts = ControllerDriver.starts(driver.send(.begin, atRun: 0))
        XCTAssertEqual(starts.map(\.userID), [2, 5])
        XCTAssertEqual(starts.map(\.requestID), [2, 5])
    }

    /// The whole run draws its jitter from the profile's seed as before; slices from their own.
    func testRetryJitterIsSeededPerSlice() {
        func firstRetryDue(_ slice: ScheduleSlice) -> UInt64 {
            var plan = LoadPlan(mode: .open(nextArrivalNanos: arrivals([0])), durationNanos: ms(10_000))
            plan.retry = RetryPolicy(maxAttempts: 2, backoffBaseNanos: ms(1_000), honorRetryAfter: false)
            plan.seed = 99
            plan.slice = slice
            let driver = ControllerDriver(plan)
            let id = ControllerDriver.starts(driver.send(.begin, atRun: 0))[0].requestID
            driver.end(id, atRun: ms(1), error: .http5xx)
            return driver.running.isEmpty ? (driver.controller.retries.firstDueNanos ?? 0) : 0
        }
        var generator = SplitMix64(seed: 99)
        let expected = RetryPolicy(maxAttempts: 2, backoffBaseNanos: ms(1_000), honorRetryAfter: false)
            .delayNanos(afterAttempt: 1, retryAfterMillis: nil, random: &generator)
        XCTAssertEqual(firstRetryDue(.whole), ms(1) + expected)
        XCTAssertNotEqual(firstRetryDue(ScheduleSlice(index: 0, count: 2)), firstRetryDue(.whole))
    }
}
