import Foundation
import XCTest

@testable import LoadCore

/// `prompts:` in profiles and prompt-set files: every accepted form, set weights, resolved YAML.
final class PromptSetTests: XCTestCase {
    private static let head = "target: {provider: mock}\nload: {mode: open, rate: 1, duration: 1s}\n"

    private func load(_ prompts: String, in files: PromptFiles, profile: String = "profile.yaml") throws -> Profile {
        try files.write(profile, Self.head + prompts + "\n")
        return try Profile.load(path: files.path(profile))
    }

    func testInlineForms() throws {
        let files = try PromptFiles(self)
        let profile = try load("""
            prompts:
              - [{role: user, content: "Say hello"}]
              - {messages: "Count to three.", weight: 3, max_tokens: 16, name: count}
              - messages: [{role: system, content: "Be brief."}, {role: user, content: "Why is the sky blue?"}]
            """, in: files)
        XCTAssertEqual(profile.prompts.count, 1)
        let set = profile.prompts[0]
        XCTAssertEqual(set.name, "inline")
        XCTAssertEqual(set.source, .inline)
        XCTAssertNil(set.weight)
        XCTAssertEqual(set.prompts, [
            Prompt(user: "Say hello"),
            Prompt(name: "count", messages: [ChatMessage(role: .user, content: "Count to three.")], weight: 3, maxTokens: 16),
            Prompt(messages: [ChatMessage(role: .system, content: "Be brief."),
                              ChatMessage(role: .user, content: "Why is the sky blue?")]),
        ])
    }

    func testSetFileForms() throws {
        let files = try PromptFiles(self, [
            "prompts/chat.yaml": """
                name: chat-v2
                weight: 2.5
                max_tokens: 100
                prompts:
                  - "Plain text is one user message."
                  - [{role: system, content: "Be terse."}, {role: user, content: "Hi"}]
                  - name: long
                    weight: 4
                    max_tokens: 300
                    messages:
                      - {role: user, content: "Write a long story."}
                """,
            // Just a list: the set is named after the file.
            "prompts/bare.yml": "- one\n- two\n",
        ])
        let profile = try load("prompts: [prompts/chat.yaml, prompts/bare.yml]", in: files)
        XCTAssertEqual(profile.prompts.map(\.name), ["chat-v2", "bare"])
        let chat = profile.prompts[0]
        XCTAssertEqual(chat.source, .file(path: files.path("prompts/chat.yaml")))
        XCTAssertEqual(chat.weight, 2.5)
        XCTAssertEqual(chat.maxTokens, 100)
        XCTAssertEqual(chat.prompts.map(\.maxTokens), [100, 100, 300], "the set's max_tokens unless the prompt has its own")
        XCTAssertEqual(chat.prompts.map(\.weight), [1, 1, 4])
        XCTAssertEqual(chat.prompts[0].messages, [ChatMessage(role: .user, content: "Plain text is one user message.")])
        XCTAssertEqual(chat.prompts[1].messages.map(\.role), [.system, .user])
        XCTAssertEqual(chat.prompts[2].name, "long")
        XCTAssertEqual(profile.prompts[1].prompts, [Prompt(user: "one"), Prompt(user: "two")])
        XCTAssertNil(profile.prompts[1].weight)
    }

    func testFolderTakesItsYAMLFilesInNameOrder() throws {
        let files = try PromptFiles(self, [
            "sets/b.yaml": "[b1]",
            "sets/a.yml": "[a1, a2]",
            "sets/notes.txt": "not a set",
            "sets/.hidden.yaml": "[hidden]",
        ])
        let profile = try load("prompts: sets/", in: files)
        XCTAssertEqual(profile.prompts.map(\.name), ["a", "b"])
        XCTAssertEqual(profile.prompts.map(\.prompts.count), [2, 1])
    }

