import Foundation
import LoadCore
import XCTest

/// `loadreport RUN --capacity [--slo ...]` on a staged run against the embedded mock: the view, its
/// JSON, and its argument errors.
final class CapacityReportCLITests: XCTestCase {
    private func stagedRun() throws -> URL {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile("""
            name: capacity-staged
            target: {provider: mock, model: mock-small, mock: {ttft: 20ms, inter_token: 2ms, output_tokens: 8}}
            load:
              mode: open
              stages:
                - {duration: 2s, rate: 20}
                - {duration: 2s, rate: 40}
                - {duration: 1s, rate: 40..60}
            """, in: directory)
        let runs = directory.appendingPathComponent("runs")
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        return try CLITestSupport.onlyRunDirectory(in: runs)
    }

    func testCapacityViewOfAStagedRun() throws {
        let run = try stagedRun()
        // A loose SLO: both constant stages meet it; the ramp is left out with a warning.
        let loose = try BinaryRunner.run([run.path, "--capacity", "--slo", "ttft_p99=5s,error_rate=1%"],
                                         binary: "loadreport")
        XCTAssertEqual(loose.status, 0, loose.stderr)
        XCTAssertTrue(loose.stderr.contains("stage 2 (rate 40..60/s) is not a constant load with a duration; left out"),
                      loose.stderr)
        // A starved client (start lag p90 over 50 ms on a loaded machine) is named as the limit instead
        // of the target: a true reading of such a run, so the exact figures are checked only without it.
        let clientLimited = { (text: String) in text.contains("limited by: client") || text.contains("\"limited_by\":\"client\"") }
        if !clientLimited(loose.stdout) {
            XCTAssertTrue(loose.stdout.contains("SLO capacity: 40/s, bracket [40/s, -]"), loose.stdout)
            XCTAssertTrue(loose.stdout.contains("limited by: nothing seen up to the highest load tried"), loose.stdout)
        }
        XCTAssertTrue(loose.stdout.contains("SLO capacity:"), loose.stdout)
        // TTFT p99 ≤ 1 ms: the mock's 20 ms fails at every load, with no request sent.
        let strict = try BinaryRunner.run([run.path, "--capacity", "--slo", "ttft_p99=1ms", "--format", "json"],
                                          binary: "loadreport")
        XCTAssertEqual(strict.status, 0, strict.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(strict.stdout.utf8)) as? [String: Any])
        let capacity = try XCTUnwrap(json["capacity"] as? [String: Any])
        XCTAssertTrue(capacity["slo_rps"] is NSNull, "\(capacity)")
        XCTAssertTrue(["latency", "client"].contains(capacity["limited_by"] as? String ?? ""), "\(capacity)")
        XCTAssertEqual((capacity["slo_bracket"] as? [Any])?.last as? Double, 20)
        XCTAssertEqual((capacity["steps"] as? [[String: Any]])?.count, 2)
    }

    func testArgumentErrors() throws {
        // Table: arguments → a message on stderr and a failing status.
        let cases: [([String], String)] = [
            (["a", "b", "--capacity"], "Please give one run to --capacity"),
            (["a", "--slo", "ttft_p99=1s"], "Please give --slo with --capacity."),
            (["a", "--capacity", "--slo", "ttft_p99=fast"], "--slo: ttft_p99: expected a duration like 800ms"),
            (["a", "--capacity", "--rate-limits"],
             "Please choose one of --compare (or --compact), --timeseries, --rate-limits and --capacity."),
            (["/nonexistent/run", "--capacity"], "/nonexistent/run: no such file"),
        ]
        for (arguments, message) in cases {
            let result = try BinaryRunner.run(arguments, binary: "loadreport")
            XCTAssertNotEqual(result.status, 0, "\(arguments)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}
