import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 that misbehaves on purpose, for tests.
///
/// POSIX sockets, one accept thread and one thread per connection. Each connection carries one
/// request: the server reads the request head and its `Content-Length` body, then plays the
/// behaviour the script picks for that request (by arrival order, from 0). Every response that has
/// headers says `Connection: close`, so libcurl never reuses a connection (and never retries a
/// request on a reused connection that died): one request, one connection, one behaviour.
///
/// `stop()` closes the listening socket, makes every connection thread give up within ~20 ms, and
/// waits for all threads. The threads hold the server, so call `stop()` (tests register it as a
/// teardown block); `deinit` only repeats it. Sends use `MSG_NOSIGNAL`, so a client that went
/// away is a failed send, never a SIGPIPE.
public final class ScriptedServer {
    /// What the server does with one request.
    public enum Behaviour: Equatable {
        /// A correct stream: role chunk, `tokens` content chunks, finish chunk, usage, `[DONE]`.
        case good(tokens: Int)
        /// 200 event-stream, `events` good content chunks, then the socket is closed: chunked
        /// framing without the terminating `0` chunk, or close-delimited (no length, no chunking),
        /// and never `data: [DONE]`.
        case streamThenClose(events: Int, chunked: Bool = true)
        /// Two content chunks; once the client's kernel has acknowledged them (they are the client's
        /// to read: data queued before a reset is still delivered), `SO_LINGER {1, 0}` + close: a TCP reset.
        case resetMidStream
        /// A data line whose JSON is cut short (`{"choices":[{"delta":{"content":"hi"`), then `[DONE]`.
        case malformedJSON
        /// One good chunk, then `{"error":{...}}` with type `server_error` (or `overloaded_error`),
        /// then `[DONE]`.
        case errorEventMidStream(overloaded: Bool)
        /// Headers and the role chunk, then silence until the client closes the connection.
        case stallAfterHeaders
        /// `hello\r\n\r\n` instead of a status line, then close.
        case garbageInsteadOfHTTP
        /// Reads the request, then closes without sending a byte.
        case closeImmediately
        /// 200 event-stream, then `data: xxxx...` without any line ending, until the client goes
        /// away (at most `endlessLineCap` bytes).
        case endlessLine
        /// A plain response with this status and a JSON body.
        case status(Int, body: String)
        /// These exact bytes, then close (or, with `holdOpen`, silence until the client hangs up).
        case raw(String, holdOpen: Bool = false)
        /// Reads the request, then resets the connection (`SO_LINGER {1, 0}`) without a byte.
        case resetBeforeResponse
        /// `head` at once, then `trickle` one byte every `everyMillis`, then silence until the client
        /// hangs up (a server that keeps a connection alive with crumbs).
        case trickle(head: String, trickle: String, everyMillis: Int)
    }

    /// What one connection saw and did.
    public struct Served {
        public var index: Int
        public var behaviour: Behaviour
        /// The request line, e.g. `POST /v1/chat/completions HTTP/1.1` (empty when none arrived).
        public var requestLine: String
        public var requestBodyBytes: Int
        /// Response bytes the kernel accepted (headers included).
        public var bytesSent: Int
        /// The client closed or reset the connection while the server still had something to do
        /// (a send failed, or EOF was read while stalling).
        public var clientWentAway: Bool
    }

    /// The most an `.endlessLine` response writes (if the client never gives up).
    public static let endlessLineCap = 16 << 20

    public let port: Int
    public var chatURL: String { "http://127.0.0.1:\(port)/v1/chat/completions" }

    private let script: (Int) -> Behaviour
    private let listenFD: Int32
    private let lock = NSLock()
    private var stopping = false
    private var nextIndex = 0
    private var receivedCount = 0
    private var heldCount = 0
    private var servedLog: [Served] = []
    private let threads = DispatchGroup()

    /// - Parameter script: the behaviour for the request with this arrival index (0, 1, 2, ...).
    public init(script: @escaping (Int) -> Behaviour) throws {
        self.script = script
        let (fd, boundPort) = try boundLoopbackSocket(reuseAddress: true)
        guard listen(fd, 128) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        listenFD = fd
        port = boundPort
        threads.enter()
        let acceptThread = Thread { [self] in
            acceptLoop()
            threads.leave()
        }
        acceptThread.name = "ScriptedServer.accept"
        acceptThread.start()
    }

