import LoadCore
import NIOCore

/// The 429 answer of the mock's rate limiter, its body in the format of the request's dialect.
enum MockRateLimitResponse {
    /// Writes a complete 429 with the decision's headers (`retry-after` included; for the OpenAI
    /// header family also `retry-after-ms`).
    /// OpenAI and Groq routes: `{"error":{"message":..,"type":"requests"|"tokens","param":null,"code":"rate_limit_exceeded"}}`;
    /// Anthropic route: `{"type":"error","error":{"type":"rate_limit_error","message":..}}`.
    /// - Parameter dialect: the route's dialect, which sets the body format (the headers are the decision's).
    static func write429(
        _ decision: MockRateLimiter.Decision, dialect: APIDialect, keepAlive: Bool,
        allocator: ByteBufferAllocator, into buffer: inout ByteBuffer
    ) {
        let limitedBy = decision.limitedBy ?? "requests"
        let wait = MockRateLimiter.goDuration(nanos: decision.retryAfterNanos)
        let message = "Rate limit reached for \(limitedBy) (mock provider). Please try again in \(wait)."
        var body = allocator.buffer(capacity: message.utf8.count + 120)
        switch dialect {
        case .openAI, .groq:
            body.writeStaticString(#"{"error":{"message":""#)
            HTTPResponseBytes.writeJSONEscaped(message, into: &body)
            body.writeStaticString(#"","type":""#)
            body.writeString(limitedBy == "requests" ? "requests" : "tokens")
            body.writeStaticString(#"","param":null,"code":"rate_limit_exceeded"}}"#)
        case .anthropic:
            body.writeStaticString(#"{"type":"error","error":{"type":"rate_limit_error","message":""#)
            HTTPResponseBytes.writeJSONEscaped(message, into: &body)
            body.writeStaticString(#""}}"#)
        }
        HTTPResponseBytes.writeResponse(
            status: 429, contentType: "application/json", extraHeaders: decision.headers, body: body, keepAlive: keepAlive,
            into: &buffer)
    }
}
