import Foundation
import XCTest

@testable import LoadCore

/// Prompt datasets (ShareGPT JSON, JSONL rows), prompts written as plain strings in a profile, and
/// traces that carry token lengths (issue 17).
final class PromptDatasetTests: XCTestCase {
    private func prompts(_ text: String, path: String) throws -> [Prompt] {
        try PromptDataset.parse(Data(text.utf8), path: path, name: "d", seed: 1).get()
    }

    private func problems(_ text: String, path: String) -> [PromptDataset.Problem] {
        if case .failure(let list) = PromptDataset.parse(Data(text.utf8), path: path, name: "d", seed: 1) { return list.problems }
        XCTFail("expected problems for \(text)")
        return []
    }

    func testShareGPTTakesTheFirstHumanTurnAndTheLengthOfTheAnswer() throws {
        let text = """
            [
              {"id": "a", "conversations": [{"from": "human", "value": "Write a haiku"},
                                            {"from": "gpt", "value": "\(String(repeating: "x", count: 40))"}]},
              {"id": "b", "conversations": [{"from": "human", "value": "Only a question"}]},
              {"id": "c", "conversations": [{"from": "gpt", "value": "Hello"}, {"from": "human", "value": "Tell me more"},
                                            {"from": "gpt", "value": "\(String(repeating: "y", count: 81))"}]}
            ]
            """
        let read = try prompts(text, path: "s.json")
        XCTAssertEqual(read.map { $0.messages.map(\.content) }, [["Write a haiku"], ["Tell me more"]])
        XCTAssertEqual(read.map(\.maxTokens), [TokenEstimate.tokens(characters: 40), TokenEstimate.tokens(characters: 81)])
        XCTAssertEqual(read.map(\.maxTokens), [10, 20])
    }

    func testRowsTakeTheirTextAndOutputLength() throws {
        let text = """
            {"prompt": "Say hi", "output_tokens": 12}
            # a comment line
            {"text": "Say bye", "max_tokens": 3}

            {"input_tokens": 50, "output_length": 7}
            {"question": "No length"}
            """
        let read = try prompts(text, path: "rows.jsonl")
        XCTAssertEqual(read.count, 4)
        XCTAssertEqual(read.map(\.maxTokens), [12, 3, 7, nil])
        XCTAssertEqual(read[0].messages.first?.content, "Say hi")
        XCTAssertEqual(read[2].messages.first?.content.split(separator: " ").count, 50, "a synthetic prompt of 50 words")
        XCTAssertEqual(read[3].messages.first?.content, "No length")
    }

    func testProblemsNameTheLineAndField() {
        let rows = problems("{\"prompt\": \"a\", \"output_tokens\": 0}\nnot json\n{\"answer\": \"b\"}\n", path: "r.jsonl")
        XCTAssertEqual(rows.map(\.line), [1, 2, 3])
        XCTAssertEqual(rows.map(\.field), ["output_tokens", "", ""])
        XCTAssertTrue(rows[2].message.hasPrefix("expected the prompt text in one of prompt, text, input"), rows[2].message)

        let list = problems("[\n  {\"prompt\": \"a\"},\n  {\"prompt\": \"b\",\n   \"output_tokens\": \"many\"}\n]\n", path: "l.json")
        XCTAssertEqual(list, [PromptDataset.Problem(line: 3, field: "[1].output_tokens", message: "expected a positive whole number of tokens")])
        XCTAssertEqual(problems("[{\"conversations\": [{\"from\": \"human\", \"value\": \"q\"}]}]", path: "s.json").first?.message,
                       "none of the 1 conversations has a human turn followed by a gpt turn")
        XCTAssertTrue(problems("{\"a\": 1", path: "b.json").first?.message.hasPrefix("not valid JSON") == true)
    }

    func testAProfileReadsADatasetRelativeToItsFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dataset-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "[{\"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"gpt\", \"value\": \"12345678\"}]}]"
            .write(to: folder.appendingPathComponent("data/chats.json"), atomically: true, encoding: .utf8)
        try "{\"prompt\": \"p\", \"output_tokens\": 5}\nbroken\n"
            .write(to: folder.appendingPathComponent("data/bad.jsonl"), atomically: true, encoding: .utf8)
        let file = folder.appendingPathComponent("p.yaml").path
        let profile = try Profile.parse(yaml: "target: {provider: mock}\nprompts: [data/chats.json, {messages: hi, weight: 1}]\n"
            + "load: {mode: open, rate: 1, duration: 1s}\n", file: file)
        XCTAssertEqual(profile.prompts.map(\.name), ["chats", "inline"])
        XCTAssertEqual(profile.prompts[0].prompts.map(\.maxTokens), [2])
        XCTAssertEqual(try Profile.parse(yaml: profile.resolvedYAML(), file: file), profile)

