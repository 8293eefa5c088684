import Foundation
import XCTest
@testable import LoadCore

final class EventLogTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "eventlog-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private let header = RunHeader(profile: "ramp \"quoted\"", startedAt: Date(timeIntervalSince1970: 1_795_000_000),
                                   loadgenVersion: "0.1.0", curlVersion: "8.5.0", uvVersion: "1.48.0", seed: 42,
                                   command: ["loadgen", "--profile", "profiles/ramp.yaml"], mode: "open")

    /// Records with every field set, timestamps on the log's 100 ns resolution.
    private func records() -> [AttemptRecord] {
        var full = AttemptRecord(requestID: 7, intendedStartNanos: 1_500_000, startNanos: 1_502_300,
                                 endNanos: 250_000_000_100)
        full.attemptNumber = 2
        full.userID = 3
        full.connectNanos = 1_710_000
        full.tlsNanos = 1_900_000
        full.headersNanos = 100_000_000
        full.firstByteNanos = 100_100_000
        full.firstTokenNanos = 201_000_000
        full.status = 200
        full.countedOutputTokens = 3
        full.usageOutputTokens = 4
        full.usageInputTokens = 12
        full.tokenOffsetsMicros = [199_500, 209_500, 4_000_000_000]
        var failed = AttemptRecord(requestID: 8, intendedStartNanos: 0, startNanos: 0, endNanos: 0)
        failed.errorClass = .http429
        failed.status = 429
        failed.errorMessage = "rate limited: \"slow down\"\n\ttab \\ \u{01} é 🚀"
        return [full, failed] + RunRecorderTests.syntheticRecords(count: 100)
    }

    func testRoundTrip() throws {
        let path = directory + "/events.ndjson"
        let writer = try EventLogWriter(path: path, header: header)
        for record in records() { try writer.append(record) }
        try writer.appendEnd(endNanos: 300_000_000_000)
        try writer.close()

        let reader = try EventLogReader(path: path)
        XCTAssertEqual(reader.header, header)
        var attempts: [AttemptRecord] = []
        var end: RunEnd?
        while let entry = try reader.next() {
            switch entry {
            case .attempt(let attempt): attempts.append(attempt)
            case .end(let value): end = value
            case .other: XCTFail("unexpected line")
            }
        }
        XCTAssertEqual(attempts, records())
        XCTAssertEqual(end, RunEnd(attempts: 102, successes: 101, endNanos: 300_000_000_000))
        XCTAssertEqual(reader.warnings, [])
    }

    func testLinesAreValidJSONWithExpectedFields() throws {
        let path = directory + "/events.ndjson"
        let writer = try EventLogWriter(path: path, header: header)
        try writer.append(records()[0])
        try writer.close()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let run = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(run["type"] as? String, "run")
        XCTAssertEqual(run["schema"] as? Int, 1)
        XCTAssertEqual(run["started_at"] as? String, "2026-11-18T11:06:40Z")
        XCTAssertTrue(lines[1].contains("\"start_us\":1502.3,"), String(lines[1]))
        XCTAssertTrue(lines[1].contains("\"token_offsets_us\":[199500,209500,4000000000]"), String(lines[1]))
    }

    func testLargeLogStreamsThroughBufferFlushes() throws {
        let path = directory + "/events.ndjson"
        let writer = try EventLogWriter(path: path, header: header)
        let many = RunRecorderTests.syntheticRecords(count: 1000)
        for _ in 0..<20 { for record in many { try writer.append(record) } }
        try writer.close()
        let recorder = RunRecorder()
        let reader = try EventLogReader(path: path)
        XCTAssertEqual(try reader.readAll(into: recorder), 20_000)
        XCTAssertEqual(recorder.histogram(.ttft).totalCount, 20_000)
    }

    func testTornLastLineIsSkippedWithWarning() throws {
        let path = directory + "/events.ndjson"
        let writer = try EventLogWriter(path: path, header: header)
        for record in records() { try writer.append(record) }
        try writer.close()
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"type\":\"attempt\",\"request\":9,\"inten".utf8))
        handle.closeFile()
        let reader = try EventLogReader(path: path)
        XCTAssertEqual(try reader.readAll(into: RunRecorder()), records().count)
        XCTAssertEqual(reader.warnings.count, 2, "\(reader.warnings)")
        XCTAssertTrue(reader.warnings[0].contains("torn last line"), reader.warnings[0])
        XCTAssertTrue(reader.warnings[1].contains("no end line"), reader.warnings[1])
    }

    func testMalformedMiddleLineIsAnError() throws {
        let path = directory + "/events.ndjson"
        try Data("{\"type\":\"run\",\"schema\":1}\nnot json\n{\"type\":\"end\"}\n".utf8).write(to: URL(fileURLWithPath: path))
        let reader = try EventLogReader(path: path)
        XCTAssertThrowsError(try reader.next()) { error in
            XCTAssertEqual(error as? EventLogError, .malformedLine(path: path, line: 2, reason: "not a JSON object"))
        }
    }

    func testNewerSchemaIsRefused() throws {
        let path = directory + "/events.ndjson"
        try Data("{\"type\":\"run\",\"schema\":2}\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try EventLogReader(path: path)) { error in
            XCTAssertEqual(error as? EventLogError, .unsupportedSchema(path: path, schema: 2))
            XCTAssertTrue("\(error)".contains("use a newer loadreport"))
        }
    }

    func testMissingFile() {
        XCTAssertThrowsError(try EventLogReader(path: directory + "/nope.ndjson")) { error in
            XCTAssertTrue("\(error)".contains("cannot open"), "\(error)")
        }
    }
}
