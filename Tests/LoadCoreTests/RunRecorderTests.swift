import XCTest
@testable import LoadCore

final class RunRecorderTests: XCTestCase {
    /// Request i (1...count) starts at i seconds, has TTFT i ms, total 2·i ms, tokens every 10 ms.
    static func syntheticRecords(count: Int = 1000, userID: Int? = 0) -> [AttemptRecord] {
        (1...count).map { i in
            let start = UInt64(i) * 1_000_000_000
            var record = AttemptRecord(requestID: UInt64(i), intendedStartNanos: start, startNanos: start,
                                       endNanos: start + UInt64(i) * 2_000_000)
            record.userID = userID
            record.status = 200
            record.firstTokenNanos = start + UInt64(i) * 1_000_000
            record.countedOutputTokens = 4
            record.tokenOffsetsMicros = [UInt32(i) * 1000, UInt32(i) * 1000 + 10_000, UInt32(i) * 1000 + 20_000,
                                         UInt32(i) * 1000 + 30_000]
            return record
        }
    }

    func testPercentilesMatchExactValuesWithinHdrPrecision() {
        let recorder = RunRecorder()
        Self.syntheticRecords().forEach(recorder.record)
        let ttft = recorder.histogram(.ttft)
        XCTAssertEqual(ttft.totalCount, 1000)
        // Exact: p50 = 500 ms, p90 = 900, p99 = 990, p99.9 = 999, max = 1000 (in µs below).
        for (percentile, exactMicros) in [(50.0, 500_000.0), (90, 900_000), (99, 990_000), (99.9, 999_000), (100, 1_000_000)] {
            XCTAssertEqual(Double(ttft.valueAtPercentile(percentile)), exactMicros, accuracy: exactMicros * 0.001,
                           "p\(percentile)")
        }
        XCTAssertEqual(ttft.mean, 500_500, accuracy: 500)
        XCTAssertEqual(recorder.histogram(.total).valueAtPercentile(50), 1_000_000, accuracy: 1000)
        // Every inter-token gap is 10 ms: three per record.
        let itl = recorder.histogram(.interToken)
        XCTAssertEqual(itl.totalCount, 3000)
        XCTAssertEqual(Double(itl.valueAtPercentile(99)), 10_000, accuracy: 10)
        XCTAssertEqual(recorder.outputTokens, 4000)
        XCTAssertEqual(recorder.elapsedNanos, 999_000_000_000 + 2_000_000_000)
    }

    func testTableShowsTheNumbers() {
        let recorder = RunRecorder()
        Self.syntheticRecords().forEach(recorder.record)
        let table = SummaryTable.render(recorder)
        let ttftLine = table.split(separator: "\n").first { $0.hasPrefix("TTFT ") }.map(String.init) ?? ""
        let cells = ttftLine.split(separator: " ").map(String.init)
        // label, unit, count, mean, p50, p90, p95, p99, p99.9, max
        XCTAssertEqual(cells.count, 10, ttftLine)
        XCTAssertEqual(cells[1], "ms")
        XCTAssertEqual(cells[2], "1000")
        XCTAssertEqual(Double(cells[4]) ?? 0, 500, accuracy: 0.5)
        XCTAssertEqual(Double(cells[7]) ?? 0, 990, accuracy: 1)
        XCTAssertEqual(Double(cells[9]) ?? 0, 1000, accuracy: 1)
        XCTAssertTrue(table.contains("inter-token"))
        XCTAssertTrue(table.contains("requests: 1000 (1000 ok, 0 failed)"), table)
        XCTAssertTrue(table.contains("attempts: 1000 (1000 ok, 0 failed; 0 retries)"), table)
        // Closed loop without lag: no intended-start rows.
        XCTAssertFalse(table.contains("schedule lag"), table)
    }

    func testOpenLoopShowsIntendedRows() {
        let recorder = RunRecorder()
        Self.syntheticRecords(count: 10, userID: nil).forEach(recorder.record)
        let table = SummaryTable.render(recorder)
        XCTAssertTrue(table.contains("schedule lag"), table)
        XCTAssertTrue(table.contains("total from intended"), table)
    }

