import Foundation
import XCTest
@testable import LoadCore

/// Counted `dropped` lines (issue 11: drops in floods were a line each) and `cancel_reason`: written,
/// read back on both reader paths, old one-line drops still read, and a counted line's arrivals
/// spread over the report's time bins.
final class DroppedArrivalsTests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "dropped-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private let header = RunHeader(profile: "flood", startedAt: Date(timeIntervalSince1970: 1_800_000_000),
                                   loadgenVersion: "test", curlVersion: nil, uvVersion: nil, seed: 1, command: [])

    func testCountedAndSingleDropsRoundTrip() throws {
        let path = directory + "/events.ndjson"
        let writer = try EventLogWriter(path: path, header: header)
        try writer.appendDropped(DroppedArrivals(count: 5_000, firstIntendedNanos: 1_000, lastIntendedNanos: 99_000_000))
        try writer.appendDropped(DroppedArrivals(intendedNanos: 100_000_000))
        var cancelled = AttemptRecord(requestID: 3, intendedStartNanos: 0, startNanos: 1_000, endNanos: 2_000)
        cancelled.errorClass = .cancelled
        cancelled.cancelReason = "grace period (30s) over after: max_cost_usd \"5\" reached"
        try writer.append(cancelled)
        try writer.appendEnd(endNanos: 200_000_000)
        try writer.close()

        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.contains(#"{"type":"dropped","intended_us":1.0,"count":5000,"last_intended_us":99000.0}"#), text)
        XCTAssertTrue(text.contains(#"{"type":"dropped","intended_us":100000.0}"#), "one drop keeps the old form")
        XCTAssertTrue(text.contains(#""dropped":5001"#), "the end line counts arrivals, not lines")

        let reader = try EventLogReader(path: path)
        XCTAssertEqual(try reader.next(), .droppedArrivals(
            DroppedArrivals(count: 5_000, firstIntendedNanos: 1_000, lastIntendedNanos: 99_000_000)))
        XCTAssertEqual(try reader.next(), .dropped(intendedNanos: 100_000_000))
        XCTAssertEqual(try reader.next(), .attempt(cancelled))
        XCTAssertEqual(try reader.next(), .end(RunEnd(attempts: 1, successes: 0, endNanos: 200_000_000, dropped: 5_001)))
        XCTAssertEqual(reader.warnings, [])

        // The scanner (fast path) reads cancel_reason too.
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("cancel_reason") })
        XCTAssertEqual(Array(line.utf8).withUnsafeBufferPointer { EventLineScanner.decode($0) }, .attempt(cancelled))
    }

    func testBadCountedLinesAreRefusedWithTheirReason() throws {
        let path = directory + "/events.ndjson"
        let lines = [
            #"{"type":"run","schema":1,"profile":"p","started_at":"2026-11-18T11:06:40Z","loadgen_version":"0","seed":1,"command":[]}"#,
            #"{"type":"dropped","intended_us":5.0,"count":0,"last_intended_us":6.0}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let reader = try EventLogReader(path: path)
        XCTAssertThrowsError(try reader.next()) { error in
            XCTAssertTrue("\(error)".contains("count must be a positive integer"), "\(error)")
            XCTAssertTrue("\(error)".contains("events.ndjson:2"), "\(error)")
        }
    }

    func testPiecesSpreadACountOverIntervals() {
        let second: UInt64 = 1_000_000_000
        // 300 drops over 0.5 s .. 3.5 s: 50 in [0.5, 1), 100 in each whole second, 50 in [3, 3.5].
        let drops = DroppedArrivals(count: 300, firstIntendedNanos: second / 2, lastIntendedNanos: 3 * second + second / 2)
        let pieces = drops.pieces(intervalNanos: second)
        XCTAssertEqual(pieces.map(\.interval), [0, 1, 2, 3])
        XCTAssertEqual(pieces.map(\.count), [50, 100, 100, 50])
        XCTAssertEqual(DroppedArrivals(intendedNanos: 7 * second).pieces(intervalNanos: second).map(\.count), [1])
        XCTAssertEqual(DroppedArrivals(count: 9, firstIntendedNanos: 10, lastIntendedNanos: 20)
            .pieces(intervalNanos: second).map(\.count), [9])
    }

    func testSpreadIntendedStarts() {
        XCTAssertEqual(DroppedArrivals(count: 5, firstIntendedNanos: 100, lastIntendedNanos: 200).spreadIntendedNanos(),
                       [100, 125, 150, 175, 200])
        XCTAssertEqual(DroppedArrivals(intendedNanos: 7).spreadIntendedNanos(), [7])
        XCTAssertEqual(DroppedArrivals(count: 3, firstIntendedNanos: 9, lastIntendedNanos: 9).spreadIntendedNanos(), [9, 9, 9])
    }

    /// A counted line is offered load in the report: the overall drop count and the time series.
    func testReportCountsACountedLine() throws {
        let accumulator = ReportAccumulator(options: ReportOptions())
        accumulator.beginRun(header, path: directory + "/events.ndjson")
        accumulator.add(.droppedArrivals(DroppedArrivals(count: 40, firstIntendedNanos: 0, lastIntendedNanos: 1_000)))
        accumulator.add(.dropped(intendedNanos: 5_000))
        XCTAssertEqual(accumulator.overall.dropped, 41)
        XCTAssertEqual(accumulator.overall.offered, 41)
    }
}
