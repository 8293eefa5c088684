import Foundation
import LoadCore
import XCTest

/// Prompt sets end to end: a run against the embedded mock sends each request the prompt the
/// seeded selector picks (seen through each prompt's own max_tokens, which the mock obeys), and
/// `validate` lists the sets.
final class PromptRunTests: XCTestCase {
    /// Two sets in a folder: a (weights 3 and 1, max_tokens 3 and 5) and b (max_tokens 7).
    private func writeFolderProfile(in directory: URL) throws -> URL {
        let sets = directory.appendingPathComponent("sets")
        try FileManager.default.createDirectory(at: sets, withIntermediateDirectories: true)
        try """
            name: a
            prompts:
              - {messages: "alpha", max_tokens: 3, weight: 3}
              - {messages: "beta", max_tokens: 5}
            """.write(to: sets.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try """
            - {messages: [{role: system, content: "Be brief."}, {role: user, content: "gamma"}], max_tokens: 7}
            """.write(to: sets.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        let profile = directory.appendingPathComponent("profiles/prompted.yaml")
        try FileManager.default.createDirectory(at: profile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try """
            name: prompted
            target: {provider: mock, mock: {ttft: 1ms, inter_token: 0s, output_tokens: 32}}
            prompts: ../sets/
            request: {max_tokens: 100}
            load: {mode: closed, users: 8, requests: 500}
            seed: 21
            """.write(to: profile, atomically: true, encoding: .utf8)
        return profile
    }

    func testRunSendsTheSelectedPromptOfEachRequest() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try writeFolderProfile(in: directory)
        let runs = directory.appendingPathComponent("runs")
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("requests: 500 (500 ok, 0 failed)"), result.stdout)

        let runNames = try FileManager.default.contentsOfDirectory(atPath: runs.path)
        XCTAssertEqual(runNames.count, 1)
        let run = runs.appendingPathComponent(try XCTUnwrap(runNames.first))
        let log = try String(contentsOf: run.appendingPathComponent("events.ndjson"), encoding: .utf8)
        let attempts = try log.split(separator: "\n").compactMap { line -> [String: Any]? in
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return object["type"] as? String == "attempt" ? object : nil
        }
        XCTAssertEqual(attempts.count, 500)

        // The same profile, loaded here, says which prompt each request should have had.
        let loaded = try Profile.load(path: profile.path)
        let mix = PromptMix(sets: loaded.prompts)
        let selector = mix.selector(seed: loaded.seed)
        var outputTokens: [Int: Int] = [:]
        for attempt in attempts {
            let request = try XCTUnwrap(attempt["request"] as? Int)
            let index = selector.index(forRequest: UInt64(request))
            XCTAssertEqual(attempt["prompt"] as? Int, index, "request \(request): the log names the prompt sent")
            let expected = try XCTUnwrap(mix.prompts[index].maxTokens)
            let tokens = try XCTUnwrap(attempt["usage_output_tokens"] as? Int)
            XCTAssertEqual(tokens, expected, "request \(request) got another prompt's max_tokens")
            outputTokens[tokens, default: 0] += 1
        }
        // Shares 3:1:1 of 500 → 300, 100, 100 (σ ≈ 11, 9, 9).
        XCTAssertEqual(Double(outputTokens[3] ?? 0), 300, accuracy: 45, "\(outputTokens)")
        XCTAssertEqual(Double(outputTokens[5] ?? 0), 100, accuracy: 40, "\(outputTokens)")
        XCTAssertEqual(Double(outputTokens[7] ?? 0), 100, accuracy: 40, "\(outputTokens)")

        // The header names the sets' prompt ranges, and loadreport splits the attempts by set.
        let header = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(try XCTUnwrap(log.split(separator: "\n").first).utf8)) as? [String: Any])
        let sets = try XCTUnwrap(header["prompt_sets"] as? [[String: Any]])
        XCTAssertEqual(sets.map { $0["name"] as? String }, ["a", "b"])
        XCTAssertEqual(sets.map { $0["first"] as? Int }, [0, 2])
        XCTAssertEqual(sets.map { $0["count"] as? Int }, [2, 1])
        let report = try BinaryRunner.run([run.path, "--group-by", "prompt_set", "--format", "json"], binary: "loadreport")
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertFalse(report.stderr.contains("warning"), report.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let groups = try XCTUnwrap(json["groups"] as? [[String: Any]], report.stdout)
        XCTAssertEqual(groups.map { $0["name"] as? String }, ["a", "b"])
        let inSetA = (outputTokens[3] ?? 0) + (outputTokens[5] ?? 0)
        XCTAssertEqual(groups.map { $0["attempts"] as? Int }, [inSetA, outputTokens[7] ?? 0])

        let resolved = try String(contentsOf: run.appendingPathComponent("profile.resolved.yaml"), encoding: .utf8)
        XCTAssertTrue(resolved.contains("sets/a.yaml\"}  # set a: 2 prompt(s), 80.0 % of requests"), resolved)
        XCTAssertTrue(resolved.contains("sets/b.yaml\"}  # set b: 1 prompt(s), 20.0 % of requests"), resolved)
    }

