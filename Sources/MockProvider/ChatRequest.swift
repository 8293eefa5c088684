import NIOCore

/// The fields of a chat request body that the mock provider uses: OpenAI Chat Completions, or
/// Anthropic Messages (whose `system` prompt counts towards the prompt tokens too).
struct ChatRequest: Equatable {
    /// `stream` (default false).
    var stream = false
    /// The smaller of `max_tokens` and `max_completion_tokens` when either is given.
    var maxTokens: Int?
    /// `model` as it appeared between the quotes (still JSON-escaped, so it can be echoed verbatim).
    var modelLiteral: [UInt8]?
    /// `stream_options.include_usage` (default false).
    var includeUsage = false
    /// Bytes of message text: string `content`s plus `text` of content parts (and `system`).
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
            var scanner = JSONScanner(raw)
            do {
                return try parse(&scanner)
            } catch let error as JSONScanError {
                throw ChatRequestError(
                    message: "We could not parse the JSON body of your request: \(error.message) at byte \(error.offset)."
                )
            }
        }
    }

    private static func parse(_ scanner: inout JSONScanner) throws -> ChatRequest {
        var request = ChatRequest()
        guard scanner.peekValueStart() == UInt8(ascii: "{") else {
            throw scanner.error("the body must be a JSON object")
        }
        try scanner.beginObject()
        var first = true
        while let key = try scanner.nextMember(first: &first) {
            if scanner.bytes(in: key, equal: Keys.model) {
                if scanner.peekValueStart() == UInt8(ascii: "\"") {
                    request.modelLiteral = Array(scanner.slice(try scanner.scanString()))
                } else {
                    try expectNull(&scanner, field: "model", type: "a string")
                }
            } else if scanner.bytes(in: key, equal: Keys.stream) {
                request.stream = try bool(&scanner, field: "stream") ?? false
            } else if scanner.bytes(in: key, equal: Keys.maxTokens)
                || scanner.bytes(in: key, equal: Keys.maxCompletionTokens)
            {
                let field = scanner.bytes(in: key, equal: Keys.maxTokens) ? "max_tokens" : "max_completion_tokens"
                if let value = try positiveInteger(&scanner, field: field) {
                    request.maxTokens = min(request.maxTokens ?? value, value)
                }
            } else if scanner.bytes(in: key, equal: Keys.streamOptions) {
                try parseStreamOptions(&scanner, into: &request)
            } else if scanner.bytes(in: key, equal: Keys.messages) {
                try parseMessages(&scanner, into: &request)
            } else if scanner.bytes(in: key, equal: Keys.ignoreEOS) {
                request.ignoreEOS = try bool(&scanner, field: "ignore_eos") ?? false
            } else if scanner.bytes(in: key, equal: Keys.minTokens) {
                request.minTokens = try positiveInteger(&scanner, field: "min_tokens", minimum: 0)
            } else if scanner.bytes(in: key, equal: Keys.system) {
                request.promptBytes += try textBytes(&scanner)
            } else {
                try scanner.skipValue()
            }
        }
        try scanner.expectEnd()
        return request
    }

    private static func parseStreamOptions(_ scanner: inout JSONScanner, into request: inout ChatRequest) throws {
        guard scanner.peekValueStart() == UInt8(ascii: "{") else {
            return try expectNull(&scanner, field: "stream_options", type: "an object")
        }
        try scanner.beginObject()
        var first = true
        while let key = try scanner.nextMember(first: &first) {
            if scanner.bytes(in: key, equal: Keys.includeUsage) {
                request.includeUsage = try bool(&scanner, field: "stream_options.include_usage") ?? false
            } else {
                try scanner.skipValue()
            }
        }
    }

    /// Sums message text: `messages[].content` strings and `messages[].content[].text` parts.
    private static func parseMessages(_ scanner: inout JSONScanner, into request: inout ChatRequest) throws {
        guard scanner.peekValueStart() == UInt8(ascii: "[") else {
            throw ChatRequestError(message: "Invalid type for 'messages': expected an array.")
        }
        try scanner.beginArray()
        var firstMessage = true
        while try scanner.nextElement(first: &firstMessage) {
            guard scanner.peekValueStart() == UInt8(ascii: "{") else {
                throw ChatRequestError(message: "Invalid type for 'messages[]': expected an object.")
            }
            try scanner.beginObject()
            var firstMember = true
            while let key = try scanner.nextMember(first: &firstMember) {
                guard scanner.bytes(in: key, equal: Keys.content) else {
                    try scanner.skipValue()
                    continue
                }
                request.promptBytes += try textBytes(&scanner)
            }
        }
    }

    /// Bytes of text in a `content` (or Anthropic `system`) value: a string, or the `text` of each
    /// part of a list of parts; anything else counts 0.
    private static func textBytes(_ scanner: inout JSONScanner) throws -> Int {
        switch scanner.peekValueStart() {
        case UInt8(ascii: "\""):
            return try scanner.scanString().count
        case UInt8(ascii: "["):
            var bytes = 0
            try scanner.beginArray()
            var firstPart = true
            while try scanner.nextElement(first: &firstPart) {
                guard scanner.peekValueStart() == UInt8(ascii: "{") else {
                    try scanner.skipValue()
                    continue
                }
                try scanner.beginObject()
                var firstPartMember = true
                while let partKey = try scanner.nextMember(first: &firstPartMember) {
                    if scanner.bytes(in: partKey, equal: Keys.text), scanner.peekValueStart() == UInt8(ascii: "\"") {
                        bytes += try scanner.scanString().count
                    } else {
                        try scanner.skipValue()
                    }
                }
            }
            return bytes
        default:
            try scanner.skipValue()
            return 0
        }
    }

    private static func bool(_ scanner: inout JSONScanner, field: String) throws -> Bool? {
        do {
            return try scanner.scanBoolOrNull()
        } catch is JSONScanError {
            throw ChatRequestError(message: "Invalid type for '\(field)': expected a boolean.")
        }
    }

    private static func expectNull(_ scanner: inout JSONScanner, field: String, type: String) throws {
        guard scanner.peekValueStart() == UInt8(ascii: "n") else {
            throw ChatRequestError(message: "Invalid type for '\(field)': expected \(type).")
        }
        try scanner.skipValue()
    }

    /// Reads a positive integer or null; anything else is a request error.
    private static func positiveInteger(_ scanner: inout JSONScanner, field: String, minimum: Int = 1) throws -> Int? {
        switch scanner.peekValueStart() {
        case UInt8(ascii: "n"):
            try scanner.skipValue()
            return nil
        case UInt8(ascii: "-"), .some(UInt8(ascii: "0")...UInt8(ascii: "9")):
            let (range, isInteger) = try scanner.scanNumber()
            guard isInteger else {
                throw ChatRequestError(message: "Invalid type for '\(field)': expected an integer.")
            }
            let digits = scanner.slice(range)
            guard digits.first != UInt8(ascii: "-") else {
                throw ChatRequestError(message: "Invalid '\(field)': integer below minimum value. Expected a value >= 1.")
            }
            var value = 0
            for digit in digits {
                let (scaled, overflowA) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflowB) = scaled.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
                if overflowA || overflowB { return Int.max }
                value = sum
            }
            guard value >= minimum else {
                throw ChatRequestError(message: "Invalid '\(field)': integer below minimum value. Expected a value >= \(minimum).")
            }
            return value
        default:
            throw ChatRequestError(message: "Invalid type for '\(field)': expected an integer.")
        }
    }

    private enum Keys {
        static let model = Array("model".utf8)
        static let stream = Array("stream".utf8)
        static let maxTokens = Array("max_tokens".utf8)
        static let maxCompletionTokens = Array("max_completion_tokens".utf8)
        static let streamOptions = Array("stream_options".utf8)
        static let includeUsage = Array("include_usage".utf8)
        static let messages = Array("messages".utf8)
        static let content = Array("content".utf8)
        static let text = Array("text".utf8)
        static let system = Array("system".utf8)
        static let ignoreEOS = Array("ignore_eos".utf8)
        static let minTokens = Array("min_tokens".utf8)
    }
}

/// A request the mock rejects with 400 and an `invalid_request_error`.
struct ChatRequestError: Error, Equatable {
    /// The OpenAI-style message for the error object.
    var message: String
}
