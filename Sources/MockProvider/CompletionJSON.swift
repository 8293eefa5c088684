import LoadCore
import NIOCore

/// The body of a non-streamed `chat.completion` response.
enum CompletionJSON {
    /// Writes `{"id":...,"object":"chat.completion",...,"choices":[{"index":0,"message":{...},
    /// "finish_reason":...}],"usage":{...}}` with the plan's words joined as the message content.
    static func write(_ plan: CompletionPlan, into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"id":"chatcmpl-mock-"#)
        buffer.writeString(String(plan.requestNumber))
        buffer.writeStaticString(#"","object":"chat.completion","created":"#)
        buffer.writeString(String(plan.createdSeconds))
        buffer.writeStaticString(#","model":""#)
        buffer.writeBytes(plan.modelLiteral)
        buffer.writeStaticString(#"","choices":[{"index":0,"message":{"role":"assistant","content":""#)
        let words = SSEChunks.wordBytes
        for k in 0..<plan.completionTokens {
            buffer.writeBytes(words[k % words.count])
        }
        buffer.writeStaticString(#""},"finish_reason":""#)
        buffer.writeStaticString(plan.finishReason == .stop ? "stop" : "length")
        buffer.writeStaticString(#""}],"usage":"#)
        if plan.dialect == .groq {
            // Groq: usage with its timings, and the request id in x_groq.
            buffer.writeBytes(GroqJSON.usage(plan))
            buffer.writeStaticString(#","x_groq":{"id":"req_mock-"#)
            buffer.writeString(String(plan.requestNumber))
            buffer.writeStaticString("\"}")
        } else {
            buffer.writeBytes(UsageJSON.bytes(promptTokens: plan.promptTokens, completionTokens: plan.completionTokens))
        }
        buffer.writeStaticString("}")
    }
}

/// The body of a non-streamed Anthropic Messages response.
enum AnthropicMessageJSON {
    /// Writes `{"id":"msg_mock-N","type":"message","role":"assistant","model":...,"content":[{"type":
    /// "text","text":...}],"stop_reason":...,"stop_sequence":null,"usage":{"input_tokens":P,"output_tokens":C}}`.
    static func write(_ plan: CompletionPlan, into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"id":"msg_mock-"#)
        buffer.writeString(String(plan.requestNumber))
        buffer.writeStaticString(#"","type":"message","role":"assistant","model":""#)
        buffer.writeBytes(plan.modelLiteral)
        buffer.writeStaticString(#"","content":[{"type":"text","text":""#)
        let words = SSEChunks.wordBytes
        for k in 0..<plan.completionTokens {
            buffer.writeBytes(words[k % words.count])
        }
        buffer.writeStaticString(#""}],"stop_reason":""#)
        buffer.writeStaticString(plan.finishReason == .stop ? "end_turn" : "max_tokens")
        buffer.writeStaticString(#"","stop_sequence":null,"usage":{"input_tokens":"#)
        buffer.writeString(String(plan.promptTokens))
        buffer.writeStaticString(#","output_tokens":"#)
        buffer.writeString(String(plan.completionTokens))
        buffer.writeStaticString("}}")
    }
}
