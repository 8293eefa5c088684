import Foundation
import HistogramDecoding
import XCTest

@testable import LoadCore

/// histograms.hlog by interval: each attempt in exactly one interval, intervals adding up to the
/// run's histograms, stragglers kept.
final class IntervalHistogramLogTests: XCTestCase {
    private func attempt(_ id: UInt64, endingAtMillis end: UInt64, ttftMillis: UInt64 = 20) -> AttemptRecord {
        let start = end > 100 ? (end - 100) * 1_000_000 : 0
        var record = AttemptRecord(requestID: id, intendedStartNanos: start, startNanos: start, endNanos: end * 1_000_000)
        record.status = 200
        record.firstTokenNanos = start + ttftMillis * 1_000_000
        record.tokenOffsetsMicros = [UInt32(ttftMillis * 1000), UInt32(ttftMillis * 1000 + 3000)]
        record.usageOutputTokens = 2
        return record
    }

    /// (interval start in s, tag) → count, from the log's lines.
    private func counts(_ log: String) throws -> [String: [String: UInt64]] {
        var result: [String: [String: UInt64]] = [:]
        for line in log.split(separator: "\n") where line.hasPrefix("Tag=") {
            let fields = line.split(separator: ",")
            let tag = String(fields[0].dropFirst("Tag=".count))
            let histogram = try HdrV2Encoding.decode(base64: String(fields[4]))
            result[tag, default: [:]][String(fields[1]), default: 0] += histogram.totalCount
            XCTAssertEqual(fields[2], "1.000")
        }
        return result
    }

    func testIntervalsAddUpToTheRunAndKeepStragglers() throws {
        let log = IntervalHistogramLog()
        let whole = RunRecorder()
        // Table: end times in ms, in the order they reach the log.
        let ends: [UInt64] = [
            150, 900, 999,  // interval 0
            1_000, 1_500,  // interval 1
            800,  // a straggler of interval 0, still open
            4_200, 4_300,  // interval 4: closes 0 and 1
            950,  // a straggler of the closed interval 0: goes into the oldest open one (4)
            9_000,  // interval 9: closes 4
        ]
        for (id, end) in ends.enumerated() {
            let record = attempt(UInt64(id), endingAtMillis: end)
            log.record(record)
            whole.record(record)
        }
        let text = log.text(startedAt: Date(timeIntervalSince1970: 1_795_000_000), runName: "t")
        XCTAssertTrue(text.contains("#[StartTime: 1795000000.000 (seconds since epoch), 2026-11-"), text)
        let ttft = try XCTUnwrap(try counts(text)["ttft"])
        XCTAssertEqual(ttft, ["0.000": 4, "1.000": 2, "4.000": 3, "9.000": 1])
        for metric in LatencyMetric.allCases {
            let perInterval = try counts(text)[metric.rawValue]?.values.reduce(0, +) ?? 0
            XCTAssertEqual(perInterval, whole.histogram(metric).totalCount, metric.rawValue)
        }
        // Lines come in order of time.
        let starts = text.split(separator: "\n").filter { $0.hasPrefix("Tag=ttft,") }.map { $0.split(separator: ",")[1] }
        XCTAssertEqual(starts, ["0.000", "1.000", "4.000", "9.000"])
    }

    func testAnEmptyRunHasOnlyTheHeader() {
        let text = IntervalHistogramLog(intervalNanos: 500_000_000).text(startedAt: Date(timeIntervalSince1970: 0), runName: "e")
        XCTAssertEqual(text.split(separator: "\n").count, 4)
        XCTAssertTrue(text.hasPrefix("#[loadgen histograms of run e: one line per metric and 500ms interval"), text)
    }
}