    func testValidateListsTheSets() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try writeFolderProfile(in: directory)
        let result = try BinaryRunner.run(["validate", profile.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("prompts: 2 set(s), 3 prompt(s), chosen by weight, seeded (seed 21)"), result.stdout)
        let rows = result.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        // set, source, prompts, share, input chars min/mean/max, ≈ tokens, max_tokens
        XCTAssertTrue(rows.contains { $0.hasPrefix("a ") && $0.contains("sets/a.yaml 2 80.0 % 4 / 5 / 5 1 / 1 / 1 3–5") },
                      result.stdout)
        XCTAssertTrue(rows.contains { $0.hasPrefix("b ") && $0.contains("sets/b.yaml 1 20.0 % 14 / 14 / 14 4 / 4 / 4 7") },
                      result.stdout)
    }

    func testShippedPromptSetsAreListed() throws {
        let root = BinaryRunner.repositoryRoot
        let mix = try BinaryRunner.run(["validate", "profiles/chat-mix.yaml"], currentDirectory: root)
        XCTAssertEqual(mix.status, 0, mix.stderr)
        XCTAssertTrue(mix.stdout.contains("prompts/chat.yaml"), mix.stdout)
        XCTAssertTrue(mix.stdout.contains("prompts/summarize.yaml"), mix.stdout)
        let synthetic = try BinaryRunner.run(["validate", "profiles/synthetic.yaml"], currentDirectory: root)
        XCTAssertEqual(synthetic.status, 0, synthetic.stderr)
        XCTAssertTrue(synthetic.stdout.contains("synthetic, normal(512, 128) tokens  1000"), synthetic.stdout)
    }

    func testBadPromptFileExitsTwoAndSendsNothing() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        try "name: bad\nprompts:\n  - {messages: hi, weight: -1}\n"
            .write(to: directory.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let profile = directory.appendingPathComponent("profile.yaml")
        try "target: {provider: mock}\nprompts: [bad.yaml, missing.yaml]\nload: {mode: open, rate: 5, duration: 1s}\n"
            .write(to: profile, atomically: true, encoding: .utf8)
        let validate = try BinaryRunner.run(["validate", profile.path])
        XCTAssertEqual(validate.status, 2)
        XCTAssertTrue(validate.stderr.contains("profile.yaml:2:21: prompts[1]: no prompt-set file or folder at"), validate.stderr)
        XCTAssertTrue(validate.stderr.contains("bad.yaml:3:28: prompts[0].weight: expected a positive number"), validate.stderr)

        let runs = directory.appendingPathComponent("runs")
        let run = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path])
        XCTAssertEqual(run.status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: runs.path), "no run directory for an invalid profile")
    }
}
