import Foundation
import LoadCore
import TestSupport
import XCTest

/// Whole runs of the binary against the embedded mock: the run directory, the summary, interrupts.
final class RunEndToEndTests: XCTestCase {
    private func writeProfile(_ text: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent("profile.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    private func onlyRunDirectory(in runs: URL) throws -> URL {
        let entries = try FileManager.default.contentsOfDirectory(atPath: runs.path)
        XCTAssertEqual(entries.count, 1, "\(entries)")
        return runs.appendingPathComponent(try XCTUnwrap(entries.first))
    }

    /// Every line of events.ndjson parsed as a JSON object, in order.
    private func events(in run: URL) throws -> [[String: Any]] {
        let text = try String(contentsOf: run.appendingPathComponent("events.ndjson"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try XCTUnwrap(object as? [String: Any], String(line))
        }
    }

    private func summary(in run: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: run.appendingPathComponent("summary.json"))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// summary.json's `loadgen` section: how the run ended (started, cancelled, interrupted, ...).
    private func outcome(in run: URL) throws -> [String: Any] {
        try XCTUnwrap(try summary(in: run)["loadgen"] as? [String: Any])
    }

    /// 100 requests from 10 users against a mock with a 20 ms TTFT and 8 tokens: the table, the
    /// run directory and the event log all agree.
    func testClosedLoopRunWritesACompleteRunDirectory() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try writeProfile("""
            name: e2e
            target: {provider: mock, model: mock-small, mock: {ttft: 20ms, inter_token: 2ms, output_tokens: 8}}
            load: {mode: closed, users: 10, requests: 100}
            """, in: directory)
        let runs = directory.appendingPathComponent("runs")
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "", "--quiet prints nothing while running")
        for expected in ["TTFT", "inter-token", "total time", "requests: 100 (100 ok, 0 failed)", "run directory:",
                         "loadreport "] {
            XCTAssertTrue(result.stdout.contains(expected), "output lacks \(expected):\n\(result.stdout)")
        }

        let run = try onlyRunDirectory(in: runs)
        XCTAssertTrue(run.lastPathComponent.hasSuffix("Z-e2e"), run.lastPathComponent)
        for file in ["events.ndjson", "run.json", "summary.json", "summary.txt", "profile.resolved.yaml",
                     "histograms.hlog", "ttft.hgrm", "inter_token.hgrm", "total.hgrm", "report.html"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: run.appendingPathComponent(file).path), file)
        }
        let lines = try events(in: run)
        XCTAssertEqual(lines.first?["type"] as? String, "run")
        XCTAssertEqual(lines.last?["type"] as? String, "end")
        let attempts = lines.filter { $0["type"] as? String == "attempt" }
        XCTAssertEqual(attempts.count, 100)
        XCTAssertEqual(Set(attempts.compactMap { $0["request"] as? Int }).count, 100)

        let figures = try XCTUnwrap(try summary(in: run)["overall"] as? [String: Any])
        XCTAssertEqual(figures["attempt_successes"] as? Int, 100)
        XCTAssertEqual(figures["output_tokens"] as? Int, 800)
        let ttft = try XCTUnwrap((figures["metrics"] as? [String: Any])?["ttft"] as? [String: Any])
        let ttftP50 = try XCTUnwrap(ttft["p50"] as? Double)
        XCTAssert((20...100).contains(ttftP50), "TTFT p50 \(ttftP50) ms for a 20 ms mock")

        let report = try BinaryRunner.run([run.path], binary: "loadreport")
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("requests: 100 (100 ok, 0 failed)"), report.stdout)
    }

    /// Interrupted once its first record is in the event log: exit 130, the log parses completely,
    /// the summary exists, and every started request has its record (it finished during the grace,
    /// as the first SIGINT allows). An open loop never sends more than its rate allows.
    func testFirstInterruptDrainsAndExits130() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try writeProfile("""
            name: interrupted
            target: {provider: mock, model: mock-small, mock: {ttft: 300ms, inter_token: 10ms, output_tokens: 20}}
            load: {mode: open, rate: 40, duration: 60s}
            """, in: directory)
        let runs = directory.appendingPathComponent("runs")
        let launched = Date()
        let (process, stdout, stderr) = try BinaryRunner.start(["--profile", profile.path, "--output", runs.path])
        XCTAssertTrue(Readiness.waitUntil { CLITestSupport.eventLog(in: runs).contains(#""type":"attempt""#) }, "no attempt was logged")
        kill(process.processIdentifier, SIGINT)
        let interruptedAfter = Date().timeIntervalSince(launched)
        let result = BinaryRunner.finish(process, stdout, stderr)
        XCTAssertEqual(result.status, 130, result.stderr)
        XCTAssertTrue(result.stdout.contains("interrupted by signal 2"), result.stdout)

        let run = try onlyRunDirectory(in: runs)
        let lines = try events(in: run)
        XCTAssertEqual(lines.last?["type"] as? String, "end")
        let attempts = lines.filter { $0["type"] as? String == "attempt" }
        let figures = try outcome(in: run)
        XCTAssertEqual(figures["interrupted"] as? Bool, true)
        try assertEveryStartedRequestEnded(attempts, started: figures["started"] as? Int)
        XCTAssertGreaterThan(attempts.count, 0)
        XCTAssertLessThanOrEqual(Double(attempts.count), 40 * interruptedAfter + 1, "at most 40/s until the interrupt")
        XCTAssertTrue(attempts.allSatisfy { $0["error"] == nil }, "the first interrupt lets requests finish")
    }

    /// A server that sends headers and a role chunk, then holds every stream open: the readiness
    /// signal is the number of streams it holds.
    private func startStallingServer(_ directory: URL, grace: String = "") throws -> (ScriptedServer, URL) {
        let server = try ScriptedServer(.stallAfterHeaders)
        addTeardownBlock { server.stop() }
        let profile = try writeProfile("""
            name: stalled
            target: {provider: openai-compatible, model: m, base_url: "http://127.0.0.1:\(server.port)/v1"}
            load: {mode: open, rate: 20, duration: 60s}
            \(grace)
            """, in: directory)
        return (server, profile)
    }

    /// Requests 0..<started each have exactly one attempt line, with an end time.
    private func assertEveryStartedRequestEnded(_ attempts: [[String: Any]], started: Int?,
                                                file: StaticString = #filePath, line: UInt = #line) throws {
        let started = try XCTUnwrap(started, file: file, line: line)
        let requests = attempts.compactMap { $0["request"] as? Int }.sorted()
        XCTAssertEqual(requests, Array(0..<started), "one end record per started request", file: file, line: line)
        XCTAssertTrue(attempts.allSatisfy { $0["end_us"] is Double }, file: file, line: line)
    }

    /// With `--grace 1s`, requests still in flight 1 s after the first interrupt are cancelled (the
    /// server holds every stream open: none could finish), and the run ends then. Cancelled records
    /// keep the status their headers brought.
    func testGracePeriodCancelsWhatIsStillInFlight() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let (server, profile) = try startStallingServer(directory)
        let runs = directory.appendingPathComponent("runs")
        let (process, stdout, stderr) = try BinaryRunner.start(
            ["--profile", profile.path, "--output", runs.path, "--grace", "1s"])
        XCTAssertTrue(Readiness.waitUntil { server.connectionsHeld >= 3 }, "no stream reached the server")
        let held = server.connectionsHeld
        let interrupted = Date()
        kill(process.processIdentifier, SIGINT)
        let result = BinaryRunner.finish(process, stdout, stderr)
        let exitAfter = Date().timeIntervalSince(interrupted)
        XCTAssertEqual(result.status, 130, result.stderr)
        XCTAssert((0.9...10).contains(exitAfter), "exits when the 1 s grace ends: \(exitAfter) s")
        XCTAssertTrue(result.stderr.contains("loadgen: interrupted: no new requests;"), result.stderr)
        XCTAssertTrue(result.stdout.contains("grace period (1s) over: requests still in flight were cancelled"),
                      result.stdout)

        let run = try onlyRunDirectory(in: runs)
        let lines = try events(in: run)
        XCTAssertEqual(lines.last?["type"] as? String, "end")
        let attempts = lines.filter { $0["type"] as? String == "attempt" }
        let figures = try outcome(in: run)
        try assertEveryStartedRequestEnded(attempts, started: figures["started"] as? Int)
        XCTAssertGreaterThanOrEqual(attempts.count, held)
        XCTAssertTrue(attempts.allSatisfy { $0["error"] as? String == "cancelled" })
        XCTAssertGreaterThanOrEqual(attempts.filter { $0["status"] as? Int == 200 }.count, held,
                                    "a cancelled record keeps the status of the headers that arrived")
        XCTAssertEqual(figures["cancelled"] as? Int, attempts.count)

        // limits.grace in the profile does the same.
        let (secondServer, fromProfile) = try startStallingServer(directory, grace: "limits: {grace: 500ms}")
        let second = try BinaryRunner.start(["--profile", fromProfile.path, "--output", runs.path, "--quiet"])
        XCTAssertTrue(Readiness.waitUntil { secondServer.connectionsHeld >= 1 }, "no stream reached the server")
        let start = Date()
        kill(second.process.processIdentifier, SIGTERM)
        let secondResult = BinaryRunner.finish(second.process, second.stdout, second.stderr)
        XCTAssertEqual(secondResult.status, 130, secondResult.stderr)
        XCTAssert(Date().timeIntervalSince(start) < 10, "500 ms of grace, not the 60 s run")
        XCTAssertTrue(secondResult.stdout.contains("grace period (500ms) over"), secondResult.stdout)
    }

    /// A second interrupt (here SIGTERM after SIGINT, sent once the first was acknowledged on
    /// stderr) cancels what is still in flight; each cancelled attempt is recorded, with its status.
    func testSecondInterruptCancelsInFlightRequests() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let (server, profile) = try startStallingServer(directory)
        let runs = directory.appendingPathComponent("runs")
        let (process, stdout, stderr) = try BinaryRunner.start(["--profile", profile.path, "--output", runs.path])
        let errorText = PipeReader(stderr)
        XCTAssertTrue(Readiness.waitUntil { server.connectionsHeld >= 3 }, "no stream reached the server")
        let held = server.connectionsHeld
        kill(process.processIdentifier, SIGINT)
        XCTAssertTrue(errorText.waitFor("loadgen: interrupted: no new requests;"), errorText.text)
        kill(process.processIdentifier, SIGTERM)  // SIGTERM counts as the second interrupt too
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130, errorText.finish() + output)

        let run = try onlyRunDirectory(in: runs)
        let lines = try events(in: run)
        XCTAssertEqual(lines.last?["type"] as? String, "end")
        let attempts = lines.filter { $0["type"] as? String == "attempt" }
        let cancelled = attempts.filter { $0["error"] as? String == "cancelled" }
        try assertEveryStartedRequestEnded(attempts, started: try outcome(in: run)["started"] as? Int)
        XCTAssertGreaterThanOrEqual(cancelled.count, held)
        XCTAssertEqual(cancelled.count, attempts.count, "streams held open: nothing finished before the cancel")
        XCTAssertGreaterThanOrEqual(cancelled.filter { $0["status"] as? Int == 200 }.count, held,
                                    "a cancelled record keeps the status of the headers that arrived")
    }

    /// A fake key in the environment reaches the server (as a bearer token, or Anthropic's
    /// x-api-key) but appears in no file and no output (--verbose lines included), for every
    /// provider pointed at the mock, even when the server fails every request, or half of them in
    /// the middle of the stream. Every answer 401: the run stops early (exit 4) and names the key's
    /// variable.
    func testAPIKeyAppearsNowhere() throws {
        // Table: mock arguments, provider, key variable (nil: the provider's default), API root on
        // the mock, a class in the summary, exit status.
        let cases: [(mockArguments: [String], provider: String, variable: String?, root: String, expected: String,
                     status: Int32)] = [
            (["--error-rate", "1", "--error-status", "401"], "openai-compatible", "LOADGEN_TEST_KEY", "/v1", "http_4xx", 4),
            (["--error-rate", "1", "--error-status", "401"], "openai", nil, "/v1", "http_4xx", 4),
            (["--error-rate", "1", "--error-status", "401"], "anthropic", nil, "/v1", "http_4xx", 4),
            (["--fault", "error_event,after=1,rate=0.5"], "anthropic", nil, "/v1", "stream_error", 0),
            (["--fault", "malformed,rate=0.5"], "groq", nil, "/openai/v1", "protocol", 0),
        ]
        let defaultVariables = ["openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY", "groq": "GROQ_API_KEY"]
        for row in cases {
            let mock = try BinaryRunner.start(["mock", "--port", "0"] + row.mockArguments)
            defer {
                kill(mock.process.processIdentifier, SIGTERM)
                mock.process.waitUntilExit()
            }
            let firstLine = String(decoding: mock.stdout.fileHandleForReading.availableData, as: UTF8.self)
            let mockURL = try XCTUnwrap(firstLine.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
            XCTAssertTrue(mockURL.hasPrefix("http://127.0.0.1:"), firstLine)
            let baseURL = mockURL.replacingOccurrences(of: "/v1", with: row.root)

            let key = "sk-loadgen-test-\(UUID().uuidString)"
            let directory = try BinaryRunner.temporaryDirectory(self)
            let keyLine = row.variable.map { ", api_key_env: \($0)" } ?? ""
            let profile = try writeProfile("""
                name: secret
                target: {provider: \(row.provider), model: m, base_url: "\(baseURL)"\(keyLine)}
                load: {mode: closed, users: 2, requests: 10}
                """, in: directory)
            var environment = ProcessInfo.processInfo.environment
            let variable = row.variable ?? defaultVariables[row.provider]!
            environment[variable] = key
            let runs = directory.appendingPathComponent("runs")
            let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path, "--verbose"],
                                              environment: environment)
            XCTAssertEqual(result.status, row.status, "\(row.provider): \(result.stderr)")
            XCTAssertTrue(result.stdout.contains(row.expected), "\(row.provider): \(result.stdout)")
            if row.status == 4 {
                XCTAssertTrue(result.stderr.contains("401 Unauthorized: the API key is missing, wrong or revoked; check \(variable)"),
                              "\(row.provider): \(result.stderr)")
                XCTAssertTrue(result.stderr.contains("  401  http_4xx  "), "\(row.provider): the --verbose lines: \(result.stderr)")
            }
            XCTAssertFalse(result.stdout.contains(key) || result.stderr.contains(key), row.provider)
            let run = try onlyRunDirectory(in: runs)
            for file in try FileManager.default.contentsOfDirectory(atPath: run.path) {
                let contents = try String(contentsOf: run.appendingPathComponent(file), encoding: .utf8)
                XCTAssertFalse(contents.contains(key), "\(row.provider): the key leaked into \(file)")
            }
        }
    }

    /// A provider's key variable that is not set is named in the error, and nothing is sent.
    func testMissingKeyNamesTheVariable() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try writeProfile("""
            target: {provider: anthropic, model: claude-haiku-4-5, base_url: "http://127.0.0.1:9/v1"}
            load: {mode: closed, users: 1, requests: 1}
            """, in: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["ANTHROPIC_API_KEY"] = nil
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", directory.appendingPathComponent("runs").path],
                                          environment: environment, currentDirectory: directory)
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("ANTHROPIC_API_KEY is not set"), result.stderr)
    }

    /// The key may come from ./.env instead of the environment; it still appears nowhere.
    func testAPIKeyFromDotEnvFile() throws {
        let mock = try BinaryRunner.start(["mock", "--port", "0"])
        defer {
            kill(mock.process.processIdentifier, SIGTERM)
            mock.process.waitUntilExit()
        }
        let firstLine = String(decoding: mock.stdout.fileHandleForReading.availableData, as: UTF8.self)
        let baseURL = try XCTUnwrap(firstLine.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })

        let key = "sk-dotenv-\(UUID().uuidString)"
        let directory = try BinaryRunner.temporaryDirectory(self)
        try "# test key\nLOADGEN_TEST_DOTENV_KEY=\"\(key)\"\n".write(
            to: directory.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        let profile = try writeProfile("""
            name: dotenv
            target: {provider: openai-compatible, model: m, base_url: "\(baseURL)", api_key_env: LOADGEN_TEST_DOTENV_KEY}
            load: {mode: closed, users: 1, requests: 3}
            """, in: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["LOADGEN_TEST_DOTENV_KEY"] = nil
        let result = try BinaryRunner.run(
            ["--profile", profile.path, "--output", "runs"], environment: environment, currentDirectory: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("requests: 3 (3 ok, 0 failed)"), result.stdout)
        XCTAssertFalse(result.stdout.contains(key) || result.stderr.contains(key))

        try "not an assignment\n".write(to: directory.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        let broken = try BinaryRunner.run(
            ["--profile", profile.path, "--output", "runs"], environment: environment, currentDirectory: directory)
        XCTAssertEqual(broken.status, 2)
        XCTAssertTrue(broken.stderr.contains(".env:1: not a NAME=value line"), broken.stderr)
    }

    /// A seeded Poisson profile sends exactly the schedule LoadCore computes for that seed: the same
    /// count and the same intended start times (the log keeps 0.1 µs).
    func testPoissonRunFollowsItsSeededSchedule() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try writeProfile("""
            name: poisson
            target: {provider: mock, model: mock-small, mock: {ttft: 5ms, output_tokens: 2}}
            load: {mode: open, arrival: poisson, stages: [{duration: 2s, rate: 100}]}
            seed: 11
            """, in: directory)
        let runs = directory.appendingPathComponent("runs")
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)

        var schedule = PoissonSchedule(stages: [Stage(durationNanos: 2_000_000_000, level: .constant(100))], seed: 11)
        var expected: [Double] = []
        while let nanos = schedule.next() { expected.append(Double(nanos) / 1_000) }
        let intended = try events(in: try onlyRunDirectory(in: runs))
            .filter { $0["type"] as? String == "attempt" }
            .compactMap { $0["intended_us"] as? Double }
            .sorted()
        XCTAssertEqual(intended.count, expected.count)
        XCTAssert((150...250).contains(intended.count), "about 200 arrivals: \(intended.count)")
        for (logged, scheduled) in zip(intended, expected) {
            XCTAssertEqual(logged, scheduled, accuracy: 0.051)
        }
    }

    /// A trace-replay profile sends one request at each recorded time, and nothing else.
    func testTraceReplaySendsTheRecordedArrivals() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        try "# recorded\n0\n0.05\n0.05\n0.3\n0.31\n0.8\n".write(
            to: directory.appendingPathComponent("arrivals.txt"), atomically: true, encoding: .utf8)
        let profile = try writeProfile("""
            name: replay
            target: {provider: mock, model: mock-small, mock: {ttft: 5ms, output_tokens: 2}}
            load: {mode: open, arrival: trace, trace: arrivals.txt}
            """, in: directory)
        let runs = directory.appendingPathComponent("runs")
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let intended = try events(in: try onlyRunDirectory(in: runs))
            .filter { $0["type"] as? String == "attempt" }
            .compactMap { $0["intended_us"] as? Double }
            .sorted()
        XCTAssertEqual(intended, [0, 50_000, 50_000, 300_000, 310_000, 800_000])
    }
}
