@testable import LoadEngine
import LoadCore
import XCTest

/// The open loop on a fake clock: starts at their intended times, the wait queue, drops counted
/// together, `max_requests`, the duration, and a schedule faster than any machine.
final class RunControllerOpenLoopTests: XCTestCase {
    func testArrivalsStartAtTheirIntendedTimesAndTheRunEndsWithTheLastAttempt() {
        let driver = ControllerDriver(LoadPlan(mode: .open(nextArrivalNanos: arrivals([0, ms(10), ms(20), ms(30)])),
                                               durationNanos: ms(30)))
        driver.play([ControllerStep(.begin, at: 0, [first(0, at: 0), .armWake(atNanos: ControllerDriver.t0 + ms(10))])])
        XCTAssertEqual(driver.origin, ControllerDriver.t0)
        XCTAssertEqual(driver.phase, .running)
        driver.play([
            ControllerStep(.wake, at: ms(10), [first(1, at: ms(10)), driver.wake(ms(20))]),
            ControllerStep(.wake, at: ms(20), [first(2, at: ms(20)), driver.wake(ms(30))]),
            // The arrival at 30 ms is at the duration: arrivals end, what runs goes on.
            ControllerStep(.wake, at: ms(30), []),
        ])
        XCTAssertEqual(driver.phase, .arrivalsEnded)
        XCTAssertEqual(ControllerDriver.reports(driver.end(0, atRun: ms(35))).map(\.requestID), [0])
        driver.end(1, atRun: ms(40))
        XCTAssertEqual(driver.end(2, atRun: ms(40) + us(1)).last, .finish)
        XCTAssertEqual(driver.phase, .finished)
        XCTAssertEqual(driver.outcome.started, 3)
        XCTAssertEqual(driver.outcome.completed, 3)
        XCTAssertEqual(driver.outcome.elapsedNanos, ms(40) + us(1))
    }

    func testALateWakeStartsEveryDueArrivalWithItsOwnIntendedStart() {
        let driver = ControllerDriver(LoadPlan(mode: .open(nextArrivalNanos: arrivals([0, ms(10), ms(20), ms(30)])),
                                               durationNanos: ms(100)))
        driver.send(.begin, atRun: 0)
        driver.play([ControllerStep(.wake, at: ms(25) + us(3), [first(1, at: ms(10)), first(2, at: ms(20)), driver.wake(ms(30))])])
    }

    /// One slot, one queue place: the second arrival waits (keeping its intended start), the rest
    /// are dropped and reported together once 100 ms after the first drop.
    func testQueueThenDropsCountedTogether() {
        let driver = ControllerDriver(LoadPlan(mode: .open(nextArrivalNanos: arrivals((0..<1_000).map { ms($0) })),
                                               durationNanos: ms(1_000), maxInFlight: 1, maxQueued: 1))
        driver.play([ControllerStep(.begin, at: 0, [first(0, at: 0), .armWake(atNanos: ControllerDriver.t0 + ms(1))])])
        driver.play([
            ControllerStep(.wake, at: ms(1), [driver.wake(ms(2))]),  // queued
            ControllerStep(.wake, at: ms(2), [driver.wake(ms(3))]),  // the first drop
        ])
        XCTAssertEqual(driver.controller.queued, 1)
        for millis in UInt64(3)...101 {
            driver.play([ControllerStep(.wake, at: ms(millis), [driver.wake(ms(millis + 1))])])
        }
        driver.play([ControllerStep(.wake, at: ms(102), [
            .dropped(DroppedArrivals(count: 101, firstIntendedNanos: ms(2), lastIntendedNanos: ms(102))),
            driver.wake(ms(103)),
        ])])
        // The slot frees: the queued arrival starts with its intended start of 1 ms.
        driver.play([ControllerStep(.attemptEnded(driver.record(of: 0, endingAtRun: ms(102) + us(500))),
                                    at: ms(102) + us(500),
                                    [.report(driver.record(of: 0, endingAtRun: ms(102) + us(500)))])])
        driver.play([ControllerStep(.settle, at: ms(102) + us(500), [first(1, at: ms(1))])])
        // The next arrival takes the free queue place; a stop then leaves it never started.
        driver.play([
            ControllerStep(.wake, at: ms(103), [driver.wake(ms(104))]),
            ControllerStep(.wake, at: ms(104), [driver.wake(ms(105))]),
            // A stop reports the drops so far at once.
            ControllerStep(.stopArrivals(reason: "test"), at: ms(104) + us(200), [
                .dropped(DroppedArrivals(intendedNanos: ms(104))), .disarmWake,
            ]),
        ])
        XCTAssertEqual(driver.end(1, atRun: ms(110)).last, .finish)
        XCTAssertEqual(driver.outcome.dropped, 102)
        XCTAssertEqual(driver.outcome.neverStarted, 1)
        XCTAssertEqual(driver.outcome.stopReason, "test")
    }

    func testMaxRequestsEndsArrivals() {
        var plan = LoadPlan(mode: .open(nextArrivalNanos: arrivals((0..<100).map { ms($0) })), durationNanos: ms(100))
        plan.maxRequests = 2
        let driver = ControllerDriver(plan)
        driver.play([ControllerStep(.begin, at: 0, [first(0, at: 0), .armWake(atNanos: ControllerDriver.t0 + ms(1))])])
        driver.play([
            ControllerStep(.wake, at: ms(1), [first(1, at: ms(1)), driver.wake(ms(2))]),
            ControllerStep(.wake, at: ms(2), []),
        ])
        XCTAssertEqual(driver.phase, .arrivalsEnded)
        driver.end(0, atRun: ms(3))
        XCTAssertEqual(driver.end(1, atRun: ms(4)).last, .finish)
    }

