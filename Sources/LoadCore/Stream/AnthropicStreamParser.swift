/// Parses Anthropic Messages stream events.
///
/// Events come as `event: <type>` + `data: {"type": "<type>", ...}`; the `event:` name decides
/// (the data's `type` when an event has no name):
///
/// - `message_start`: `message.usage` gives the input tokens. Anthropic counts cache reads and
///   cache writes apart from `input_tokens`; they are added in, so `inputTokens` is every input
///   token (as OpenAI counts them) and `cachedInputTokens` is `cache_read_input_tokens`. The
///   `output_tokens` of `message_start` is a placeholder (usually 1) and is ignored.
/// - `content_block_delta`: one token when the delta is a `text_delta` with non-empty `text`, a
///   `thinking_delta` with non-empty `thinking` or an `input_json_delta` with non-empty
///   `partial_json`; `signature_delta`, `citations_delta` and empty deltas count nothing. TTFT is
///   the first of these, never `message_start`, `content_block_start` or `ping`.
/// - `message_delta`: `usage.output_tokens` is cumulative: it is assigned, never added. Input
///   and cache counts, when present, replace those of `message_start`.
/// - `message_stop`: the end of a complete stream (`done`).
/// - `error`: `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}` is
///   `.overloaded` (so is any error whose type or message mentions "overloaded"); other types
///   (`api_error`, ...) are `.providerError`.
/// - `ping`, `content_block_start`, `content_block_stop` and unknown types count nothing (the API
///   may add event types).
///
/// Data that is not a JSON object is `.malformed`, except for `ping`, whose data is not read.
/// Usage is reported on the events that carry it, as the running totals of this stream.
public struct AnthropicStreamParser {
    /// `input_tokens`, `cache_read_input_tokens`, `cache_creation_input_tokens` seen so far.
    private var inputTokens: Int?
    private var cacheReadTokens: Int?
    private var cacheCreationTokens: Int?

    public init() {}

    /// Interprets one SSE event of a Messages stream.
    /// - Returns: tokens, usage, the end marker or a failure found in the event.
    public mutating func parse(_ event: SSEEvent) -> StreamUpdate {
        // Text deltas are nearly every event: they take the allocation-free scan.
        if event.type == "content_block_delta", let tokens = Self.scanDelta(event.data) {
            return StreamUpdate(tokens: tokens)
        }
        return parseWithTree(event)
    }

    /// `parse` on a borrowed event: the same decisions, and no allocation for text deltas.
    public mutating func parse(_ event: SSEEventView) -> StreamUpdate {
        if event.hasType("content_block_delta"), let tokens = Self.scanDelta(event.data) {
            return StreamUpdate(tokens: tokens)
        }
        return parseWithTree(event.makeEvent())
    }

    /// `parse` by building the whole `JSONValue` tree: the reference the fast scan must match.
    mutating func parseWithTree(_ event: SSEEvent) -> StreamUpdate {
        if event.type == "ping" { return StreamUpdate() }
        let object: JSONValue
        switch OpenAIStreamParser.parseObject(event.data) {
        case .object(let value): object = value
        case .failure(let failure):
            if event.type == "error" {
                // A plain-text message in an `event: error`.
                let text = OpenAIStreamParser.excerpt(event.data)
                return StreamUpdate(failure: StreamFailure(
                    kind: OpenAIStreamParser.mentionsOverloaded(text) ? .overloaded : .providerError, message: text))
            }
            return StreamUpdate(failure: failure)
        }
        let type = event.type == "message" ? (object["type"]?.stringValue ?? "") : event.type
        switch type {
        case "message_start":
            return StreamUpdate(usage: absorbUsage(object["message"]?["usage"], includesOutput: false))
        case "content_block_delta":
            return StreamUpdate(tokens: Self.deltaBearsToken(object["delta"]) ? 1 : 0)
        case "message_delta":
            return StreamUpdate(usage: absorbUsage(object["usage"], includesOutput: true))
        case "message_stop":
            return StreamUpdate(done: true)
        case "error":
            return StreamUpdate(failure: Self.failure(describing: object["error"]))
        default:
            return StreamUpdate()
        }
    }

    /// Interprets a non-streamed Messages response body (`"type": "message"`).
    /// - Returns: `tokens` = 1 when a content block has non-empty text or thinking, or is a
    ///   `tool_use`; the reported usage; or a failure for an error body or bad JSON.
    public static func parseMessage(_ body: [UInt8]) -> StreamUpdate {
        let message: JSONValue
        switch OpenAIStreamParser.parseObject(body) {
        case .object(let value): message = value
        case .failure(let failure): return StreamUpdate(failure: failure)
        }
        if message["type"]?.stringValue == "error" {
            return StreamUpdate(failure: failure(describing: message["error"]))
        }
        var update = StreamUpdate()
        for block in message["content"]?.arrayValue ?? [] {
            let text = block["text"]?.stringValue ?? block["thinking"]?.stringValue ?? ""
            if !text.isEmpty || block["type"]?.stringValue == "tool_use" {
                update.tokens = 1
                break
            }
        }
        var parser = AnthropicStreamParser()
        update.usage = parser.absorbUsage(message["usage"], includesOutput: true)
        return update
    }

    // MARK: - Pieces

    /// Takes the counts of a `usage` object into the running totals and returns them normalised.
    private mutating func absorbUsage(_ usage: JSONValue?, includesOutput: Bool) -> TokenUsage? {
        guard let usage, usage.isObject else { return nil }
        if let value = usage["input_tokens"]?.intValue { inputTokens = value }
        if let value = usage["cache_read_input_tokens"]?.intValue { cacheReadTokens = value }
        if let value = usage["cache_creation_input_tokens"]?.intValue { cacheCreationTokens = value }
        var total: Int?
        if inputTokens != nil || cacheReadTokens != nil || cacheCreationTokens != nil {
            total = (inputTokens ?? 0) + (cacheReadTokens ?? 0) + (cacheCreationTokens ?? 0)
        }
        let output = includesOutput ? usage["output_tokens"]?.intValue : nil
        return TokenUsage(inputTokens: total, outputTokens: output, cachedInputTokens: cacheReadTokens)
    }

    /// True when a `content_block_delta`'s delta carries generated output.
    private static func deltaBearsToken(_ delta: JSONValue?) -> Bool {
        guard let delta else { return false }
        let field: String
        switch delta["type"]?.stringValue {
        case "text_delta": field = "text"
        case "thinking_delta": field = "thinking"
        case "input_json_delta": field = "partial_json"
        default: return false
        }
        if let text = delta[field]?.stringValue, !text.isEmpty { return true }
        return false
    }

    /// Turns an Anthropic error object `{"type": "...", "message": "..."}` into a failure.
    private static func failure(describing error: JSONValue?) -> StreamFailure {
        let type = error?["type"]?.stringValue
        let message = error?["message"]?.stringValue ?? error?.stringValue ?? "unknown error"
        let overloaded = type.map(OpenAIStreamParser.mentionsOverloaded) == true
            || OpenAIStreamParser.mentionsOverloaded(message)
        return StreamFailure(kind: overloaded ? .overloaded : .providerError,
                             message: type.map { "\($0): \(message)" } ?? message)
    }
}
