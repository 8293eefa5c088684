/// The allocation-free path for ordinary chunks.
///
/// `scanChunk` walks the chunk once with `JSONCursor` and reads only what `parse` needs: whether
/// each `choices[i].delta` bears a token, and `usage`. It gives up (returns nil) on anything it
/// does not handle exactly like the tree path, and `parse` then runs `parseWithTree`:
///
/// - data the cursor rejects (invalid JSON, or a number too large to judge), or not an object;
/// - a top-level `error` or `x_groq` member (failures and Groq usage are rare, so they stay on
///   the tree path, which also produces their messages);
/// - a backslash-escaped key where keys are compared (it might decode to one we look for);
/// - a `prompt_tokens` / `completion_tokens` / `prompt_tokens_details.cached_tokens` that is a
///   number but not a plain Int64 literal;
/// - a `queue_time` in `usage` (Groq: rare, left to the tree path).
///
/// Duplicate keys resolve as `JSONValue`'s subscript does: the first member wins.
extension OpenAIStreamParser {
    /// The update for a `message` event, or nil when the tree path must decide.
    static func scanChunk(_ data: [UInt8]) -> StreamUpdate? {
        data.withUnsafeBufferPointer { scanChunk($0) }
    }

    /// The update for a `message` event's data, or nil when the tree path must decide.
    static func scanChunk(_ data: UnsafeBufferPointer<UInt8>) -> StreamUpdate? {
        var cursor = JSONCursor(data)
        do throws(JSONCursor.Rejection) {
            return try scanChunk(&cursor)
        } catch {
            return nil
        }
    }

    private static func scanChunk(_ cursor: inout JSONCursor) throws(JSONCursor.Rejection) -> StreamUpdate {
        guard cursor.current == UInt8(ascii: "{") else { throw JSONCursor.Rejection() }
        var update = StreamUpdate()
        var sawChoices = false
        var sawUsage = false
        if try cursor.enterObject() {
            repeat {
                let key = try cursor.readKey()
                if key.hasEscapes { throw JSONCursor.Rejection() }
                if !sawChoices && cursor.bytes(of: key, equal: "choices") {
                    sawChoices = true
                    update.tokens = try scanChoices(&cursor)
                } else if !sawUsage && cursor.bytes(of: key, equal: "usage") {
                    sawUsage = true
                    update.usage = try scanUsage(&cursor)
                } else if cursor.bytes(of: key, equal: "error") || cursor.bytes(of: key, equal: "x_groq") {
                    throw JSONCursor.Rejection()
                } else {
                    try cursor.skipValue()
                }
            } while try cursor.nextMember()
        }
        guard cursor.isAtEnd else { throw JSONCursor.Rejection() }
        return update
    }

    /// The value of `choices`: the number of elements whose `delta` bears a token (0 when it is
    /// not an array).
    private static func scanChoices(_ cursor: inout JSONCursor) throws(JSONCursor.Rejection) -> Int {
        guard cursor.current == UInt8(ascii: "[") else {
            try cursor.skipValue()
            return 0
        }
        var tokens = 0
        guard try cursor.enterArray() else { return 0 }
        repeat {
            if try scanChoice(&cursor) { tokens += 1 }
        } while try cursor.nextElement()
        return tokens
    }

    /// One element of `choices`: true when it is an object whose first `delta` bears a token.
    private static func scanChoice(_ cursor: inout JSONCursor) throws(JSONCursor.Rejection) -> Bool {
        guard cursor.current == UInt8(ascii: "{") else {
            try cursor.skipValue()
            return false
        }
        var bearsToken = false
        var sawDelta = false
        guard try cursor.enterObject() else { return false }
        repeat {
            let key = try cursor.readKey()
            if key.hasEscapes { throw JSONCursor.Rejection() }
            if !sawDelta && cursor.bytes(of: key, equal: "delta") {
                sawDelta = true
                bearsToken = try scanDelta(&cursor)
            } else {
                try cursor.skipValue()
            }
        } while try cursor.nextMember()
        return bearsToken
    }