    func testMixedListKeepsOrderAndGroupsInlinePrompts() throws {
        let files = try PromptFiles(self, ["sets/x.yaml": "[x]", "one.yaml": "name: one\nprompts: [o]"])
        let profile = try load("""
            prompts:
              - sets
              - [{role: user, content: "inline 1"}]
              - {path: one.yaml, weight: 2}
              - {synthetic: {count: 5, input_tokens: 8}, weight: 0.5}
              - {messages: "inline 2"}
            """, in: files)
        XCTAssertEqual(profile.prompts.map(\.name), ["x", "inline", "one", "synthetic"])
        XCTAssertEqual(profile.prompts.map(\.weight), [nil, nil, 2, 0.5])
        XCTAssertEqual(profile.prompts[1].prompts.map { $0.messages[0].content }, ["inline 1", "inline 2"])
        XCTAssertEqual(profile.prompts[3].prompts.count, 5)
    }

    func testPathsAreRelativeToTheProfile() throws {
        let files = try PromptFiles(self, ["prompts/chat.yaml": "[hello]"])
        let profile = try load("prompts: ../prompts/chat.yaml", in: files, profile: "profiles/p.yaml")
        XCTAssertEqual(profile.prompts.first?.source, .file(path: files.path("prompts/chat.yaml")))
        // A problem inside the set names that file, as reached from the profile's folder.
        try files.write("prompts/bad.yaml", "- [{role: robot, content: x}]\n")
        let found = profileProblems(Self.head + "prompts: ../prompts/bad.yaml\n", file: files.path("profiles/q.yaml"))
        XCTAssertEqual(found.map(\.description),
                       [files.path("prompts/bad.yaml") + ":1:11: prompts[0][0].role: expected system | user | assistant, got \"robot\""])
    }

    func testSyntheticSetIsMadeFromTheSeed() throws {
        let files = try PromptFiles(self)
        let text = "prompts: {synthetic: {name: long, count: 50, input_tokens: {mean: 64, stddev: 8}, max_tokens: 32}}\nseed: 9"
        let profile = try load(text, in: files)
        let set = try XCTUnwrap(profile.prompts.first)
        XCTAssertEqual(set.name, "long")
        XCTAssertEqual(set.source, .synthetic(SyntheticPromptSpec(name: "long", count: 50, meanInputTokens: 64,
                                                                  stddevInputTokens: 8, maxTokens: 32)))
        XCTAssertEqual(set.prompts.count, 50)
        XCTAssertTrue(set.prompts.allSatisfy { $0.maxTokens == 32 && $0.messages.count == 1 })
        XCTAssertEqual(try load(text, in: files).prompts, profile.prompts, "same seed, same prompts")
        XCTAssertNotEqual(try load(text.replacingOccurrences(of: "seed: 9", with: "seed: 10"), in: files).prompts,
                          profile.prompts)
        // Defaults: 100 prompts named "synthetic", a fixed length, no max_tokens.
        let plain = try load("prompts: {synthetic: {input_tokens: 12}}", in: files).prompts[0]
        XCTAssertEqual(plain.name, "synthetic")
        XCTAssertEqual(plain.prompts.count, 100)
        XCTAssertTrue(plain.prompts.allSatisfy { $0.messages[0].content.split(separator: " ").count == 12 && $0.maxTokens == nil })
    }

    func testSetWeightsShareTheRequests() {
        func set(_ name: String, _ weights: [Double], weight: Double? = nil) -> PromptSet {
            PromptSet(name: name, source: .inline, weight: weight,
                      prompts: weights.map { Prompt(messages: [ChatMessage(role: .user, content: name)], weight: $0) })
        }
        // Without set weights every prompt counts alike: 3 prompts against 1.
        let pooled = PromptMix(sets: [set("a", [1, 1, 1]), set("b", [1])])
        XCTAssertEqual(pooled.share(ofSet: 0), 0.75, accuracy: 1e-12)
        XCTAssertTrue(pooled.selector(seed: 1).isRoundRobin)
        // Set weights 1:3 whatever the sizes; within a set, prompts by their own weights (1:3).
        let weighted = PromptMix(sets: [set("a", [1, 3], weight: 1), set("b", [1, 1, 1, 1, 1], weight: 3)])
        XCTAssertEqual(weighted.share(ofSet: 0), 0.25, accuracy: 1e-12)
        XCTAssertEqual(weighted.share(ofSet: 1), 0.75, accuracy: 1e-12)
        XCTAssertEqual(weighted.share(ofPrompt: 1), 0.25 * 0.75, accuracy: 1e-12)
        XCTAssertEqual(weighted.share(ofPrompt: 2), 0.75 / 5, accuracy: 1e-12)
        XCTAssertFalse(weighted.selector(seed: 1).isRoundRobin)
        // A set without a weight weighs the sum of its prompts' weights (here 4 against 2).
        let mixed = PromptMix(sets: [set("a", [1, 3]), set("b", [1], weight: 2)])
        XCTAssertEqual(mixed.share(ofSet: 0), 4.0 / 6, accuracy: 1e-12)
    }

