import LoadCore
import NIOCore

/// The fields of a chat request body that the mock provider uses: OpenAI Chat Completions, or
/// Anthropic Messages (whose `system` prompt counts towards the prompt tokens too).
///
/// Read in one pass by LoadCore's `JSONCursor` (the validating, allocation-free walk the stream
/// parsers use); a document it rejects is re-read by `JSONParser` for the reason and offset.
struct ChatRequest: Equatable {
    /// `stream` (default false).
    var stream = false
    /// The smaller of `max_tokens` and `max_completion_tokens` when either is given.
    var maxTokens: Int?
    /// `model` as it appeared between the quotes (still JSON-escaped, so it can be echoed verbatim).
    var modelLiteral: [UInt8]?
    /// `stream_options.include_usage` (default false).
    var includeUsage = false
    /// Bytes of message text: string `content`s plus `text` of content parts (and `system`), as
    /// they appear in the body (escapes counted as written).
    var promptBytes = 0
    /// `ignore_eos` (vLLM): generate exactly max_tokens, never stopping early (default false).
    var ignoreEOS = false
    /// `min_tokens` (vLLM): generate at least this many tokens.
    var minTokens: Int?

    /// Rough prompt token count: four bytes of text per token, at least one.
    var promptTokens: Int { max(1, promptBytes / 4) }

    /// Parses a request body.
    ///
    /// - Parameter body: the raw body; nil or empty is an error.
    /// - Throws: `ChatRequestError` with an OpenAI-style message for malformed JSON or badly typed fields.
    static func parse(_ body: ByteBuffer?) throws -> ChatRequest {
        guard let body, body.readableBytes > 0 else {
            throw ChatRequestError(message: "We could not parse the JSON body of your request: the body is empty.")
        }
        return try body.withUnsafeReadableBytes { raw in
            var reader = Reader(bytes: raw.bindMemory(to: UInt8.self))
            do {
                return try reader.read()
            } catch is JSONCursor.Rejection {
                let problem = JSONParser.problem(in: raw)
                let reason = problem.map { "\($0.reason) at byte \($0.offset)" } ?? "a number too large at byte \(reader.cursor.offset)"
                throw ChatRequestError(message: "We could not parse the JSON body of your request: \(reason).")
            }
        }
    }

