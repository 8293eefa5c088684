import LoadCore

/// What every attempt of a run sends. Request N sends `bodies[bodySelector.index(forRequest: N)]`,
/// or `bodies[N % bodies.count]` without a selector.
public struct RequestTemplate: Sendable {
    /// The full URL, e.g. `http://127.0.0.1:8080/v1/chat/completions`.
    public var url: String
    /// Header lines `Name: value`. They may carry credentials: the engine never prints them.
    public var headers: [String]
    /// Request bodies (JSON), chosen by ``bodySelector`` or else round-robin.
    public var bodies: [[UInt8]]
    /// Chooses each request's body (weighted prompts); its `count` must equal `bodies.count`.
    public var bodySelector: PromptSelector?
    /// Strings to blank out of any error text the engine records (API keys).
    public var secrets: [String]
    /// Limit for the TCP (and TLS) connect.
    public var connectTimeoutNanos: UInt64 = 10_000_000_000
    /// Limit for a whole attempt, from its start to its last byte.
    public var totalTimeoutNanos: UInt64 = 120_000_000_000
    /// Limit from an attempt's start to its first content token (nil: none).
    public var ttftTimeoutNanos: UInt64?
    /// Limit on the silence between response bytes once the response has begun (nil: none).
    public var idleTimeoutNanos: UInt64?
    /// Turns TLS certificate and host verification off. Only when the user asked for it.
    public var insecure = false
    /// A PEM file of CA certificates that replaces the system's store for verification.
    public var caFile: String?
    /// HTTP/1.1, or HTTP/2 (ALPN over https, prior knowledge over http).
    public var httpVersion: HTTPVersion = .http1_1
    /// Token arrival offsets kept per attempt; tokens beyond are counted but not timed individually.
    public var maxTokenOffsets = 16_384

    public init(url: String, headers: [String], bodies: [[UInt8]], secrets: [String] = []) {
        self.url = url
        self.headers = headers
        self.bodies = bodies
        self.secrets = secrets
    }

    /// The index into ``bodies`` of request `requestID`'s body. Allocation-free.
    @inline(__always)
    func bodyIndex(forRequest requestID: UInt64) -> Int {
        if let bodySelector { return bodySelector.index(forRequest: requestID) }
        return Int(requestID % UInt64(bodies.count))
    }

    /// True when the URL names a loopback host; such targets bypass proxies from the environment.
    var targetsLoopback: Bool {
        let lowered = url.lowercased()
        for prefix in ["http://127.", "https://127.", "http://localhost", "https://localhost", "http://[::1]", "https://[::1]"]
        where lowered.hasPrefix(prefix) {
            return true
        }
        return false
    }
}
