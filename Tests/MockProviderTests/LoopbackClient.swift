#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import MockProvider
import TestSupport

/// A response read by `LoopbackClient`, with the arrival time of each server-sent event.
struct LoopbackResponse {
    /// One SSE event (`data: ...` without the prefix) and when its last byte arrived.
    struct TimedEvent {
        var data: String
        var arrivalNanos: UInt64
    }

    var status = 0
    /// Header names are lowercased.
    var headers: [(name: String, value: String)] = []
    /// The body with chunked framing removed.
    var body: [UInt8] = []
    var events: [TimedEvent] = []
    /// When the request's last byte was sent (monotonic).
    var sentNanos: UInt64 = 0
    /// Chunk data sizes in arrival order (chunked responses only).
    var chunkSizes: [Int] = []
    /// When the read that completed the response happened (monotonic).
    var completedNanos: UInt64 = 0

    var bodyText: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        headers.first { $0.name == name.lowercased() }?.value
    }

    /// The body parsed as a JSON object.
    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(body))
        guard let dictionary = object as? [String: Any] else { throw LoopbackClientError("body is not an object") }
        return dictionary
    }
}

struct LoopbackClientError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Incremental HTTP/1.1 response parser: headers, then a content-length or chunked body; SSE events
/// are split out of the body as they complete and stamped with the time of the read that completed them.
struct ResponseParser {
    private var buffer: [UInt8] = []
    private var index = 0
    private var headerDone = false
    private var contentLength: Int?
    private var chunked = false
    private var sseScanFrom = 0
    private(set) var isComplete = false
    private(set) var response = LoopbackResponse()

    /// Feeds bytes read at `nanos`; returns true once the response is complete.
    mutating func feed(_ bytes: ArraySlice<UInt8>, atNanos nanos: UInt64) throws -> Bool {
        buffer += bytes
        try parse(atNanos: nanos)
        return isComplete
    }

    /// Bytes after the end of the response (the next pipelined response).
    var leftover: ArraySlice<UInt8> { buffer[index...] }

    private mutating func parse(atNanos nanos: UInt64) throws {
        if !headerDone {
            guard let end = find([13, 10, 13, 10], from: index) else { return }
            let text = String(decoding: buffer[index..<end], as: UTF8.self)
            var lines = text.components(separatedBy: "\r\n")
            let statusLine = lines.removeFirst().split(separator: " ")
            guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
                throw LoopbackClientError("bad status line: \(text)")
            }
            response.status = status
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                response.headers.append((name, value))
            }
            index = end + 4
            headerDone = true
            chunked = response.header("transfer-encoding")?.lowercased() == "chunked"
            contentLength = response.header("content-length").flatMap { Int($0) }
        }
        if chunked {
            while true {
                guard let lineEnd = find([13, 10], from: index) else { return }
                let sizeText = String(decoding: buffer[index..<lineEnd], as: UTF8.self)
                guard let size = Int(sizeText, radix: 16) else { throw LoopbackClientError("bad chunk size \(sizeText)") }
                if size == 0 {
                    guard buffer.count >= lineEnd + 4 else { return }
                    index = lineEnd + 4
                    isComplete = true
                    response.completedNanos = nanos
                    splitEvents(atNanos: nanos)
                    return
                }
                let dataStart = lineEnd + 2
                guard buffer.count >= dataStart + size + 2 else { return }
                response.body += buffer[dataStart..<(dataStart + size)]
                response.chunkSizes.append(size)
                guard buffer[dataStart + size] == 13, buffer[dataStart + size + 1] == 10 else {
                    throw LoopbackClientError("chunk not followed by CRLF")
                }
                index = dataStart + size + 2
                splitEvents(atNanos: nanos)
            }
        } else {
            let length = contentLength ?? 0
            guard buffer.count - index >= length else { return }
            response.body = Array(buffer[index..<(index + length)])
            index += length
            isComplete = true
            response.completedNanos = nanos
        }
    }

    private mutating func splitEvents(atNanos nanos: UInt64) {
        let body = response.body
        var start = sseScanFrom
        var i = start
        while i + 1 < body.count {
            if body[i] == 10, body[i + 1] == 10 {
                var text = String(decoding: body[start..<i], as: UTF8.self)
                if text.hasPrefix("data: ") { text.removeFirst(6) }
                response.events.append(.init(data: text, arrivalNanos: nanos))
                start = i + 2
                i = start
            } else {
                i += 1
            }
        }
        sseScanFrom = start
    }

    private func find(_ pattern: [UInt8], from: Int) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        var i = from
        while i <= buffer.count - pattern.count {
            if buffer[i] == pattern[0], Array(buffer[i..<(i + pattern.count)]) == pattern { return i }
            i += 1
        }
        return nil
    }
}

/// A raw POSIX-socket HTTP/1.1 client for 127.0.0.1 that timestamps each read, so tests can measure
/// TTFT and token spacing without a client library's buffering in between.
enum LoopbackClient {
    /// Monotonic now in nanoseconds.
    static func nowNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// The bytes of a request with `content-length`.
    static func requestBytes(
        method: String = "POST",
        path: String = "/v1/chat/completions",
        headers: [String: String] = [:],
        body: String = ""
    ) -> [UInt8] {
        var text = "\(method) \(path) HTTP/1.1\r\nhost: 127.0.0.1\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { text += "\(name): \(value)\r\n" }
        if method == "POST" || !body.isEmpty {
            text += "content-type: application/json\r\ncontent-length: \(body.utf8.count)\r\n"
        }
        return Array((text + "\r\n" + body).utf8)
    }

