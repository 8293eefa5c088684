import Foundation
import LoadCore
import LoadEngine
import TestSupport
import XCTest

/// Responses whose shape is legal but unusual: a stream without `Content-Type`, headers that
/// trickle in. Each is read for what it is, and classified so.
final class ResponseShapeTests: XCTestCase {
    /// A valid SSE stream with no `Content-Type` header (close-delimited): read as a stream by its
    /// content (`data:` at the start), so it succeeds with its tokens, not as JSON that fails to parse.
    func testAStreamWithoutContentTypeIsReadByItsContent() throws {
        let stream = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + ScriptedServer.roleChunk
            + ScriptedServer.contentChunk("a ") + ScriptedServer.contentChunk("b ")
            + ScriptedServer.usageChunk(completionTokens: 2) + ScriptedServer.doneEvent
        let withEvent = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n\nevent: message\n" + ScriptedServer.roleChunk
            + ScriptedServer.contentChunk("c ") + ScriptedServer.doneEvent
        let server = try ScriptedServer(cycle: [.raw(stream), .raw(withEvent)])
        addTeardownBlock { server.stop() }
        let records = try run(template(server), LoadPlan(mode: .closed(users: 1, thinkTimeNanos: 0), maxRequests: 4))
        XCTAssertEqual(records.count, 4)
        for record in records {
            XCTAssertTrue(record.succeeded, "request \(record.requestID): \(record.errorClass as Any) \(record.errorMessage ?? "")")
            XCTAssertNotNil(record.firstTokenNanos)
        }
        XCTAssertEqual(records.filter { $0.requestID % 2 == 0 }.map(\.countedOutputTokens), [2, 2])
        XCTAssertEqual(records.filter { $0.requestID % 2 == 0 }.map(\.usageOutputTokens), [2, 2])
        XCTAssertEqual(records.filter { $0.requestID % 2 == 1 }.map(\.countedOutputTokens), [1, 1])
    }

    /// A JSON answer without `Content-Type` is still read as JSON.
    func testAJSONAnswerWithoutContentTypeIsStillJSON() throws {
        let body = #"{"object":"chat.completion","choices":[{"message":{"content":"hi"}}],"usage":{"prompt_tokens":3,"completion_tokens":1}}"#
        let server = try ScriptedServer(.raw("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + body))
        addTeardownBlock { server.stop() }
        let records = try run(template(server), LoadPlan(mode: .closed(users: 1, thinkTimeNanos: 0), maxRequests: 2))
        XCTAssertEqual(records.map(\.succeeded), [true, true], "\(records.map { $0.errorMessage ?? "" })")
        XCTAssertEqual(records.map(\.usageOutputTokens), [1, 1])
    }

    /// The status line at once, then the next header line a byte every 100 ms, against an idle
    /// timeout of 500 ms: every complete header line restarts the idle clock, none comes within
    /// 500 ms, so the attempt is `timeout_idle` (not the 5 s total timeout), with its status.
    func testAHeaderTrickleIsIdle() throws {
        let server = try ScriptedServer(.trickle(
            head: "HTTP/1.1 200 OK\r\n", trickle: "Content-Type: text/event-stream\r\nConnection: close\r\n\r\n", everyMillis: 100))
        addTeardownBlock { server.stop() }
        var template = template(server)
        template.idleTimeoutNanos = 500_000_000
        let records = try run(template, LoadPlan(mode: .closed(users: 2, thinkTimeNanos: 0), maxRequests: 2))
        XCTAssertEqual(records.map(\.errorClass), [.timeoutIdle, .timeoutIdle], "\(records.map { $0.errorMessage ?? "" })")
        XCTAssertEqual(records.map(\.status), [200, 200])
        for record in records {
            XCTAssertLessThan(record.totalMillis, 4_000, "the idle timeout, not the 5 s total one")
        }
    }

    // MARK: - Helpers

    private func template(_ server: ScriptedServer) -> RequestTemplate {
        scriptedTemplate(server)
    }

    private func run(_ template: RequestTemplate, _ plan: LoadPlan) throws -> [AttemptRecord] {
        try runEngine(template, plan).sorted { $0.requestID < $1.requestID }
    }
}
