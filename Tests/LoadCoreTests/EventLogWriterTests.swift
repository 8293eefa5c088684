import Foundation
import XCTest
@testable import LoadCore

/// The writer hands its buffers to a writer thread: the header at once, lines in order, at most
/// ``EventLogWriter/flushIntervalNanos`` after the previous hand-over (on a fake clock), on each
/// tick's hand-over, and all of them on close; a failed write stops the writing and is reported.
final class EventLogWriterTests: XCTestCase {
    private final class FakeClock {
        var nanos: UInt64 = 1_000_000_000
    }

    private func lines(_ path: String) throws -> [Substring] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    }

    private func temporaryPath() throws -> String {
        let directory = try ReportFixture.temporaryDirectory()
        addTeardownBlock { try? FileManager.default.removeItem(atPath: directory) }
        return directory + "/events.ndjson"
    }

    func testTheHeaderReachesTheFileAtOnce() throws {
        let path = try temporaryPath()
        let writer = try EventLogWriter(path: path, header: ReportFixture.header, clock: { 0 })
        writer.waitUntilHandedOverIsWritten()
        XCTAssertEqual(try lines(path).count, 1, "the header is on disk before any attempt")
        XCTAssertEqual(writer.linesWritten, 1)
        try writer.close()
    }

    func testLinesWaitNoLongerThanTheFlushIntervalOnTheWritersClock() throws {
        let path = try temporaryPath()
        let clock = FakeClock()
        let records = ReportFixture.attempts()
        let writer = try EventLogWriter(path: path, header: ReportFixture.header, clock: { clock.nanos })
        try writer.append(records[0])
        clock.nanos += EventLogWriter.flushIntervalNanos - 1
        try writer.append(records[1])
        writer.waitUntilHandedOverIsWritten()
        XCTAssertEqual(try lines(path).count, 1, "lines younger than the interval wait in memory")
        clock.nanos += 1
        try writer.append(records[2])
        writer.waitUntilHandedOverIsWritten()
        XCTAssertEqual(try lines(path).count, 4, "the interval is over: every buffered line is handed over")
        XCTAssertEqual(writer.linesWritten, 4)
        try writer.close()
    }

    func testATicksHandOffWritesWhatWaitsWithoutANewLine() throws {
        let path = try temporaryPath()
        let writer = try EventLogWriter(path: path, header: ReportFixture.header, clock: { 0 })
        try writer.append(ReportFixture.attempts()[0])
        try writer.appendDropped(intendedNanos: 5_000)
        try writer.handOffBuffered()
        writer.waitUntilHandedOverIsWritten()
        XCTAssertEqual(try lines(path).count, 3)
        XCTAssertEqual(writer.linesAppended, 3)
        try writer.close()
    }

    func testEveryLineInOrderOnClose() throws {
        let path = try temporaryPath()
        let records = ReportFixture.attempts()
        let writer = try EventLogWriter(path: path, header: ReportFixture.header, clock: { 0 })
        // Many buffers' worth, then close: every line, in order.
        for _ in 0..<30 { for record in records { try writer.append(record) } }
        try writer.appendEnd(endNanos: 1)
        try writer.close()
        XCTAssertEqual(writer.linesWritten, 30 * records.count + 2)
        let reader = try EventLogReader(path: path)
        var requestIDs: [UInt64] = []
        while let entry = try reader.next() {
            if case .attempt(let attempt) = entry { requestIDs.append(attempt.requestID) }
        }
        XCTAssertEqual(requestIDs, Array(repeating: records.map(\.requestID), count: 30).flatMap { $0 })
        XCTAssertEqual(reader.warnings, [])
    }

    func testAWriteErrorIsReportedAndStopsTheWriting() throws {
        // /dev/full accepts the open and fails every write with ENOSPC.
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("no /dev/full") }
        let writer = try EventLogWriter(path: "/dev/full", header: ReportFixture.header, clock: { 0 })
        writer.waitUntilHandedOverIsWritten()
        XCTAssertEqual(writer.writeFailure, "No space left on device")
        XCTAssertEqual(writer.linesWritten, 0)
        try writer.append(ReportFixture.attempts()[0])
        XCTAssertThrowsError(try writer.handOffBuffered()) { error in
            XCTAssertTrue("\(error)".contains("/dev/full: write failed: No space left on device"), "\(error)")
        }
        XCTAssertThrowsError(try writer.flush())
    }

    func testWholeLinesOfAPartlyWrittenBufferAreCounted() {
        let bytes = Array("{\"a\":1}\n{\"b\":2}\n{\"c\"".utf8)
        XCTAssertEqual(EventLogWriteThread.newlines(in: bytes, upTo: 0), 0)
        XCTAssertEqual(EventLogWriteThread.newlines(in: bytes, upTo: 8), 1)
        XCTAssertEqual(EventLogWriteThread.newlines(in: bytes, upTo: 12), 1)
        XCTAssertEqual(EventLogWriteThread.newlines(in: bytes, upTo: bytes.count), 2)
    }
}
