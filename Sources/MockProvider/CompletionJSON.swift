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
        buffer.writeBytes(UsageJSON.bytes(promptTokens: plan.promptTokens, completionTokens: plan.completionTokens))
        buffer.writeStaticString("}")
    }
}