    /// A `delta`: true when it is an object whose first `content`, `reasoning_content`,
    /// `reasoning` or `refusal` is a non-empty string, or whose first `tool_calls` is a non-empty
    /// array (as `deltaBearsToken` decides).
    private static func scanDelta(_ cursor: inout JSONCursor) throws(JSONCursor.Rejection) -> Bool {
        guard cursor.current == UInt8(ascii: "{") else {
            try cursor.skipValue()
            return false
        }
        var bearsToken = false
        // Bit per key already seen: content, reasoning_content, reasoning, refusal, tool_calls.
        var seen: UInt8 = 0
        guard try cursor.enterObject() else { return false }
        repeat {
            let key = try cursor.readKey()
            if key.hasEscapes { throw JSONCursor.Rejection() }
            let bit: UInt8
            if cursor.bytes(of: key, equal: "content") {
                bit = 1
            } else if cursor.bytes(of: key, equal: "reasoning_content") {
                bit = 2
            } else if cursor.bytes(of: key, equal: "reasoning") {
                bit = 4
            } else if cursor.bytes(of: key, equal: "refusal") {
                bit = 8
            } else if cursor.bytes(of: key, equal: "tool_calls") {
                bit = 16
            } else {
                bit = 0
            }
            if bit == 0 || seen & bit != 0 {
                try cursor.skipValue()
                continue
            }
            seen |= bit
            if bit == 16 {
                guard cursor.current == UInt8(ascii: "[") else {
                    try cursor.skipValue()
                    continue
                }
                if try cursor.enterArray() {
                    bearsToken = true
                    repeat {
                        try cursor.skipValue()
                    } while try cursor.nextElement()
                }
            } else if cursor.current == UInt8(ascii: "\"") {
                if !(try cursor.readString()).isEmpty { bearsToken = true }
            } else {
                try cursor.skipValue()
            }
        } while try cursor.nextMember()
        return bearsToken
    }

    /// The value of `usage`: its token counts when it is an object, nil otherwise.
    private static func scanUsage(_ cursor: inout JSONCursor) throws(JSONCursor.Rejection) -> TokenUsage? {
        guard cursor.current == UInt8(ascii: "{") else {
            try cursor.skipValue()
            return nil
        }
        var usage = TokenUsage(inputTokens: nil, outputTokens: nil)
        var sawPrompt = false
        var sawCompletion = false
        var sawDetails = false
        guard try cursor.enterObject() else { return usage }
        repeat {
            let key = try cursor.readKey()
            if key.hasEscapes { throw JSONCursor.Rejection() }
            if !sawPrompt && cursor.bytes(of: key, equal: "prompt_tokens") {
                sawPrompt = true
                usage.inputTokens = try scanCount(&cursor)
            } else if !sawCompletion && cursor.bytes(of: key, equal: "completion_tokens") {
                sawCompletion = true
                usage.outputTokens = try scanCount(&cursor)
            } else if !sawDetails && cursor.bytes(of: key, equal: "prompt_tokens_details") {
                sawDetails = true
                usage.cachedInputTokens = try scanCachedTokens(&cursor)
            } else if cursor.bytes(of: key, equal: "queue_time") {
                throw JSONCursor.Rejection()
            } else {
                try cursor.skipValue()
            }
        } while try cursor.nextMember()
        return usage
    }

    /// The value of `prompt_tokens_details`: its first `cached_tokens` when it is an object.
    private static func scanCachedTokens(_ cursor: inout JSONCursor) throws(JSONCursor.Rejection) -> Int? {
        guard cursor.current == UInt8(ascii: "{") else {
            try cursor.skipValue()
            return nil
        }
        var cached: Int?
        var sawCached = false
        guard try cursor.enterObject() else { return nil }
        repeat {
            let key = try cursor.readKey()
            if key.hasEscapes { throw JSONCursor.Rejection() }
            if !sawCached && cursor.bytes(of: key, equal: "cached_tokens") {
                sawCached = true
                cached = try scanCount(&cursor)
            } else {
                try cursor.skipValue()
            }
        } while try cursor.nextMember()
        return cached
    }

    /// A token count: the integer, or nil for a value that is not a number (as `intValue`).
    /// Non-integer numbers (`12.0`, `1e3`, past Int64) are rejected: the tree path converts them.
    private static func scanCount(_ cursor: inout JSONCursor) throws(JSONCursor.Rejection) -> Int? {
        switch cursor.current {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard case .int(let value) = try cursor.readNumber() else { throw JSONCursor.Rejection() }
            return Int(exactly: value)
        default:
            try cursor.skipValue()
            return nil
        }
    }
}
