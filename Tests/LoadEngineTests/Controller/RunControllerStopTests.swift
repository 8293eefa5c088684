@testable import LoadEngine
import LoadCore
import XCTest

/// Retries, early stops, the drain grace, signals and warm-up on a fake clock.
final class RunControllerStopTests: XCTestCase {
    private func everyTenMillis(maxInFlight: Int = 10, grace: UInt64? = nil) -> ControllerDriver {
        ControllerDriver(LoadPlan(mode: .open(nextArrivalNanos: arrivals((0..<100).map { ms(10 * $0) })),
                                  durationNanos: ms(1_000), maxInFlight: maxInFlight, maxQueued: 10),
                         graceNanos: grace)
    }

    /// A 5xx waits its drawn backoff; a 429 with retry-after waits exactly that; the last attempt
    /// is not retried.
    func testRetriesWaitTheirBackoffOrRetryAfter() {
        var plan = LoadPlan(mode: .open(nextArrivalNanos: arrivals([0])), durationNanos: ms(1_000))
        plan.retry = RetryPolicy(maxAttempts: 3, backoffBaseNanos: ms(100), backoffMaxNanos: ms(1_000))
        plan.seed = 7
        var draws = SplitMix64(seed: 7)
        let backoff = plan.retry!.delayNanos(afterAttempt: 1, retryAfterMillis: nil, random: &draws)
        let driver = ControllerDriver(plan)
        driver.play([ControllerStep(.begin, at: 0, [first(0, at: 0)])])
        XCTAssertEqual(driver.phase, .arrivalsEnded, "the schedule had one arrival")

        var failed = driver.record(of: 0, endingAtRun: ms(10), error: .http5xx)
        failed.willRetry = true
        XCTAssertEqual(driver.end(0, atRun: ms(10), error: .http5xx), [.report(failed), driver.wake(ms(10) + backoff)])
        let second = AttemptStart(requestID: 0, userID: nil, intendedStartNanos: ms(10) + backoff, attemptNumber: 2)
        driver.play([ControllerStep(.wake, at: ms(10) + backoff, [.start(second)])])

        let limited = ms(10) + backoff + ms(40)
        XCTAssertEqual(driver.end(0, atRun: limited, error: .http429, retryAfterMillis: 250).last, driver.wake(limited + ms(250)))
        let third = AttemptStart(requestID: 0, userID: nil, intendedStartNanos: limited + ms(250), attemptNumber: 3)
        driver.play([ControllerStep(.wake, at: limited + ms(250), [.start(third)])])

        let last = driver.end(0, atRun: limited + ms(300), error: .http5xx)
        XCTAssertEqual(ControllerDriver.reports(last).map(\.willRetry), [false])
        XCTAssertEqual(last.last, .finish)
        XCTAssertEqual(driver.outcome.retries, 2)
        XCTAssertEqual(driver.outcome.started, 3)
    }

    /// stopArrivals: what waits never starts, what runs is cancelled at the grace deadline with
    /// the stop's reason in its record.
    func testStopArrivalsThenGraceExpires() {
        let driver = everyTenMillis(maxInFlight: 2, grace: ms(200))
        driver.send(.begin, atRun: 0)
        driver.send(.wake, atRun: ms(10))
        driver.send(.wake, atRun: ms(20))
        XCTAssertEqual(driver.controller.queued, 1)
        driver.play([ControllerStep(.stopArrivals(reason: "budget"), at: ms(25), [driver.wake(ms(225))])])
        XCTAssertEqual(driver.phase, .stopping(.init(interrupts: 0, graceDeadlineNanos: driver.origin + ms(225))))
        XCTAssertEqual(driver.outcome.neverStarted, 1)
        let reason = CancelReason.graceExpired(graceNanos: ms(200), stopReason: "budget")
        XCTAssertEqual(reason.text, "grace period (200ms) over after: budget")
        driver.play([ControllerStep(.wake, at: ms(225), [.cancelInFlight(reason)])])
        let ended = driver.cancelRunning(reason, atRun: ms(225))
        XCTAssertEqual(ControllerDriver.reports(ended).map(\.cancelReason), [reason.text, reason.text])
        XCTAssertEqual(ended.last, .finish)
        XCTAssertTrue(driver.outcome.graceExpired)
        XCTAssertEqual(driver.outcome.cancelled, 2)
        XCTAssertEqual(driver.outcome.stopReason, "budget")
        XCTAssertEqual(driver.outcome.elapsedNanos, ms(225))
    }

    /// What finishes within the grace keeps the run from waiting for the deadline.
    func testAttemptsEndingWithinTheGraceEndTheRun() {
        let driver = everyTenMillis(grace: ms(200))
        driver.send(.begin, atRun: 0)
        driver.send(.stopArrivals(reason: "threshold"), atRun: ms(5))
        XCTAssertEqual(driver.end(0, atRun: ms(50)).last, .finish)
        XCTAssertFalse(driver.outcome.graceExpired)
        XCTAssertEqual(driver.outcome.cancelled, 0)
    }

