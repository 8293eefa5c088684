/// The HTTP version a run speaks (`target.http`).
public enum HTTPVersion: String, Sendable, Equatable, CaseIterable {
    /// HTTP/1.1: one request at a time per connection.
    case http1_1 = "1.1"
    /// HTTP/2: streams multiplexed over few connections; over https negotiated by ALPN (falling back
    /// to HTTP/1.1 when the server does not offer h2), over plain http with prior knowledge.
    case http2 = "2"
}
