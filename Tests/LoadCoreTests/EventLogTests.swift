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
        full.stage = 1
        full.prompt = 5
        full.dnsNanos = 1_600_000
        full.usageCachedInputTokens = 8
        full.providerQueueNanos = 12_300
        full.costUSD = 0.000_123_4
        full.rateLimit = RateLimitSnapshot(
            requests: .init(limit: 600, remaining: 12, resetMillis: 6_000),
            tokens: .init(limit: 150_000, remaining: 149_000.5, resetMillis: nil),
            outputTokens: .init(limit: 8_000), retryAfterMillis: 1_500)
        full.willRetry = true
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
            case .other, .dropped, .droppedArrivals: XCTFail("unexpected line")
            }
        }
        XCTAssertEqual(attempts, records())
        XCTAssertEqual(end, RunEnd(attempts: 102, successes: 101, endNanos: 300_000_000_000))
        XCTAssertEqual(reader.warnings, [])
    }

    func testHeaderExtrasAndDroppedLinesRoundTrip() throws {
        let path = directory + "/events.ndjson"
        var extended = header
        extended.provider = "anthropic"
        extended.model = "claude-x"
        extended.host = "bench-1"
        extended.promptSets = [RunHeader.PromptSetRange(name: "chat", first: 0, count: 8),
                               RunHeader.PromptSetRange(name: "summarize \"long\"", first: 8, count: 2)]
        extended.stages = [RunHeader.Stage(startNanos: 0, durationNanos: 5_000_000_000, label: "rate 5/s"),
                           RunHeader.Stage(startNanos: 5_000_000_000, durationNanos: 20_000_000_000, label: "rate 5..50/s")]
        let writer = try EventLogWriter(path: path, header: extended)
        try writer.appendDropped(intendedNanos: 7_000_100)
        try writer.appendEnd(endNanos: 9_000_000)
        try writer.close()
        let reader = try EventLogReader(path: path)
        XCTAssertEqual(reader.header, extended)
        XCTAssertEqual(try reader.next(), .dropped(intendedNanos: 7_000_100))
        XCTAssertEqual(try reader.next(), .end(RunEnd(attempts: 0, successes: 0, endNanos: 9_000_000, dropped: 1)))
        XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).contains("\"dropped\":1"))
    }

    func testEarlierTimeoutClassReadsAsTotalTimeout() throws {
        let path = directory + "/events.ndjson"
        let lines = [
            #"{"type":"run","schema":1,"profile":"old","started_at":"2026-11-18T11:06:40Z","loadgen_version":"0.1.0","seed":1,"command":[]}"#,
            #"{"type":"attempt","request":0,"attempt":1,"intended_us":0.0,"start_us":0.0,"end_us":5.0,"status":0,"error":"timeout","tokens":0}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let reader = try EventLogReader(path: path)
        guard case .attempt(let attempt)? = try reader.next() else { return XCTFail("no attempt") }
        XCTAssertEqual(attempt.errorClass, .timeoutTotal)
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
        let attempt = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        let limits = try XCTUnwrap(attempt["ratelimit"] as? [String: Any])
        XCTAssertEqual((limits["requests"] as? [String: Any])?["remaining"] as? Int, 12)
        XCTAssertEqual(limits["retry_after_ms"] as? Int, 1_500)
        XCTAssertEqual(attempt["cost_usd"] as? Double, 0.000_123_4)
        XCTAssertEqual(attempt["will_retry"] as? Bool, true)
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
