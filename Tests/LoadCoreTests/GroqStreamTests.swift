import XCTest

@testable import LoadCore

/// Groq streams: OpenAI chunks plus `x_groq` (an id on the first chunk; usage with queue_time on
/// the last), read through the dialect dispatch the engine uses.
final class GroqStreamTests: XCTestCase {
    /// A stream in Groq's documented shape, without include_usage: usage only in x_groq.
    static let stream = """
        data: {"id":"chatcmpl-5e1b3b9a","object":"chat.completion.chunk","created":1730241104,"model":"llama-3.1-8b-instant","system_fingerprint":"fp_179b0f92c9","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"x_groq":{"id":"req_01jbd6g2qdfw2adyrt2az8hz4w"}}

        data: {"id":"chatcmpl-5e1b3b9a","object":"chat.completion.chunk","created":1730241104,"model":"llama-3.1-8b-instant","system_fingerprint":"fp_179b0f92c9","choices":[{"index":0,"delta":{"content":"Fast"},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-5e1b3b9a","object":"chat.completion.chunk","created":1730241104,"model":"llama-3.1-8b-instant","system_fingerprint":"fp_179b0f92c9","choices":[{"index":0,"delta":{"content":" models"},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-5e1b3b9a","object":"chat.completion.chunk","created":1730241104,"model":"llama-3.1-8b-instant","system_fingerprint":"fp_179b0f92c9","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"x_groq":{"id":"req_01jbd6g2qdfw2adyrt2az8hz4w","usage":{"queue_time":0.037493756,"prompt_tokens":18,"prompt_time":0.000680594,"completion_tokens":2,"completion_time":0.005,"total_tokens":20,"total_time":0.005680594}}}

        data: [DONE]


        """

    func testUsageAndQueueTimeFromXGroq() {
        let updates = AnthropicStreamParserTests.decode(Self.stream, chunkSize: 11, dialect: .groq)
        XCTAssertEqual(updates.map(\.tokens), [0, 1, 1, 0, 0])
        XCTAssertEqual(updates.firstIndex { $0.tokens > 0 }, 1, "TTFT is not the role chunk")
        XCTAssertEqual(updates[3].usage, TokenUsage(inputTokens: 18, outputTokens: 2))
        XCTAssertEqual(updates[3].providerQueueNanos, 37_493_756)
        XCTAssertEqual(updates.map(\.done), [false, false, false, false, true])
    }

    /// An error inside x_groq mid-stream is a stream error.
    func testErrorInXGroq() {
        var parser = ProviderStreamParser(dialect: .groq)
        let update = parser.parse(SSEEvent(data: Array(
            #"{"id":"c","choices":[],"x_groq":{"id":"req_1","error":{"message":"Service Unavailable","type":"internal_server_error"}}}"#.utf8)))
        XCTAssertEqual(update.failure, StreamFailure(kind: .providerError, message: "internal_server_error: Service Unavailable"))
    }
}
