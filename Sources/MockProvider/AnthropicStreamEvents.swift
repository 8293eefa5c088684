import NIOCore

/// Anthropic Messages stream events: `message_start`, `content_block_start`, `ping`, one
/// `content_block_delta` per token, `content_block_stop`, `message_delta` (with the cumulative
/// `usage.output_tokens`) and `message_stop`.
struct AnthropicStreamEvents: MockStreamEvents {
    private let requestNumber: UInt64
    private let modelLiteral: [UInt8]
    private let promptTokens: Int
    private let completionTokens: Int
    private let stoppedNaturally: Bool

    init(plan: CompletionPlan) {
        requestNumber = plan.requestNumber
        modelLiteral = plan.modelLiteral
        promptTokens = plan.promptTokens
        completionTokens = plan.completionTokens
        stoppedNaturally = plan.finishReason == .stop
    }

    /// `content_block_delta` events, one per word of `SSEChunks.words`.
    static let tokenEvents: [[UInt8]] = SSEChunks.words.map {
        Array(("event: content_block_delta\n"
            + #"data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\#($0)"}}"#
            + "\n\n").utf8)
    }

    func writeOpening(into buffer: inout ByteBuffer) {
        buffer.writeStaticString("event: message_start\n")
        buffer.writeStaticString(#"data: {"type":"message_start","message":{"id":"msg_mock-"#)
        buffer.writeString(String(requestNumber))
        buffer.writeStaticString(#"","type":"message","role":"assistant","content":[],"model":""#)
        buffer.writeBytes(modelLiteral)
        buffer.writeStaticString(#"","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":"#)
        buffer.writeString(String(promptTokens))
        buffer.writeStaticString(#","output_tokens":1}}}"#)
        buffer.writeStaticString("\n\nevent: content_block_start\n")
        buffer.writeStaticString(#"data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#)
        buffer.writeStaticString("\n\nevent: ping\n")
        buffer.writeStaticString(#"data: {"type": "ping"}"#)
        buffer.writeStaticString("\n\n")
    }

    func writeToken(_ k: Int, into buffer: inout ByteBuffer) {
        buffer.writeBytes(Self.tokenEvents[k % Self.tokenEvents.count])
    }

    func writeClosing(into buffer: inout ByteBuffer) {
        buffer.writeStaticString("event: content_block_stop\n")
        buffer.writeStaticString(#"data: {"type":"content_block_stop","index":0}"#)
        buffer.writeStaticString("\n\nevent: message_delta\n")
        buffer.writeStaticString(#"data: {"type":"message_delta","delta":{"stop_reason":""#)
        buffer.writeStaticString(stoppedNaturally ? "end_turn" : "max_tokens")
        buffer.writeStaticString(#"","stop_sequence":null},"usage":{"output_tokens":"#)
        buffer.writeString(String(completionTokens))
        buffer.writeStaticString("}}\n\nevent: message_stop\n")
        buffer.writeStaticString(#"data: {"type":"message_stop"}"#)
        buffer.writeStaticString("\n\n")
    }

    func writeError(overloaded: Bool, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("event: error\n")
        if overloaded {
            buffer.writeStaticString(#"data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#)
        } else {
            buffer.writeStaticString(
                #"data: {"type":"error","error":{"type":"api_error","message":"Internal server error (mock provider: injected fault)"}}"#)
        }
        buffer.writeStaticString("\n\n")
    }

    func writeMalformed(into buffer: inout ByteBuffer) {
        buffer.writeStaticString("event: content_block_delta\n")
        buffer.writeStaticString(#"data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"oops""#)
        buffer.writeStaticString("\n\n")
    }
}
