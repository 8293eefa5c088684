import Foundation
import XCTest

/// A profile with `target.headers`, `request.extra_body: {ignore_eos: true}` and a ShareGPT file
/// runs against the mock, which receives them (issue 17): the mock's length follows the
/// `x-mock-tokens` header sent through `target.headers`, and with `ignore_eos` it is exactly the
/// `max_tokens` each ShareGPT answer set.
final class RequestKnobRunTests: XCTestCase {
    /// Answers of 20, 40 and 60 characters: 5, 10 and 15 estimated tokens.
    private let shareGPT = """
        [
          {"id": "a", "conversations": [{"from": "human", "value": "First question"}, {"from": "gpt", "value": "\(String(repeating: "a", count: 20))"}]},
          {"id": "b", "conversations": [{"from": "human", "value": "Second question"}, {"from": "gpt", "value": "\(String(repeating: "b", count: 40))"}]},
          {"id": "c", "conversations": [{"from": "human", "value": "Third question"}, {"from": "gpt", "value": "\(String(repeating: "c", count: 60))"}]}
        ]
        """

    private func profile(extraBody: String) -> String {
        """
        name: knobs
        target:
          provider: mock
          mock: {ttft: 0ms, inter_token: 0ms, output_tokens: 4}
          headers: {x-mock-tokens: "2", X-Org-Id: acme, X-Gateway-Key: "${GATEWAY_KEY}"}
        prompts: [data/sharegpt.json]
        request: {\(extraBody)}
        load: {mode: closed, users: 1, requests: 6}
        """
    }

    private func run(_ profileText: String, in directory: URL, environment: [String: String?]) throws
        -> (BinaryRunner.Result, URL?)
    {
        let profile = try CLITestSupport.writeProfile(profileText, in: directory, name: "knobs-\(UUID().uuidString).yaml")
        let runs = directory.appendingPathComponent("runs-\(UUID().uuidString)")
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path, "--quiet"],
                                          environment: BinaryRunner.environment(environment))
        let run = FileManager.default.fileExists(atPath: runs.path) ? try CLITestSupport.onlyRunDirectory(in: runs) : nil
        return (result, run)
    }

    func testHeadersExtraBodyAndShareGPTReachTheMock() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        try shareGPT.write(to: directory.appendingPathComponent("data/sharegpt.json"), atomically: true, encoding: .utf8)
        let secret = "gw-SECRET-4c1d9e"

        // Headers only: the mock's length follows x-mock-tokens (2, not its configured 4).
        let (plain, plainRun) = try run(profile(extraBody: ""), in: directory, environment: ["GATEWAY_KEY": secret])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let plainAttempts = try CLITestSupport.attempts(in: try XCTUnwrap(plainRun))
        XCTAssertEqual(plainAttempts.count, 6)
        XCTAssertEqual(Set(plainAttempts.compactMap { $0["tokens"] as? Int }), [2])

        // With ignore_eos the mock generates exactly each prompt's max_tokens: 5, 10, 15 in turn.
        let (eos, eosRun) = try run(profile(extraBody: "extra_body: {ignore_eos: true}"), in: directory,
                                    environment: ["GATEWAY_KEY": secret])
        XCTAssertEqual(eos.status, 0, eos.stderr)
        let eosRunDirectory = try XCTUnwrap(eosRun)
        let attempts = try CLITestSupport.attempts(in: eosRunDirectory)
        XCTAssertEqual(attempts.count, 6)
        for attempt in attempts {
            let prompt = try XCTUnwrap(attempt["prompt"] as? Int)
            XCTAssertEqual(attempt["tokens"] as? Int, [5, 10, 15][prompt], "\(attempt)")
        }
        XCTAssertEqual(Set(attempts.compactMap { $0["prompt"] as? Int }), [0, 1, 2])
        let resolved = try String(contentsOf: eosRunDirectory.appendingPathComponent("profile.resolved.yaml"), encoding: .utf8)
        XCTAssertTrue(resolved.contains("  extra_body: {\"ignore_eos\": true}"), resolved)
        XCTAssertTrue(resolved.contains("\"X-Gateway-Key\": \"${GATEWAY_KEY}\""), resolved)

        // The variable's value appears in no file of the run and in no output.
        for name in try FileManager.default.contentsOfDirectory(atPath: eosRunDirectory.path) {
            let data = (try? Data(contentsOf: eosRunDirectory.appendingPathComponent(name))) ?? Data()
            XCTAssertFalse(String(decoding: data, as: UTF8.self).contains(secret), name)
        }
        XCTAssertFalse((eos.stdout + eos.stderr).contains(secret))

        // An unset variable stops the run before anything is sent, naming the variable.
        let (unset, unsetRun) = try run(profile(extraBody: ""), in: directory, environment: ["GATEWAY_KEY": nil])
        XCTAssertEqual(unset.status, 2, unset.stderr)
        XCTAssertNil(unsetRun)
        XCTAssertTrue(unset.stderr.contains("target.headers.X-Gateway-Key uses ${GATEWAY_KEY}, which is not set"), unset.stderr)

        // ./.env supplies it as it does the API key.
        try "GATEWAY_KEY=\(secret)\n".write(to: directory.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        let dotEnvProfile = try CLITestSupport.writeProfile(profile(extraBody: ""), in: directory, name: "dotenv.yaml")
        let dotEnv = try BinaryRunner.run(["--profile", dotEnvProfile.lastPathComponent, "--output", "runs-dotenv", "--quiet"],
                                          environment: BinaryRunner.environment(["GATEWAY_KEY": nil]), currentDirectory: directory)
        XCTAssertEqual(dotEnv.status, 0, dotEnv.stderr)
    }

    /// A trace with token lengths replays both: request i at the i-th time, with prompt i and the
    /// i-th output length as max_tokens. The profile is named by a relative path and the trace by
    /// "../" from it (which used to resolve against the file system's root).
    func testATraceReplaysArrivalTimesAndLengthsTogether() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.00,20,3\n2023-11-16 18:15:46.10,40,7\n"
            .appending("2023-11-16 18:15:46.20,10,5\n")
            .write(to: directory.appendingPathComponent("trace.csv"), atomically: true, encoding: .utf8)
        _ = try CLITestSupport.writeProfile("""
            target: {provider: mock, mock: {ttft: 0ms, inter_token: 0ms, output_tokens: 1000}}
            load: {mode: open, arrival: trace, trace: ../trace.csv}
            """, in: directory.appendingPathComponent("sub"), name: "p.yaml")
        let result = try BinaryRunner.run(["--profile", "sub/p.yaml", "--output", "runs", "--quiet"], currentDirectory: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        let attempts = try CLITestSupport.attempts(in: try CLITestSupport.onlyRunDirectory(in: directory.appendingPathComponent("runs")))
        XCTAssertEqual(attempts.count, 3)
        for attempt in attempts {
            let request = try XCTUnwrap(attempt["request"] as? Int)
            XCTAssertEqual(attempt["prompt"] as? Int, request, "\(attempt)")
            XCTAssertEqual(attempt["tokens"] as? Int, [3, 7, 5][request], "\(attempt)")
        }
        let intended = attempts.sorted { ($0["request"] as? Int ?? 0) < ($1["request"] as? Int ?? 0) }.compactMap { $0["intended_us"] as? Double }
        XCTAssertEqual(intended.count, 3)
        if intended.count == 3 {
            XCTAssertEqual(intended[1] - intended[0], 100_000, accuracy: 1)
            XCTAssertEqual(intended[2] - intended[0], 200_000, accuracy: 1)
        }
    }
}
