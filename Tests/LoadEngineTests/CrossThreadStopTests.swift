import Foundation
import LoadCore
import LoadEngine
import XCTest

/// `Engine.postStopArrivals` / `postCancelInFlight`: stops from another thread, through the
/// engine's async handle (`--workers N` broadcasts its stops this way).
final class CrossThreadStopTests: XCTestCase {
    /// A stop posted before the run starts is delivered when it starts: nothing is sent.
    func testStopPostedBeforeTheRunEndsItAtOnce() throws {
        let mock = try MockHarness { $0.ttft = .fixed(nanos: 1_000_000) }
        let plan = LoadPlan(mode: .closed(users: 2, thinkTimeNanos: 0), maxRequests: 100_000)
        let engine = try Engine(template: mock.template(), plan: plan)
        engine.acceptsCrossThreadStops = true
        engine.postStopArrivals(reason: "posted early")
        var records = 0
        engine.onAttempt = { _ in records += 1 }
        let outcome = try engine.run()
        XCTAssertEqual(outcome.stopReason, "posted early")
        XCTAssertLessThanOrEqual(outcome.started, 2, "at most the first users' requests")
        XCTAssertEqual(records, outcome.completed)
        XCTAssertEqual(outcome.loopCloseStatus, 0)
    }

    /// A cancel posted from another thread while streams run cancels them, each recorded once; a
    /// stop posted after the run has ended is ignored.
    func testCancelFromAnotherThreadCancelsWhatIsInFlight() throws {
        let mock = try MockHarness { $0.ttft = .fixed(nanos: 5_000_000_000) }
        let plan = LoadPlan(mode: .closed(users: 3, thinkTimeNanos: 0), maxRequests: 1_000)
        let engine = try Engine(template: mock.template(), plan: plan)
        engine.acceptsCrossThreadStops = true
        engine.tickIntervalMillis = 10
        let started = DispatchSemaphore(value: 0)
        var signalled = false
        engine.onTick = { progress in
            if !signalled, progress.inFlight == 3 {
                signalled = true
                started.signal()
            }
        }
        var records: [AttemptRecord] = []
        engine.onAttempt = { records.append($0) }
        let canceller = Thread {
            started.wait()
            engine.postCancelInFlight(reason: "from another thread")
        }
        canceller.start()
        let outcome = try engine.run()
        XCTAssertEqual(outcome.stopReason, "from another thread")
        XCTAssertEqual(outcome.started, 3)
        XCTAssertEqual(outcome.cancelled, 3)
        XCTAssertEqual(records.map(\.requestID).sorted(), [0, 1, 2])
        XCTAssertTrue(records.allSatisfy { $0.cancelReason == "from another thread" }, "\(records.map(\.cancelReason))")
        XCTAssertEqual(outcome.loopCloseStatus, 0)
        engine.postStopArrivals(reason: "too late")
    }
}
