import LoadCore
import LoadEngine
import XCTest

/// The engine reads the mock's send stamps (docs/client-check.md): one measurement delay per token
/// received, and nothing at all from a stream without stamps. Real sockets, no timing figures.
final class MeasurementDelayTests: XCTestCase {
    func testStampedStreamsGiveOneDelayPerToken() throws {
        let mock = try MockHarness { settings in
            settings.stamp = true
            settings.interTokenNanos = 1_000_000
            settings.outputTokens = 8
        }
        let (records, outcome) = try mock.run(LoadPlan(mode: .closed(users: 4, thinkTimeNanos: 0), maxRequests: 20))
        XCTAssertEqual(outcome.completed, 20)
        XCTAssertEqual(records.count, 20)
        for record in records {
            XCTAssertTrue(record.succeeded, "\(record)")
            XCTAssertEqual(record.measurementDelaysMicros.count, record.countedOutputTokens, "\(record)")
            XCTAssertEqual(record.countedOutputTokens, 8)
            // A delay is never negative (the engine clamps it at 0) and, on one host, far below a
            // minute: a stamp read as garbage would show here.
            XCTAssertTrue(record.measurementDelaysMicros.allSatisfy { $0 < 60_000_000 }, "\(record.measurementDelaysMicros)")
        }
        let recorder = RunRecorder()
        records.forEach(recorder.record)
        XCTAssertEqual(recorder.histogram(.measurementDelay).totalCount, 160)
        XCTAssertEqual(Report(recorder: recorder).overall.measurementDelay?.count, 160)
    }

    func testStreamsWithoutStampsRecordNoDelay() throws {
        let mock = try MockHarness { settings in settings.outputTokens = 8 }
        let (records, _) = try mock.run(LoadPlan(mode: .closed(users: 2, thinkTimeNanos: 0), maxRequests: 6))
        XCTAssertEqual(records.count, 6)
        XCTAssertTrue(records.allSatisfy { $0.succeeded && $0.measurementDelaysMicros.isEmpty })
        let recorder = RunRecorder()
        records.forEach(recorder.record)
        XCTAssertNil(Report(recorder: recorder).overall.measurementDelay)
        XCTAssertFalse(SummaryTable.render(recorder).contains("measurement delay"))
    }

    /// The loop's busy fraction comes from libuv's idle-time metric (libuv 1.39 and later).
    func testOutcomeCarriesTheLoopBusyFraction() throws {
        let mock = try MockHarness { settings in settings.outputTokens = 4 }
        let (_, outcome) = try mock.run(LoadPlan(mode: .closed(users: 2, thinkTimeNanos: 0), maxRequests: 4))
        let busy = try XCTUnwrap(outcome.loopBusyFraction, "libuv's idle-time metric")
        XCTAssertTrue((0...1).contains(busy), "\(busy)")
    }
}