    func testPromptMaxTokensGoesIntoItsBody() throws {
        let files = try PromptFiles(self)
        let profile = try load("""
            prompts:
              - {messages: "short", max_tokens: 5}
              - {messages: "default"}
            request: {max_tokens: 64, temperature: 0.5}
            """, in: files)
        let bodies = PromptMix(sets: profile.prompts).prompts.map {
            ChatRequestBody.encode(prompt: $0, model: profile.target.model, request: profile.request)
        }
        let decoded = try bodies.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]) }
        XCTAssertEqual(decoded.map { $0["max_tokens"] as? Int }, [5, 64])
        XCTAssertEqual(decoded[0]["temperature"] as? Double, 0.5)
        XCTAssertEqual((decoded[0]["messages"] as? [[String: String]])?.first, ["role": "user", "content": "short"])
    }

    func testResolvedYAMLNamesTheSourcesAndRoundTrips() throws {
        var lines = ["name: big", "prompts:"]
        for i in 0..<2_000 { lines.append("  - \"prompt number \(i)\"") }
        let files = try PromptFiles(self, ["sets/big.yaml": lines.joined(separator: "\n"), "sets/small.yaml": "[a, b]"])
        let profile = try load("""
            prompts:
              - sets/
              - {synthetic: {count: 300, input_tokens: {mean: 40, stddev: 4}, max_tokens: 9}, weight: 3}
              - {messages: "weighted inline", weight: 2, max_tokens: 7, name: w}
              - [{role: user, content: "plain inline"}]
            seed: 4
            """, in: files)
        let resolved = profile.resolvedYAML()
        XCTAssertTrue(resolved.contains("- {path: \"\(files.path("sets/big.yaml"))\"}  # set big: 2000 prompt(s)"), resolved)
        XCTAssertTrue(resolved.contains("{synthetic: {name: \"synthetic\", count: 300, input_tokens: {mean: 40, stddev: 4}, "
                                        + "max_tokens: 9}, weight: 3}"), resolved)
        XCTAssertTrue(resolved.contains("chosen by weight, drawn from seed 4"), resolved)
        XCTAssertFalse(resolved.contains("prompt number"), "file prompts are referenced, not copied")
        XCTAssertLessThan(resolved.count, 2_000)
        let again = try Profile.parse(yaml: resolved, file: "/elsewhere/profile.resolved.yaml")
        XCTAssertEqual(again, profile, resolved)
    }

    func testProblemsListTheProfileFirstThenEachFileInOrder() throws {
        let files = try PromptFiles(self, [
            "a.yaml": "prompts:\n  - {messages: hi, weight: 0}\n",
            "b.yaml": "name: b\nprompts:\n  - \"\"\n",
        ])
        try files.write("profile.yaml", "target: {provider: mock}\nprompts: [a.yaml, b.yaml]\nload: {mode: open, rate: 0, duration: 1s}\n")
        XCTAssertThrowsError(try Profile.load(path: files.path("profile.yaml"))) { error in
            let lines = "\(error)".split(separator: "\n").map(String.init)
            XCTAssertEqual(lines.count, 3, "\(error)")
            XCTAssertTrue(lines[0].hasPrefix(files.path("profile.yaml") + ":3:"), "\(error)")
            XCTAssertTrue(lines[1].hasPrefix(files.path("a.yaml") + ":2:28: prompts[0].weight: expected a positive number"), "\(error)")
            XCTAssertTrue(lines[2].hasPrefix(files.path("b.yaml") + ":3:5: prompts[0]: expected the message text"), "\(error)")
        }
    }
}
