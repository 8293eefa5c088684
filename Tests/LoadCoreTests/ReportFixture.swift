import Foundation
@testable import LoadCore

/// A synthetic open-loop run with known values, for the report tests.
///
/// Stage 0 (0-10 s, 10/s): requests 0-99, all succeed: TTFT 100+i ms, 10 tokens 20 ms apart,
/// 10 ms after the last token the attempt ends; usage 10 output and 50 input tokens, $0.0001.
/// Stage 1 (10-20 s, 20/s): requests 100-299. Every tenth (i-100 ≡ 9 mod 10) is answered 429 in
/// 5 ms; half of those (i-100 ≡ 9 mod 20) are retried 500 ms later and succeed. Requests 150 and
/// 250 time out after 2 s. The rest succeed: TTFT 200+(i-100) ms, 20 tokens 10 ms apart, end 5 ms
/// after the last; no usage for i ≡ 0 mod 50 (tokens counted), 80 input tokens, $0.0002.
/// Start lag is (i mod 4) × 50 µs. Three arrivals are dropped at 15.01, 15.02 and 15.03 s.
///
/// Totals: 310 attempts (288 ok, 20 × 429, 2 timeouts, 10 retries), 300 requests (288 ok, 10 × 429,
/// 2 timeouts), 303 offered, 3 dropped.
enum ReportFixture {
    static let millis: UInt64 = 1_000_000

    static var header: RunHeader {
        var header = RunHeader(profile: "fixture", startedAt: Date(timeIntervalSince1970: 1_795_000_000),
                               loadgenVersion: "0.1.0-test", curlVersion: "libcurl/7.88.1", uvVersion: "1.44.2",
                               seed: 7, command: ["loadgen", "--profile", "fixture.yaml"], mode: "open")
        header.provider = "mock"
        header.model = "m1"
        header.host = "test"
        header.stages = [
            RunHeader.Stage(startNanos: 0, durationNanos: 10_000 * millis, label: "rate 10/s"),
            RunHeader.Stage(startNanos: 10_000 * millis, durationNanos: 10_000 * millis, label: "rate 20/s"),
        ]
        return header
    }

    /// The events in log order (by end time, as the engine writes them), dropped lines included.
    static func entries() -> [EventLogEntry] {
        var timed: [(UInt64, EventLogEntry)] = []
        for record in attempts() { timed.append((record.endNanos, .attempt(record))) }
        for intended in droppedIntendedNanos { timed.append((intended, .dropped(intendedNanos: intended))) }
        return timed.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element.1)
    }

    static let droppedIntendedNanos: [UInt64] = [15_010 * millis, 15_020 * millis, 15_030 * millis]

    static func attempts() -> [AttemptRecord] {
        var records: [AttemptRecord] = []
        for i in 0..<300 {
            let stage = i < 100 ? 0 : 1
            let intended = stage == 0 ? UInt64(i) * 100 * millis : 10_000 * millis + UInt64(i - 100) * 50 * millis
            let start = intended + UInt64(i % 4) * 50_000
            let k = i - 100
            if stage == 1, k % 10 == 9 {
                var limited = AttemptRecord(requestID: UInt64(i), intendedStartNanos: intended, startNanos: start,
                                            endNanos: start + 5 * millis)
                limited.stage = 1
                limited.status = 429
                limited.errorClass = .http429
                limited.errorMessage = "HTTP 429: slow down, \"please\""
                limited.rateLimit = RateLimitSnapshot(
                    requests: .init(limit: 1200, remaining: 0, resetMillis: 500), retryAfterMillis: 500)
                limited.willRetry = k % 20 == 9
                records.append(limited)
                if limited.willRetry {
                    let retryIntended = intended + 500 * millis
                    var retry = success(i, stage: 1, intended: retryIntended, start: retryIntended + 50_000)
                    retry.attemptNumber = 2
                    records.append(retry)
                }
            } else if i == 150 || i == 250 {
                var timedOut = AttemptRecord(requestID: UInt64(i), intendedStartNanos: intended, startNanos: start,
                                             endNanos: start + 2_000 * millis)
                timedOut.stage = 1
                timedOut.errorClass = .timeoutTotal
                timedOut.errorMessage = "Operation timed out after 2000 milliseconds\nwith 0 bytes received"
                records.append(timedOut)
            } else {
                records.append(success(i, stage: stage, intended: intended, start: start))
            }
        }
        return records
    }

    private static func success(_ i: Int, stage: Int, intended: UInt64, start: UInt64) -> AttemptRecord {
        let ttftMillis = stage == 0 ? UInt64(100 + i) : UInt64(200 + i - 100)
        let tokens = stage == 0 ? 10 : 20
        let gapMicros: UInt32 = stage == 0 ? 20_000 : 10_000
        let firstToken = start + ttftMillis * millis
        let lastOffset = UInt32(ttftMillis * 1000) + UInt32(tokens - 1) * gapMicros
        var record = AttemptRecord(requestID: UInt64(i), intendedStartNanos: intended, startNanos: start,
                                   endNanos: start + UInt64(lastOffset) * 1000 + (stage == 0 ? 10 : 5) * millis)
        record.stage = stage
        record.status = 200
        record.headersNanos = start + 50 * millis
        record.firstByteNanos = start + 51 * millis
        record.firstTokenNanos = firstToken
        record.countedOutputTokens = tokens
        record.tokenOffsetsMicros = (0..<tokens).map { UInt32(ttftMillis * 1000) + UInt32($0) * gapMicros }
        if !(stage == 1 && i % 50 == 0) { record.usageOutputTokens = tokens }
        record.usageInputTokens = stage == 0 ? 50 : 80
        record.costUSD = stage == 0 ? 0.0001 : 0.0002
        record.rateLimit = RateLimitSnapshot(
            requests: .init(limit: 1200, remaining: Double(1200 - i), resetMillis: 50),
            tokens: .init(limit: 60_000, remaining: Double(60_000 - 60 * i)))
        return record
    }

    /// Writes the fixture as an event log; `split` cuts it in two logs at that index of ``entries()``.
    static func write(to path: String, entries: [EventLogEntry] = entries(), end: Bool = true) throws {
        let writer = try EventLogWriter(path: path, header: header)
        for entry in entries {
            switch entry {
            case .attempt(let record): try writer.append(record)
            case .dropped(let intended): try writer.appendDropped(intendedNanos: intended)
            default: break
            }
        }
        if end { try writer.appendEnd(endNanos: 22_000 * millis) }
        try writer.close()
    }

    /// A report over event logs at `paths`.
    static func report(_ paths: [String], options: ReportOptions = ReportOptions(),
                       onAttempt: ((AttemptRecord, String, RunHeader) throws -> Void)? = nil) throws -> Report {
        let accumulator = ReportAccumulator(options: options)
        try ReportInputs.read(paths: paths, into: accumulator, onAttempt: onAttempt)
        return accumulator.report()
    }

    /// A fresh temporary directory holding the fixture's log as `fixture/events.ndjson`.
    static func temporaryRun() throws -> (directory: String, path: String) {
        let directory = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/fixture", withIntermediateDirectories: true)
        let path = directory + "/fixture/events.ndjson"
        try write(to: path)
        return (directory, path)
    }

    /// A fresh temporary directory, removed at the end of the test.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "report-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
