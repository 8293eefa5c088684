#if canImport(Glibc)
import Glibc
#endif
import LoadCore
import XCTest

@testable import MockProvider

/// Each fault, per request (x-mock-fault headers) and per config (drawn with their rates), in the
/// OpenAI and the Anthropic formats.
final class FaultInjectionTests: XCTestCase {
    /// What a raw read of one response saw: bytes with chunk framing left in, whether the server
    /// closed the connection, and when each read happened.
    struct RawRead {
        var bytes: [UInt8] = []
        var closedByServer = false
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// Sends `request` on a fresh connection and reads until the server closes it, the response's
    /// last chunk arrives, or `timeoutMillis` pass.
    private func rawExchange(port: Int, _ request: [UInt8], timeoutMillis: Int = 2_000) throws -> RawRead {
        let fd = try LoopbackClient.connect(port: port)
        defer { close(fd) }
        try LoopbackClient.sendAll(fd, request)
        var read = RawRead()
        let deadline = LoopbackClient.nowNanos() + UInt64(timeoutMillis) * 1_000_000
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while LoopbackClient.nowNanos() < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let wait = Int32((deadline - LoopbackClient.nowNanos()) / 1_000_000) + 1
            guard poll(&poller, 1, wait) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 {
                read.closedByServer = true
                break
            }
            read.bytes += buffer[0..<count]
            if read.text.hasSuffix("\r\n0\r\n\r\n") { break }
        }
        return read
    }

    private func openAIRequest(_ headers: [String: String], tokens: Int = 6) -> [UInt8] {
        LoopbackClient.requestBytes(headers: headers.merging(["x-mock-tokens": "\(tokens)"]) { $1 },
                                    body: LoopbackClient.chatBody(stream: true, includeUsage: true))
    }

    private func anthropicRequest(_ headers: [String: String], tokens: Int = 6) -> [UInt8] {
        LoopbackClient.requestBytes(
            path: "/v1/messages",
            headers: DialectResponseTests.anthropicHeaders.merging(headers.merging(["x-mock-tokens": "\(tokens)"]) { $1 }) { $1 },
            body: DialectResponseTests.anthropicBody(stream: true))
    }

    private func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    func testErrorEventsEndTheStreamAfterNTokens() throws {
        let (_, port) = try startMockServer()
        // OpenAI: an error object after 2 tokens, then the response ends (no [DONE]), cleanly.
        let openAI = try LoopbackClient.exchange(port: port, openAIRequest(["x-mock-fault": "error_event", "x-mock-fault-after": "2"]))
        XCTAssertEqual(openAI.events.count, 1 + 2 + 1, openAI.bodyText)
        let error = try XCTUnwrap(try eventJSON(try XCTUnwrap(openAI.events.last))["error"] as? [String: Any])
        XCTAssertEqual(error["type"] as? String, "server_error")
        XCTAssertFalse(openAI.bodyText.contains("[DONE]"))

        let overloaded = try LoopbackClient.exchange(port: port, openAIRequest(["x-mock-fault": "overloaded_event"]))
        XCTAssertEqual(overloaded.events.count, 2, "role chunk, then the error at once")
        XCTAssertTrue(overloaded.bodyText.contains("overloaded"), overloaded.bodyText)

        // Anthropic: `event: error` with overloaded_error after 3 tokens; no message_stop.
        let anthropic = try LoopbackClient.exchange(port: port, anthropicRequest(["x-mock-fault": "overloaded_event",
                                                                                  "x-mock-fault-after": "3"]))
        XCTAssertEqual(count("event: content_block_delta", in: anthropic.bodyText), 3)
        XCTAssertTrue(anthropic.bodyText.contains("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\""),
                      anthropic.bodyText)
        XCTAssertFalse(anthropic.bodyText.contains("message_stop"))
        let apiError = try LoopbackClient.exchange(port: port, anthropicRequest(["x-mock-fault": "error_event"]))
        XCTAssertTrue(apiError.bodyText.contains("\"api_error\""), apiError.bodyText)
    }