    /// Plays `behaviour` for every request.
    public convenience init(_ behaviour: Behaviour) throws {
        try self.init(script: { _ in behaviour })
    }

    /// Plays `cycle[i % cycle.count]` for request `i`.
    public convenience init(cycle: [Behaviour]) throws {
        precondition(!cycle.isEmpty)
        try self.init(script: { cycle[$0 % cycle.count] })
    }

    deinit {
        stop()
    }

    /// Every connection handled so far, in arrival order. Call after `stop()` for a final view.
    public var served: [Served] {
        lock.lock()
        defer { lock.unlock() }
        return servedLog.sorted { $0.index < $1.index }
    }

    /// Requests read so far (head and body), counted before their behaviour plays: a readiness
    /// signal for tests that must act once requests are in flight.
    public var requestsReceived: Int {
        lock.lock()
        defer { lock.unlock() }
        return receivedCount
    }

    /// Connections whose response so far was sent and that now wait for the client to hang up
    /// (`stallAfterHeaders`, `raw(holdOpen:)`, the end of `trickle`): a readiness signal for tests
    /// that must act while requests are in flight with their headers received.
    public var connectionsHeld: Int {
        lock.lock()
        defer { lock.unlock() }
        return heldCount
    }

    /// Stops accepting, makes connection threads give up, and waits for every thread (at most 10 s).
    public func stop() {
        lock.lock()
        let already = stopping
        stopping = true
        lock.unlock()
        guard !already else { return }
        _ = threads.wait(timeout: .now() + 10)
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    // MARK: - Accepting

    private func acceptLoop() {
        defer { close(listenFD) }
        while !isStopping {
            guard waitReadable(listenFD, millis: 20) else { continue }
            let fd = accept(listenFD, nil, nil)
            guard fd >= 0 else { continue }
            // A bound on each send, so a client that stops reading cannot wedge a thread.
            var sendTimeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))
            lock.lock()
            let index = nextIndex
            nextIndex += 1
            lock.unlock()
            threads.enter()
            let connectionThread = Thread { [self] in
                handle(fd: fd, index: index)
                threads.leave()
            }
            connectionThread.name = "ScriptedServer.connection.\(index)"
            connectionThread.start()
        }
    }

    /// True when `fd` is readable (or has hung up) within `millis`.
    private func waitReadable(_ fd: Int32, millis: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, millis) > 0
    }

    // MARK: - One connection

    private func handle(fd: Int32, index: Int) {
        let behaviour = script(index)
        var connection = Connection(fd: fd)
        var record = Served(
            index: index, behaviour: behaviour, requestLine: "", requestBodyBytes: 0, bytesSent: 0, clientWentAway: false)
        if let request = readRequest(fd) {
            record.requestLine = request.line
            record.requestBodyBytes = request.bodyBytes
            lock.lock()
            receivedCount += 1
            lock.unlock()
            play(behaviour, on: &connection)
        }
        record.bytesSent = connection.bytesSent
        record.clientWentAway = connection.clientWentAway
        if !connection.closed { close(fd) }
        lock.lock()
        servedLog.append(record)
        lock.unlock()
    }

    /// Reads the request head and its Content-Length body (5 s at most).
    private func readRequest(_ fd: Int32) -> (line: String, bodyBytes: Int)? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        let deadline = Date().addingTimeInterval(5)
        var headEnd: Int?
        var contentLength = 0
        while !isStopping && Date() < deadline {
            if let headEnd, buffer.count - headEnd >= contentLength {
                let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
                let line = head.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
                return (line, buffer.count - headEnd)
            }
            guard waitReadable(fd, millis: 20) else { continue }
            let received = recv(fd, &chunk, chunk.count, 0)
            guard received > 0 else { return nil }
            buffer.append(contentsOf: chunk[..<received])
            if headEnd == nil, let range = findHeadEnd(buffer) {
                headEnd = range
                let head = String(decoding: buffer[..<range], as: UTF8.self)
                for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                    contentLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
        }
        return nil
    }

    /// The index just past `\r\n\r\n`, if the head is complete.
    private func findHeadEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    // MARK: - Behaviours

    private func play(_ behaviour: Behaviour, on connection: inout Connection) {
        switch behaviour {
        case .good(let tokens):
            connection.send(Self.streamHead(chunked: true))
            connection.sendChunk(Self.roleChunk)
            for token in 0..<tokens { connection.sendChunk(Self.contentChunk("tok\(token) ")) }
            connection.sendChunk(Self.finishChunk)
            connection.sendChunk(Self.usageChunk(completionTokens: tokens))
            connection.sendChunk(Self.doneEvent)
            connection.send("0\r\n\r\n")

        case .streamThenClose(let events, let chunked):
            connection.send(Self.streamHead(chunked: chunked))
            let send: (inout Connection, String) -> Void = chunked ? { $0.sendChunk($1) } : { $0.send($1) }
            send(&connection, Self.roleChunk)
            for token in 0..<events { send(&connection, Self.contentChunk("tok\(token) ")) }
            // No finish chunk, no [DONE], no terminating chunk: the socket just closes (FIN).

        case .resetMidStream:
            connection.send(Self.streamHead(chunked: true))
            connection.sendChunk(Self.roleChunk)
            connection.sendChunk(Self.contentChunk("tok0 "))
            connection.sendChunk(Self.contentChunk("tok1 "))
            waitUntilAcknowledged(connection)  // the two tokens are the client's: the reset comes mid-stream
            reset(&connection)

        case .resetBeforeResponse:
            reset(&connection)

        case .trickle(let head, let trickle, let everyMillis):
            connection.send(head)
            for byte in trickle.utf8 {
                guard !connection.clientWentAway, !waitForHangUp(&connection, millis: everyMillis) else { break }
                connection.send(String(decoding: [byte], as: UTF8.self))
            }
            waitForHangUp(&connection)

        case .raw(let text, let holdOpen):
            connection.send(text)
            if holdOpen { waitForHangUp(&connection) }

        case .malformedJSON:
            connection.send(Self.streamHead(chunked: true))
            connection.sendChunk(Self.roleChunk)
            connection.sendChunk(Self.malformedEvent)
            connection.sendChunk(Self.doneEvent)
            connection.send("0\r\n\r\n")

        case .errorEventMidStream(let overloaded):
            connection.send(Self.streamHead(chunked: true))
            connection.sendChunk(Self.roleChunk)
            connection.sendChunk(Self.contentChunk("tok0 "))
            connection.sendChunk(Self.errorEvent(type: overloaded ? "overloaded_error" : "server_error"))
            connection.sendChunk(Self.doneEvent)
            connection.send("0\r\n\r\n")

        case .stallAfterHeaders:
            connection.send(Self.streamHead(chunked: true))
            connection.sendChunk(Self.roleChunk)
            waitForHangUp(&connection)

        case .garbageInsteadOfHTTP:
            connection.send("hello\r\n\r\n")

        case .closeImmediately:
            break

        case .endlessLine:
            connection.send(Self.streamHead(chunked: true))
            connection.sendChunk(Self.roleChunk)
            connection.sendChunk("data: ")
            let filler = String(repeating: "x", count: 64 * 1024)
            while !isStopping && !connection.clientWentAway && connection.bytesSent < Self.endlessLineCap {
                connection.sendChunk(filler)
            }
            if isStopping && !connection.clientWentAway {
                // The run can end, and stop the server, before a send here notices that the client
                // closed the connection: ask the socket (EOF or reset).
                var scratch = [UInt8](repeating: 0, count: 1)
                if waitReadable(connection.fd, millis: 200), recv(connection.fd, &scratch, 1, Int32(MSG_DONTWAIT)) <= 0 {
                    connection.clientWentAway = true
                }
            }

        case .status(let code, let body):
            let bodyBytes = Array(body.utf8)
            connection.send(
                "HTTP/1.1 \(code) \(Self.reason(code))\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(bodyBytes.count)\r\nConnection: close\r\n\r\n" + body)
        }
    }

    /// Silence until the client hangs up (EOF or reset), the server stops, or `millis` pass.
    /// - Returns: true when the client hung up or the server is stopping.
    @discardableResult
    private func waitForHangUp(_ connection: inout Connection, millis: Int = .max) -> Bool {
        var scratch = [UInt8](repeating: 0, count: 1024)
        let deadline = millis == .max ? Date.distantFuture : Date().addingTimeInterval(Double(millis) / 1000)
        if millis == .max {
            lock.lock()
            heldCount += 1
            lock.unlock()
        }
        defer {
            if millis == .max {
                lock.lock()
                heldCount -= 1
                lock.unlock()
            }
        }
        while !isStopping && Date() < deadline {
            guard waitReadable(connection.fd, millis: 20) else { continue }
            if recv(connection.fd, &scratch, scratch.count, 0) <= 0 {
                connection.clientWentAway = true
                return true
            }
        }
        return isStopping
    }

    /// Waits (at most 5 s) until the peer's kernel has acknowledged every byte sent (`SIOCOUTQ` 0).
    private func waitUntilAcknowledged(_ connection: Connection) {
        let deadline = Date().addingTimeInterval(5)
        var unacknowledged: Int32 = 1
        while !isStopping && Date() < deadline {
            guard withUnsafeMutablePointer(to: &unacknowledged, { ioctl(connection.fd, UInt(TIOCOUTQ), $0) }) == 0,
                  unacknowledged > 0 else { return }
            _ = waitReadable(connection.fd, millis: 1)
        }
    }

    /// Closes with `SO_LINGER {1, 0}`: the kernel sends RST instead of FIN.
    private func reset(_ connection: inout Connection) {
        var hardClose = linger(l_onoff: 1, l_linger: 0)
        setsockopt(connection.fd, SOL_SOCKET, SO_LINGER, &hardClose, socklen_t(MemoryLayout<linger>.size))
        close(connection.fd)
        connection.closed = true
    }

    // MARK: - Wire text

    private static func streamHead(chunked: Bool) -> String {
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
            + (chunked ? "Transfer-Encoding: chunked\r\n" : "") + "Connection: close\r\n\r\n"
    }

    private static let chunkPrefix =
        #"{"id":"chatcmpl-scripted","object":"chat.completion.chunk","created":1700000000,"model":"scripted","#

    public static let roleChunk =
        "data: " + chunkPrefix + #""choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"# + "\n\n"

    public static func contentChunk(_ text: String) -> String {
        "data: " + chunkPrefix + #""choices":[{"index":0,"delta":{"content":"\#(text)"},"finish_reason":null}]}"# + "\n\n"
    }

    public static let finishChunk =
        "data: " + chunkPrefix + #""choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"# + "\n\n"

    public static func usageChunk(completionTokens: Int) -> String {
        "data: " + chunkPrefix
            + #""choices":[],"usage":{"prompt_tokens":9,"completion_tokens":\#(completionTokens),"total_tokens":\#(9 + completionTokens)}}"#
            + "\n\n"
    }

    public static let malformedEvent = #"data: {"choices":[{"delta":{"content":"hi""# + "\n\n"

    public static func errorEvent(type: String) -> String {
        #"data: {"error":{"message":"boom","type":"\#(type)"}}"# + "\n\n"
    }

    public static let doneEvent = "data: [DONE]\n\n"

    private static func reason(_ code: Int) -> String {
        switch code {
        case 401: return "Unauthorized"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        case 529: return "Site Overloaded"
        default: return "Status"
        }
    }
}

/// One accepted socket and what was written to it.
private struct Connection {
    let fd: Int32
    var bytesSent = 0
    var clientWentAway = false
    var closed = false

    init(fd: Int32) {
        self.fd = fd
    }

    /// Sends everything, or notes that the client went away (nothing more is sent after that).
    mutating func send(_ text: String) {
        guard !clientWentAway else { return }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                clientWentAway = true
                return
            }
            offset += written
            bytesSent += written
        }
    }

    /// Sends `text` as one HTTP/1.1 chunk.
    mutating func sendChunk(_ text: String) {
        send(String(text.utf8.count, radix: 16) + "\r\n" + text + "\r\n")
    }
}
