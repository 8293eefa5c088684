import LoadCore
import XCTest

@testable import LoadGen

/// The live display's client line: the loop's busy fraction over the last ticks, the start lag of
/// the last seconds, and the verdict's rules on them (docs/client-check.md).
final class LiveClientWarningTests: XCTestCase {
    func testBusyFractionComesFromTheTicksIdleTime() {
        var window = LiveWindow()
        // 2 s of loop time, 0.1 s of it idle: 95 % busy.
        window.recordTick(elapsedNanos: 0, started: 0, successes: 0, loopNanos: 1_000_000_000, loopIdleNanos: 500_000_000)
        window.recordTick(elapsedNanos: 1_000_000_000, started: 5, successes: 5, loopNanos: 2_000_000_000,
                          loopIdleNanos: 550_000_000)
        window.recordTick(elapsedNanos: 2_000_000_000, started: 10, successes: 10, loopNanos: 3_000_000_000,
                          loopIdleNanos: 600_000_000)
        let snapshot = window.snapshot(atNanos: 2_000_000_000)
        XCTAssertEqual(snapshot.loopBusyFraction ?? 0, 0.95, accuracy: 1e-9)
        XCTAssertEqual(RunDisplay.liveClientWarning(snapshot, errors: [:]), "client: saturated (loop busy 95 %)")
    }

    func testQuietLoopShowsNothingAndUnknownIdleTimeIsNoVerdict() {
        var window = LiveWindow()
        window.recordTick(elapsedNanos: 0, started: 0, successes: 0, loopNanos: 0, loopIdleNanos: 0)
        window.recordTick(elapsedNanos: 1_000_000_000, started: 5, successes: 5, loopNanos: 1_000_000_000,
                          loopIdleNanos: 900_000_000)
        XCTAssertNil(RunDisplay.liveClientWarning(window.snapshot(atNanos: 1_000_000_000), errors: [:]))
        var unknown = LiveWindow()
        unknown.recordTick(elapsedNanos: 0, started: 0, successes: 0)
        unknown.recordTick(elapsedNanos: 1_000_000_000, started: 5, successes: 5)
        XCTAssertNil(unknown.snapshot(atNanos: 1_000_000_000).loopBusyFraction)
        XCTAssertEqual(RunDisplay.liveClientWarning(unknown.snapshot(atNanos: 1_000_000_000), errors: [.clientPorts: 2]),
                       "client: saturated (2 client_ports errors (out of local ports))")
    }

    func testStartLagOfTheLastSeconds() {
        var window = LiveWindow()
        for id in 0..<10 {
            // Every start 80 ms late.
            var attempt = AttemptRecord(requestID: UInt64(id), intendedStartNanos: 100_000_000,
                                        startNanos: 180_000_000, endNanos: 500_000_000)
            attempt.status = 200
            window.record(attempt)
        }
        let snapshot = window.snapshot(atNanos: 900_000_000)
        XCTAssertEqual(snapshot.startLagP90Millis ?? 0, 80, accuracy: 1)
        XCTAssertEqual(RunDisplay.liveClientWarning(snapshot, errors: [:]), "client: saturated (start lag p90 80 ms, p99 80 ms)")
    }
}