    func testDisconnectLeavesTheChunkedBodyUnfinished() throws {
        let (_, port) = try startMockServer { $0.interTokenNanos = 2_000_000 }
        // Table: request → how a token event starts in its dialect (the role chunk's empty content aside).
        let cases = [(openAIRequest(["x-mock-fault": "disconnect", "x-mock-fault-after": "3"]), #""delta":{"content":""#),
                     (anthropicRequest(["x-mock-fault": "disconnect", "x-mock-fault-after": "3"]), #""type":"text_delta""#)]
        for (request, tokenMarker) in cases {
            let read = try rawExchange(port: port, request)
            XCTAssertTrue(read.closedByServer, read.text)
            XCTAssertFalse(read.text.hasSuffix("0\r\n\r\n"), "no last chunk: \(read.text)")
            XCTAssertEqual(count(tokenMarker, in: read.text), 3, read.text)
        }
    }

    func testMalformedChunkThenTheRest() throws {
        let (_, port) = try startMockServer()
        let response = try LoopbackClient.exchange(port: port, openAIRequest(["x-mock-fault": "malformed", "x-mock-fault-after": "2"]))
        let data = response.events.map(\.data)
        // role, 2 tokens, the bad event, 4 tokens, finish, usage, [DONE]
        XCTAssertEqual(data.count, 1 + 2 + 1 + 4 + 3, response.bodyText)
        XCTAssertThrowsError(try JSONSerialization.jsonObject(with: Data(data[3].utf8)), data[3])
        XCTAssertEqual(data.last, "[DONE]")
        let anthropic = try LoopbackClient.exchange(port: port, anthropicRequest(["x-mock-fault": "malformed"]))
        XCTAssertTrue(anthropic.bodyText.contains(#""text":"oops""# + "\n\n"), anthropic.bodyText)
        XCTAssertTrue(anthropic.bodyText.hasSuffix("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"))
    }

    func testStalls() throws {
        let (_, port) = try startMockServer { $0.ttft = .fixed(nanos: 10_000_000) }
        // After the headers, for 300 ms: nothing but the head arrives before; then the whole stream.
        let sent = LoopbackClient.nowNanos()
        let after = try LoopbackClient.exchange(port: port, openAIRequest(["x-mock-fault": "stall", "x-mock-stall-ms": "300"]))
        let firstEventMillis = Double((after.events.first?.arrivalNanos ?? 0) - sent) / 1e6
        XCTAssert((295...600).contains(firstEventMillis), "first body byte after \(firstEventMillis) ms")
        XCTAssertEqual(after.events.last?.data, "[DONE]")

        // Forever: the head and nothing else, the connection open.
        let forever = try rawExchange(port: port, anthropicRequest(["x-mock-fault": "stall"]), timeoutMillis: 400)
        XCTAssertFalse(forever.closedByServer)
        XCTAssertTrue(forever.text.hasPrefix("HTTP/1.1 200 OK"), forever.text)
        XCTAssertTrue(forever.text.hasSuffix("\r\n\r\n"), "headers only: \(forever.text)")

        // Mid-stream, after 2 tokens, for 250 ms: the gap between token 2 and 3.
        let mid = try LoopbackClient.exchange(port: port, openAIRequest(["x-mock-fault": "stall", "x-mock-fault-after": "2",
                                                                          "x-mock-stall-ms": "250"]))
        XCTAssertEqual(mid.events.last?.data, "[DONE]")
        let gapMillis = Double(mid.events[3].arrivalNanos - mid.events[2].arrivalNanos) / 1e6
        XCTAssert((245...500).contains(gapMillis), "gap \(gapMillis) ms")
    }

    /// Config faults are drawn per request with their rates (seeded) and never two at once.
    func testConfiguredFaultsAreDrawnWithTheirRates() throws {
        let (_, port) = try startMockServer(threads: 1) {
            $0.outputTokens = 2
            $0.faults = [Profile.MockFault(kind: .http, rate: 0.2, status: 529),
                         Profile.MockFault(kind: .errorEvent, rate: 0.3, afterTokens: 1)]
        }
        let fd = try LoopbackClient.connect(port: port)
        defer { close(fd) }
        let request = LoopbackClient.requestBytes(body: LoopbackClient.chatBody(stream: true))
        try LoopbackClient.sendAll(fd, Array([[UInt8]](repeating: request, count: 400).joined()))
        let responses = try LoopbackClient.read(fd: fd, count: 400)
        let overloaded = responses.filter { $0.status == 529 }.count
        let errorEvents = responses.filter { $0.status == 200 && $0.bodyText.contains("\"error\"") }.count
        let clean = responses.filter { $0.status == 200 && $0.bodyText.contains("[DONE]") }.count
        XCTAssertEqual(overloaded + errorEvents + clean, 400)
        XCTAssertEqual(Double(overloaded) / 400, 0.2, accuracy: 0.07)
        XCTAssertEqual(Double(errorEvents) / 400, 0.3, accuracy: 0.07)
    }

    /// x-mock-status: 200 forces a clean answer even with faults configured.
    func testStatus200BypassesFaults() throws {
        let (_, port) = try startMockServer { $0.faults = [Profile.MockFault(kind: .disconnect)] }
        let response = try LoopbackClient.exchange(port: port, openAIRequest(["x-mock-status": "200"]))
        XCTAssertEqual(response.events.last?.data, "[DONE]")
    }
}