    /// The first interrupt stops arrivals; the second cancels what runs, and the run's elapsed time
    /// is the cancellation's (issue 11: it was 0).
    func testDoubleInterrupt() {
        let driver = everyTenMillis()
        driver.send(.begin, atRun: 0)
        driver.send(.wake, atRun: ms(10))
        driver.play([ControllerStep(.signal(SIGINT), at: ms(15), [.disarmWake])])
        XCTAssertEqual(driver.phase, .stopping(.init(interrupts: 1, graceDeadlineNanos: nil)))
        XCTAssertTrue(driver.controller.progress(at: driver.now).interrupted)
        driver.play([ControllerStep(.signal(SIGINT), at: ms(40), [.cancelInFlight(.secondInterrupt)])])
        let ended = driver.cancelRunning(.secondInterrupt, atRun: ms(40))
        XCTAssertEqual(ControllerDriver.reports(ended).map(\.cancelReason), ["second interrupt", "second interrupt"])
        XCTAssertEqual(ended.last, .finish)
        XCTAssertEqual(driver.outcome.elapsedNanos, ms(40))
        XCTAssertEqual(driver.outcome.interruptedBySignal, SIGINT)
        XCTAssertNil(driver.outcome.stopReason)
    }

    /// A stop from a callback, then an interrupt: the interrupt counts as the first.
    func testAnInterruptAfterAStopIsTheFirst() {
        let driver = everyTenMillis()
        driver.send(.begin, atRun: 0)
        driver.send(.stopArrivals(reason: "budget"), atRun: ms(1))
        driver.play([ControllerStep(.signal(SIGTERM), at: ms(2), [])])
        driver.play([ControllerStep(.signal(SIGTERM), at: ms(3), [.cancelInFlight(.secondInterrupt)])])
    }

    func testCancelInFlightGivesItsReason() {
        let driver = everyTenMillis()
        driver.send(.begin, atRun: 0)
        driver.play([ControllerStep(.cancelInFlight(reason: "disk full"), at: ms(4),
                                    [.cancelInFlight(.requested("disk full")), .disarmWake])])
        let ended = driver.cancelRunning(.requested("disk full"), atRun: ms(4))
        XCTAssertEqual(ControllerDriver.reports(ended).map(\.cancelReason), ["disk full"])
        XCTAssertEqual(ended.last, .finish)
        XCTAssertEqual(driver.outcome.stopReason, "disk full")
    }

    /// A retry waiting for its backoff never starts after a stop; its record keeps `willRetry`.
    func testAStopDropsWaitingRetries() {
        var plan = LoadPlan(mode: .open(nextArrivalNanos: arrivals([0])), durationNanos: ms(1_000))
        plan.retry = RetryPolicy(maxAttempts: 3)
        let driver = ControllerDriver(plan)
        driver.send(.begin, atRun: 0)
        XCTAssertEqual(ControllerDriver.reports(driver.end(0, atRun: ms(1), error: .http5xx)).map(\.willRetry), [true])
        XCTAssertEqual(driver.send(.stopArrivals(reason: "test"), atRun: ms(2)), [.disarmWake, .finish])
        XCTAssertEqual(driver.outcome.neverStarted, 1)
    }

    /// Warm-up: the origin is set when the last warm-up connection answered, and the schedule starts there.
    func testWarmupGatesTheOrigin() {
        var plan = LoadPlan(mode: .open(nextArrivalNanos: arrivals([0, ms(5)])), durationNanos: ms(100))
        plan.warmupConnections = 2
        let driver = ControllerDriver(plan)
        driver.play([
            ControllerStep(.begin, at: 0, [.openWarmup(connections: 2)]),
            ControllerStep(.warmupEnded, at: ms(3), []),
        ])
        XCTAssertEqual(driver.phase, .warmingUp)
        XCTAssertEqual(driver.origin, 0)
        driver.play([ControllerStep(.warmupEnded, at: ms(8), [first(0, at: 0), .armWake(atNanos: ControllerDriver.t0 + ms(13))])])
        XCTAssertEqual(driver.origin, ControllerDriver.t0 + ms(8))
        XCTAssertEqual(driver.phase, .running)
    }

    /// An interrupt during warm-up ends the run when the warm-up connections have answered.
    func testAnInterruptDuringWarmup() {
        var plan = LoadPlan(mode: .open(nextArrivalNanos: arrivals([0])), durationNanos: ms(100))
        plan.warmupConnections = 1
        let driver = ControllerDriver(plan)
        driver.send(.begin, atRun: 0)
        driver.play([
            ControllerStep(.signal(SIGINT), at: ms(1), []),
            ControllerStep(.warmupEnded, at: ms(2), [.finish]),
        ])
        XCTAssertEqual(driver.outcome.started, 0)
    }
}
