import Foundation
import XCTest
@testable import LoadCore

/// Merging runs started apart: the report warns, with the rate over the wall-clock span they covered.
final class RunOverlapTests: XCTestCase {
    /// The fixture's events read as a run started `offset` seconds after the fixture's own start.
    private func report(offsets: [Double], groupBy: ReportGroupBy? = nil) -> Report {
        let accumulator = ReportAccumulator(options: ReportOptions(groupBy: groupBy))
        for (index, offset) in offsets.enumerated() {
            var header = ReportFixture.header
            header.startedAt = header.startedAt.addingTimeInterval(offset)
            accumulator.beginRun(header, path: "/runs/run\(index)/events.ndjson")
            for entry in ReportFixture.entries() { accumulator.add(entry) }
            accumulator.endRun(warnings: [])
        }
        return accumulator.report()
    }

    /// Two runs of 20.53 s started 45 s apart: 600 requests "over 20.53 s" (29.2/s) were really
    /// spread over 65.53 s (9.2/s).
    func testRunsStartedApartAreNamedWithTheRateOverTheirSpan() throws {
        let report = report(offsets: [0, 45])
        XCTAssertEqual(report.overall.requests, 600)
        XCTAssertEqual(report.overall.elapsedSeconds, 20.53405, accuracy: 1e-9)
        let warning = try XCTUnwrap(report.warnings.first { $0.hasPrefix("runs run0 and run1 started") }, "\(report.warnings)")
        XCTAssertEqual(warning, "runs run0 and run1 started 45.0 s apart (by their headers): merged on one clock as if "
            + "they ran at once, the rates are over 20.53 s; over the 65.53 s the runs spanned together on the wall "
            + "clock, 9.2 requests/s. Use --compare to see them side by side, or merge only runs that ran at the same time")
        let text = try ReportRenderer.render(report, view: .summary, format: .json)
        XCTAssertTrue(text.contains("started 45.0 s apart"), "the JSON document's warnings carry it")
    }

    /// Shards started together (a second apart: headers carry whole seconds) merge without a word,
    /// and --compare never warns (the runs are side by side).
    func testShardsStartedTogetherAndComparedRunsDoNotWarn() {
        XCTAssertEqual(report(offsets: [0, 1, 2]).warnings, [])
        XCTAssertEqual(report(offsets: [0, 45], groupBy: .run).warnings, [])
        XCTAssertEqual(report(offsets: [0]).warnings, [])
    }
}
