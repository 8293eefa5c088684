import Foundation
import FuzzTargets
import LoadCore
import XCTest

/// A short, deterministic fuzzing run of every target in CI: the corpus in Fuzz/Corpus, then a
/// fixed number of seeded mutations of it. The long runs are libFuzzer's (`scripts/fuzz.sh`).
final class SeededFuzzTests: XCTestCase {
    /// Inputs per target beyond the corpus: a few seconds each in a release build (the event log
    /// target writes and reads a file per input; the profile target runs Yams and the validation).
    static let iterations: [FuzzTarget: Int] = [.sse: 3_000, .openai: 3_000, .anthropic: 3_000, .profile: 600, .eventlog: 150]

    /// Words each target's grammar is made of, so mutations reach past the first byte of syntax.
    static let tokens: [FuzzTarget: [String]] = [
        .sse: ["data: ", "event: ", "id: ", "retry: ", ":", "\n", "\r\n", "\r", "\n\n", "\u{FEFF}"],
        .openai: ["data: ", "[DONE]", "\n\n", #"{"choices":[{"delta":{"content":"x"}}]}"#, #""usage":"#, #""error":"#,
                  #""x_groq":"#, "\\u00", "null", "1e999", "-0", "{", "}", "[", "]", "\""],
        .anthropic: ["event: ", "data: ", "\n\n", "message_start", "content_block_delta", "message_delta",
                     "message_stop", "error", #""usage":"#, #""delta":"#, "\\ud800", "null", "{", "}", "\""],
        .profile: ["target:", "load:", "limits:", "prompts:", "mock:", "stages:", "- ", ": ", "{", "}", "[", "]",
                   "&a", "*a", "<<: ", "!!str ", "1e999", "-1", "500ms", "1m30s", "..", "\n", "  ", "\t", "~"],
        .eventlog: [#"{"type":"run","schema":1}"#, #"{"type":"attempt","#, #""end_us":"#, #""status":"#, "\n", "null",
                    "1e400", "-1", #""ratelimit":{"#, #""token_offsets_us":["#, "\\u0000", "}", "]", ","],
    ]

    func testEveryTargetSurvivesItsCorpusAndSeededMutations() throws {
        for target in FuzzTarget.allCases {
            let corpus = try Self.corpus(target)
            XCTAssertFalse(corpus.isEmpty, "Fuzz/Corpus/\(target.rawValue) is empty")
            for (index, input) in corpus.enumerated() {
                XCTAssertNil(target.run(input), "\(target.rawValue): corpus file \(index)")
            }
            var mutator = SeededMutator(seed: 0x5EED, corpus: corpus, tokens: Self.tokens[target] ?? [])
            for iteration in 0..<(Self.iterations[target] ?? 0) {
                let input = mutator.next()
                if let problem = target.run(input) {
                    XCTFail("\(target.rawValue), iteration \(iteration): \(problem); input: \(Array(input.prefix(200)))")
                    break
                }
            }
        }
    }

    /// The SSE property itself holds on a hand-made case: chunks cut inside a CRLF and a field name.
    func testSSEChunkingPropertyHoldsAcrossCRLF() {
        let bytes = Array("\u{1}\u{5}event: a\r\ndata: 1\r\n\r\ndata: 2\n\n".utf8)
        XCTAssertNil(FuzzTarget.sse.run(bytes))
        XCTAssertEqual(FuzzTarget.events([bytes[...]]).events.count, 2)
    }

    static func corpus(_ target: FuzzTarget) throws -> [[UInt8]] {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Fuzz/Corpus/\(target.rawValue)").standardizedFileURL
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        return try names.map { [UInt8](try Data(contentsOf: directory.appendingPathComponent($0))) }
    }
}
