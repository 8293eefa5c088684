import Foundation
import XCTest
@testable import LoadCore

/// The report's JSON document in every view, its keys against the CSV's, `--compare`'s CSV rows,
/// and chosen percentiles (docs/report.md, "The JSON document").
final class ReportJSONDocumentTests: XCTestCase {
    private var directory = ""
    private var path = ""

    override func setUpWithError() throws {
        (directory, path) = try ReportFixture.temporaryRun()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func document(_ report: Report, view: ReportView) throws -> [String: Any] {
        let text = try ReportRenderer.render(report, view: view, format: .json)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// `--timeseries` and `--rate-limits` with `--format json` print the whole document with the
    /// view added, its rows under the CSV's column names.
    func testViewsPrintTheWholeDocumentWithTheCSVsKeys() throws {
        let options = ReportOptions(timeSeriesIntervalNanos: 1_000_000_000, rateLimitIntervalNanos: 5_000_000_000)
        let report = try ReportFixture.report([path], options: options)
        let summary = try document(report, view: .summary)
        for view in [ReportView.timeSeries, .rateLimits, .compare] {
            let json = try document(report, view: view)
            XCTAssertEqual(json as NSDictionary, summary as NSDictionary, "\(view)")
        }
        for key in ["schema_version", "percentiles", "runs", "overall", "groups", "time_series", "rate_limits",
                    "throttling", "warnings"] {
            XCTAssertNotNil(summary[key], "the document lacks \(key)")
        }
        let series = try XCTUnwrap(summary["time_series"] as? [String: Any])
        XCTAssertEqual(series["interval_s"] as? Double, 1)
        let seriesRows = try XCTUnwrap(series["rows"] as? [[String: Any]])
        // Empty TTFT cells are absent keys in JSON; every other column is there, by the CSV's name.
        XCTAssertEqual(Set(seriesRows[0].keys), Set(TimeSeriesText.columns))
        XCTAssertFalse(try ReportRenderer.render(report, view: .timeSeries, format: .json).contains("start_seconds"))
        let limits = try XCTUnwrap(summary["rate_limits"] as? [String: Any])
        let limitRows = try XCTUnwrap(limits["rows"] as? [[String: Any]])
        XCTAssertEqual(Set(limitRows[0].keys), Set(RateLimitText.columns))
        // The overall group's keys are the summary CSV's where the CSV has the figure.
        let overall = try XCTUnwrap(summary["overall"] as? [String: Any])
        let csvColumns = SummaryCSV.header.filter { !$0.contains("_p") && !$0.hasSuffix("_mean_ms") }
        for column in csvColumns where !column.hasPrefix("errors_") && !column.contains("_count")
            && !column.hasSuffix("_max_ms") && !column.hasPrefix("request_output_tokens_per_s_") && column != "group"
        {
            XCTAssertNotNil(overall[column], "overall lacks the CSV's \(column)")
        }
        XCTAssertEqual(overall["request_error_rate"] as? Double, 12.0 / 300)
        XCTAssertEqual(overall["attempt_error_rate"] as? Double, 22.0 / 310)
        let metrics = try XCTUnwrap(overall["metrics"] as? [String: Any])
        XCTAssertEqual(Set(metrics.keys), Set(ReportLayout.metrics.map(GroupReport.key)))
        XCTAssertEqual((metrics["ttft"] as? [String: Any])?["p99"] as? Double, report.overall.stats(.ttft)?.p99)
    }

    /// `--compare --format csv`: one row per run, no merged `all` row before them.
    func testCompareCSVHasOneRowPerRun() throws {
        try FileManager.default.createDirectory(atPath: directory + "/other", withIntermediateDirectories: true)
        try ReportFixture.write(to: directory + "/other/events.ndjson")
        let report = try ReportFixture.report([path, directory + "/other/events.ndjson"],
                                              options: ReportOptions(groupBy: .run))
        let rows = try ReportRenderer.render(report, view: .compare, format: .csv).split(separator: "\n")
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows.dropFirst().map { String($0.prefix { $0 != "," }) }, ["fixture", "other"])
        let summaryRows = try ReportRenderer.render(report, view: .summary, format: .csv).split(separator: "\n")
        XCTAssertEqual(summaryRows.dropFirst().first?.hasPrefix("all,"), true, "the summary keeps its all row")
    }

    func testPercentilesParse() throws {
        XCTAssertEqual(try Percentiles.parse("99.9, 50,90,99"), [50, 90, 99, 99.9])
        XCTAssertEqual(Percentiles.key(99.9), "p999")
        XCTAssertEqual(Percentiles.key(99.99), "p9999")
        XCTAssertEqual(Percentiles.label(99.99), "p99.99")
        XCTAssertEqual(Percentiles.key(75), "p75")
        for (bad, message) in [("0", "\"0\" is not a percentile"), ("100", "\"100\" is not a percentile"),
                               ("50,,90", "\"\" is not a percentile"), ("p99", "\"p99\" is not a percentile"),
                               ("99.99999", "more than 4 decimals"), ("12.5,1.25", "\"1.25\" repeats \"12.5\""),
                               ("50,50.0", "\"50.0\" repeats \"50\"")]
        {
            XCTAssertThrowsError(try Percentiles.parse(bad), bad) {
                XCTAssertTrue("\($0)".contains(message), "\(bad): \($0)")
            }
        }
    }

    /// `--percentiles 50,90,99,99.9`: the table's columns, the CSV's and the JSON's keys.
    func testChosenPercentilesInEveryFormat() throws {
        let percentiles = try Percentiles.parse("50,90,99,99.9,99.99")
        let report = try ReportFixture.report([path], options: ReportOptions(percentiles: percentiles))
        let table = try ReportRenderer.render(report, view: .summary, format: .table)
        let header = try XCTUnwrap(table.split(separator: "\n").first { $0.hasPrefix("metric") })
        XCTAssertEqual(header.split(separator: " "), ["metric", "unit", "count", "mean", "p50", "p90", "p99", "p99.9",
                                                      "p99.99", "max"])
        let csvHeader = try XCTUnwrap(try ReportRenderer.render(report, view: .summary, format: .csv)
            .split(separator: "\n").first).split(separator: ",")
        XCTAssertTrue(csvHeader.contains("ttft_p9999_ms"))
        XCTAssertFalse(csvHeader.contains("ttft_p95_ms"))
        let json = try document(report, view: .summary)
        XCTAssertEqual(json["percentiles"] as? [Double], [50, 90, 99, 99.9, 99.99])
        let ttft = try XCTUnwrap(((json["overall"] as? [String: Any])?["metrics"] as? [String: Any])?["ttft"]
            as? [String: Any])
        XCTAssertEqual(Set(ttft.keys), ["unit", "count", "mean", "p50", "p90", "p99", "p999", "p9999", "max"])
        XCTAssertEqual(ttft["p9999"] as? Double, report.overall.stats(.ttft)?.value(at: 99.99))
    }
}