    /// One pass over a body: the cursor and the request read so far.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var cursor: JSONCursor
        var request = ChatRequest()

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            self.cursor = JSONCursor(bytes)
        }

        mutating func read() throws -> ChatRequest {
            guard cursor.current == UInt8(ascii: "{") else {
                // Validate first: a malformed document is reported as such, not as "not an object".
                try cursor.skipValue()
                guard cursor.isAtEnd else { throw JSONCursor.Rejection() }
                throw ChatRequestError(message: "We could not parse the JSON body of your request: the body must be a JSON object.")
            }
            if try cursor.enterObject() {
                repeat {
                    let key = try cursor.readKey()
                    try readMember(key)
                } while try cursor.nextMember()
            }
            guard cursor.isAtEnd else { throw JSONCursor.Rejection() }
            return request
        }

        private mutating func readMember(_ key: JSONCursor.RawString) throws {
            if cursor.bytes(of: key, equal: "model") {
                if cursor.current == UInt8(ascii: "\"") {
                    let model = try cursor.readString()
                    request.modelLiteral = Array(bytes[model.start..<model.end])
                } else {
                    try expectNull(field: "model", type: "a string")
                }
            } else if cursor.bytes(of: key, equal: "stream") {
                request.stream = try bool(field: "stream") ?? false
            } else if cursor.bytes(of: key, equal: "max_tokens") || cursor.bytes(of: key, equal: "max_completion_tokens") {
                let field = cursor.bytes(of: key, equal: "max_tokens") ? "max_tokens" : "max_completion_tokens"
                if let value = try positiveInteger(field: field) {
                    request.maxTokens = min(request.maxTokens ?? value, value)
                }
            } else if cursor.bytes(of: key, equal: "stream_options") {
                try readStreamOptions()
            } else if cursor.bytes(of: key, equal: "messages") {
                try readMessages()
            } else if cursor.bytes(of: key, equal: "ignore_eos") {
                request.ignoreEOS = try bool(field: "ignore_eos") ?? false
            } else if cursor.bytes(of: key, equal: "min_tokens") {
                request.minTokens = try positiveInteger(field: "min_tokens", minimum: 0)
            } else if cursor.bytes(of: key, equal: "system") {
                request.promptBytes += try textBytes()
            } else {
                try cursor.skipValue()
            }
        }

        private mutating func readStreamOptions() throws {
            guard cursor.current == UInt8(ascii: "{") else {
                return try expectNull(field: "stream_options", type: "an object")
            }
            guard try cursor.enterObject() else { return }
            repeat {
                let key = try cursor.readKey()
                if cursor.bytes(of: key, equal: "include_usage") {
                    request.includeUsage = try bool(field: "stream_options.include_usage") ?? false
                } else {
                    try cursor.skipValue()
                }
            } while try cursor.nextMember()
        }

        /// Sums message text: `messages[].content` strings and `messages[].content[].text` parts.
        private mutating func readMessages() throws {
            guard cursor.current == UInt8(ascii: "[") else {
                throw ChatRequestError(message: "Invalid type for 'messages': expected an array.")
            }
            guard try cursor.enterArray() else { return }
            repeat {
                guard cursor.current == UInt8(ascii: "{") else {
                    throw ChatRequestError(message: "Invalid type for 'messages[]': expected an object.")
                }
                if try cursor.enterObject() {
                    repeat {
                        let key = try cursor.readKey()
                        if cursor.bytes(of: key, equal: "content") {
                            request.promptBytes += try textBytes()
                        } else {
                            try cursor.skipValue()
                        }
                    } while try cursor.nextMember()
                }
            } while try cursor.nextElement()
        }

        /// Bytes of text in a `content` (or Anthropic `system`) value: a string, or the `text` of
        /// each part of a list of parts; anything else counts 0.
        private mutating func textBytes() throws -> Int {
            switch cursor.current {
            case UInt8(ascii: "\""):
                let text = try cursor.readString()
                return text.end - text.start
            case UInt8(ascii: "["):
                var count = 0
                guard try cursor.enterArray() else { return 0 }
                repeat {
                    guard cursor.current == UInt8(ascii: "{") else {
                        try cursor.skipValue()
                        continue
                    }
                    if try cursor.enterObject() {
                        repeat {
                            let key = try cursor.readKey()
                            if cursor.bytes(of: key, equal: "text"), cursor.current == UInt8(ascii: "\"") {
                                let text = try cursor.readString()
                                count += text.end - text.start
                            } else {
                                try cursor.skipValue()
                            }
                        } while try cursor.nextMember()
                    }
                } while try cursor.nextElement()
                return count
            default:
                try cursor.skipValue()
                return 0
            }
        }

        private mutating func bool(field: String) throws -> Bool? {
            switch cursor.current {
            case UInt8(ascii: "t"), UInt8(ascii: "f"):
                let value = cursor.current == UInt8(ascii: "t")
                try cursor.skipValue()
                return value
            case UInt8(ascii: "n"):
                try cursor.skipValue()
                return nil
            default:
                throw ChatRequestError(message: "Invalid type for '\(field)': expected a boolean.")
            }
        }

        private mutating func expectNull(field: String, type: String) throws {
            guard cursor.current == UInt8(ascii: "n") else {
                throw ChatRequestError(message: "Invalid type for '\(field)': expected \(type).")
            }
            try cursor.skipValue()
        }

        /// Reads an integer of at least `minimum` (default 1) or null; anything else is a request
        /// error. An integer beyond Int64 reads as `Int.max` (the completion's own length then wins).
        private mutating func positiveInteger(field: String, minimum: Int = 1) throws -> Int? {
            let start = cursor.offset
            switch cursor.current {
            case UInt8(ascii: "n"):
                try cursor.skipValue()
                return nil
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let number = try cursor.readNumber()
                let belowMinimum = ChatRequestError(
                    message: "Invalid '\(field)': integer below minimum value. Expected a value >= \(minimum).")
                switch number {
                case .int(let value):
                    guard value >= minimum else { throw belowMinimum }
                    return Int(clamping: value)
                case .other:
                    let digits = bytes[start..<cursor.offset]
                    guard !digits.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }) else {
                        throw ChatRequestError(message: "Invalid type for '\(field)': expected an integer.")
                    }
                    guard bytes[start] != UInt8(ascii: "-") else { throw belowMinimum }
                    return Int.max
                }
            default:
                throw ChatRequestError(message: "Invalid type for '\(field)': expected an integer.")
            }
        }
    }
}

/// A request the mock rejects with 400 and an `invalid_request_error`.
struct ChatRequestError: Error, Equatable {
    /// The OpenAI-style message for the error object.
    var message: String
}
