import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// An OpenAI-compatible streaming chat-completions server for tests, benchmarks and the quick start.
///
/// HTTP/1.1 with keep-alive on a `MultiThreadedEventLoopGroup` (`config.threads`, or one thread per
/// core). Routes: `POST /v1/chat/completions` (streamed or not, see `ChatCompletionHandler`),
/// `GET /health`. Timing: token k of a completion is due at arrival + TTFT + k * inter-token delay,
/// with TTFT drawn per request from `config.ttft`.
///
/// Per-request overrides (request headers):
/// - `x-mock-ttft-ms`: time to first token in milliseconds (fractions allowed).
/// - `x-mock-itl-ms`: inter-token delay in milliseconds.
/// - `x-mock-tokens`: output tokens (the request's max_tokens still caps it).
/// - `x-mock-status`: answer with this status (200 forces success, bypassing error injection).
///
/// Body fields it honours besides the standard ones (as vLLM does): `ignore_eos: true` makes the
/// completion exactly `max_tokens` long; `min_tokens` raises the configured length to at least that.
///
/// `start` and `shutdown` may be called from any thread except one of the server's event loops.
public final class MockServer: @unchecked Sendable {
    public let config: MockConfig

    private enum State {
        case idle
        case running(group: MultiThreadedEventLoopGroup, channel: Channel, port: Int)
        case stopped
    }

    private let lock = NSLock()
    private var state = State.idle
    private let connections = MockConnectionCounter()
    private var admission: MockAdmission?

    public init(config: MockConfig) {
        self.config = config
    }

    /// The bound port while running, else nil.
    public var port: Int? {
        lock.lock()
        defer { lock.unlock() }
        if case .running(_, _, let port) = state { return port }
        return nil
    }

    /// Binds and starts serving. Port 0 picks a free port. Returns the bound port.
    ///
    /// - Parameters:
    ///   - host: the address to bind (loopback by default).
    ///   - port: the port, or 0 for any free port.
    /// - Returns: the bound port.
    /// - Throws: `MockServerError` when already started or shut down; NIO's error when binding fails
    ///   (the event loop threads are stopped again in that case).
    public func start(host: String = "127.0.0.1", port: Int = 0) throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        switch state {
        case .running: throw MockServerError.alreadyStarted
        case .stopped: throw MockServerError.alreadyShutDown
        case .idle: break
        }

        let threadCount = config.threads > 0 ? config.threads : System.coreCount
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threadCount)
        let admission = MockAdmission(config: config)
        self.admission = admission
        var contexts: [ObjectIdentifier: MockLoopContext] = [:]
        for (index, loop) in group.makeIterator().enumerated() {
            contexts[ObjectIdentifier(loop)] = MockLoopContext(
                config: config, loopIndex: index, loopCount: threadCount, admission: admission)
        }
        let connections = self.connections
        let loopContexts = contexts
        let config = self.config

        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 4096)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                connections.opened()
                channel.closeFuture.whenComplete { _ in connections.closed() }
                // Every loop has its context; the fallback only guards against a foreign loop.
                let loop =
                    loopContexts[ObjectIdentifier(channel.eventLoop)]
                    ?? MockLoopContext(config: config, loopIndex: 0, loopCount: 1)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
                    try channel.pipeline.syncOperations.addHandler(ChatCompletionHandler(loop: loop))
                }
            }

        let channel: Channel
        do {
            channel = try bootstrap.bind(host: host, port: port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
        guard let boundPort = channel.localAddress?.port else {
            try? channel.close().wait()
            try? group.syncShutdownGracefully()
            throw MockServerError.noLocalAddress
        }
        state = .running(group: group, channel: channel, port: boundPort)
        return boundPort
    }

    /// Connections accepted so far, and the most open at once.
    public var connectionCounts: (accepted: Int, peakOpen: Int) {
        connections.counts
    }

    /// The most completions generated at once and the most requests waiting for a slot at once
    /// (zeros without `config.capacity`).
    public var capacityPeaks: (generating: Int, waiting: Int) {
        guard let gate = admission?.capacity else { return (0, 0) }
        let peaks = gate.peaks
        return (peaks.busy, peaks.waiting)
    }

    /// Stops accepting, closes connections and joins the event loop threads. Safe to call twice
    /// (and before `start`, which then refuses to start).
    public func shutdown() {
        lock.lock()
        let previous = state
        state = .stopped
        lock.unlock()
        guard case .running(let group, let channel, _) = previous else { return }
        try? channel.close().wait()
        // Closes every remaining connection, cancelling their scheduled writes, and joins the threads.
        try? group.syncShutdownGracefully()
    }
}

/// Why `MockServer.start` refused to run.
public enum MockServerError: Error, Equatable, CustomStringConvertible {
    /// `start` was called twice; call `shutdown` and make a new server instead.
    case alreadyStarted
    /// `start` was called after `shutdown`; make a new `MockServer`.
    case alreadyShutDown
    /// The bound socket reported no local address.
    case noLocalAddress

    public var description: String {
        switch self {
        case .alreadyStarted: return "the mock server is already running; shut it down before starting again"
        case .alreadyShutDown: return "the mock server was shut down; create a new MockServer to serve again"
        case .noLocalAddress: return "the mock server's socket has no local address after binding"
        }
    }
}
