/// Parses OpenAI chat-completions stream events (and OpenAI-compatible ones such as Groq's).
///
/// Each event's data is either a `chat.completion.chunk` JSON object or the literal `[DONE]`.
/// A chunk counts one token per choice whose `delta` carries a non-empty `content`,
/// `reasoning_content` or `reasoning` string, a non-empty `refusal` string, or a non-empty
/// `tool_calls` array. Role-only and empty-content deltas count nothing, so TTFT is never taken
/// from them. `usage` (or Groq's `x_groq.usage` when `usage` is absent) becomes `TokenUsage`,
/// with `prompt_tokens_details.cached_tokens` as the cached input; Groq's `queue_time` (seconds,
/// in `usage` or `x_groq.usage`) becomes `providerQueueNanos`.
/// An `error` object (or Groq's `x_groq.error`) becomes a failure: `.overloaded` when its type,
/// code or message mentions "overloaded", `.providerError` otherwise. Data that is not a JSON
/// object is `.malformed`.
public struct OpenAIStreamParser {
    /// Longest excerpt of offending data quoted in a `.malformed` message.
    static let excerptLimit = 80

    public init() {}

    /// Interprets one SSE event of a chat-completions stream.
    /// - Parameter event: a dispatched event. Types other than "message" (e.g. `ping`) are ignored,
    ///   except `error`, whose data is read as an error report.
    /// - Returns: tokens, usage, the end marker or a failure found in the event.
    public mutating func parse(_ event: SSEEvent) -> StreamUpdate {
        // Ordinary chunks take the allocation-free scan; everything else (and anything the scan
        // is unsure of) takes the tree path, which decides and words every failure.
        if event.type == "message", let update = Self.scanChunk(event.data) { return update }
        return parseWithTree(event)
    }

    /// `parse` on a borrowed event: the same decisions, and no allocation for ordinary chunks.
    public mutating func parse(_ event: SSEEventView) -> StreamUpdate {
        if event.isMessage, let update = Self.scanChunk(event.data) { return update }
        return parseWithTree(event.makeEvent())
    }

    /// `parse` by building the whole `JSONValue` tree: the reference the fast scan must match.
    mutating func parseWithTree(_ event: SSEEvent) -> StreamUpdate {
        let isErrorEvent = event.type == "error"
        guard event.type == "message" || isErrorEvent else { return StreamUpdate() }
        if !isErrorEvent && Self.isDoneMarker(event.data) { return StreamUpdate(done: true) }

        let chunk: JSONValue
        switch Self.parseObject(event.data) {
        case .object(let value): chunk = value
        case .failure(let failure):
            if isErrorEvent {
                // Some servers send a plain-text message in an `event: error`.
                return StreamUpdate(failure: StreamFailure(kind: .providerError, message: Self.excerpt(event.data)))
            }
            return StreamUpdate(failure: failure)
        }
        if let failure = Self.failure(in: chunk) { return StreamUpdate(failure: failure) }
        if isErrorEvent {
            return StreamUpdate(failure: StreamFailure(kind: .providerError, message: Self.excerpt(event.data)))
        }

        var update = StreamUpdate()
        if let choices = chunk["choices"]?.arrayValue {
            for choice in choices where Self.deltaBearsToken(choice["delta"]) {
                update.tokens += 1
            }
        }
        update.usage = Self.usage(in: chunk)
        update.providerQueueNanos = Self.queueNanos(in: chunk)
        return update
    }

    /// Interprets a non-streamed chat-completions response body (`"object": "chat.completion"`).
    /// - Parameter body: the whole response body.
    /// - Returns: `tokens` = 1 when the first choice's message has non-empty content (or tool calls,
    ///   reasoning or refusal), the reported usage, or a failure.
    public static func parseCompletion(_ body: [UInt8]) -> StreamUpdate {
        let completion: JSONValue
        switch parseObject(body) {
        case .object(let value): completion = value
        case .failure(let failure): return StreamUpdate(failure: failure)
        }
        if let failure = failure(in: completion) { return StreamUpdate(failure: failure) }
        var update = StreamUpdate()
        if let first = completion["choices"]?.arrayValue?.first, deltaBearsToken(first["message"]) {
            update.tokens = 1
        }
        update.usage = usage(in: completion)
        update.providerQueueNanos = queueNanos(in: completion)
        return update
    }

    // MARK: - Pieces

