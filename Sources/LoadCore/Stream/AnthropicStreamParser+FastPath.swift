/// The allocation-free path for `content_block_delta` events.
///
/// `scanDelta` walks the data once with `JSONCursor` and reads only the first `delta` member:
/// its first `type` and whether its first `text`, `thinking` and `partial_json` strings are empty.
/// It gives up (returns nil, and `parse` runs `parseWithTree`) on data the cursor rejects, data
/// that is not an object, a backslash-escaped key or `type` value, and any of those fields that is
/// present but not a string, so that it never decides differently from the tree path.
extension AnthropicStreamParser {
    /// The tokens of a `content_block_delta` event (0 or 1), or nil when the tree path must decide.
    static func scanDelta(_ data: [UInt8]) -> Int? {
        data.withUnsafeBufferPointer { scanDelta($0) }
    }

    /// The tokens of a `content_block_delta` event's data (0 or 1), or nil when the tree path must decide.
    static func scanDelta(_ buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        var cursor = JSONCursor(buffer)
        do throws(JSONCursor.Rejection) {
            guard cursor.current == UInt8(ascii: "{") else { throw JSONCursor.Rejection() }
            var tokens = 0
            var sawDelta = false
            if try cursor.enterObject() {
                repeat {
                    let key = try cursor.readKey()
                    if key.hasEscapes { throw JSONCursor.Rejection() }
                    if !sawDelta && cursor.bytes(of: key, equal: "delta") {
                        sawDelta = true
                        tokens = try scanDeltaObject(&cursor) ? 1 : 0
                    } else {
                        try cursor.skipValue()
                    }
                } while try cursor.nextMember()
            }
            guard cursor.isAtEnd else { throw JSONCursor.Rejection() }
            return tokens
        } catch {
            return nil
        }
    }

    /// The `delta` value: true when it is an object whose type's text field is a non-empty string.
    private static func scanDeltaObject(_ cursor: inout JSONCursor) throws(JSONCursor.Rejection) -> Bool {
        guard cursor.current == UInt8(ascii: "{") else {
            try cursor.skipValue()
            return false
        }
        // 1: text_delta, 2: thinking_delta, 3: input_json_delta, 0: another type or none.
        var kind = 0
        var sawType = false
        // Per text field (bit 0 text, 1 thinking, 2 partial_json): seen, and non-empty.
        var seen: UInt8 = 0
        var nonEmpty: UInt8 = 0
        guard try cursor.enterObject() else { return false }
        repeat {
            let key = try cursor.readKey()
            if key.hasEscapes { throw JSONCursor.Rejection() }
            if !sawType && cursor.bytes(of: key, equal: "type") {
                sawType = true
                guard cursor.current == UInt8(ascii: "\"") else { throw JSONCursor.Rejection() }
                let value = try cursor.readString()
                if value.hasEscapes { throw JSONCursor.Rejection() }
                if cursor.bytes(of: value, equal: "text_delta") {
                    kind = 1
                } else if cursor.bytes(of: value, equal: "thinking_delta") {
                    kind = 2
                } else if cursor.bytes(of: value, equal: "input_json_delta") {
                    kind = 3
                }
                continue
            }
            let bit: UInt8
            if cursor.bytes(of: key, equal: "text") {
                bit = 1
            } else if cursor.bytes(of: key, equal: "thinking") {
                bit = 2
            } else if cursor.bytes(of: key, equal: "partial_json") {
                bit = 4
            } else {
                bit = 0
            }
            if bit == 0 || seen & bit != 0 {
                try cursor.skipValue()
                continue
            }
            seen |= bit
            guard cursor.current == UInt8(ascii: "\"") else { throw JSONCursor.Rejection() }
            if !(try cursor.readString()).isEmpty { nonEmpty |= bit }
        } while try cursor.nextMember()
        switch kind {
        case 1: return nonEmpty & 1 != 0
        case 2: return nonEmpty & 2 != 0
        case 3: return nonEmpty & 4 != 0
        default: return false
        }
    }
}
