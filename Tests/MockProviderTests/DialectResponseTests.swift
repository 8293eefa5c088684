import XCTest

@testable import MockProvider

/// The Anthropic and Groq routes: their event sequences, bodies and errors.
final class DialectResponseTests: XCTestCase {
    static let anthropicHeaders = ["anthropic-version": "2023-06-01", "x-api-key": "test"]

    static func anthropicBody(stream: Bool, maxTokens: Int? = 100, system: String? = nil) -> String {
        var body = #"{"model":"claude-test","messages":[{"role":"user","content":"Say hello to the loopback world"}]"#
        if let system { body += #","system":"\#(system)""# }
        if let maxTokens { body += #","max_tokens":\#(maxTokens)"# }
        return body + #","stream":\#(stream)}"#
    }

    /// An Anthropic event as (name, JSON data) from the client's raw event text.
    private func anthropicEvent(_ event: LoopbackResponse.TimedEvent) throws -> (name: String, data: [String: Any]) {
        let lines = event.data.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, event.data)
        let name = try XCTUnwrap(lines.first).replacingOccurrences(of: "event: ", with: "")
        let dataLine = try XCTUnwrap(lines.last)
        XCTAssertTrue(dataLine.hasPrefix("data: "), dataLine)
        let object = try JSONSerialization.jsonObject(with: Data(dataLine.dropFirst(6).utf8))
        let data = try XCTUnwrap(object as? [String: Any], dataLine)
        XCTAssertEqual(data["type"] as? String, name, "the event name matches the data's type")
        return (name, data)
    }

    func testAnthropicStreamFollowsTheDocumentedSequence() throws {
        let (_, port) = try startMockServer { $0.outputTokens = 3 }
        let response = try LoopbackClient.exchange(port: port, LoopbackClient.requestBytes(
            path: "/v1/messages", headers: Self.anthropicHeaders, body: Self.anthropicBody(stream: true, system: "Be brief")))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("content-type"), "text/event-stream")
        let events = try response.events.map(anthropicEvent)
        XCTAssertEqual(events.map(\.name), ["message_start", "content_block_start", "ping", "content_block_delta",
                                            "content_block_delta", "content_block_delta", "content_block_stop",
                                            "message_delta", "message_stop"])
        guard events.count == 9 else { return }
        let message = try XCTUnwrap(events[0].data["message"] as? [String: Any])
        XCTAssertEqual(message["model"] as? String, "claude-test")
        XCTAssertTrue((message["id"] as? String)?.hasPrefix("msg_mock-") == true)
        // "Say hello to the loopback world" (31 bytes) + "Be brief" (8): 39 / 4 = 9 input tokens.
        XCTAssertEqual((message["usage"] as? [String: Int])?["input_tokens"], 9)
        for k in 0..<3 {
            let delta = try XCTUnwrap(events[3 + k].data["delta"] as? [String: Any])
            XCTAssertEqual(delta["type"] as? String, "text_delta")
            XCTAssertEqual(delta["text"] as? String, SSEChunks.words[k])
        }
        XCTAssertEqual((events[7].data["usage"] as? [String: Int])?["output_tokens"], 3)
        XCTAssertEqual((events[7].data["delta"] as? [String: Any])?["stop_reason"] as? String, "end_turn")
    }

    func testAnthropicMaxTokensAndNonStreamedMessage() throws {
        let (_, port) = try startMockServer { $0.outputTokens = 10 }
        let streamed = try LoopbackClient.exchange(port: port, LoopbackClient.requestBytes(
            path: "/v1/messages", headers: Self.anthropicHeaders, body: Self.anthropicBody(stream: true, maxTokens: 4)))
        let last = try anthropicEvent(try XCTUnwrap(streamed.events.dropLast().last))
        XCTAssertEqual((last.data["delta"] as? [String: Any])?["stop_reason"] as? String, "max_tokens")
        XCTAssertEqual((last.data["usage"] as? [String: Int])?["output_tokens"], 4)

        let plain = try LoopbackClient.exchange(port: port, LoopbackClient.requestBytes(
            path: "/v1/messages", headers: Self.anthropicHeaders, body: Self.anthropicBody(stream: false)))
        XCTAssertEqual(plain.status, 200)
        let json = try plain.json()
        XCTAssertEqual(json["type"] as? String, "message")
        XCTAssertEqual(json["stop_reason"] as? String, "end_turn")
        let content = try XCTUnwrap((json["content"] as? [[String: Any]])?.first)
        XCTAssertEqual(content["text"] as? String, (0..<10).map { SSEChunks.words[$0 % 8] }.joined())
        XCTAssertEqual(json["usage"] as? [String: Int], ["input_tokens": 7, "output_tokens": 10])
    }

