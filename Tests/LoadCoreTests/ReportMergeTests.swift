import Foundation
import XCTest
@testable import LoadCore

/// Runs and shards merge: a log cut in two and read as two runs gives the report of the whole log.
final class ReportMergeTests: XCTestCase {
    func testTwoHalvesGiveTheReportOfTheWhole() throws {
        let directory = try ReportFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let entries = ReportFixture.entries()
        let whole = directory + "/whole.ndjson"
        let first = directory + "/first.ndjson"
        let second = directory + "/second.ndjson"
        try ReportFixture.write(to: whole)
        // Interleaved halves, as two shards of one run would write them.
        try ReportFixture.write(to: first, entries: entries.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
        try ReportFixture.write(to: second, entries: entries.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))

        for groupBy in [nil, ReportGroupBy.stage, .status, .model] {
            let options = ReportOptions(groupBy: groupBy, timeSeriesIntervalNanos: 1_000_000_000,
                                        rateLimitIntervalNanos: 5_000_000_000)
            var merged = try ReportFixture.report([first, second], options: options)
            let single = try ReportFixture.report([whole], options: options)
            XCTAssertEqual(merged.runs.map(\.attempts), [155, 155])
            merged.runs = single.runs
            XCTAssertEqual(merged, single, "grouped by \(groupBy?.rawValue ?? "nothing")")
            for view in [ReportView.summary, .timeSeries, .rateLimits] {
                for format in ReportFormat.allCases {
                    XCTAssertEqual(try ReportRenderer.render(merged, view: view, format: format),
                                   try ReportRenderer.render(single, view: view, format: format))
                }
            }
        }
    }

    func testRecorderHistogramsAddUpExactly() {
        let records = ReportFixture.attempts()
        let whole = RunRecorder()
        records.forEach(whole.record)
        let first = RunRecorder()
        let second = RunRecorder()
        records.enumerated().forEach { ($0.offset < 100 ? first : second).record($0.element) }
        first.merge(second)
        for metric in LatencyMetric.allCases {
            XCTAssertEqual(first.histogram(metric), whole.histogram(metric), "\(metric)")
        }
        XCTAssertEqual(GroupReport(name: "all", recorder: first), GroupReport(name: "all", recorder: whole))
    }
}
