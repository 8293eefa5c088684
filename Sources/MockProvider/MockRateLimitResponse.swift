import NIOCore

/// The 429 answer of the mock's rate limiter, in the body format of the header family's provider.
enum MockRateLimitResponse {
    /// Writes a complete 429 with the decision's headers (`retry-after` included).
    /// OpenAI family: `{"error":{"message":..,"type":"requests"|"tokens","param":null,"code":"rate_limit_exceeded"}}`;
    /// Anthropic family: `{"type":"error","error":{"type":"rate_limit_error","message":..}}`.
    static func write429(
        _ decision: MockRateLimiter.Decision, family: MockRateLimit.HeaderFamily, keepAlive: Bool,
        allocator: ByteBufferAllocator, into buffer: inout ByteBuffer
    ) {
        let limitedBy = decision.limitedBy ?? "requests"
        let wait = MockRateLimiter.goDuration(nanos: decision.retryAfterNanos)
        let message = "Rate limit reached for \(limitedBy) (mock provider). Please try again in \(wait)."
        var body = allocator.buffer(capacity: message.utf8.count + 120)
        switch family {
        case .openai:
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
