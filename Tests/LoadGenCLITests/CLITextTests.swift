import Foundation
import XCTest

/// Help, version and error texts, asserted by running the built binary.
final class CLITextTests: XCTestCase {
    func testVersionNamesLoadgenCurlAndUV() throws {
        let result = try BinaryRunner.run(["version"])
        XCTAssertEqual(result.status, 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, result.stdout)
        XCTAssertTrue(lines[0].hasPrefix("loadgen "), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("libcurl libcurl/"), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("libuv 1."), lines[2])
    }

    func testHelpShowsCommandsAndExamples() throws {
        let result = try BinaryRunner.run(["--help"])
        XCTAssertEqual(result.status, 0)
        for expected in ["USAGE: loadgen <subcommand>", "run (default)", "validate", "mock", "version",
                         "loadgen --profile profiles/ramp.yaml"] {
            XCTAssertTrue(result.stdout.contains(expected), "help lacks \(expected):\n\(result.stdout)")
        }
        let run = try BinaryRunner.run(["run", "--help"])
        XCTAssertTrue(run.stdout.contains("--profile"), run.stdout)
        XCTAssertTrue(run.stdout.contains("130 interrupted"), run.stdout)
    }

    /// Every command's help has examples; `run --help` lists the overrides and the exit codes.
    func testEveryCommandHasExamplesAndRunListsItsFlags() throws {
        for command in ["run", "validate", "mock", "version"] {
            let result = try BinaryRunner.run([command, "--help"])
            XCTAssertEqual(result.status, 0, command)
            XCTAssertTrue(result.stdout.contains("Example"), "\(command) --help has no examples:\n\(result.stdout)")
        }
        let run = try BinaryRunner.run(["run", "--help"])
        for expected in ["PROFILE OVERRIDES:", "--rate <per-second>", "--users, --concurrent <count>",
                         "--duration <duration>", "--prompts <path>", "--base-url <url>", "--model <name>",
                         "--set <key.path=value>", "--grace <duration>", "--verbose", "--quiet",
                         "3 a threshold failed", "4 the target refused the first requests (401/403/404)",
                         "NO_COLOR", "--base-url http://127.0.0.1:8000/v1", "--set thresholds.ttft_p99=800ms"] {
            XCTAssertTrue(run.stdout.contains(expected), "run --help lacks \(expected):\n\(run.stdout)")
        }
    }

    /// ArgumentParser's completion scripts, for bash, zsh and fish (README "Shell completions").
    func testShellCompletionScripts() throws {
        let bash = try BinaryRunner.run(["--generate-completion-script", "bash"])
        XCTAssertEqual(bash.status, 0, bash.stderr)
        for expected in ["_loadgen()", "complete -o filenames -F _loadgen loadgen", "--profile", "--rate", "validate"] {
            XCTAssertTrue(bash.stdout.contains(expected), "bash completion lacks \(expected)")
        }
        let zsh = try BinaryRunner.run(["--generate-completion-script", "zsh"])
        XCTAssertEqual(zsh.status, 0, zsh.stderr)
        XCTAssertTrue(zsh.stdout.hasPrefix("#compdef loadgen"), String(zsh.stdout.prefix(80)))
        let fish = try BinaryRunner.run(["--generate-completion-script", "fish"])
        XCTAssertEqual(fish.status, 0, fish.stderr)
        XCTAssertTrue(fish.stdout.contains("complete -c 'loadgen' -f"), String(fish.stdout.prefix(200)))
        let unknown = try BinaryRunner.run(["--generate-completion-script", "tcsh"])
        XCTAssertNotEqual(unknown.status, 0)
    }

