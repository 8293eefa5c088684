import NIOCore

/// Prebuilt byte fragments of OpenAI `chat.completion.chunk` server-sent events.
///
/// Every event of one response shares a per-request prefix
/// `data: {"id":"chatcmpl-mock-N","object":"chat.completion.chunk","created":T,"model":"M","choices":[`
/// and ends with a static suffix (role delta, token delta, finish) or the usage suffix, so the hot path
/// only copies bytes.
enum SSEChunks {
    /// The words emitted as tokens, cycled: token k is `words[k % words.count]`.
    static let words: [String] = ["the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog "]

    /// `words` as bytes.
    static let wordBytes: [[UInt8]] = words.map { Array($0.utf8) }

    /// Suffix of token k's event: `{"index":0,"delta":{"content":"word "},"finish_reason":null}]}` + blank line.
    static let tokenSuffixes: [[UInt8]] = words.map {
        Array(#"{"index":0,"delta":{"content":"\#($0)"},"finish_reason":null}]}"#.utf8) + blankLine
    }

    /// Suffix of the first, role-only event (not a token).
    static let roleSuffix = Array(
        #"{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#.utf8
    ) + blankLine

    /// Suffix of the final event when the completion ran to its natural end.
    static let stopSuffix = Array(#"{"index":0,"delta":{},"finish_reason":"stop"}]}"#.utf8) + blankLine

    /// Suffix of the final event when max_tokens cut the completion.
    static let lengthSuffix = Array(#"{"index":0,"delta":{},"finish_reason":"length"}]}"#.utf8) + blankLine

    /// The terminating event.
    static let done = Array("data: [DONE]\n\n".utf8)

    private static let blankLine = Array("\n\n".utf8)

    /// Suffix of token k's event.
    static func tokenSuffix(_ k: Int) -> [UInt8] {
        tokenSuffixes[k % tokenSuffixes.count]
    }

    /// The per-request event prefix (see the type's documentation).
    static func eventPrefix(requestNumber: UInt64, createdSeconds: Int, modelLiteral: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(96 + modelLiteral.count)
        bytes += #"data: {"id":"chatcmpl-mock-"#.utf8
        bytes += String(requestNumber).utf8
        bytes += #"","object":"chat.completion.chunk","created":"#.utf8
        bytes += String(createdSeconds).utf8
        bytes += #","model":""#.utf8
        bytes += modelLiteral
        bytes += #"","choices":["#.utf8
        return bytes
    }

    /// Suffix of the usage event: closes the empty `choices` and adds `usage`.
    static func usageSuffix(promptTokens: Int, completionTokens: Int) -> [UInt8] {
        var bytes = Array(#"],"usage":"#.utf8)
        bytes += UsageJSON.bytes(promptTokens: promptTokens, completionTokens: completionTokens)
        bytes += "}".utf8
        bytes += blankLine
        return bytes
    }
}

/// The `usage` object shared by streamed and non-streamed completions.
enum UsageJSON {
    /// `{"prompt_tokens":P,"completion_tokens":C,"total_tokens":P+C}`
    static func bytes(promptTokens: Int, completionTokens: Int) -> [UInt8] {
        Array(
            (#"{"prompt_tokens":\#(promptTokens),"completion_tokens":\#(completionTokens),"#
                + #""total_tokens":\#(promptTokens + completionTokens)}"#).utf8
        )
    }
}

/// HTTP/1.1 chunked transfer coding (RFC 9112 section 7.1).
enum ChunkEncoder {
    /// The last-chunk marker with an empty trailer section.
    static let lastChunk: StaticString = "0\r\n\r\n"

    /// Writes `length` in hex followed by CRLF; the caller then writes exactly `length` bytes and CRLF.
    static func writeChunkHeader(length: Int, into buffer: inout ByteBuffer) {
        buffer.writeString(String(length, radix: 16))
        buffer.writeStaticString("\r\n")
    }

    /// Writes the CRLF that ends a chunk's data.
    static func writeChunkEnd(into buffer: inout ByteBuffer) {
        buffer.writeStaticString("\r\n")
    }

    /// Starts a chunk whose length is not known yet: writes an 8-digit size placeholder and CRLF
    /// (leading zeros are valid chunk-size digits) and returns where it is, for `endChunk`.
    static func beginChunk(into buffer: inout ByteBuffer) -> Int {
        let start = buffer.writerIndex
        buffer.writeStaticString("00000000\r\n")
        return start
    }

    /// The bytes `beginChunk` writes before the chunk's data.
    static let placeholderLength = 10

    /// Ends a chunk begun at `start`: fills in its size and writes CRLF, or removes the chunk when
    /// nothing was written into it (an empty chunk would be the last-chunk marker).
    static func endChunk(startedAt start: Int, into buffer: inout ByteBuffer) {
        let length = buffer.writerIndex - start - placeholderLength
        guard length > 0 else {
            buffer.moveWriterIndex(to: start)
            return
        }
        let hex = Array("0123456789abcdef".utf8)
        for digit in 0..<8 {
            let nibble = (length >> ((7 - digit) * 4)) & 0xF
            buffer.setInteger(hex[nibble], at: start + digit)
        }
        buffer.writeStaticString("\r\n")
    }
}
