import TestSupport
import XCTest

@testable import MockProvider

/// The mock's generation slots: N completions at once, the rest queued (their TTFT counts from the
/// slot), a full queue refused.
final class MockCapacityTests: XCTestCase {
    /// 2 slots, 100 ms TTFT, 6 requests at once on 6 connections: they finish in three waves of two,
    /// no earlier than 100, 200 and 300 ms (each wave's TTFT starts when the previous one frees its
    /// slots); the peaks show 2 generating and 4 waiting. Above the waves a sanity bound only (a
    /// loaded machine stretches each wave).
    func testRequestsBeyondTheSlotsWaitTheirTurn() throws {
        let (server, port) = try startMockServer {
            $0.ttft = .fixed(nanos: 100_000_000)
            $0.outputTokens = 1
            $0.capacity = MockCapacity(maxConcurrent: 2)
        }
        let request = LoopbackClient.requestBytes(body: LoopbackClient.chatBody(stream: true))
        let responses = try LoopbackClient.concurrent(port: port, requests: Array(repeating: request, count: 6),
                                                      acceptedBy: server)
        XCTAssertEqual(responses.map(\.status), Array(repeating: 200, count: 6))
        let millis = responses.map { Double($0.completedNanos - $0.sentNanos) / 1e6 }.sorted()
        for (index, value) in millis.enumerated() {
            let wave = Double(index / 2 + 1) * 100
            XCTAssertTrue((wave - 5)...(wave * 3) ~= value, "response \(index): \(value) ms, wave at \(wave) ms; \(millis)")
        }
        XCTAssertEqual(server.capacityPeaks.generating, 2)
        XCTAssertEqual(server.capacityPeaks.waiting, 4)
    }

    /// 1 slot and a queue of 1: of 3 requests at once, one generates, one waits, one is refused with
    /// the configured status (529, as Anthropic says it is overloaded).
    func testAFullQueueIsRefused() throws {
        let (server, port) = try startMockServer {
            $0.ttft = .fixed(nanos: 100_000_000)
            $0.outputTokens = 1
            var capacity = MockCapacity(maxConcurrent: 1, maxQueue: 1)
            capacity.rejectStatus = 529
            $0.capacity = capacity
        }
        let request = LoopbackClient.requestBytes(body: LoopbackClient.chatBody(stream: false))
        let responses = try LoopbackClient.concurrent(port: port, requests: Array(repeating: request, count: 3),
                                                      acceptedBy: server)
        XCTAssertEqual(responses.map(\.status).sorted(), [200, 200, 529])
        let refused = try XCTUnwrap(responses.first { $0.status == 529 })
        XCTAssertTrue(refused.bodyText.contains("at capacity"), refused.bodyText)
    }

    /// On the Anthropic route the refusal comes in Anthropic's error format: a 529 is
    /// `overloaded_error`, with `retry-after`.
    func testAFullQueueIsRefusedInTheAnthropicFormat() throws {
        let (server, port) = try startMockServer {
            $0.ttft = .fixed(nanos: 100_000_000)
            $0.outputTokens = 1
            var capacity = MockCapacity(maxConcurrent: 1, maxQueue: 1)
            capacity.rejectStatus = 529
            $0.capacity = capacity
        }
        let request = LoopbackClient.requestBytes(
            path: "/v1/messages", headers: DialectResponseTests.anthropicHeaders,
            body: DialectResponseTests.anthropicBody(stream: false))
        let responses = try LoopbackClient.concurrent(port: port, requests: Array(repeating: request, count: 3),
                                                      acceptedBy: server)
        XCTAssertEqual(responses.map(\.status).sorted(), [200, 200, 529])
        let refused = try XCTUnwrap(responses.first { $0.status == 529 })
        let json = try refused.json()
        XCTAssertEqual(json["type"] as? String, "error", refused.bodyText)
        let error = try XCTUnwrap(json["error"] as? [String: Any])
        XCTAssertEqual(error["type"] as? String, "overloaded_error")
        XCTAssertTrue((error["message"] as? String)?.contains("at capacity") == true, refused.bodyText)
        XCTAssertNotNil(refused.header("retry-after"))
    }

    /// A waiting request whose client hangs up leaves the queue: the slot goes to the next one, and
    /// later requests are not stuck behind it.
    func testAClientThatLeavesTheQueueFreesItsPlace() throws {
        let (server, port) = try startMockServer {
            $0.ttft = .fixed(nanos: 100_000_000)
            $0.outputTokens = 1
            $0.capacity = MockCapacity(maxConcurrent: 1)
        }
        let request = LoopbackClient.requestBytes(body: LoopbackClient.chatBody(stream: false))
        let holder = try LoopbackClient.connect(port: port)
        try LoopbackClient.sendAll(holder, request)
        let leaver = try LoopbackClient.connect(port: port)
        try LoopbackClient.sendAll(leaver, request)
        XCTAssertTrue(Readiness.waitUntil { server.capacityPeaks.waiting >= 1 }, "the second request never waited")
        close(leaver)  // leaves the queue before getting a slot
        _ = try LoopbackClient.read(fd: holder, count: 1)
        close(holder)
        let began = LoopbackClient.nowNanos()
        let later = try LoopbackClient.exchange(port: port, request)
        XCTAssertEqual(later.status, 200)
        XCTAssertLessThan(Double(LoopbackClient.nowNanos() - began) / 1e6, 180, "not stuck behind the leaver")
        XCTAssertEqual(server.capacityPeaks.generating, 1)
    }
}
