import Foundation
import XCTest

/// summary.json and `loadreport RUN --format json` are one document (docs/report.md, "The JSON
/// document"): a run that met 429s, its summary.json less the `loadgen` section, against
/// loadreport's document of its event log, key for key and value for value.
final class SummaryJSONSchemaTests: XCTestCase {
    func testSummaryJSONIsLoadreportsDocument() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile("""
            name: schema
            target:
              provider: mock
              model: mock-small
              mock: {ttft: 5ms, inter_token: 1ms, output_tokens: 4, rate_limit: {requests_per_minute: 600, burst: 100ms}}
            load: {mode: open, rate: 20, duration: 3s}
            """, in: directory)
        let runs = directory.appendingPathComponent("runs")
        let run = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path, "--quiet"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let runDirectory = try CLITestSupport.onlyRunDirectory(in: runs)
        var summary = try CLITestSupport.json(runDirectory.appendingPathComponent("summary.json"))
        let loadgen = try XCTUnwrap(summary.removeValue(forKey: "loadgen") as? [String: Any])
        for key in ["started", "cancelled", "never_started", "dropped", "retries", "peak_in_flight", "interrupted",
                    "client_cpu_s", "start_rss_kb", "peak_rss_kb"] {
            XCTAssertNotNil(loadgen[key], "summary.json's loadgen section lacks \(key)")
        }
        // The run directory as loadgen names it in runs[].path: the same argument for loadreport.
        let runPath = runs.path + "/" + runDirectory.lastPathComponent
        let report = try BinaryRunner.run([runPath, "--format", "json"], binary: "loadreport")
        XCTAssertEqual(report.status, 0, report.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])

        XCTAssertEqual(summary["schema_version"] as? Int, 2)
        XCTAssertEqual(Set(summary.keys), Set(document.keys))
        for key in summary.keys.sorted() {
            XCTAssertEqual(summary[key] as? NSObject, document[key] as? NSObject,
                           "\(key) differs:\nsummary.json: \(summary[key] ?? "nil")\nloadreport: \(document[key] ?? "nil")")
        }
        // The run met 429s (20/s offered against 10/s): both carry the answer, and print it.
        let throttling = try XCTUnwrap(summary["throttling"] as? [String: Any], "no throttling section")
        XCTAssertGreaterThan(throttling["total_429"] as? Int ?? 0, 0)
        XCTAssertTrue(run.stdout.contains("throttled: sustained ≈ "), run.stdout)
        // The metrics are keyed by the summary CSV's prefixes, with the chosen percentiles.
        let metrics = try XCTUnwrap((summary["overall"] as? [String: Any])?["metrics"] as? [String: Any])
        let ttft = try XCTUnwrap(metrics["ttft"] as? [String: Any])
        XCTAssertEqual(Set(ttft.keys), ["unit", "count", "mean", "p50", "p90", "p95", "p99", "p999", "max"])
        XCTAssertNotNil(metrics["request_output_tokens_per_s"])
    }
}