        XCTAssertThrowsError(try Profile.parse(yaml: "target: {provider: mock}\nprompts: data/bad.jsonl\n"
            + "load: {mode: open, rate: 1, duration: 1s}\n", file: file)) { error in
            XCTAssertTrue("\(error)".contains("data/bad.jsonl:2: expected one JSON object per line"), "\(error)")
        }
    }

    /// In a profile, a string that is not a path is a prompt (it used to be read as a missing file).
    func testPlainStringsInAProfileArePromptsUnlessTheyArePaths() throws {
        let list = try Profile.parse(yaml: "target: {provider: mock}\nprompts: [\"Write a haiku\", \"Summarize this\"]\n"
            + "load: {mode: open, rate: 1, duration: 1s}\n", file: "p.yaml")
        XCTAssertEqual(list.prompts.map(\.name), ["inline"])
        XCTAssertEqual(list.prompts[0].prompts.map { $0.messages.map(\.content) }, [["Write a haiku"], ["Summarize this"]])
        let single = try Profile.parse(yaml: "target: {provider: mock}\nprompts: Write a haiku\nload: {mode: open, rate: 1, duration: 1s}\n",
                                       file: "p.yaml")
        XCTAssertEqual(single.prompts[0].prompts.first?.messages.first?.content, "Write a haiku")
        XCTAssertTrue(PromptPath.isPath("chat.yaml", profileFile: "p.yaml"))
        XCTAssertTrue(PromptPath.isPath("data/x", profileFile: "p.yaml"))
        XCTAssertTrue(PromptPath.isPath("rows.JSONL", profileFile: "p.yaml"))
        XCTAssertFalse(PromptPath.isPath("Translate A/B testing", profileFile: "p.yaml"))
        XCTAssertFalse(PromptPath.isPath("hello", profileFile: "p.yaml"))
        let missing = profileProblems("target: {provider: mock}\nprompts: [missing.yaml]\nload: {mode: open, rate: 1, duration: 1s}\n")
        XCTAssertTrue(missing.contains { $0.fieldPath == "prompts[0]" && $0.line == 2
            && $0.message.hasSuffix("; to send this text as a prompt instead, write it as {messages: \"missing.yaml\"}") }, "\(missing)")
    }

    func testTracesWithTokenLengths() throws {
        let azure = """
            TIMESTAMP,ContextTokens,GeneratedTokens
            2023-11-16 18:15:46.6805900,374,44
            2023-11-16 18:15:50.9951690,396,109
            2023-11-16 18:16:01.1000000,879,9
            """
        let trace = try TraceFile.parseTrace(azure, file: "azure.csv")
        XCTAssertEqual(trace.offsetsNanos, [0, 4_314_579_000, 14_419_410_000])
        XCTAssertEqual(trace.lengths, [TraceFile.Lengths(inputTokens: 374, outputTokens: 44),
                                       TraceFile.Lengths(inputTokens: 396, outputTokens: 109),
                                       TraceFile.Lengths(inputTokens: 879, outputTokens: 9)])
        let mooncake = """
            {"timestamp": 1000, "input_length": 6955, "output_length": 52, "hash_ids": [1, 2]}
            {"timestamp": 1250, "input_length": 10, "output_length": 3}
            """
        let moon = try TraceFile.parseTrace(mooncake, file: "m.jsonl")
        XCTAssertEqual(moon.offsetsNanos, [0, 250_000_000])
        XCTAssertEqual(moon.lengths?.map(\.outputTokens), [52, 3])
        XCTAssertNil(try TraceFile.parseTrace("0\n0.5\n", file: "t.txt").lengths, "bare times keep working")
        XCTAssertEqual(try TraceFile.parseTrace("time,note\n10,a\n10.5,b\n", file: "t.csv"),
                       TraceFile.Trace(offsetsNanos: [0, 500_000_000], lengths: nil))
        XCTAssertThrowsError(try TraceFile.parseTrace("TIMESTAMP,ContextTokens,GeneratedTokens\n1,5,x\n", file: "b.csv")) { error in
            XCTAssertEqual("\(error)", "b.csv:2: expected a positive whole number of tokens in generatedtokens, got \"x\"")
        }
        XCTAssertThrowsError(try TraceFile.parseTrace("{\"timestamp\": 5, \"input_length\": 3, \"output_length\": 1}\n"
            + "{\"timestamp\": 4, \"input_length\": 3, \"output_length\": 1}\n", file: "b.jsonl")) { error in
            XCTAssertTrue("\(error)".hasPrefix("b.jsonl:2: arrival times must not go backwards"), "\(error)")
        }
    }

    func testATraceWithLengthsMakesThePrompts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "TIMESTAMP,ContextTokens,GeneratedTokens\n0,20,4\n0.5,30,6\n1.0,5,2\n"
            .write(to: folder.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let file = folder.appendingPathComponent("p.yaml").path
        let profile = try Profile.parse(yaml: "target: {provider: mock}\nload: {mode: open, arrival: trace, trace: t.csv}\n", file: file)
        XCTAssertEqual(profile.prompts.count, 1)
        let set = profile.prompts[0]
        XCTAssertEqual(set.source, .trace(path: folder.appendingPathComponent("t.csv").path))
        XCTAssertEqual(set.prompts.map { $0.messages[0].content.split(separator: " ").count }, [20, 30, 5])
        XCTAssertEqual(set.prompts.map(\.maxTokens), [4, 6, 2])
        // Request i takes prompt i: equal weights go round-robin.
        XCTAssertTrue(PromptMix(sets: profile.prompts).selector(seed: 1).isRoundRobin)
        XCTAssertEqual(try Profile.parse(yaml: profile.resolvedYAML(), file: file), profile)

        let both = profileProblems("target: {provider: mock}\nprompts: [hi]\nload: {mode: open, arrival: trace, trace: t.csv}\n",
                                   file: file)
        XCTAssertTrue(both.contains { $0.fieldPath == "prompts" && $0.message.contains("makes the prompts; remove prompts:") },
                      "\(both)")
    }
}
