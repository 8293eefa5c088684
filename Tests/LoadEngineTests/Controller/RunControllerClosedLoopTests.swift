@testable import LoadEngine
import LoadCore
import XCTest

/// Closed-loop users on a fake clock: think time, the duration, ramps up and down, and the
/// backoff after client-side errors.
final class RunControllerClosedLoopTests: XCTestCase {
    func testUsersThinkBetweenRequestsUntilTheDuration() {
        let driver = ControllerDriver(LoadPlan(mode: .closed(users: 2, thinkTimeNanos: ms(5)), durationNanos: ms(100)))
        driver.play([ControllerStep(.begin, at: 0, [first(0, at: 0, user: 0), first(1, at: 0, user: 1),
                                                    .armWake(atNanos: ControllerDriver.t0 + ms(100))])])
        XCTAssertEqual(driver.controller.users, 2)
        let ended = driver.record(of: 0, endingAtRun: ms(20))
        XCTAssertEqual(driver.end(0, atRun: ms(20)), [.report(ended), driver.wake(ms(25))])
        driver.play([ControllerStep(.wake, at: ms(25), [first(2, at: ms(25), user: 0), driver.wake(ms(100))])])
        // User 1 would think until 104 ms: the duration ends arrivals first.
        XCTAssertEqual(ControllerDriver.reports(driver.end(1, atRun: ms(99))).count, 1)
        driver.play([ControllerStep(.wake, at: ms(100), [])])
        XCTAssertEqual(driver.phase, .arrivalsEnded)
        XCTAssertEqual(driver.end(2, atRun: ms(130)).last, .finish)
        XCTAssertEqual(driver.outcome.started, 3)
    }

    /// 1 user, then 3 from 50 ms, then 1 from 100 ms: users are added at the check after the
    /// target rises (every 10 ms) and retired as their requests end when it falls.
    func testRampUpAndDown() {
        var plan = LoadPlan(mode: .closed(users: 3, thinkTimeNanos: 0), durationNanos: ms(150))
        plan.userTarget = { $0 < ms(50) ? 1 : ($0 < ms(100) ? 3 : 1) }
        let driver = ControllerDriver(plan)
        driver.play([ControllerStep(.begin, at: 0, [first(0, at: 0, user: 0), .armWake(atNanos: ControllerDriver.t0 + ms(10))])])
        for check in [ms(10), ms(20), ms(30), ms(40)] {
            driver.play([ControllerStep(.wake, at: check, [driver.wake(check + ms(10))])])
        }
        driver.play([
            ControllerStep(.wake, at: ms(50), [first(1, at: ms(50), user: 1), first(2, at: ms(50), user: 2), driver.wake(ms(60))]),
            ControllerStep(.wake, at: ms(60), [driver.wake(ms(70))]),
            ControllerStep(.wake, at: ms(70), [driver.wake(ms(80))]),
            ControllerStep(.wake, at: ms(80), [driver.wake(ms(90))]),
            ControllerStep(.wake, at: ms(90), [driver.wake(ms(100))]),
            ControllerStep(.wake, at: ms(100), [driver.wake(ms(110))]),
        ])
        XCTAssertEqual(driver.controller.users, 1, "two to retire")
        // The first two requests to end retire their users; the third user goes on at once.
        XCTAssertEqual(ControllerDriver.starts(driver.end(0, atRun: ms(105))), [])
        XCTAssertEqual(ControllerDriver.starts(driver.end(2, atRun: ms(106))), [])
        XCTAssertEqual(ControllerDriver.starts(driver.end(1, atRun: ms(107))),
                       [AttemptStart(requestID: 3, userID: 1, intendedStartNanos: ms(107), attemptNumber: 1)])
        XCTAssertEqual(driver.controller.users, 1)
        XCTAssertEqual(driver.controller.liveUsers, 1)
        // A rise again reprieves nobody (all retired) and adds users.
    }

