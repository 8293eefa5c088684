import NIOCore

/// Anthropic's error body: `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`.
enum AnthropicErrorJSON {
    /// The error type Anthropic uses for a status.
    static func type(forStatus status: Int) -> String {
        switch status {
        case 400: return "invalid_request_error"
        case 401: return "authentication_error"
        case 403: return "permission_error"
        case 404: return "not_found_error"
        case 413: return "request_too_large"
        case 429: return "rate_limit_error"
        case 529: return "overloaded_error"
        case 500...599: return "api_error"
        default: return "invalid_request_error"
        }
    }

    static func write(status: Int, message: String, into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"type":"error","error":{"type":""#)
        buffer.writeString(type(forStatus: status))
        buffer.writeStaticString(#"","message":""#)
        HTTPResponseBytes.writeJSONEscaped(message, into: &buffer)
        buffer.writeStaticString(#""}}"#)
    }
}
