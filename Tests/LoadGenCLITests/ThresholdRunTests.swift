import Foundation
import XCTest

/// Thresholds through whole runs: the PASS/FAIL table, thresholds.json, exit code 3, abort_on_fail.
final class ThresholdRunTests: XCTestCase {
    /// An impossible TTFT (1 ms against a 20 ms mock) fails with exit code 3, named in the table and
    /// in thresholds.json; the one that holds passes.
    func testImpossibleThresholdExitsThreeAndNamesIt() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile("""
            name: slo
            target: {provider: mock, model: mock-small, mock: {ttft: 20ms, output_tokens: 4}}
            load: {mode: closed, users: 4, requests: 40}
            thresholds:
              ttft_p50: 1ms
              error_rate: "< 1%"
            """, in: directory)
        let runs = directory.appendingPathComponent("runs")
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path, "--quiet"])
        XCTAssertEqual(result.status, 3, result.stderr)
        XCTAssertTrue(result.stdout.contains("thresholds: 1 of 2 failed"), result.stdout)
        XCTAssertNotNil(result.stdout.range(of: #"FAIL  ttft_p50    <= 1ms  \d+\.\dms  40 samples"#,
                                            options: .regularExpression), result.stdout)
        XCTAssertTrue(result.stdout.contains("PASS  error_rate  < 1%    0.00%   0 of 40 requests failed"), result.stdout)

        let run = try CLITestSupport.onlyRunDirectory(in: runs)
        let verdicts = try CLITestSupport.json(run.appendingPathComponent("thresholds.json"))
        XCTAssertEqual(verdicts["passed"] as? Bool, false)
        let entries = try XCTUnwrap(verdicts["thresholds"] as? [[String: Any]])
        XCTAssertEqual(entries.map { $0["name"] as? String }, ["ttft_p50", "error_rate"])
        XCTAssertEqual(entries.map { $0["passed"] as? Bool }, [false, true])
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.appendingPathComponent("summary.json").path))

        // The same profile with a reachable objective passes with exit code 0.
        let passing = try BinaryRunner.run([
            "--profile", profile.path, "--output", runs.path, "--quiet", "--set", "thresholds.ttft_p50=5s",
        ])
        XCTAssertEqual(passing.status, 0, passing.stderr + passing.stdout)
        XCTAssertTrue(passing.stdout.contains("thresholds: all 2 passed"), passing.stdout)
    }

    /// abort_on_fail: at 40/s for 30 s (1,200 requests at most) against a mock failing half the
    /// requests, `error_rate < 1%` cannot pass after 12 failures; the run stops within seconds.
    func testAbortOnFailStopsTheRunOnceTheThresholdCannotPass() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile("""
            name: abort
            target: {provider: mock, model: mock-small, mock: {ttft: 10ms, output_tokens: 4, error_rate: 0.5}}
            load: {mode: open, rate: 40, duration: 30s}
            thresholds: {error_rate: "< 1%", abort_on_fail: true}
            """, in: directory)
        let runs = directory.appendingPathComponent("runs")
        let started = Date()
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path])
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(result.status, 3, result.stderr)
        XCTAssertLessThan(seconds, 10, "stopped early, not after 30 s")
        XCTAssertTrue(result.stderr.contains("loadgen: stopping: threshold error_rate = "), result.stderr)
        XCTAssertNotNil(result.stdout.range(of: #"stopped early \(abort_on_fail\) at [0-9.]+ s: error_rate = "#,
                                            options: .regularExpression), result.stdout)
        XCTAssertTrue(result.stdout.contains("of at most 1200 requests: cannot recover"), result.stdout)
        let attempts = try CLITestSupport.attempts(in: try CLITestSupport.onlyRunDirectory(in: runs))
        XCTAssertLessThan(attempts.count, 200, "far fewer than the 1,200 planned")
        let verdicts = try CLITestSupport.json(
            try CLITestSupport.onlyRunDirectory(in: runs).appendingPathComponent("thresholds.json"))
        XCTAssertEqual(verdicts["aborted_by"] as? String, "error_rate")
    }
}
