import XCTest

@testable import LoadCore

final class OpenAIStreamParserTests: XCTestCase {
    /// A chunk in OpenAI's documented `chat.completion.chunk` shape with the given delta JSON.
    static func chunk(delta: String, finishReason: String = "null", usage: String? = nil) -> String {
        let usagePart = usage.map { #","usage":\#($0)"# } ?? ""
        return #"{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":\#(delta),"logprobs":null,"finish_reason":\#(finishReason)}]\#(usagePart)}"#
    }

    private func parse(_ data: String, type: String = "message") -> StreamUpdate {
        var parser = OpenAIStreamParser()
        return parser.parse(SSEEvent(type: type, data: Array(data.utf8)))
    }

    private func chunk(delta: String, finishReason: String = "null", usage: String? = nil) -> String {
        Self.chunk(delta: delta, finishReason: finishReason, usage: usage)
    }

    /// Message-event data and what it must yield; `OpenAIStreamParserFastPathTests` replays these
    /// through both the fast scan and the tree path.
    static let chunkCases: [(name: String, data: String, expected: StreamUpdate)] = {
        func chunk(delta: String, finishReason: String = "null", usage: String? = nil) -> String {
            OpenAIStreamParserTests.chunk(delta: delta, finishReason: finishReason, usage: usage)
        }
        return [
            // First chunk: role only, empty content: no token (TTFT must not come from it).
            ("role only", chunk(delta: #"{"role":"assistant","content":"","refusal":null}"#), StreamUpdate()),
            // Role without content key at all.
            ("role, no content", chunk(delta: #"{"role":"assistant"}"#), StreamUpdate()),
            // A content delta: one token.
            ("content", chunk(delta: #"{"content":"Hello"}"#), StreamUpdate(tokens: 1)),
            // Whitespace is content.
            ("space content", chunk(delta: #"{"content":" "}"#), StreamUpdate(tokens: 1)),
            // Empty content delta: nothing.
            ("empty content", chunk(delta: #"{"content":""}"#), StreamUpdate()),
            // Null content: nothing.
            ("null content", chunk(delta: #"{"content":null}"#), StreamUpdate()),
            // Final chunk with finish_reason and an empty delta.
            ("finish", chunk(delta: "{}", finishReason: #""stop""#), StreamUpdate()),
            // Reasoning models (DeepSeek / vLLM style): reasoning_content counts.
            ("reasoning_content", chunk(delta: #"{"reasoning_content":"Let me think"}"#), StreamUpdate(tokens: 1)),
            // OpenRouter / Groq style `reasoning` counts.
            ("reasoning", chunk(delta: #"{"reasoning":"Hmm","content":null}"#), StreamUpdate(tokens: 1)),
            // Empty reasoning does not.
            ("empty reasoning", chunk(delta: #"{"reasoning_content":"","content":""}"#), StreamUpdate()),
            // A tool-call delta counts.
            ("tool_calls", chunk(delta: #"{"tool_calls":[{"index":0,"id":"call_abc","type":"function","function":{"name":"get_weather","arguments":""}}]}"#), StreamUpdate(tokens: 1)),
            // Tool-call argument fragments count.
            ("tool_call args", chunk(delta: #"{"tool_calls":[{"index":0,"function":{"arguments":"{\"loc"}}]}"#), StreamUpdate(tokens: 1)),
            // An empty tool_calls array does not.
            ("empty tool_calls", chunk(delta: #"{"tool_calls":[]}"#), StreamUpdate()),
            // A refusal delta counts.
            ("refusal", chunk(delta: #"{"refusal":"I can't help with that."}"#), StreamUpdate(tokens: 1)),
            // Content plus reasoning in one delta: still at most one token for the choice.
            ("one per choice", chunk(delta: #"{"content":"a","reasoning_content":"b","tool_calls":[{}]}"#), StreamUpdate(tokens: 1)),
            // Two choices (n = 2), both with content: two tokens.
            ("two choices", #"{"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"a"}},{"index":1,"delta":{"content":"b"}}]}"#, StreamUpdate(tokens: 2)),
            // Two choices, one empty: one token.
            ("two choices, one empty", #"{"choices":[{"index":0,"delta":{"content":""}},{"index":1,"delta":{"content":"b"}}]}"#, StreamUpdate(tokens: 1)),
            // usage: null on ordinary chunks (include_usage on): no usage.
            ("usage null", chunk(delta: #"{"content":"x"}"#, usage: "null"), StreamUpdate(tokens: 1)),
            // Final usage chunk: choices empty, usage set.
            ("usage chunk", #"{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":34,"total_tokens":46,"completion_tokens_details":{"reasoning_tokens":0}}}"#,
             StreamUpdate(usage: TokenUsage(inputTokens: 12, outputTokens: 34))),
            // Usage with a field missing.
            ("partial usage", #"{"choices":[],"usage":{"prompt_tokens":5}}"#, StreamUpdate(usage: TokenUsage(inputTokens: 5, outputTokens: nil))),
            // Groq: usage inside x_groq on the final chunk.
            ("groq usage", #"{"id":"chatcmpl-g","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"x_groq":{"id":"req_01","usage":{"queue_time":0.0123,"prompt_tokens":18,"prompt_time":0.001,"completion_tokens":120,"completion_time":0.4,"total_tokens":138,"total_time":0.401}}}"#,
             StreamUpdate(usage: TokenUsage(inputTokens: 18, outputTokens: 120), providerQueueNanos: 12_300_000)),
            // Groq's first chunk: x_groq with only an id, role-only delta: nothing.
            ("groq first chunk", #"{"id":"chatcmpl-g","object":"chat.completion.chunk","created":1730000000,"model":"llama-3.1-8b-instant","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"x_groq":{"id":"req_01jabc"}}"#,
             StreamUpdate()),
            // Groq with include_usage: a usage chunk carrying queue_time in usage itself.
            ("groq usage chunk", #"{"id":"chatcmpl-g","choices":[],"usage":{"queue_time":0.5,"prompt_tokens":3,"prompt_time":0.0001,"completion_tokens":4,"completion_time":0.01,"total_tokens":7,"total_time":0.51}}"#,
             StreamUpdate(usage: TokenUsage(inputTokens: 3, outputTokens: 4), providerQueueNanos: 500_000_000)),
            // Cached prompt tokens (OpenAI prompt caching): prompt_tokens_details.cached_tokens.
            ("cached tokens", #"{"id":"c","choices":[],"usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,"prompt_tokens_details":{"cached_tokens":1920,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}"#,
             StreamUpdate(usage: TokenUsage(inputTokens: 2006, outputTokens: 300, cachedInputTokens: 1920))),
            // prompt_tokens_details that is not an object: no cached count.
            ("details not object", #"{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":1,"prompt_tokens_details":null}}"#,
             StreamUpdate(usage: TokenUsage(inputTokens: 5, outputTokens: 1))),
            // Top-level usage wins over x_groq.usage.
            ("usage over groq", #"{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2},"x_groq":{"usage":{"prompt_tokens":9,"completion_tokens":9}}}"#,
             StreamUpdate(usage: TokenUsage(inputTokens: 1, outputTokens: 2))),
            // End marker.
            ("done", "[DONE]", StreamUpdate(done: true)),
            // End marker with stray whitespace.
            ("done padded", " [DONE]\n", StreamUpdate(done: true)),
            // Mid-stream error object.
            ("error", #"{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}"#,
             StreamUpdate(failure: StreamFailure(kind: .providerError, message: "server_error: The server had an error while processing your request."))),
            // Overloaded by type.
            ("overloaded type", #"{"error":{"message":"Overloaded","type":"overloaded_error"}}"#,
             StreamUpdate(failure: StreamFailure(kind: .overloaded, message: "overloaded_error: Overloaded"))),
            // Overloaded by code only.
            ("overloaded code", #"{"error":{"message":"Try again later","type":"service_unavailable","code":"model_overloaded"}}"#,
             StreamUpdate(failure: StreamFailure(kind: .overloaded, message: "service_unavailable: Try again later"))),
            // Overloaded by the message text only (type and code say nothing).
            ("overloaded message", #"{"error":{"message":"The engine is currently overloaded, please try again later.","type":"server_error","param":null,"code":null}}"#,
             StreamUpdate(failure: StreamFailure(kind: .overloaded, message: "server_error: The engine is currently overloaded, please try again later."))),
            // Error without a type: just the message.
            ("error no type", #"{"error":{"message":"boom","code":500}}"#,
             StreamUpdate(failure: StreamFailure(kind: .providerError, message: "boom"))),
            // Error given as a bare string.
            ("error string", #"{"error":"rate limited"}"#,
             StreamUpdate(failure: StreamFailure(kind: .providerError, message: "rate limited"))),
            // Groq error inside x_groq.
            ("groq error", #"{"choices":[],"x_groq":{"error":{"message":"context too long","type":"invalid_request_error"}}}"#,
             StreamUpdate(failure: StreamFailure(kind: .providerError, message: "invalid_request_error: context too long"))),
            // error: null is not an error.
            ("error null", #"{"choices":[{"delta":{"content":"x"}}],"error":null}"#, StreamUpdate(tokens: 1)),
            // Truncated JSON.
            ("truncated", #"{"choices":[{"delta":{"content":"x"}"#,
             StreamUpdate(failure: StreamFailure(kind: .malformed, message: #"invalid JSON at byte 36: unterminated object; data: {"choices":[{"delta":{"content":"x"}"#))),
            // Not JSON at all.
            ("not JSON", "hello", StreamUpdate(failure: StreamFailure(kind: .malformed, message: "invalid JSON at byte 0: unexpected character, expected a value; data: hello"))),
            // JSON but not an object.
            ("array", "[1,2]", StreamUpdate(failure: StreamFailure(kind: .malformed, message: "expected a JSON object; data: [1,2]"))),
            // Empty data (e.g. `data:` alone): malformed.
            ("empty data", "", StreamUpdate(failure: StreamFailure(kind: .malformed, message: "invalid JSON at byte 0: unexpected end of input, expected a value; data: "))),
        ]
    }()

    func testChunks() {
        for row in Self.chunkCases {
            XCTAssertEqual(parse(row.data), row.expected, row.name)
        }
    }

    func testEventTypes() {
        // Anthropic-style keep-alive: ignored.
        XCTAssertEqual(parse("{}", type: "ping"), StreamUpdate())
        // Unknown types are ignored even with token-looking data.
        XCTAssertEqual(parse(chunk(delta: #"{"content":"x"}"#), type: "other"), StreamUpdate())
        // `event: error` with an error object: the object's details.
        XCTAssertEqual(parse(#"{"error":{"message":"busy","type":"overloaded_error"}}"#, type: "error"),
                       StreamUpdate(failure: StreamFailure(kind: .overloaded, message: "overloaded_error: busy")))
        // `event: error` with plain text: a provider error quoting it.
        XCTAssertEqual(parse("upstream timed out", type: "error"),
                       StreamUpdate(failure: StreamFailure(kind: .providerError, message: "upstream timed out")))
        // `[DONE]` under `event: error` is not an end marker.
        XCTAssertEqual(parse("[DONE]", type: "error").failure?.kind, .providerError)
    }

    func testMalformedExcerptIsTruncated() {
        let long = String(repeating: "x", count: 500)
        let update = parse(long)
        XCTAssertEqual(update.failure?.kind, .malformed)
        XCTAssertEqual(update.failure?.message,
                       "invalid JSON at byte 0: unexpected character, expected a value; data: " + String(repeating: "x", count: 80) + "...")
    }

    func testWholeStreamThroughDecoderAndParser() {
        let frames = [
            chunk(delta: #"{"role":"assistant","content":""}"#, usage: "null"),
            chunk(delta: #"{"content":"Hello"}"#, usage: "null"),
            chunk(delta: #"{"content":","}"#, usage: "null"),
            chunk(delta: #"{"content":" world"}"#, usage: "null"),
            chunk(delta: "{}", finishReason: #""stop""#, usage: "null"),
            #"{"id":"chatcmpl-123","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}"#,
            "[DONE]",
        ]
        let body = Array(frames.map { "data: \($0)\r\n\r\n" }.joined().utf8)
        // Feed in 7-byte chunks, as a slow network might deliver it.
        var decoder = SSEDecoder()
        var parser = OpenAIStreamParser()
        var updates: [StreamUpdate] = []
        var start = 0
        while start < body.count {
            let end = min(body.count, start + 7)
            decoder.feed(body[start..<end]) { updates.append(parser.parse($0)) }
            start = end
        }
        XCTAssertFalse(decoder.finish())
        XCTAssertEqual(updates.map(\.tokens), [0, 1, 1, 1, 0, 0, 0])
        XCTAssertEqual(updates.compactMap(\.usage), [TokenUsage(inputTokens: 9, outputTokens: 3)])
        XCTAssertEqual(updates.map(\.done), [false, false, false, false, false, false, true])
        XCTAssertTrue(updates.allSatisfy { $0.failure == nil })
        // The first token-bearing event is the second one: TTFT is not taken from the role chunk.
        XCTAssertEqual(updates.firstIndex { $0.tokens > 0 }, 1)
    }

    func testParseCompletion() {
        let usage = #""usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29}"#
        let cases: [(name: String, body: String, expected: StreamUpdate)] = [
            // Documented chat.completion response.
            ("content", #"{"id":"chatcmpl-abc","object":"chat.completion","created":1741570283,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"The image shows a wooden boardwalk.","refusal":null},"logprobs":null,"finish_reason":"stop"}],\#(usage)}"#,
             StreamUpdate(tokens: 1, usage: TokenUsage(inputTokens: 19, outputTokens: 10))),
            // Tool-call response: content null, tool_calls set.
            ("tool calls", #"{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}],\#(usage)}"#,
             StreamUpdate(tokens: 1, usage: TokenUsage(inputTokens: 19, outputTokens: 10))),
            // Empty content: no token, usage still reported.
            ("empty", #"{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"length"}],\#(usage)}"#,
             StreamUpdate(usage: TokenUsage(inputTokens: 19, outputTokens: 10))),
            // No choices and no usage.
            ("bare", #"{"object":"chat.completion","choices":[]}"#, StreamUpdate()),
            // Groq non-streamed usage lives at top level too; x_groq.usage is the fallback.
            ("groq fallback", #"{"choices":[{"message":{"content":"hi"}}],"x_groq":{"usage":{"prompt_tokens":3,"completion_tokens":1}}}"#,
             StreamUpdate(tokens: 1, usage: TokenUsage(inputTokens: 3, outputTokens: 1))),
            // Groq non-streamed: usage (with its timings) at top level, x_groq with the request id.
            ("groq", #"{"id":"chatcmpl-g","object":"chat.completion","model":"llama-3.1-8b-instant","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":{"queue_time":0.017,"prompt_tokens":40,"prompt_time":0.002,"completion_tokens":8,"completion_time":0.006,"total_tokens":48,"total_time":0.008},"x_groq":{"id":"req_01"}}"#,
             StreamUpdate(tokens: 1, usage: TokenUsage(inputTokens: 40, outputTokens: 8), providerQueueNanos: 17_000_000)),
            // Cached input in a non-streamed body.
            ("cached", #"{"choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":1200,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":1024}}}"#,
             StreamUpdate(tokens: 1, usage: TokenUsage(inputTokens: 1200, outputTokens: 5, cachedInputTokens: 1024))),
            // Error body (as sent with 4xx/5xx statuses).
            ("error", #"{"error":{"message":"Invalid API key","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#,
             StreamUpdate(failure: StreamFailure(kind: .providerError, message: "invalid_request_error: Invalid API key"))),
            // Overloaded error body.
            ("overloaded", #"{"error":{"message":"Overloaded","type":"overloaded_error"}}"#,
             StreamUpdate(failure: StreamFailure(kind: .overloaded, message: "overloaded_error: Overloaded"))),
            // Bad JSON (HTML error page from a proxy).
            ("html", "<html>502</html>",
             StreamUpdate(failure: StreamFailure(kind: .malformed, message: "invalid JSON at byte 0: unexpected character, expected a value; data: <html>502</html>"))),
            // Trailing garbage after a valid object.
            ("trailing", #"{"choices":[]} x"#,
             StreamUpdate(failure: StreamFailure(kind: .malformed, message: #"invalid JSON at byte 15: unexpected data after the document; data: {"choices":[]} x"#))),
        ]
        for row in cases {
            XCTAssertEqual(OpenAIStreamParser.parseCompletion(Array(row.body.utf8)), row.expected, row.name)
        }
    }
}
