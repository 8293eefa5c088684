import Foundation
import LoadCore
import LoadEngine
import XCTest

/// `Engine.drainGraceMillis`: after an early stop, what is still in flight when the grace period
/// ends is cancelled, each attempt recorded once.
final class EngineDrainGraceTests: XCTestCase {
    /// A 2 s TTFT, 20 arrivals/s, stopped at 300 ms with 200 ms of grace: nothing can finish, so
    /// every started request is cancelled about 500 ms in, not 2 s later.
    func testGraceCancelsWhatIsStillInFlight() throws {
        let mock = try MockHarness { $0.ttft = .fixed(nanos: 2_000_000_000) }
        let plan = LoadPlan(mode: .open(nextArrivalNanos: constantArrivals(everyNanos: 50_000_000)),
                            durationNanos: 10_000_000_000)
        let engine = try Engine(template: mock.template(), plan: plan)
        engine.drainGraceMillis = 200
        engine.tickIntervalMillis = 20
        var stoppedAtNanos: UInt64?
        engine.onTick = { progress in
            if stoppedAtNanos == nil, progress.elapsedNanos >= 300_000_000 {
                stoppedAtNanos = progress.elapsedNanos
                engine.stopArrivals(reason: "test")
            }
        }
        var records: [AttemptRecord] = []
        engine.onAttempt = { records.append($0) }
        let outcome = try engine.run()

        XCTAssertTrue(outcome.graceExpired)
        XCTAssertEqual(outcome.stopReason, "test")
        XCTAssertEqual(outcome.loopCloseStatus, 0)
        XCTAssertEqual(records.map(\.requestID).sorted(), Array(0..<UInt64(outcome.started)), "one record per request")
        XCTAssertTrue(records.allSatisfy { $0.errorClass == .cancelled })
        XCTAssertEqual(outcome.cancelled, outcome.started)
        // Arrivals every 50 ms until the stop (at 300 ms or a little later on a loaded machine): none
        // intended after it, at most one per 50 ms before it.
        let stopped = try XCTUnwrap(stoppedAtNanos)
        XCTAssertGreaterThan(outcome.started, 0)
        XCTAssertLessThanOrEqual(outcome.started, Int(stopped / 50_000_000) + 1, "arrivals at 0, 50, ... ms: \(outcome.started)")
        XCTAssertTrue(records.allSatisfy { $0.intendedStartNanos <= stopped })
        let ended = try XCTUnwrap(records.map(\.endNanos).max())
        // The grace timer has libuv's millisecond resolution; allow for a loaded machine.
        XCTAssert((190_000_000...700_000_000).contains(ended - stopped), "cancelled \(Double(ended - stopped) / 1e6) ms after the stop")
    }

    /// Requests that finish within the grace period are not cancelled, and the grace timer does
    /// not keep the run alive after the last one.
    func testRequestsFinishingWithinTheGraceAreKept() throws {
        let mock = try MockHarness { $0.ttft = .fixed(nanos: 100_000_000) }
        let plan = LoadPlan(mode: .open(nextArrivalNanos: constantArrivals(everyNanos: 50_000_000)),
                            durationNanos: 10_000_000_000)
        let engine = try Engine(template: mock.template(), plan: plan)
        engine.drainGraceMillis = 5_000
        engine.tickIntervalMillis = 20
        var stopped = false
        engine.onTick = { progress in
            if !stopped, progress.elapsedNanos >= 300_000_000 {
                stopped = true
                engine.stopArrivals(reason: "test")
            }
        }
        var records: [AttemptRecord] = []
        engine.onAttempt = { records.append($0) }
        let started = Date()
        let outcome = try engine.run()
        XCTAssertLessThan(Date().timeIntervalSince(started), 2, "ends with the last request, not the grace")
        XCTAssertFalse(outcome.graceExpired)
        XCTAssertEqual(outcome.cancelled, 0)
        XCTAssertEqual(records.count, outcome.started)
        XCTAssertTrue(records.allSatisfy(\.succeeded))
    }
}