    func testMissingProfileFileExitsTwoAndNamesIt() throws {
        let result = try BinaryRunner.run(["--profile", "/nonexistent/profile.yaml"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("/nonexistent/profile.yaml"), result.stderr)
        XCTAssertEqual(result.stdout, "")
    }

    /// Every problem is listed with file:line:column and field, exit code 2, nothing sent.
    func testInvalidProfileListsEveryProblem() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = directory.appendingPathComponent("bad.yaml")
        try """
            name: bad
            target: {provider: mock, model: m}
            laod: {mode: open}
            load:
              mode: open
              stages:
                - {duration: 10s, rate: fifty}
            """.write(to: profile, atomically: true, encoding: .utf8)
        let result = try BinaryRunner.run(["validate", profile.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("bad.yaml:3:1: laod:"), result.stderr)
        XCTAssertTrue(result.stderr.contains("load"), result.stderr)
        XCTAssertTrue(result.stderr.contains("bad.yaml:7:29: load.stages[0].rate:"), result.stderr)

        let run = try BinaryRunner.run(["--profile", profile.path, "--output", directory.appendingPathComponent("runs").path])
        XCTAssertEqual(run.status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("runs").path),
                       "nothing half-done: no run directory for an invalid profile")
    }

    func testEveryShippedProfileValidates() throws {
        let profiles = BinaryRunner.repositoryRoot.appendingPathComponent("profiles")
        let names = try FileManager.default.contentsOfDirectory(atPath: profiles.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertFalse(names.isEmpty)
        for name in names {
            let result = try BinaryRunner.run(["validate", profiles.appendingPathComponent(name).path])
            XCTAssertEqual(result.status, 0, "\(name): \(result.stderr)")
            XCTAssertTrue(result.stdout.contains("valid"), result.stdout)
        }
    }

    func testMissingAPIKeyNamesTheVariable() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = directory.appendingPathComponent("openai.yaml")
        try """
            name: needs-key
            target: {provider: openai-compatible, model: m, base_url: "http://127.0.0.1:9/v1", api_key_env: LOADGEN_TEST_UNSET_KEY}
            load: {mode: closed, users: 1, requests: 1}
            """.write(to: profile, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["LOADGEN_TEST_UNSET_KEY"] = nil
        let result = try BinaryRunner.run(
            ["--profile", profile.path, "--output", directory.path + "/runs"], environment: environment)
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("LOADGEN_TEST_UNSET_KEY"), result.stderr)
    }

    /// `loadgen mock` takes delay distributions and rejects what it cannot read.
    func testMockCommandParsesDelaysAndRejectsGarbage() throws {
        let bad = try BinaryRunner.run(["mock", "--port", "0", "--ttft", "uniform:300ms..100ms"])
        XCTAssertEqual(bad.status, 64, "ArgumentParser's usage error")
        XCTAssertTrue(bad.stderr.contains("The value 'uniform:300ms..100ms' is invalid for '--ttft <delay>'"), bad.stderr)
        let range = try BinaryRunner.run(["mock", "--error-rate", "2"])
        XCTAssertEqual(range.status, 64)
        XCTAssertTrue(range.stderr.contains("Please give --error-rate between 0 and 1."), range.stderr)

        for delay in ["200ms", "uniform:100ms..300ms", "normal:200ms,20ms", "exponential:50ms"] {
            let server = try BinaryRunner.start(["mock", "--port", "0", "--ttft", delay])
            let line = String(decoding: server.stdout.fileHandleForReading.availableData, as: UTF8.self)
            kill(server.process.processIdentifier, SIGTERM)
            server.process.waitUntilExit()
            XCTAssertTrue(line.hasPrefix("mock provider listening on http://127.0.0.1:"), "\(delay): \(line)")
            XCTAssertEqual(server.process.terminationStatus, 0, "SIGTERM stops the mock cleanly")
        }
    }

    /// `validate` prints the resolved plan: stages with their expected requests, peak, totals.
    func testValidatePrintsThePlan() throws {
        let spike = BinaryRunner.repositoryRoot.appendingPathComponent("profiles/spike.yaml").path
        let result = try BinaryRunner.run(["validate", spike, "--resolved"])
        XCTAssertEqual(result.status, 0, result.stderr)
        for expected in ["arrivals: poisson, seed 3", "10.0 s –    15.0 s  100/s, about 500 requests", "peak: 100/s",
                         "duration: 30.00 s", "expected requests: 750 (on average)", "max in flight: 10000",
                         "# Resolved by loadgen"] {
            XCTAssertTrue(result.stdout.contains(expected), "validate output lacks \(expected):\n\(result.stdout)")
        }
    }
}
