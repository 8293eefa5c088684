import Foundation
import XCTest

/// `loadgen run` flags that change the profile: --rate, --users/--concurrent, --duration, --set,
/// --model, --base-url, --prompts; checked against what the run did and the resolved profile.
final class OverrideFlagTests: XCTestCase {
    private let profileText = """
        name: flags
        target: {provider: mock, model: mock-small, mock: {ttft: 5ms, output_tokens: 2}}
        load:
          mode: open
          stages:
            - {duration: 1s, rate: 5}
            - {duration: 3s, rate: "5..20"}
        """

    private func run(_ flags: [String], in directory: URL) throws -> (BinaryRunner.Result, URL?) {
        let profile = try CLITestSupport.writeProfile(profileText, in: directory)
        let runs = directory.appendingPathComponent("runs-\(UUID().uuidString)")
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path, "--quiet"] + flags)
        let run = FileManager.default.fileExists(atPath: runs.path) ? try CLITestSupport.onlyRunDirectory(in: runs) : nil
        return (result, run)
    }

    private func resolved(_ run: URL?) throws -> String {
        try String(contentsOf: try XCTUnwrap(run).appendingPathComponent("profile.resolved.yaml"), encoding: .utf8)
    }

    /// --rate 20 --duration 1s: one constant stage, exactly 20 requests.
    func testRateAndDuration() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let (result, run) = try run(["--rate", "20", "--duration", "1s", "--model", "other-model"], in: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try CLITestSupport.attempts(in: try XCTUnwrap(run)).count, 20)
        let yaml = try resolved(run)
        XCTAssertTrue(yaml.contains("    - {duration: 1s, rate: 20}"), yaml)
        XCTAssertTrue(yaml.contains("  model: \"other-model\""), yaml)
    }

    /// --duration alone stretches the stages in proportion (1 s + 3 s → 0.5 s + 1.5 s).
    func testDurationStretchesStages() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let (result, run) = try run(["--duration", "2s"], in: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        let yaml = try resolved(run)
        XCTAssertTrue(yaml.contains("    - {duration: 500ms, rate: 5}\n    - {duration: 1500ms, rate: \"5..20\"}"), yaml)
    }

    /// --concurrent (an alias of --users) with --set: a closed loop of 3 users for 12 requests.
    func testUsersAndSet() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let (result, run) = try run(
            ["--concurrent", "3", "--set", "limits.max_requests=12"], in: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        let attempts = try CLITestSupport.attempts(in: try XCTUnwrap(run))
        XCTAssertEqual(attempts.count, 12)
        XCTAssertEqual(Set(attempts.compactMap { $0["user"] as? Int }), [0, 1, 2])
        let yaml = try resolved(run)
        XCTAssertTrue(yaml.contains("  mode: closed\n  think_time: 0s\n  stages:\n    - {duration: 4s, users: 3}"), yaml)
        XCTAssertTrue(yaml.contains("  max_requests: 12"), yaml)
    }

    /// --prompts takes a path relative to the current directory (not to the profile's folder).
    func testPromptsFromTheCommandLine() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let profile = try CLITestSupport.writeProfile(profileText, in: directory.appendingPathComponent("sub"))
        try """
            name: mine
            prompts:
              - "First question"
              - "Second question"
            """.write(to: directory.appendingPathComponent("my-prompts.yaml"), atomically: true, encoding: .utf8)
        let result = try BinaryRunner.run(
            ["--profile", profile.path, "--output", "runs", "--quiet", "--prompts", "my-prompts.yaml", "--duration", "1s"],
            currentDirectory: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        let run = try CLITestSupport.onlyRunDirectory(in: directory.appendingPathComponent("runs"))
        let yaml = try resolved(run)
        XCTAssertTrue(yaml.contains("my-prompts.yaml\"}  # set mine: 2 prompt(s), 100.0 % of requests"), yaml)
        XCTAssertFalse(yaml.contains("Say hello in one short sentence"), yaml)
    }

    /// --base-url on a mock profile keeps the mock's dialect: an Anthropic-dialect mock profile becomes
    /// provider anthropic, so it needs ANTHROPIC_API_KEY (checked before anything is sent).
    func testBaseURLKeepsTheMockDialect() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile("""
            name: anthropic-mock
            target: {provider: mock, model: claude-mock, mock: {dialect: anthropic, output_tokens: 2}}
            load: {mode: open, rate: 5, duration: 1s}
            """, in: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["ANTHROPIC_API_KEY"] = nil
        let result = try BinaryRunner.run(
            ["--profile", profile.path, "--output", directory.appendingPathComponent("runs").path, "--quiet",
             "--base-url", "http://127.0.0.1:9/v1"],
            environment: environment, currentDirectory: directory)
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("ANTHROPIC_API_KEY"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("runs").path))
    }

    /// Bad values are reported like bad profile lines, naming the flag; bad flags are usage errors.
    func testErrorsNameTheFlag() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let (bad, badRun) = try run(["--set", "load.stages[1].rate=fast"], in: directory)
        XCTAssertEqual(bad.status, 2)
        XCTAssertNil(badRun, "no run directory for an invalid profile")
        XCTAssertTrue(bad.stderr.contains("profile.yaml: load.stages[1].rate: expected a positive number or a ramp "
            + "like \"1..50\", got \"fast\" (the value came from --set load.stages[1].rate=fast)"), bad.stderr)

        let (url, _) = try run(["--set", "target.provider=openai-compatible"], in: directory)
        XCTAssertEqual(url.status, 2)
        XCTAssertTrue(url.stderr.contains("target.base_url: missing required field for provider openai-compatible"),
                      url.stderr)

        let (prompts, _) = try run(["--prompts", "/nonexistent/prompts.yaml"], in: directory)
        XCTAssertEqual(prompts.status, 2)
        XCTAssertTrue(prompts.stderr.contains("profile.yaml: prompts: no prompt-set file or folder at /nonexistent/prompts.yaml "
            + "(the value came from --prompts /nonexistent/prompts.yaml)"), prompts.stderr)

        // Rejected by the argument parser (exit 64, EX_USAGE) with a "Please ..." message.
        let cases: [([String], String)] = [
            (["--set", "load.rate"], "The value 'load.rate' is invalid for '--set <key.path=value>'"),
            (["--rate", "5", "--users", "2"], "Please give either --rate (open loop) or --users (closed loop), not both."),
            (["--rate", "0"], "Please give --rate as a positive number."),
            (["--duration", "10"], "The value '10' is invalid for '--duration <duration>': a duration needs a unit: "
                + "10s, 10ms, 10m or 10h"),
            (["--grace", "fast"], "expected a duration with a unit like 500ms, 30s, 2m or 1h"),
            // Upper bounds (docs/profiles.md, "Upper bounds").
            (["--rate", "1e12"], "--rate: 1,000,000,000,000 arrivals per second is beyond the limit of 1,000,000"),
            (["--users", "2147483648"], "--users: 2,147,483,648 users is beyond the limit of 1,000,000"),
            (["--duration", "200h"], "--duration: 200h is longer than the limit of 168h (7 days) for one stage"),
            (["--base-url", "127.0.0.1:8000"], "Please give --base-url as an http:// or https:// URL"),
        ]
        for (flags, message) in cases {
            let (result, _) = try run(flags, in: directory)
            XCTAssertEqual(result.status, 64, "\(flags): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(flags): \(result.stderr)")
        }

        // A trace replay has no rate to change.
        try "0\n0.1\n".write(to: directory.appendingPathComponent("t.txt"), atomically: true, encoding: .utf8)
        let trace = try CLITestSupport.writeProfile(
            "target: {provider: mock}\nload: {mode: open, arrival: trace, trace: t.txt}\n", in: directory, name: "trace.yaml")
        let traced = try BinaryRunner.run(["--profile", trace.path, "--rate", "5", "--output", directory.path])
        XCTAssertEqual(traced.status, 2)
        XCTAssertTrue(traced.stderr.contains("--rate, --users and --duration cannot change a trace replay"), traced.stderr)

        // Each value within its bound, but together too many requests for one run.
        let (planned, plannedRun) = try run(["--rate", "1000000", "--duration", "2000s"], in: directory)
        XCTAssertEqual(planned.status, 2, planned.stderr)
        XCTAssertNil(plannedRun)
        XCTAssertTrue(planned.stderr.contains("--rate 1000000.0 --duration 2000s: the load plans about 2,000,000,000 "
            + "requests, beyond the limit of 1,000,000,000 for one run"), planned.stderr)
    }
}
