import Foundation
import LoadCore
import LoadEngine
import XCTest

/// Issue 11: a schedule no machine can keep (10⁹ arrivals/s) against one slot and one queue place.
/// The run must end by itself at its duration (or at once on SIGTERM), report its drops a bounded
/// number of times, and say that the schedule fell behind. The exact per-wake behaviour is tested
/// on a fake clock (RunControllerOpenLoopTests); these check it over real I/O.
final class EngineFloodTests: XCTestCase {
    private func flood(durationNanos: UInt64) -> LoadPlan {
        var next: UInt64 = 0
        return LoadPlan(mode: .open(nextArrivalNanos: { defer { next += 1 }; return next }),
                        durationNanos: durationNanos, maxInFlight: 1, maxQueued: 1)
    }

    func testAnAbsurdRateEndsAtItsDuration() throws {
        let mock = try MockHarness { $0.outputTokens = 2 }
        let engine = try Engine(template: mock.template(), plan: flood(durationNanos: 1_000_000_000))
        var reports: [DroppedArrivals] = []
        engine.onDropped = { reports.append($0) }
        var records = 0
        engine.onAttempt = { _ in records += 1 }
        let outcome = try engine.run()

        XCTAssertEqual(outcome.loopCloseStatus, 0)
        XCTAssertGreaterThan(outcome.dropped, 1_000)
        XCTAssertEqual(reports.map(\.count).reduce(0, +), outcome.dropped, "every drop reported once")
        // At most one report per 100 ms of the run, plus the one at the end; the run lasts about
        // its duration, whatever the machine's load adds.
        let seconds = Double(outcome.elapsedNanos) / 1e9
        XCTAssertLessThanOrEqual(Double(reports.count), seconds * 10 + 2, "\(reports.count) reports in \(seconds) s")
        XCTAssertTrue(outcome.stopReason?.contains("could not be kept") ?? false, outcome.stopReason ?? "no stop reason")
        XCTAssertEqual(records, outcome.started)
        XCTAssertEqual(outcome.started, outcome.completed)
    }

    func testAnAbsurdRateStopsOnSIGTERM() throws {
        let mock = try MockHarness { $0.outputTokens = 2 }
        let engine = try Engine(template: mock.template(), plan: flood(durationNanos: 3_600_000_000_000))
        engine.handlesSignals = true
        engine.tickIntervalMillis = 20
        var signalled = false
        engine.onTick = { progress in
            // Sent once the flood has dropped arrivals, i.e. once the loop is busy admitting them.
            if !signalled, progress.elapsedNanos >= 200_000_000 {
                signalled = true
                kill(getpid(), SIGTERM)
            }
        }
        var reports = 0
        engine.onDropped = { _ in reports += 1 }
        let outcome = try engine.run()

        XCTAssertTrue(signalled)
        XCTAssertEqual(outcome.interruptedBySignal, SIGTERM)
        XCTAssertEqual(outcome.loopCloseStatus, 0)
        XCTAssertGreaterThan(outcome.dropped, 1_000)
        let seconds = Double(outcome.elapsedNanos) / 1e9
        XCTAssertLessThan(seconds, 60, "ended on the signal, not after its hour")
        XCTAssertLessThanOrEqual(Double(reports), seconds * 10 + 2)
    }

    /// Issue 11: after a double interrupt the run's elapsed time was 0 (the end line said end_us 0
    /// and run.json elapsed_s 0) because cancelled attempts did not count.
    func testElapsedTimeAfterADoubleInterrupt() throws {
        let mock = try MockHarness { $0.ttft = .fixed(nanos: 10_000_000_000) }
        let plan = LoadPlan(mode: .open(nextArrivalNanos: constantArrivals(everyNanos: 50_000_000)),
                            durationNanos: 10_000_000_000)
        let engine = try Engine(template: mock.template(), plan: plan)
        engine.handlesSignals = true
        engine.tickIntervalMillis = 20
        var interrupts = 0
        engine.onTick = { progress in
            if interrupts == 0, progress.elapsedNanos >= 200_000_000 {
                interrupts = 1
                kill(getpid(), SIGINT)
            } else if interrupts == 1, progress.interrupted {
                interrupts = 2
                kill(getpid(), SIGINT)
            }
        }
        var records: [AttemptRecord] = []
        engine.onAttempt = { records.append($0) }
        let outcome = try engine.run()

        XCTAssertEqual(interrupts, 2)
        XCTAssertEqual(outcome.interruptedBySignal, SIGINT)
        XCTAssertFalse(records.isEmpty)
        XCTAssertTrue(records.allSatisfy { $0.errorClass == .cancelled && $0.cancelReason == "second interrupt" })
        XCTAssertEqual(outcome.cancelled, records.count)
        let lastEnd = try XCTUnwrap(records.map(\.endNanos).max())
        XCTAssertGreaterThanOrEqual(outcome.elapsedNanos, 200_000_000)
        XCTAssertEqual(outcome.elapsedNanos, lastEnd)
    }
}