    /// A sparse schedule ends at the duration, not at the next arrival after it.
    func testTheDurationEndsArrivalsWhenItComes() {
        let driver = ControllerDriver(LoadPlan(mode: .open(nextArrivalNanos: arrivals([0, ms(8_000)])),
                                               durationNanos: ms(5_000)))
        driver.play([
            ControllerStep(.begin, at: 0, [first(0, at: 0), .armWake(atNanos: ControllerDriver.t0 + ms(5_000))]),
            ControllerStep(.wake, at: ms(5_000), []),
        ])
        XCTAssertEqual(driver.phase, .arrivalsEnded)
        XCTAssertNil(driver.outcome.stopReason)
        XCTAssertEqual(driver.end(0, atRun: ms(5_001)).last, .finish)
    }

    /// A schedule of 10⁹ arrivals/s against one slot and one queue place (issue 11): each wake admits
    /// at most its budget and re-arms at once, so signals and I/O get their turn; the drops are
    /// reported at most every 100 ms; and at the duration arrivals end, saying the schedule fell behind.
    func testAnAbsurdRateIsAdmittedInBoundedBatchesAndEndsAtTheDuration() {
        var next: UInt64 = 0
        let plan = LoadPlan(mode: .open(nextArrivalNanos: { defer { next += 1 }; return next }),
                            durationNanos: ms(200), maxInFlight: 1, maxQueued: 1)
        var tuning = RunController.Tuning()
        tuning.maxAdmissionsPerWake = 64
        let driver = ControllerDriver(plan, tuning: tuning)
        driver.send(.begin, atRun: 0)
        var reports: [DroppedArrivals] = []
        var run: UInt64 = 0
        var wakes = 0
        while driver.phase == .running {
            run += us(100)
            let before = driver.outcome.started + driver.outcome.dropped + driver.controller.queued
            let commands = driver.send(.wake, atRun: run)
            wakes += 1
            let admitted = driver.outcome.started + driver.outcome.dropped + driver.controller.queued - before
            XCTAssertLessThanOrEqual(admitted, 64)
            reports += commands.compactMap { if case .dropped(let drops) = $0 { return drops } else { return nil } }
            if driver.phase == .running, case .armWake(let at) = commands.last {
                if at > driver.now { XCTFail("re-armed for \(at) at \(driver.now), not at once"); break }
            } else if driver.phase == .running {
                XCTFail("not re-armed at \(run): \(commands)")
                break
            }
        }
        XCTAssertEqual(run, ms(200), "arrivals end at the duration")
        XCTAssertEqual(wakes, 2_000)
        XCTAssertEqual(driver.phase, .arrivalsEnded)
        XCTAssertEqual(reports.count, 2, "100 ms after the first drop, and at the end: \(reports)")
        XCTAssertEqual(reports.map(\.count).reduce(0, +), driver.outcome.dropped)
        // 64 admissions per wake plus the first arrival at the origin; one started, one queued.
        XCTAssertEqual(driver.outcome.dropped, 2_000 * 64 + 1 - 2)
        XCTAssertTrue(driver.outcome.stopReason?.contains("could not be kept") ?? false, "\(driver.outcome.stopReason ?? "nil")")
        driver.end(0, atRun: run + us(1))
        XCTAssertEqual(driver.end(1, atRun: run + us(2)).last, .finish)
    }

    /// A loop merely behind its schedule at the duration (slots free) still offers every arrival
    /// intended before it, late, in batches of the wake's budget.
    func testArrivalsBehindTheScheduleAtTheDurationAreStillOffered() {
        var tuning = RunController.Tuning()
        tuning.maxAdmissionsPerWake = 4
        let driver = ControllerDriver(LoadPlan(mode: .open(nextArrivalNanos: arrivals((0..<20).map { ms($0) })),
                                               durationNanos: ms(10)), tuning: tuning)
        driver.send(.begin, atRun: 0)
        let late = driver.send(.wake, atRun: ms(15))
        XCTAssertEqual(late, [first(1, at: ms(1)), first(2, at: ms(2)), first(3, at: ms(3)), first(4, at: ms(4)),
                              driver.wake(ms(5))], "four, then at once again (the next is overdue)")
        driver.send(.wake, atRun: ms(15) + us(100))
        XCTAssertEqual(driver.phase, .running)
        let last = driver.send(.wake, atRun: ms(15) + us(200))
        XCTAssertEqual(ControllerDriver.starts(last).map(\.intendedStartNanos), [ms(9)])
        XCTAssertEqual(driver.phase, .arrivalsEnded)
        XCTAssertEqual(driver.outcome.started, 10)
        XCTAssertNil(driver.outcome.stopReason)
    }

    /// The same flood without an end in sight stops on SIGTERM at once.
    func testASignalStopsAFlood() {
        var next: UInt64 = 0
        let plan = LoadPlan(mode: .open(nextArrivalNanos: { defer { next += 1 }; return next }),
                            durationNanos: ms(3_600_000), maxInFlight: 1, maxQueued: 1)
        let driver = ControllerDriver(plan)
        driver.send(.begin, atRun: 0)
        for step in UInt64(1)...10 { driver.send(.wake, atRun: us(100 * step)) }
        let dropped = driver.outcome.dropped
        driver.play([ControllerStep(.signal(SIGTERM), at: ms(1) + us(50), [
            .dropped(DroppedArrivals(count: dropped, firstIntendedNanos: 2, lastIntendedNanos: UInt64(dropped + 1))),
            .disarmWake,
        ])])
        XCTAssertEqual(driver.outcome.neverStarted, 1, "the queued arrival")
        XCTAssertEqual(driver.outcome.interruptedBySignal, SIGTERM)
        XCTAssertEqual(driver.end(0, atRun: ms(2)).last, .finish)
    }
}
