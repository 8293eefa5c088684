import LoadCore
import NIOCore
import NIOHTTP1

/// Everything decided about one completion when its request arrives: identity, size and timing.
struct CompletionPlan {
    /// Why the completion ends.
    enum FinishReason {
        /// All configured tokens were produced.
        case stop
        /// The request's max_tokens cut the completion short.
        case length
    }

    /// N in `chatcmpl-mock-N`.
    var requestNumber: UInt64
    /// `created`, in seconds since the Unix epoch.
    var createdSeconds: Int
    /// The echoed model name, JSON-escaped.
    var modelLiteral: [UInt8]
    /// `usage.prompt_tokens`.
    var promptTokens: Int
    /// Content tokens to produce.
    var completionTokens: Int
    /// The final `finish_reason`.
    var finishReason: FinishReason
    /// Whether a streamed response ends with a usage event.
    var includeUsage: Bool
    /// When token 0 is due: arrival + TTFT.
    var firstTokenDeadline: NIODeadline
    /// Delay between consecutive tokens (see `StreamingCompletion` for how it is applied).
    var interTokenDelayNanos: UInt64
    /// Whether the connection stays open after the response.
    var keepAlive: Bool
    /// The format of the response.
    var dialect: APIDialect = .openAI
    /// A stream fault to inject (never `.http`, which is answered before a plan is made).
    var fault: Profile.MockFault?
    /// Time from the request's arrival to the start of its completion (Groq's `queue_time`).
    var queueNanos: UInt64 = 0
    /// Further response headers (the rate-limit announcement).
    var extraHeaders: [(String, String)] = []
    /// Whether to stamp the events and headers with their send time (`SendStamp`).
    var stamp = false

    /// The earliest time token `k` (0-based) can be ready: when a non-streamed completion is answered.
    func tokenDeadline(_ k: Int) -> NIODeadline {
        firstTokenDeadline + .nanoseconds(Int64(clamping: UInt64(k) &* interTokenDelayNanos))
    }
}

/// Per-request overrides of the server's configuration, read from request headers.
///
/// - `x-mock-ttft-ms`: time to first token in milliseconds (fractions allowed), replaces the drawn TTFT.
/// - `x-mock-itl-ms`: inter-token delay in milliseconds.
/// - `x-mock-tokens`: output tokens (max_tokens still caps it).
/// - `x-mock-status`: answer with this status; 200 forces success (no injected error or fault),
///   anything else an error response.
/// - `x-mock-fault`: a stream fault for this request: `error_event`, `overloaded_event`,
///   `disconnect`, `malformed` or `stall` (see `Profile.MockFault`), with `x-mock-fault-after` (tokens
///   before it, default 0) and, for a stall, `x-mock-stall-ms` (absent: forever).
/// Malformed or negative values are ignored (NIO trims the values' surrounding whitespace).
struct MockOverrides: Equatable {
    var ttftNanos: UInt64?
    var interTokenDelayNanos: UInt64?
    var outputTokens: Int?
    var status: Int?
    /// From `x-mock-fault` and its companions.
    var fault: Profile.MockFault?

    init() {}

    init(headers: HTTPHeaders) {
        var faultKind: Profile.MockFault.Kind?
        var faultAfter = 0
        var stallNanos: UInt64?
        for (name, value) in headers {
            // Cheap reject for the common case: none of the usual headers starts with "x-m".
            let utf8 = name.utf8
            guard utf8.count > 7, (utf8.first ?? 0) | 0x20 == UInt8(ascii: "x") else { continue }
            switch name.lowercased() {
            case "x-mock-ttft-ms": ttftNanos = Self.nanos(milliseconds: value)
            case "x-mock-itl-ms": interTokenDelayNanos = Self.nanos(milliseconds: value)
            case "x-mock-tokens": outputTokens = Int(value).flatMap { $0 >= 0 ? $0 : nil }
            case "x-mock-status": status = Int(value).flatMap { (100...599).contains($0) ? $0 : nil }
            case "x-mock-fault": faultKind = Profile.MockFault.Kind(rawValue: value).flatMap { $0 == .http ? nil : $0 }
            case "x-mock-fault-after": faultAfter = Int(value).flatMap { $0 >= 0 ? $0 : nil } ?? 0
            case "x-mock-stall-ms": stallNanos = Self.nanos(milliseconds: value)
            default: break
            }
        }
        if let faultKind {
            fault = Profile.MockFault(kind: faultKind, afterTokens: faultAfter, stallNanos: faultKind == .stall ? stallNanos : nil)
        }
    }

    private static func nanos(milliseconds text: String) -> UInt64? {
        guard let ms = Double(text), ms.isFinite, ms >= 0, ms < 1e9 else { return nil }
        return UInt64(ms * 1_000_000)
    }
}
