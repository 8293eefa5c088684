import XCTest

@testable import LoadCore

/// The allocation-free scan must give exactly what the tree path gives, for every input.
final class OpenAIStreamParserFastPathTests: XCTestCase {
    private func treeParse(_ event: SSEEvent) -> StreamUpdate {
        var parser = OpenAIStreamParser()
        return parser.parseWithTree(event)
    }

    private func parse(_ event: SSEEvent) -> StreamUpdate {
        var parser = OpenAIStreamParser()
        return parser.parse(event)
    }

    func testFixturesMatchTreePath() {
        for row in OpenAIStreamParserTests.chunkCases {
            let event = SSEEvent(data: Array(row.data.utf8))
            XCTAssertEqual(parse(event), treeParse(event), row.name)
            XCTAssertEqual(treeParse(event), row.expected, row.name)
        }
    }

    func testOrdinaryChunksTakeTheScan() {
        let cases: [String] = [
            // Typical content chunk.
            #"{"id":"chatcmpl-mock-17","object":"chat.completion.chunk","created":1764000000,"model":"mock-small","choices":[{"index":0,"delta":{"content":"tok "},"finish_reason":null}]}"#,
            // Role-only first chunk.
            #"{"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]}"#,
            // Finish chunk with an empty delta.
            #"{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}"#,
            // Usage chunk.
            #"{"id":"c","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":34,"total_tokens":46}}"#,
        ]
        for data in cases {
            XCTAssertNotNil(OpenAIStreamParser.scanChunk(Array(data.utf8)), data)
        }
    }

    func testUnusualChunksFallBack() {
        let cases: [(name: String, data: String, expected: StreamUpdate)] = [
            // An error member, even null, goes to the tree path.
            ("error null", #"{"choices":[{"delta":{"content":"x"}}],"error":null}"#, StreamUpdate(tokens: 1)),
            // Groq's x_groq.
            ("x_groq", #"{"choices":[],"x_groq":{"usage":{"prompt_tokens":3,"completion_tokens":1}}}"#,
             StreamUpdate(usage: TokenUsage(inputTokens: 3, outputTokens: 1))),
            // An escaped key that decodes to "content".
            ("escaped key", #"{"choices":[{"delta":{"c\u006fntent":"x"}}]}"#, StreamUpdate(tokens: 1)),
            // A usage count written as a double: intValue converts it.
            ("double count", #"{"choices":[],"usage":{"prompt_tokens":12.0,"completion_tokens":1e2}}"#,
             StreamUpdate(usage: TokenUsage(inputTokens: 12, outputTokens: 100))),
            // -2^63 - 1 overflows to a double that rounds to Int.min.
            ("overflowing count", #"{"choices":[],"usage":{"prompt_tokens":-9223372036854775809}}"#,
             StreamUpdate(usage: TokenUsage(inputTokens: Int.min, outputTokens: nil))),
            // Not an object.
            ("array", "[]", StreamUpdate(failure: StreamFailure(kind: .malformed, message: "expected a JSON object; data: []"))),
            // A number the scan cannot judge: JSONParser accepts 1e308.
            ("1e308", #"{"choices":[{"delta":{"content":"x"}}],"n":1e308}"#, StreamUpdate(tokens: 1)),
            // ...and rejects 1e309.
            ("1e309", #"{"n":1e309}"#,
             StreamUpdate(failure: StreamFailure(kind: .malformed, message: #"invalid JSON at byte 5: number out of range; data: {"n":1e309}"#))),
        ]
        for row in cases {
            let event = SSEEvent(data: Array(row.data.utf8))
            XCTAssertNil(OpenAIStreamParser.scanChunk(event.data), row.name)
            XCTAssertEqual(parse(event), row.expected, row.name)
            XCTAssertEqual(treeParse(event), row.expected, row.name)
        }
    }

    func testDuplicateKeysFirstWins() {
        let cases: [(name: String, data: String, expected: StreamUpdate)] = [
            // The first choices is null: the second is never looked at.
            ("choices", #"{"choices":null,"choices":[{"delta":{"content":"x"}}]}"#, StreamUpdate()),
            // The first delta is empty.
            ("delta", #"{"choices":[{"delta":{},"delta":{"content":"x"}}]}"#, StreamUpdate()),
            // The first content is empty, the second is not.
            ("content", #"{"choices":[{"delta":{"content":"","content":"x"}}]}"#, StreamUpdate()),
            // The first tool_calls is empty.
            ("tool_calls", #"{"choices":[{"delta":{"tool_calls":[],"tool_calls":[{}]}}]}"#, StreamUpdate()),
            // The first usage is an object.
            ("usage", #"{"usage":{"prompt_tokens":1,"prompt_tokens":2},"usage":{"prompt_tokens":3}}"#,
             StreamUpdate(usage: TokenUsage(inputTokens: 1, outputTokens: nil))),
        ]
        for row in cases {
            let event = SSEEvent(data: Array(row.data.utf8))
            XCTAssertNotNil(OpenAIStreamParser.scanChunk(event.data), row.name)
            XCTAssertEqual(parse(event), row.expected, row.name)
            XCTAssertEqual(treeParse(event), row.expected, row.name)
        }
    }

    func testGeneratedCorpusMatchesTreePath() {
        var corpus = ChunkCorpus(seed: 20_251_124)
        var scanned = 0
        let documents = corpus.documents(count: 4000)
        for (number, data) in documents.enumerated() {
            let text = String(decoding: data, as: UTF8.self)
            // Most as `message`; some as `error` and `ping` to cover the routing.
            let type = number % 17 == 0 ? "error" : (number % 31 == 0 ? "ping" : "message")
            let event = SSEEvent(type: type, data: data)
            XCTAssertEqual(parse(event), treeParse(event), "\(type): \(text)")
            if OpenAIStreamParser.scanChunk(data) != nil {
                scanned += 1
                // Whatever the scan accepts, JSONParser accepts.
                XCTAssertNoThrow(try JSONParser.parse(data), text)
            }
        }
        // The corpus must exercise the scan, not just the fallback: most valid chunks take it.
        XCTAssertGreaterThan(scanned, documents.count / 4)
    }

    func testEveryTruncationMatchesTreePath() {
        let data = Array(#"{"id":"chatcmpl-mock-17","choices":[{"index":0,"delta":{"content":"t\u00e9 ✓","tool_calls":[{"a":[1.5e3,-0,true,false,null]}]},"finish_reason":null}],"usage":{"prompt_tokens":12,"completion_tokens":34}}"#.utf8)
        for end in 0...data.count {
            let event = SSEEvent(data: Array(data[..<end]))
            XCTAssertEqual(parse(event), treeParse(event), "truncated at \(end)")
        }
    }
}
