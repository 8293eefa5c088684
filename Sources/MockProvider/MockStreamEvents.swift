import LoadCore
import NIOCore

/// The bytes of one streamed completion's events in one dialect. `StreamingCompletion` decides
/// what is due when and frames it; a dialect only writes its events (without chunk framing).
///
/// `StreamingCompletion` holds them in `DialectStreamEvents`, an enum, rather than as an
/// existential: the payload stays inline instead of costing a heap box per stream.
protocol MockStreamEvents {
    /// What precedes the first token: OpenAI's role-only chunk; Anthropic's `message_start`,
    /// `content_block_start` and a `ping`.
    func writeOpening(into buffer: inout ByteBuffer)
    /// The event of content token `k` (0-based).
    func writeToken(_ k: Int, into buffer: inout ByteBuffer)
    /// What follows the last token, up to the end marker (`[DONE]`, `message_stop`).
    func writeClosing(into buffer: inout ByteBuffer)
    /// A provider error event (an error or an overloaded report).
    func writeError(overloaded: Bool, into buffer: inout ByteBuffer)
    /// An event whose data is cut-off JSON.
    func writeMalformed(into buffer: inout ByteBuffer)
}

/// OpenAI Chat Completions chunks, and Groq's with `x_groq` on the first and the finish chunk.
struct OpenAIStreamEvents: MockStreamEvents {
    private let prefix: [UInt8]
    private let openingSuffix: [UInt8]
    private let finishSuffix: [UInt8]
    private let includeUsage: Bool
    private let promptTokens: Int
    private let completionTokens: Int

    init(plan: CompletionPlan) {
        includeUsage = plan.includeUsage
        promptTokens = plan.promptTokens
        completionTokens = plan.completionTokens
        prefix = SSEChunks.eventPrefix(
            requestNumber: plan.requestNumber, createdSeconds: plan.createdSeconds, modelLiteral: plan.modelLiteral)
        let finish = plan.finishReason == .stop ? SSEChunks.stopSuffix : SSEChunks.lengthSuffix
        if plan.dialect == .groq {
            openingSuffix = GroqJSON.withXGroq(SSEChunks.roleSuffix, requestNumber: plan.requestNumber, usage: nil)
            finishSuffix = GroqJSON.withXGroq(finish, requestNumber: plan.requestNumber, usage: GroqJSON.usage(plan))
        } else {
            openingSuffix = SSEChunks.roleSuffix
            finishSuffix = finish
        }
    }

    func writeOpening(into buffer: inout ByteBuffer) {
        buffer.writeBytes(prefix)
        buffer.writeBytes(openingSuffix)
    }

    func writeToken(_ k: Int, into buffer: inout ByteBuffer) {
        buffer.writeBytes(prefix)
        buffer.writeBytes(SSEChunks.tokenSuffix(k))
    }

    func writeClosing(into buffer: inout ByteBuffer) {
        buffer.writeBytes(prefix)
        buffer.writeBytes(finishSuffix)
        if includeUsage {
            buffer.writeBytes(prefix)
            buffer.writeBytes(SSEChunks.usageSuffix(promptTokens: promptTokens, completionTokens: completionTokens))
        }
        buffer.writeBytes(SSEChunks.done)
    }

    func writeError(overloaded: Bool, into buffer: inout ByteBuffer) {
        let message = overloaded
            ? "The engine is currently overloaded, please try again later. (mock provider: injected fault)"
            : "The server had an error while processing your request. (mock provider: injected fault)"
        buffer.writeStaticString(#"data: {"error":{"message":""#)
        buffer.writeString(message)
        buffer.writeStaticString(#"","type":"server_error","param":null,"code":null}}"#)
        buffer.writeStaticString("\n\n")
    }

    func writeMalformed(into buffer: inout ByteBuffer) {
        buffer.writeBytes(prefix)
        buffer.writeStaticString(#"{"index":0,"delta":{"content":"oops"}"#)
        buffer.writeStaticString("\n\n")
    }
}

/// Groq's `x_groq` object.
enum GroqJSON {
    /// `suffix` (an OpenAI event suffix ending in `]}` and a blank line) with
    /// `,"x_groq":{"id":"req_mock-N"[,"usage":...]}` inserted before its closing brace.
    static func withXGroq(_ suffix: [UInt8], requestNumber: UInt64, usage: [UInt8]?) -> [UInt8] {
        // suffix = ...]} + "\n\n": cut the final "}\n\n", add x_groq, close again.
        var bytes = Array(suffix.dropLast(3))
        bytes += #","x_groq":{"id":"req_mock-"#.utf8
        bytes += String(requestNumber).utf8
        bytes += "\"".utf8
        if let usage {
            bytes += #","usage":"#.utf8
            bytes += usage
        }
        bytes += "}}\n\n".utf8
        return bytes
    }

    /// Groq's usage: token counts plus `queue_time` (the plan's wait before its completion
    /// started), `prompt_time`, `completion_time` (tokens × inter-token delay) and `total_time`,
    /// in seconds.
    static func usage(_ plan: CompletionPlan) -> [UInt8] {
        let completionNanos = UInt64(plan.completionTokens) &* plan.interTokenDelayNanos
        let promptNanos: UInt64 = 100_000
        var text = #"{"queue_time":"# + seconds(plan.queueNanos)
        text += #","prompt_tokens":\#(plan.promptTokens),"prompt_time":"# + seconds(promptNanos)
        text += #","completion_tokens":\#(plan.completionTokens),"completion_time":"# + seconds(completionNanos)
        text += #","total_tokens":\#(plan.promptTokens + plan.completionTokens),"total_time":"#
        text += seconds(plan.queueNanos &+ promptNanos &+ completionNanos) + "}"
        return Array(text.utf8)
    }

    /// Nanoseconds as seconds with six decimals, e.g. `0.012345`.
    static func seconds(_ nanos: UInt64) -> String {
        let micros = nanos / 1_000
        let fraction = String(micros % 1_000_000)
        return "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}

/// The events of one dialect, inline (see `MockStreamEvents`).
enum DialectStreamEvents {
    case openAI(OpenAIStreamEvents)
    case anthropic(AnthropicStreamEvents)

    init(plan: CompletionPlan) {
        switch plan.dialect {
        case .openAI, .groq: self = .openAI(OpenAIStreamEvents(plan: plan))
        case .anthropic: self = .anthropic(AnthropicStreamEvents(plan: plan))
        }
    }

    func writeOpening(into buffer: inout ByteBuffer) {
        switch self {
        case .openAI(let events): events.writeOpening(into: &buffer)
        case .anthropic(let events): events.writeOpening(into: &buffer)
        }
    }

    func writeToken(_ k: Int, into buffer: inout ByteBuffer) {
        switch self {
        case .openAI(let events): events.writeToken(k, into: &buffer)
        case .anthropic(let events): events.writeToken(k, into: &buffer)
        }
    }

    func writeClosing(into buffer: inout ByteBuffer) {
        switch self {
        case .openAI(let events): events.writeClosing(into: &buffer)
        case .anthropic(let events): events.writeClosing(into: &buffer)
        }
    }

    func writeError(overloaded: Bool, into buffer: inout ByteBuffer) {
        switch self {
        case .openAI(let events): events.writeError(overloaded: overloaded, into: &buffer)
        case .anthropic(let events): events.writeError(overloaded: overloaded, into: &buffer)
        }
    }

    func writeMalformed(into buffer: inout ByteBuffer) {
        switch self {
        case .openAI(let events): events.writeMalformed(into: &buffer)
        case .anthropic(let events): events.writeMalformed(into: &buffer)
        }
    }
}