    /// A connection refused at once (or a client limit) makes the user wait 10 ms, 20 ms, ...
    /// (half fixed, half drawn) before its next request; any other outcome ends the streak.
    func testUsersBackOffAfterClientSideErrors() {
        var plan = LoadPlan(mode: .closed(users: 1, thinkTimeNanos: 0), durationNanos: ms(10_000))
        plan.seed = 3
        let driver = ControllerDriver(plan)
        var draws = SplitMix64(seed: RunController.backoffSeed(3))
        let backoff = ClientErrorBackoff()
        let first1 = backoff.delayNanos(streak: 1, random: &draws)
        let second = backoff.delayNanos(streak: 2, random: &draws)
        XCTAssert((ms(5)...ms(10)).contains(first1), "\(first1)")
        XCTAssert((ms(10)...ms(20)).contains(second), "\(second)")

        driver.send(.begin, atRun: 0)
        XCTAssertEqual(driver.end(0, atRun: ms(1), error: .connect, startedAtRun: ms(1)).last, driver.wake(ms(1) + first1))
        let retryAt = ms(1) + first1
        driver.play([ControllerStep(.wake, at: retryAt, [first(1, at: retryAt, user: 0), driver.wake(ms(10_000))])])
        XCTAssertEqual(driver.end(1, atRun: retryAt, error: .connect, startedAtRun: retryAt).last, driver.wake(retryAt + second))
        let thirdAt = retryAt + second
        driver.send(.wake, atRun: thirdAt)
        // A success ends the streak: the next request starts at once.
        XCTAssertEqual(ControllerDriver.starts(driver.end(2, atRun: thirdAt + ms(30))),
                       [AttemptStart(requestID: 3, userID: 0, intendedStartNanos: thirdAt + ms(30), attemptNumber: 1)])
        // A connect error after 50 ms reached the network: no backoff.
        XCTAssertEqual(ControllerDriver.starts(driver.end(3, atRun: thirdAt + ms(80), error: .connect,
                                                          startedAtRun: thirdAt + ms(30))),
                       [AttemptStart(requestID: 4, userID: 0, intendedStartNanos: thirdAt + ms(80), attemptNumber: 1)])
    }

    func testTheClientSidePredicate() {
        var record = AttemptRecord(requestID: 0, intendedStartNanos: 0, startNanos: ms(5), endNanos: ms(5) + us(999))
        record.errorClass = .connect
        XCTAssertTrue(ClientErrorBackoff.isClientSide(record))
        record.endNanos = ms(6)
        XCTAssertFalse(ClientErrorBackoff.isClientSide(record), "1 ms or more reached the network")
        record.errorClass = .http5xx
        record.endNanos = ms(5)
        XCTAssertFalse(ClientErrorBackoff.isClientSide(record))
        for limit in [ErrorClass.clientFds, .clientPorts] {
            record.errorClass = limit
            record.endNanos = ms(500)
            XCTAssertTrue(ClientErrorBackoff.isClientSide(record), "\(limit)")
        }
    }

    /// Users never drop: with one slot, the second user's first request waits for it.
    func testClosedLoopUsersWaitForASlot() {
        let driver = ControllerDriver(LoadPlan(mode: .closed(users: 2, thinkTimeNanos: 0), durationNanos: ms(100),
                                               maxInFlight: 1, maxQueued: 0))
        driver.play([ControllerStep(.begin, at: 0, [first(0, at: 0, user: 0), .armWake(atNanos: ControllerDriver.t0 + ms(100))])])
        XCTAssertEqual(driver.controller.queued, 1)
        XCTAssertEqual(ControllerDriver.starts(driver.end(0, atRun: ms(10))),
                       [AttemptStart(requestID: 1, userID: 1, intendedStartNanos: 0, attemptNumber: 1)])
        XCTAssertEqual(driver.outcome.dropped, 0)
    }
}
