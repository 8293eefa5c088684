/// Why an attempt failed. A failed attempt is data: it is recorded with one of these classes.
public enum ErrorClass: String, Codable, Sendable, CaseIterable {
    /// The TCP connection could not be made (refused, reset while connecting, DNS failure).
    case connect
    /// The TLS handshake or certificate verification failed.
    case tls
    /// A timeout fired (connect, first token, idle or total).
    case timeout
    /// The server answered 429 Too Many Requests.
    case http429 = "http_429"
    /// Any other 4xx status.
    case http4xx = "http_4xx"
    /// Any 5xx status other than 529.
    case http5xx = "http_5xx"
    /// The provider reported itself overloaded (HTTP 529 or an overloaded_error event).
    case overloaded
    /// The provider sent an error object inside an otherwise healthy stream.
    case streamError = "stream_error"
    /// The response broke the protocol: malformed SSE or JSON, a truncated stream, a reset mid-body.
    case `protocol`
    /// The run was stopped before the attempt finished.
    case cancelled
}
