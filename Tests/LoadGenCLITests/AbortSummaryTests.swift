import Foundation
import XCTest

/// A run stopped by `abort_on_fail`: the threshold's value when it stopped the run and its value at
/// the end (the table's, the summary's) were printed as two unlabelled answers (error_rate 38.89 %
/// then 35.00 %). The abort line labels its moment and repeats the final value, which is the table's
/// and summary.json's request error rate.
final class AbortSummaryTests: XCTestCase {
    func testTheAbortLineLabelsItsMomentAndAgreesWithTheTableAtTheEnd() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile("""
            name: abort
            target: {provider: mock, model: mock-small, mock: {ttft: 300ms, inter_token: 10ms, output_tokens: 20, error_rate: 0.4}}
            load: {mode: open, rate: 50, duration: 10s}
            thresholds: {error_rate: "< 1%", abort_on_fail: true}
            seed: 5
            """, in: directory)
        let runs = directory.appendingPathComponent("runs")
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path, "--quiet"])
        XCTAssertEqual(result.status, 3, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let row = try XCTUnwrap(lines.first { $0.contains("FAIL  error_rate") }, result.stdout)
        let tableValue = try XCTUnwrap(row.split(separator: " ").first { $0.hasSuffix("%") && $0 != "1%" }, row)
        let abort = try XCTUnwrap(lines.first { $0.hasPrefix("stopped early (abort_on_fail) at ") }, result.stdout)
        XCTAssertTrue(abort.contains(" at that moment "), abort)
        XCTAssertTrue(abort.hasSuffix("; at the end, with the requests in flight ended: \(tableValue) (the table above)"),
                      "\(abort)\ntable: \(row)")
        // The table's value is the summary's request error rate.
        let summary = try CLITestSupport.json(try CLITestSupport.onlyRunDirectory(in: runs).appendingPathComponent("summary.json"))
        let rate = try XCTUnwrap((summary["overall"] as? [String: Any])?["request_error_rate"] as? Double)
        XCTAssertEqual(String(format: "%.2f%%", rate * 100), String(tableValue))
    }
}
