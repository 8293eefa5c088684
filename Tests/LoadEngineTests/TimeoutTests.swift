import Foundation
import LoadCore
import LoadEngine
import MockProvider
import TestSupport
import XCTest

/// The four timeout classes, each produced by a server that stalls at the matching moment, with the
/// run going on around them; and a stream that says `[DONE]` but never ends its body, which must end
/// promptly as a success.
///
/// Tolerances: an attempt ends no earlier than its limit (the engine never gives up early) and at
/// most 400 ms after it (the timeout watch uses libuv's millisecond timer; the rest is headroom for
/// a loaded 2-core machine).
final class TimeoutTests: XCTestCase {
    private let slackMillis = 400.0

    /// A listener whose accept queue is full (backlog 0, one connection already waiting) drops
    /// further SYNs, so connecting never completes: `timeout_connect` after the connect timeout,
    /// with no connect time recorded; the total timeout (5 s) is far away.
    func testConnectTimeout() throws {
        let (fd, port) = try boundLoopbackSocket()
        defer { close(fd) }
        XCTAssertEqual(listen(fd, 0), 0)
        let filler = try connectedSocket(port: port)
        defer { close(filler) }

        var template = RequestTemplate(url: "http://127.0.0.1:\(port)/v1/chat/completions",
                                       headers: ["Content-Type: application/json"], bodies: [MockHarness.body()])
        template.connectTimeoutNanos = 300_000_000
        template.totalTimeoutNanos = 5_000_000_000
        let records = try run(template, LoadPlan(mode: .closed(users: 2, thinkTimeNanos: 0), maxRequests: 4))
        XCTAssertEqual(records.count, 4)
        for record in records {
            XCTAssertEqual(record.errorClass, .timeoutConnect, record.errorMessage ?? "")
            XCTAssertNil(record.connectNanos)
            XCTAssertEqual(record.status, 0)
            XCTAssertTrue((300...(300 + slackMillis)).contains(record.totalMillis), "\(record.totalMillis) ms")
        }
    }

    /// The mock holds its first token for 2 s; the TTFT timeout is 300 ms: `timeout_ttft` with the
    /// response headers seen and no token; every request of the run is accounted for.
    func testTTFTTimeoutFromTheMock() throws {
        let mock = try MockHarness {
            $0.ttft = .fixed(nanos: 2_000_000_000)
            $0.outputTokens = 3
        }
        var template = mock.template()
        template.ttftTimeoutNanos = 300_000_000
        let began = Date()
        let records = try run(template, LoadPlan(mode: .closed(users: 3, thinkTimeNanos: 0), maxRequests: 6))
        XCTAssertEqual(records.count, 6)
        for record in records {
            XCTAssertEqual(record.errorClass, .timeoutTTFT, record.errorMessage ?? "")
            XCTAssertEqual(record.status, 200)
            XCTAssertNotNil(record.headersNanos)
            XCTAssertNil(record.firstTokenNanos)
            XCTAssertEqual(record.errorMessage, "no content token within 300ms of the start (limits.ttft_timeout)")
            XCTAssertTrue((300...(300 + slackMillis)).contains(record.totalMillis), "\(record.totalMillis) ms")
        }
        XCTAssertLessThan(Date().timeIntervalSince(began), 1.9, "two rounds of ~0.3 s, not the mock's 2 s")
    }

    /// Good streams alternate with streams that stall after two tokens. Idle timeout 300 ms (TTFT 5 s,
    /// total 5 s): the stalled ones are `timeout_idle`, ending ≥ 300 ms after their last byte and
    /// keeping their two tokens; the good ones succeed.
    func testIdleTimeoutAndTheRunGoesOn() throws {
        let stall = Self.streamHead + Self.chunk(ScriptedServer.roleChunk) + Self.chunk(ScriptedServer.contentChunk("a "))
            + Self.chunk(ScriptedServer.contentChunk("b "))
        let server = try ScriptedServer(cycle: [.good(tokens: 3), .raw(stall, holdOpen: true)])
        addTeardownBlock { server.stop() }
        var template = scriptedTemplate(server)
        template.ttftTimeoutNanos = 5_000_000_000
        template.idleTimeoutNanos = 300_000_000
        let records = try run(template, LoadPlan(mode: .closed(users: 2, thinkTimeNanos: 0), maxRequests: 8))
        server.stop()
        XCTAssertEqual(records.count, 8)
        let good = records.filter(\.succeeded)
        let idle = records.filter { $0.errorClass == .timeoutIdle }
        XCTAssertEqual(good.count, 4)
        XCTAssertEqual(idle.count, 4, "\(records.map { $0.errorClass?.rawValue ?? "ok" })")
        for record in idle {
            XCTAssertEqual(record.countedOutputTokens, 2)
            XCTAssertEqual(record.errorMessage, "no byte for 300ms (limits.idle_timeout)")
            let lastByteMillis = Double(record.startNanos) / 1e6 + Double(record.tokenOffsetsMicros.last ?? 0) / 1e3
            let silence = Double(record.endNanos) / 1e6 - lastByteMillis
            XCTAssertTrue((300...(300 + slackMillis)).contains(silence), "silence \(silence) ms")
        }
        XCTAssertTrue(server.served.filter { $0.index % 2 == 1 }.allSatisfy(\.clientWentAway))
    }