    /// As the real API: max_tokens and anthropic-version are required; errors are Anthropic-shaped.
    func testAnthropicRequestErrors() throws {
        let (_, port) = try startMockServer()
        let cases: [(headers: [String: String], body: String, status: Int, type: String, fragment: String)] = [
            // no max_tokens
            (Self.anthropicHeaders, Self.anthropicBody(stream: true, maxTokens: nil), 400, "invalid_request_error", "max_tokens"),
            // no anthropic-version header
            (["x-api-key": "k"], Self.anthropicBody(stream: true), 400, "invalid_request_error", "anthropic-version"),
            // injected 529 through the override header: overloaded_error
            (Self.anthropicHeaders.merging(["x-mock-status": "529"]) { $1 }, Self.anthropicBody(stream: true), 529,
             "overloaded_error", "Overloaded"),
            // bad JSON
            (Self.anthropicHeaders, "{", 400, "invalid_request_error", "JSON"),
        ]
        for row in cases {
            let response = try LoopbackClient.exchange(port: port, LoopbackClient.requestBytes(
                path: "/v1/messages", headers: row.headers, body: row.body))
            XCTAssertEqual(response.status, row.status, response.bodyText)
            let json = try response.json()
            XCTAssertEqual(json["type"] as? String, "error", response.bodyText)
            let error = try XCTUnwrap(json["error"] as? [String: Any])
            XCTAssertEqual(error["type"] as? String, row.type)
            XCTAssertTrue((error["message"] as? String)?.contains(row.fragment) == true, response.bodyText)
        }
    }

    func testGroqStreamCarriesXGroqUsage() throws {
        let (_, port) = try startMockServer { $0.outputTokens = 2 }
        let response = try LoopbackClient.exchange(port: port, LoopbackClient.requestBytes(
            path: "/openai/v1/chat/completions", body: LoopbackClient.chatBody(stream: true)))
        XCTAssertEqual(response.status, 200)
        // role + 2 tokens + finish + [DONE]
        XCTAssertEqual(response.events.count, 5, response.bodyText)
        guard response.events.count == 5 else { return }
        let first = try eventJSON(response.events[0])
        XCTAssertTrue(((first["x_groq"] as? [String: Any])?["id"] as? String)?.hasPrefix("req_mock-") == true)
        let finish = try eventJSON(response.events[3])
        XCTAssertEqual(finish.firstChoice?["finish_reason"] as? String, "stop")
        let usage = try XCTUnwrap((finish["x_groq"] as? [String: Any])?["usage"] as? [String: Any])
        XCTAssertEqual(usage["prompt_tokens"] as? Int, 7)
        XCTAssertEqual(usage["completion_tokens"] as? Int, 2)
        XCTAssertEqual(usage["total_tokens"] as? Int, 9)
        let queue = try XCTUnwrap(usage["queue_time"] as? Double)
        XCTAssert((0..<0.5).contains(queue), "queue_time \(queue) s")
        for key in ["prompt_time", "completion_time", "total_time"] { XCTAssertNotNil(usage[key] as? Double, key) }
        XCTAssertEqual(response.events[4].data, "[DONE]")

        let plain = try LoopbackClient.exchange(port: port, LoopbackClient.requestBytes(
            path: "/openai/v1/chat/completions", body: LoopbackClient.chatBody(stream: false)))
        let json = try plain.json()
        XCTAssertNotNil((json["usage"] as? [String: Any])?["queue_time"] as? Double)
        XCTAssertNotNil((json["x_groq"] as? [String: Any])?["id"] as? String)
    }

    func testGroqSecondsFormat() {
        XCTAssertEqual(GroqJSON.seconds(0), "0.000000")
        XCTAssertEqual(GroqJSON.seconds(12_345_678), "0.012345")
        XCTAssertEqual(GroqJSON.seconds(3_000_001_000), "3.000001")
    }
}