    /// True when `data` is `[DONE]`, allowing surrounding whitespace.
    static func isDoneMarker(_ data: [UInt8]) -> Bool {
        let marker: StaticString = "[DONE]"
        var start = 0
        var end = data.count
        while start < end && isSpace(data[start]) { start += 1 }
        while end > start && isSpace(data[end - 1]) { end -= 1 }
        guard end - start == marker.utf8CodeUnitCount else { return false }
        return marker.withUTF8Buffer { data[start..<end].elementsEqual($0) }
    }

    /// Parses `data` and requires a JSON object.
    static func parseObject(_ data: [UInt8]) -> ParsedObject {
        let value: JSONValue
        do throws(JSONParseError) {
            value = try JSONParser.parse(data)
        } catch {
            return .failure(StreamFailure(kind: .malformed, message: "\(error.description); data: \(excerpt(data))"))
        }
        guard value.isObject else {
            return .failure(StreamFailure(kind: .malformed, message: "expected a JSON object; data: \(excerpt(data))"))
        }
        return .object(value)
    }

    /// The outcome of `parseObject`.
    enum ParsedObject {
        case object(JSONValue)
        case failure(StreamFailure)
    }

    /// True when a delta (or non-streamed message) carries generated output.
    private static func deltaBearsToken(_ delta: JSONValue?) -> Bool {
        guard let delta else { return false }
        for key in ["content", "reasoning_content", "reasoning", "refusal"] {
            if let text = delta[key]?.stringValue, !text.isEmpty { return true }
        }
        if let toolCalls = delta["tool_calls"]?.arrayValue, !toolCalls.isEmpty { return true }
        return false
    }

    /// `usage`, or Groq's `x_groq.usage` when `usage` is absent or null.
    private static func usage(in object: JSONValue) -> TokenUsage? {
        let usage: JSONValue
        if let top = object["usage"], top.isObject {
            usage = top
        } else if let groq = object["x_groq"]?["usage"], groq.isObject {
            usage = groq
        } else {
            return nil
        }
        return TokenUsage(inputTokens: usage["prompt_tokens"]?.intValue, outputTokens: usage["completion_tokens"]?.intValue,
                          cachedInputTokens: usage["prompt_tokens_details"]?["cached_tokens"]?.intValue)
    }

    /// Groq's `queue_time` (seconds) from `usage` or `x_groq.usage`, in nanoseconds.
    private static func queueNanos(in object: JSONValue) -> UInt64? {
        let seconds = object["usage"]?["queue_time"]?.doubleValue ?? object["x_groq"]?["usage"]?["queue_time"]?.doubleValue
        guard let seconds, seconds.isFinite, seconds >= 0, seconds < 1e9 else { return nil }
        return UInt64((seconds * 1e9).rounded())
    }

    /// The failure described by a top-level `error` (or `x_groq.error`), if any.
    private static func failure(in object: JSONValue) -> StreamFailure? {
        if let error = object["error"], !error.isNull { return failure(describing: error) }
        if let error = object["x_groq"]?["error"], !error.isNull { return failure(describing: error) }
        return nil
    }

    /// Turns an error value (`{"message", "type", "code"}` or a bare string) into a failure.
    private static func failure(describing error: JSONValue) -> StreamFailure {
        if let text = error.stringValue {
            let kind: StreamFailure.Kind = mentionsOverloaded(text) ? .overloaded : .providerError
            return StreamFailure(kind: kind, message: text)
        }
        let message = error["message"]?.stringValue ?? "unknown error"
        let type = error["type"]?.stringValue
        let code: String?
        switch error["code"] {
        case .string(let text)?: code = text
        case .int(let number)?: code = String(number)
        default: code = nil
        }
        let overloaded = type.map(mentionsOverloaded) == true || code.map(mentionsOverloaded) == true
            || mentionsOverloaded(message)
        let text = type.map { "\($0): \(message)" } ?? message
        return StreamFailure(kind: overloaded ? .overloaded : .providerError, message: text)
    }

    static func mentionsOverloaded(_ text: String) -> Bool {
        text.lowercased().contains("overloaded")
    }

    /// The first `excerptLimit` bytes of `data`, decoded leniently, with "..." when cut.
    static func excerpt(_ data: [UInt8]) -> String {
        guard data.count > excerptLimit else { return String(decoding: data, as: UTF8.self) }
        return String(decoding: data[..<excerptLimit], as: UTF8.self) + "..."
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
