import Foundation
import XCTest
@testable import LoadCore

/// The writer hands its buffers to a writer thread: lines reach the file in order, on flush, a
/// second after the previous hand-over, and all of them on close.
final class EventLogWriterTests: XCTestCase {
    private func lines(_ path: String) throws -> [Substring] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    }

    func testLinesReachTheFileOnFlushAfterASecondAndOnClose() throws {
        let directory = try ReportFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/events.ndjson"
        let records = ReportFixture.attempts()
        let writer = try EventLogWriter(path: path, header: ReportFixture.header)
        try writer.append(records[0])
        XCTAssertEqual(try lines(path).count, 0, "a small buffer waits in memory")
        try writer.flush()
        XCTAssertEqual(try lines(path).count, 2, "flush writes the header and the line")
        try writer.append(records[1])
        Thread.sleep(forTimeInterval: Double(EventLogWriter.flushIntervalNanos) / 1e9 + 0.1)
        try writer.append(records[2])  // handed over: the previous hand-over was over a second ago
        var waited = 0
        while try lines(path).count < 4, waited < 100 {
            Thread.sleep(forTimeInterval: 0.01)
            waited += 1
        }
        XCTAssertEqual(try lines(path).count, 4, "lines a second old reach the file without a flush")
        // Many buffers' worth, then close: every line, in order.
        for _ in 0..<30 { for record in records { try writer.append(record) } }
        try writer.appendEnd(endNanos: 1)
        try writer.close()
        let reader = try EventLogReader(path: path)
        var requestIDs: [UInt64] = []
        while let entry = try reader.next() {
            if case .attempt(let attempt) = entry { requestIDs.append(attempt.requestID) }
        }
        XCTAssertEqual(requestIDs, [0, 1, 2] + Array(repeating: records.map(\.requestID), count: 30).flatMap { $0 })
        XCTAssertEqual(reader.warnings, [])
    }

    func testAWriteErrorIsReportedToTheCaller() throws {
        // /dev/full accepts the open and fails every write with ENOSPC.
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("no /dev/full") }
        let writer = try EventLogWriter(path: "/dev/full", header: ReportFixture.header)
        XCTAssertThrowsError(try writer.flush()) { error in
            XCTAssertTrue("\(error)".contains("/dev/full: write failed: No space left on device"), "\(error)")
        }
    }
}
