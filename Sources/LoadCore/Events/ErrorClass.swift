/// Why an attempt failed. A failed attempt is data: it is recorded with one of these classes.
public enum ErrorClass: String, Codable, Sendable, CaseIterable {
    /// The TCP connection could not be made (refused, reset while connecting, DNS failure).
    case connect
    /// The client ran out of file descriptors (EMFILE, ENFILE): its limit, not the server's fault.
    case clientFds = "client_fds"
    /// The client ran out of local ports or addresses to connect from (EADDRNOTAVAIL, EADDRINUSE).
    case clientPorts = "client_ports"
    /// The TLS handshake or certificate verification failed.
    case tls
    /// The connection (TCP and TLS) was not made within the connect timeout.
    case timeoutConnect = "timeout_connect"
    /// No content token arrived within the time-to-first-token timeout.
    case timeoutTTFT = "timeout_ttft"
    /// No byte arrived for longer than the idle timeout.
    case timeoutIdle = "timeout_idle"
    /// The attempt took longer than the total timeout.
    case timeoutTotal = "timeout_total"
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

    /// Decodes a class name from an event log, accepting the names of earlier builds
    /// (`timeout` before the timeouts were told apart reads as `timeout_total`).
    public init?(logName: String) {
        if logName == "timeout" {
            self = .timeoutTotal
        } else {
            self.init(rawValue: logName)
        }
    }

    /// True for the four timeout classes.
    public var isTimeout: Bool {
        switch self {
        case .timeoutConnect, .timeoutTTFT, .timeoutIdle, .timeoutTotal: return true
        default: return false
        }
    }
}