    func testErrorCounting() {
        let recorder = RunRecorder()
        func failed(_ status: Int, _ errorClass: ErrorClass?) -> AttemptRecord {
            var record = AttemptRecord(requestID: 0, intendedStartNanos: 0, startNanos: 0, endNanos: 1_000_000)
            record.status = status
            record.errorClass = errorClass
            return record
        }
        for _ in 0..<12 { recorder.record(failed(429, .http429)) }
        for _ in 0..<3 { recorder.record(failed(0, .timeoutTotal)) }
        recorder.record(failed(503, nil))  // unclassified 5xx counts as http_5xx
        Self.syntheticRecords(count: 5).forEach(recorder.record)
        XCTAssertEqual(recorder.attempts, 21)
        XCTAssertEqual(recorder.successes, 5)
        XCTAssertEqual(recorder.errorsByClass, [.http429: 12, .timeoutTotal: 3, .http5xx: 1])
        XCTAssertEqual(recorder.attemptsByStatus[429], 12)
        XCTAssertEqual(recorder.histogram(.ttft).totalCount, 5)
        XCTAssertEqual(recorder.histogram(.scheduleLag).totalCount, 21)
        let table = SummaryTable.render(recorder)
        XCTAssertTrue(table.contains("attempts: 21 (5 ok, 16 failed: http_429 12, timeout_total 3, http_5xx 1; 0 retries)"),
                      table)
        XCTAssertTrue(table.contains("statuses (attempts): 0 3, 200 5, 429 12, 503 1"), table)
    }

    func testMergeOfTwoHalvesEqualsTheWhole() {
        let records = Self.syntheticRecords()
        let whole = RunRecorder()
        records.forEach(whole.record)
        let first = RunRecorder()
        let second = RunRecorder()
        records[..<500].forEach(first.record)
        records[500...].forEach(second.record)
        first.merge(second)
        XCTAssertEqual(Summary(recorder: first), Summary(recorder: whole))
        XCTAssertEqual(first.histogram(.ttft), whole.histogram(.ttft))
        XCTAssertEqual(first.hgrm(.ttft), whole.hgrm(.ttft))
    }

    func testFormatMillis() {
        XCTAssertEqual(SummaryTable.formatMillis(0.4123), "0.412")
        XCTAssertEqual(SummaryTable.formatMillis(5.123), "5.12")
        XCTAssertEqual(SummaryTable.formatMillis(201.34), "201.3")
    }

    func testHgrmText() {
        let recorder = RunRecorder()
        Self.syntheticRecords(count: 100).forEach(recorder.record)
        let text = recorder.hgrm(.ttft)
        XCTAssertTrue(text.contains("Percentile"), text)
        XCTAssertTrue(text.contains("#[Max"), text)
        XCTAssertEqual(Set(recorder.hgrmFiles().keys), ["ttft.hgrm", "inter_token.hgrm", "total.hgrm",
                                                       "total_from_intended.hgrm", "ttft_from_intended.hgrm",
                                                       "schedule_lag.hgrm", "time_per_output_token.hgrm",
                                                       "output_tokens_per_s.hgrm"])
    }

    func testMetricPositionsFollowAllCases() {
        XCTAssertEqual(LatencyMetric.allCases.map(\.position), Array(LatencyMetric.allCases.indices))
    }

    /// `recordLatencies` fills the histograms exactly as `record` does (failures, retries and
    /// measurement delays included) and leaves every counter at zero.
    func testRecordLatenciesMatchesRecordsHistogramsAndCountsNothing() {
        var records = Self.syntheticRecords(count: 200)
        records[3].status = 500
        records[4].willRetry = true
        records[4].status = 429
        records[5].measurementDelaysMicros = [3, 70, 900]
        let full = RunRecorder()
        let latencies = RunRecorder()
        for record in records {
            full.record(record)
            latencies.recordLatencies(record)
        }
        for metric in LatencyMetric.allCases {
            XCTAssertEqual(latencies.histogram(metric), full.histogram(metric), "\(metric)")
        }
        XCTAssertGreaterThan(full.histogram(.measurementDelay).totalCount, 0)
        XCTAssertEqual(latencies.attempts, 0)
        XCTAssertEqual(latencies.successes, 0)
        XCTAssertTrue(latencies.errorsByClass.isEmpty)
        XCTAssertNil(latencies.firstStartNanos)
    }
}
