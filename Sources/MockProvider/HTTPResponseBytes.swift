import LoadCore
import NIOCore
import NIOHTTP1

/// HTTP/1.1 response heads and OpenAI-style error bodies, written as raw bytes.
enum HTTPResponseBytes {
    /// Writes the head of a streamed (chunked `text/event-stream`) 200 response.
    static func writeStreamHead(keepAlive: Bool, extraHeaders: [(String, String)] = [], into buffer: inout ByteBuffer) {
        buffer.writeStaticString(
            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\ntransfer-encoding: chunked\r\n"
        )
        for (name, value) in extraHeaders {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        if !keepAlive {
            buffer.writeStaticString("connection: close\r\n")
        }
        buffer.writeStaticString("\r\n")
    }

    /// Writes a complete response with a `content-length` body.
    ///
    /// - Parameters:
    ///   - status: the status code; the reason phrase comes from NIO's table.
    ///   - contentType: the `content-type` value.
    ///   - extraHeaders: further `name: value` pairs.
    ///   - body: the body bytes (readable bytes are copied, the buffer is not consumed).
    ///   - keepAlive: false adds `connection: close`.
    static func writeResponse(
        status: Int,
        contentType: StaticString,
        extraHeaders: [(String, String)] = [],
        body: ByteBuffer,
        keepAlive: Bool,
        into buffer: inout ByteBuffer
    ) {
        buffer.reserveCapacity(minimumWritableBytes: body.readableBytes + 160)
        buffer.writeStaticString("HTTP/1.1 ")
        buffer.writeString(String(status))
        buffer.writeStaticString(" ")
        buffer.writeString(HTTPResponseStatus(statusCode: status).reasonPhrase)
        buffer.writeStaticString("\r\ncontent-type: ")
        buffer.writeStaticString(contentType)
        buffer.writeStaticString("\r\ncontent-length: ")
        buffer.writeString(String(body.readableBytes))
        buffer.writeStaticString("\r\n")
        for (name, value) in extraHeaders {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        if !keepAlive {
            buffer.writeStaticString("connection: close\r\n")
        }
        buffer.writeStaticString("\r\n")
        buffer.writeImmutableBuffer(body)
    }

    /// Writes a complete JSON error response `{"error":{"message":...,"type":...,"param":null,"code":...}}`.
    ///
    /// The type follows OpenAI: 429 `requests` with code `rate_limit_exceeded` (plus `retry-after: 1` and
    /// `x-ratelimit-remaining-requests: 0` headers), 5xx `server_error`, other statuses `invalid_request_error`.
    ///
    /// For the Anthropic dialect the body is `{"type":"error","error":{"type":...,"message":...}}`
    /// instead (see `AnthropicErrorJSON`).
    static func writeError(
        status: Int,
        message: String,
        extraHeaders: [(String, String)] = [],
        keepAlive: Bool,
        dialect: APIDialect = .openAI,
        allocator: ByteBufferAllocator,
        into buffer: inout ByteBuffer
    ) {
        if dialect == .anthropic {
            var body = allocator.buffer(capacity: message.utf8.count + 80)
            AnthropicErrorJSON.write(status: status, message: message, into: &body)
            var headers = extraHeaders
            if status == 429 || status == 529 { headers.append(("retry-after", "1")) }
            if status == 429 { headers.append(("anthropic-ratelimit-requests-remaining", "0")) }
            writeResponse(status: status, contentType: "application/json", extraHeaders: headers, body: body,
                          keepAlive: keepAlive, into: &buffer)
            return
        }
        var headers = extraHeaders
        let type: String
        var code: String?
        switch status {
        case 429:
            type = "requests"
            code = "rate_limit_exceeded"
            headers.append(("retry-after", "1"))
            headers.append(("x-ratelimit-remaining-requests", "0"))
        case 500...599:
            type = "server_error"
        default:
            type = "invalid_request_error"
        }
        var body = allocator.buffer(capacity: message.utf8.count + 96)
        body.writeStaticString(#"{"error":{"message":""#)
        writeJSONEscaped(message, into: &body)
        body.writeStaticString(#"","type":""#)
        body.writeString(type)
        body.writeStaticString(#"","param":null,"code":"#)
        if let code {
            body.writeStaticString("\"")
            body.writeString(code)
            body.writeStaticString("\"")
        } else {
            body.writeStaticString("null")
        }
        body.writeStaticString("}}")
        writeResponse(
            status: status,
            contentType: "application/json",
            extraHeaders: headers,
            body: body,
            keepAlive: keepAlive,
            into: &buffer
        )
    }

    /// Writes `text` as the inside of a JSON string literal.
    static func writeJSONEscaped(_ text: String, into buffer: inout ByteBuffer) {
        let hex = Array("0123456789abcdef".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case 0..<0x20:
                buffer.writeStaticString("\\u00")
                buffer.writeInteger(hex[Int(byte >> 4)])
                buffer.writeInteger(hex[Int(byte & 0xF)])
            default:
                buffer.writeInteger(byte)
            }
        }
    }
}
