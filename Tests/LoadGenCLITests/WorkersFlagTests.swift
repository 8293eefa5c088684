import Foundation
import XCTest

/// `loadgen --workers`: the help, the refusals, and a run with two workers through the binary.
final class WorkersFlagTests: XCTestCase {
    func testHelpAndRefusals() throws {
        let help = try BinaryRunner.run(["run", "--help"])
        XCTAssertEqual(help.status, 0, help.stderr)
        XCTAssertTrue(help.stdout.contains("--workers <N|auto>"), help.stdout)

        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile("""
            target: {provider: mock, mock: {ttft: 1ms, output_tokens: 2}}
            load: {mode: closed, users: 2, requests: 4}
            limits: {max_in_flight: 3}
            """, in: directory)
        // (flags, what stderr says)
        let cases: [([String], String)] = [
            (["--workers", "0"], "--workers 0: give a number of workers from 1 to 256, or auto"),
            (["--workers", "two"], "--workers two: give a number of workers from 1 to 256, or auto"),
            (["--workers", "4"], "--workers 4: limits.max_in_flight and limits.max_connections allow 3"),
            (["--workers", "2", "--warmup-connections", "1"], "warm-up runs with one worker only"),
        ]
        for (flags, message) in cases {
            let result = try BinaryRunner.run(["--profile", profile.path, "--output", directory.path] + flags)
            XCTAssertEqual(result.status, 2, "\(flags): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(flags): \(result.stderr)")
        }
    }

    func testTwoWorkersWriteOneRunDirectory() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile("""
            target: {provider: mock, mock: {ttft: 1ms, inter_token: 1ms, output_tokens: 3}}
            load: {mode: closed, users: 4, requests: 40}
            """, in: directory)
        let runs = directory.appendingPathComponent("runs")
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path, "--workers", "2", "--no-html"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("with 2 workers"), result.stderr)
        let run = try CLITestSupport.onlyRunDirectory(in: runs)
        let summary = try CLITestSupport.json(run.appendingPathComponent("summary.json"))
        XCTAssertEqual((summary["overall"] as? [String: Any])?["attempt_successes"] as? Int, 40)
        let client = try XCTUnwrap(summary["client"] as? [String: Any])
        XCTAssertEqual((client["loop_busy_workers"] as? [Any])?.count, 2, "\(client)")
        let report = try BinaryRunner.run([run.path], binary: "loadreport")
        XCTAssertEqual(report.status, 0, report.stderr)
    }
}