    /// A chat-completions JSON body.
    static func chatBody(stream: Bool, maxTokens: Int? = nil, includeUsage: Bool = false, model: String = "test-model")
        -> String
    {
        var body = #"{"model":"\#(model)","messages":[{"role":"user","content":"Say hello to the loopback world"}]"#
        body += #","stream":\#(stream)"#
        if let maxTokens { body += #","max_tokens":\#(maxTokens)"# }
        if includeUsage { body += #","stream_options":{"include_usage":true}"# }
        return body + "}"
    }

    /// Opens a blocking TCP connection to 127.0.0.1:`port`.
    static func connect(port: Int) throws -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw LoopbackClientError("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw LoopbackClientError("connect to 127.0.0.1:\(port): errno \(code)")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw LoopbackClientError("send: errno \(errno)") }
            offset += sent
        }
    }

    /// Sends `requests` on one connection each, all at once, and reads every response with poll(2).
    /// With `server`, waits after connecting until it has accepted every connection, so the requests
    /// go out together (accepting is not what timing tests measure).
    static func concurrent(port: Int, requests: [[UInt8]], acceptedBy server: MockServer? = nil,
                           timeoutMillis: Int = 30_000) throws -> [LoopbackResponse]
    {
        let acceptedBefore = server?.connectionCounts.accepted ?? 0
        let fds = try requests.map { _ in try connect(port: port) }
        defer { fds.forEach { close($0) } }
        if let server {
            let accepted = Readiness.waitUntil { server.connectionCounts.accepted >= acceptedBefore + requests.count }
            guard accepted else { throw LoopbackClientError("the server did not accept \(requests.count) connections") }
        }
        var parsers = Array(repeating: ResponseParser(), count: requests.count)
        var sentNanos = Array(repeating: UInt64(0), count: requests.count)
        for (i, request) in requests.enumerated() {
            // Stamped before the write: a thread preempted between the write and the stamp would
            // otherwise start the clock after the mock has already started its own (TTFT < 200 ms).
            sentNanos[i] = nowNanos()
            try sendAll(fds[i], request)
        }
        var pending = Set(0..<requests.count)
        let deadline = nowNanos() + UInt64(timeoutMillis) * 1_000_000
        var readBuffer = [UInt8](repeating: 0, count: 65_536)
        while !pending.isEmpty {
            let now = nowNanos()
            guard now < deadline else { throw LoopbackClientError("timed out with \(pending.count) responses pending") }
            let order = Array(pending)
            var pollFDs = order.map { pollfd(fd: fds[$0], events: Int16(POLLIN), revents: 0) }
            let ready = poll(&pollFDs, nfds_t(pollFDs.count), Int32((deadline - now) / 1_000_000) + 1)
            guard ready >= 0 else {
                if errno == EINTR { continue }
                throw LoopbackClientError("poll: errno \(errno)")
            }
            let readAt = nowNanos()
            for (slot, i) in order.enumerated() where pollFDs[slot].revents != 0 {
                let count = readBuffer.withUnsafeMutableBytes { recv(fds[i], $0.baseAddress, $0.count, 0) }
                guard count > 0 else {
                    throw LoopbackClientError("connection \(i) closed before the response completed (recv \(count))")
                }
                if try parsers[i].feed(readBuffer[0..<count], atNanos: readAt) {
                    pending.remove(i)
                }
            }
        }
        return parsers.enumerated().map { i, parser in
            var response = parser.response
            response.sentNanos = sentNanos[i]
            return response
        }
    }

    /// One request on a fresh connection.
    static func exchange(port: Int, _ request: [UInt8], timeoutMillis: Int = 5_000) throws -> LoopbackResponse {
        try concurrent(port: port, requests: [request], timeoutMillis: timeoutMillis)[0]
    }

    /// Reads `count` responses from an open connection (for keep-alive and pipelining).
    static func read(fd: Int32, count: Int, timeoutMillis: Int = 5_000) throws -> [LoopbackResponse] {
        var responses: [LoopbackResponse] = []
        var parser = ResponseParser()
        var readBuffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = nowNanos() + UInt64(timeoutMillis) * 1_000_000
        while responses.count < count {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let now = nowNanos()
            guard now < deadline else { throw LoopbackClientError("timed out") }
            _ = poll(&pfd, 1, Int32((deadline - now) / 1_000_000) + 1)
            guard pfd.revents != 0 else { continue }
            let n = readBuffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw LoopbackClientError("connection closed after \(responses.count) responses") }
            var input = readBuffer[0..<n]
            while try parser.feed(input, atNanos: nowNanos()) {
                responses.append(parser.response)
                input = parser.leftover
                parser = ResponseParser()
                if input.isEmpty { break }
            }
        }
        return responses
    }

    /// Whether the peer has closed `fd` (reads EOF within `timeoutMillis`).
    static func isClosedByPeer(fd: Int32, timeoutMillis: Int32 = 1_000) -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, timeoutMillis) > 0 else { return false }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }
}