    /// Headers and the role chunk, then silence, with TTFT 300 ms and idle 600 ms: the TTFT limit
    /// comes first (`timeout_ttft`); with only the idle limit it is `timeout_idle` (the role chunk
    /// started the response); with neither, the total timeout (`timeout_total`).
    func testTheFirstLimitReachedNamesTheTimeout() throws {
        let cases: [(ttft: UInt64?, idle: UInt64?, expected: ErrorClass, millis: Double)] = [
            (300_000_000, 600_000_000, .timeoutTTFT, 300),
            (nil, 300_000_000, .timeoutIdle, 300),
            (nil, nil, .timeoutTotal, 500),
        ]
        for (ttft, idle, expected, millis) in cases {
            let server = try ScriptedServer(.stallAfterHeaders)
            var template = scriptedTemplate(server)
            template.ttftTimeoutNanos = ttft
            template.idleTimeoutNanos = idle
            template.totalTimeoutNanos = 500_000_000
            let records = try run(template, LoadPlan(mode: .closed(users: 2, thinkTimeNanos: 0), maxRequests: 2))
            server.stop()
            XCTAssertEqual(records.map(\.errorClass), [expected, expected])
            for record in records {
                XCTAssertTrue((millis...(millis + slackMillis)).contains(record.totalMillis), "\(expected): \(record.totalMillis) ms")
            }
        }
    }

    /// A stream that sends `[DONE]` but never the chunked body's end: the engine ends it 200 ms
    /// later as a success (recorded as ending when `[DONE]` arrived), far from the 5 s total timeout,
    /// and closes the connection.
    func testDoneWithoutEndOfBodyEndsPromptly() throws {
        let stream = Self.streamHead + Self.chunk(ScriptedServer.roleChunk) + Self.chunk(ScriptedServer.contentChunk("a "))
            + Self.chunk(ScriptedServer.usageChunk(completionTokens: 1)) + Self.chunk(ScriptedServer.doneEvent)
        let server = try ScriptedServer(.raw(stream, holdOpen: true))
        addTeardownBlock { server.stop() }
        let began = Date()
        let records = try run(scriptedTemplate(server), LoadPlan(mode: .closed(users: 2, thinkTimeNanos: 0), maxRequests: 4))
        let seconds = Date().timeIntervalSince(began)
        server.stop()
        XCTAssertEqual(records.count, 4)
        for record in records {
            XCTAssertTrue(record.succeeded, record.errorMessage ?? "")
            XCTAssertEqual(record.countedOutputTokens, 1)
            XCTAssertLessThan(record.totalMillis, 150, "the record ends at [DONE]")
        }
        XCTAssertLessThan(seconds, 1.5, "two rounds of ~0.2 s grace, not the 5 s timeout")
        XCTAssertTrue(server.served.allSatisfy(\.clientWentAway))
    }

    // MARK: - Helpers

    static let streamHead = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
        + "Connection: close\r\n\r\n"

    static func chunk(_ text: String) -> String {
        String(text.utf8.count, radix: 16) + "\r\n" + text + "\r\n"
    }

    private func run(_ template: RequestTemplate, _ plan: LoadPlan) throws -> [AttemptRecord] {
        try runEngine(template, plan)
    }

    private func connectedSocket(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let status = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else { throw POSIXError(.ECONNREFUSED) }
        return fd
    }
}
