import Foundation
import XCTest

/// How a run ends on the command line: exit codes and one-line diagnoses for runs without a
/// success, early stops, refused arguments (ports, paths), --run-dir, the positional
/// profile, --warmup-connections and the last progress line.
final class RunOutcomeExitTests: XCTestCase {
    private func profile(_ text: String, in directory: URL) throws -> String {
        try CLITestSupport.writeProfile(text, in: directory).path
    }

    private let mockProfile = """
        name: exits
        target: {provider: mock, mock: {ttft: 1ms, inter_token: 0s, output_tokens: 4}}
        load: {mode: closed, users: 1, requests: 5}
        """

    // MARK: - Runs in which nothing succeeded

    func testConnectionRefusedEverywhereExitsSixWithOneLine() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let path = try profile(mockProfile, in: directory)
        let result = try BinaryRunner.run(["--profile", path, "--output", directory.path + "/runs", "--quiet",
                                           "--base-url", "http://127.0.0.1:1/v1", "--model", "m"])
        XCTAssertEqual(result.status, 6, result.stderr)
        let lines = result.stderr.split(separator: "\n").filter { $0.contains("no request succeeded") }
        XCTAssertEqual(lines.count, 1, result.stderr)
        XCTAssertTrue(lines.first?.hasPrefix("loadgen: no request succeeded: 5 attempts, 5 connect at 127.0.0.1:1")
            ?? false, result.stderr)
    }

    func testEveryRequestAnErrorExitsSixNamingTheStatus() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let path = try profile("""
            target: {provider: mock, mock: {ttft: 1ms, error_rate: 1, error_status: 503}}
            load: {mode: closed, users: 1, requests: 6}
            """, in: directory)
        let result = try BinaryRunner.run(["--profile", path, "--output", directory.path + "/runs", "--quiet"])
        XCTAssertEqual(result.status, 6, result.stderr)
        XCTAssertTrue(result.stderr.contains("no request succeeded: 6 attempts, 6 http_5xx at 127.0.0.1:"), result.stderr)
        XCTAssertTrue(result.stderr.contains("first status 503"), result.stderr)
    }

    func testSomeFailuresStillExitZero() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let path = try profile("""
            target: {provider: mock, mock: {ttft: 1ms, error_rate: 0.5, error_status: 500}}
            load: {mode: closed, users: 1, requests: 20}
            seed: 7
            """, in: directory)
        let result = try BinaryRunner.run(["--profile", path, "--output", directory.path + "/runs", "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stderr.contains("no request succeeded"), result.stderr)
    }

    // MARK: - Early stops

    /// max_cost_usd: "stopped early" once, exit 5.
    func testCostLimitStopsOnceAndExitsFive() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let path = try profile("""
            target: {provider: mock, mock: {ttft: 1ms, inter_token: 0s, output_tokens: 10}}
            load: {mode: closed, users: 1, requests: 1000}
            limits: {max_cost_usd: 0.0002}
            """, in: directory)
        let result = try BinaryRunner.run(["--profile", path, "--output", directory.path + "/runs", "--quiet"])
        XCTAssertEqual(result.status, 5, result.stderr)
        XCTAssertEqual(result.stdout.components(separatedBy: "stopped early").count - 1, 1, result.stdout)
        XCTAssertTrue(result.stdout.contains("stopped early: max_cost_usd $0.000200 reached"), result.stdout)
    }

    // MARK: - Arguments

    func testPortsOutOfRangeAreRefused() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let path = try profile(mockProfile, in: directory)
        let flag = try BinaryRunner.run(["--profile", path, "--base-url", "http://127.0.0.1:99999/v1"])
        XCTAssertEqual(flag.status, 64, flag.stderr)
        XCTAssertTrue(flag.stderr.contains("port 99999; a port is a number from 1 to 65535"), flag.stderr)
        let inProfile = try profile("""
            target: {provider: openai-compatible, model: m, base_url: "http://127.0.0.1:99999/v1"}
            load: {mode: closed, users: 1, requests: 1}
            """, in: directory)
        let result = try BinaryRunner.run(["--profile", inProfile, "--output", directory.path + "/runs"])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("99999"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.path + "/runs"), "nothing written")
    }

    func testDirectoryAsProfileAndFileAsOutputGetClearMessages() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let asProfile = try BinaryRunner.run(["--profile", directory.path])
        XCTAssertEqual(asProfile.status, 2, asProfile.stderr)
        XCTAssertTrue(asProfile.stderr.contains("cannot read profile \(directory.path): it is a directory"),
                      asProfile.stderr)
        XCTAssertFalse(asProfile.stderr.contains("NSCocoaErrorDomain"), asProfile.stderr)

        let path = try profile(mockProfile, in: directory)
        let asOutput = try BinaryRunner.run(["--profile", path, "--output", path])
        XCTAssertEqual(asOutput.status, 64, asOutput.stderr)
        XCTAssertTrue(asOutput.stderr.contains("--output \(path) is a file"), asOutput.stderr)
        XCTAssertFalse(asOutput.stderr.contains("NSCocoaErrorDomain"), asOutput.stderr)
    }

    func testHelpDocumentsTheExitCodesRunsUse() throws {
        let help = try BinaryRunner.run(["help", "run"])
        for code in ["2 bad profile", "5 stopped by limits.max_cost_usd", "6 no request", "64 bad command line",
                     "130 interrupted"] {
            XCTAssertTrue(help.stdout.contains(code), "help lacks \(code):\n\(help.stdout)")
        }
    }

    // MARK: - Profile and run directory

    func testPositionalProfileAndExactRunDirectory() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let path = try profile(mockProfile, in: directory)
        let runDir = directory.appendingPathComponent("exactly/here").path
        let result = try BinaryRunner.run([path, "--run-dir", runDir, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("run directory: \(runDir)\n"), result.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: runDir + "/events.ndjson"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: runDir + "/summary.json"))

        let again = try BinaryRunner.run([path, "--run-dir", runDir, "--quiet"])
        XCTAssertEqual(again.status, 64, again.stderr)
        XCTAssertTrue(again.stderr.contains("--run-dir \(runDir) is not empty"), again.stderr)
        let twice = try BinaryRunner.run([path, "--profile", path])
        XCTAssertEqual(twice.status, 64, twice.stderr)
        XCTAssertTrue(twice.stderr.contains("Please give the profile once"), twice.stderr)
    }

    // MARK: - Warm-up and the last progress line

    /// --warmup-connections used to crash (arithmetic overflow in the display's rates: the ticks
    /// during the warm-up measured time from the clock's zero). Open and closed loop, plain progress.
    func testWarmupConnectionsInOpenAndClosedLoop() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        for load in ["{mode: open, rate: 10, duration: 2s}", "{mode: closed, users: 2, duration: 2s}"] {
            let path = try profile("""
                target: {provider: mock, mock: {ttft: 5ms, inter_token: 1ms, output_tokens: 4}}
                load: \(load)
                """, in: directory)
            let result = try BinaryRunner.run([path, "--output", directory.path + "/runs", "--warmup-connections", "4"])
            XCTAssertEqual(result.status, 0, "\(load): \(result.stderr)")
            let progress = result.stderr.split(separator: "\n").filter { $0.hasPrefix("[") }
            XCTAssertFalse(progress.isEmpty, result.stderr)
            for line in progress {
                XCTAssertTrue(line.hasPrefix("[2.") || line.hasPrefix("[1.") || line.hasPrefix("[3."),
                              "elapsed from the run's origin: \(line)")
            }
        }
    }

    /// The last progress line gives the run's averages, not the last two seconds' rates.
    func testLastProgressLineGivesTheRunsAverages() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let path = try profile("""
            target: {provider: mock, mock: {ttft: 5ms, inter_token: 1ms, output_tokens: 4}}
            load: {mode: open, rate: 10, duration: 2s}
            """, in: directory)
        let result = try BinaryRunner.run([path, "--output", directory.path + "/runs"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let last = try XCTUnwrap(result.stderr.split(separator: "\n").last { $0.hasPrefix("[") }, result.stderr)
        XCTAssertTrue(last.contains("target 10.0/s, sent 10.0/s, ok 10.0/s (run averages)"), String(last))
    }

    // MARK: - File descriptors

    func testProfileNeedingMoreDescriptorsThanTheHardLimitIsRefused() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let path = try profile("""
            target: {provider: mock, mock: {ttft: 1ms, output_tokens: 4}}
            load: {mode: closed, users: 500, requests: 500}
            """, in: directory)
        let result = try BinaryRunner.runLimited(
            ulimit: "-n 256", [path, "--output", directory.path + "/runs", "--quiet"])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("(500 streams × 2 sockets (the client's and the embedded mock's)"),
                      result.stderr)
        XCTAssertTrue(result.stderr.contains("more than the limit of 256"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.path + "/runs"), "refused before the run")
    }

    /// Open loop: the peak is only possible (rate × timeout), so max_in_flight is lowered to fit.
    func testOpenLoopThatMayNotFitRunsWithFewerInFlight() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let path = try profile("""
            target: {provider: mock, mock: {ttft: 1ms, output_tokens: 4}}
            load: {mode: open, rate: 20, duration: 1s}
            """, in: directory)
        let result = try BinaryRunner.runLimited(
            ulimit: "-n 256", [path, "--output", directory.path + "/runs", "--verbose"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("loadgen: limits.max_in_flight lowered from 10000 to "), result.stderr)
        XCTAssertTrue(result.stderr.contains("more than the limit of 256"), result.stderr)
        XCTAssertTrue(result.stdout.contains("requests: 20 (20 ok, 0 failed)"), result.stdout)
    }

    func testSoftLimitIsRaisedToTheHardLimit() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let path = try profile("""
            target: {provider: mock, mock: {ttft: 1ms, output_tokens: 4}}
            load: {mode: closed, users: 100, requests: 200}
            """, in: directory)
        let result = try BinaryRunner.runLimited(
            ulimit: "-S -n 128", [path, "--output", directory.path + "/runs", "--verbose"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("loadgen: open-file limit (RLIMIT_NOFILE) raised from 128 to "), result.stderr)
        XCTAssertTrue(result.stdout.contains("requests: 200 (200 ok, 0 failed)"), result.stdout)
    }
}
