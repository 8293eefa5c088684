import XCTest

@testable import MockProvider

/// The exact event sequence and bodies of completions (zero delays).
final class StreamingResponseTests: XCTestCase {
    func testStreamEventSequenceWithUsage() throws {
        let (_, port) = try startMockServer { $0.outputTokens = 5 }
        let body = LoopbackClient.chatBody(stream: true, includeUsage: true)
        let response = try LoopbackClient.exchange(port: port, LoopbackClient.requestBytes(body: body))

        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("content-type"), "text/event-stream")
        XCTAssertEqual(response.header("cache-control"), "no-cache")
        XCTAssertEqual(response.header("transfer-encoding"), "chunked")
        // role + 5 tokens + finish + usage + [DONE]
        XCTAssertEqual(response.events.count, 9, response.bodyText)
        guard response.events.count == 9 else { return }

        let role = try eventJSON(response.events[0])
        let id = try XCTUnwrap(role["id"] as? String)
        XCTAssertTrue(id.hasPrefix("chatcmpl-mock-"), id)
        XCTAssertEqual(role["object"] as? String, "chat.completion.chunk")
        XCTAssertEqual(role["model"] as? String, "test-model")
        XCTAssertNotNil(role["created"] as? Int)
        let roleDelta = try XCTUnwrap(role.firstChoice?["delta"] as? [String: Any])
        XCTAssertEqual(roleDelta["role"] as? String, "assistant")
        XCTAssertEqual(roleDelta["content"] as? String, "")
        XCTAssertTrue(role.firstChoice?["finish_reason"] is NSNull)

        for k in 0..<5 {
            let chunk = try eventJSON(response.events[1 + k])
            XCTAssertEqual(chunk["id"] as? String, id)
            let choice = try XCTUnwrap(chunk.firstChoice)
            XCTAssertEqual(choice["index"] as? Int, 0)
            XCTAssertEqual((choice["delta"] as? [String: Any])?["content"] as? String, SSEChunks.words[k])
            XCTAssertNil((choice["delta"] as? [String: Any])?["role"])
            XCTAssertTrue(choice["finish_reason"] is NSNull)
        }

        let finish = try eventJSON(response.events[6])
        XCTAssertEqual((finish.firstChoice?["delta"] as? [String: Any])?.count, 0)
        XCTAssertEqual(finish.firstChoice?["finish_reason"] as? String, "stop")

        let usageEvent = try eventJSON(response.events[7])
        XCTAssertEqual((usageEvent["choices"] as? [Any])?.count, 0)
        let usage = try XCTUnwrap(usageEvent["usage"] as? [String: Int])
        // "Say hello to the loopback world" is 31 bytes: 31 / 4 = 7 prompt tokens.
        XCTAssertEqual(usage, ["prompt_tokens": 7, "completion_tokens": 5, "total_tokens": 12])

        XCTAssertEqual(response.events[8].data, "[DONE]")
        // Zero delays: the role chunk and one chunk with everything else, written together.
        XCTAssertEqual(response.chunkSizes.count, 2)
    }

    func testStreamWithoutUsageHasNoUsageEvent() throws {
        let (_, port) = try startMockServer { $0.outputTokens = 3 }
        let response = try LoopbackClient.exchange(
            port: port, LoopbackClient.requestBytes(body: LoopbackClient.chatBody(stream: true)))
        XCTAssertEqual(response.events.map(\.data).last, "[DONE]")
        XCTAssertEqual(response.events.count, 1 + 3 + 1 + 1)
        XCTAssertFalse(response.bodyText.contains("usage"))
    }

    func testMaxTokensCapsOutput() throws {
        let (_, port) = try startMockServer { $0.outputTokens = 10 }
        let cases: [(body: String, tokens: Int, finish: String)] = [
            // smaller max_tokens cuts the completion: finish "length"
            (LoopbackClient.chatBody(stream: true, maxTokens: 3, includeUsage: true), 3, "length"),
            // max_completion_tokens is honoured the same way
            (#"{"messages":[],"stream":true,"max_completion_tokens":2,"stream_options":{"include_usage":true}}"#, 2, "length"),
            // larger max_tokens leaves the configured count: finish "stop"
            (LoopbackClient.chatBody(stream: true, maxTokens: 50, includeUsage: true), 10, "stop"),
            // max_tokens equal to the configured count is a natural stop
            (LoopbackClient.chatBody(stream: true, maxTokens: 10, includeUsage: true), 10, "stop"),
        ]
        for (body, tokens, finish) in cases {
            let response = try LoopbackClient.exchange(port: port, LoopbackClient.requestBytes(body: body))
            XCTAssertEqual(response.events.count, 1 + tokens + 3, body)
            guard response.events.count == 1 + tokens + 3 else { continue }
            let finishEvent = try eventJSON(response.events[1 + tokens])
            XCTAssertEqual(finishEvent.firstChoice?["finish_reason"] as? String, finish, body)
            let usage = try eventJSON(response.events[2 + tokens])["usage"] as? [String: Int]
            XCTAssertEqual(usage?["completion_tokens"], tokens, body)
        }
    }

    func testNonStreamBodyHasContentAndUsage() throws {
        let (_, port) = try startMockServer { $0.outputTokens = 4 }
        let response = try LoopbackClient.exchange(
            port: port, LoopbackClient.requestBytes(body: LoopbackClient.chatBody(stream: false)))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("content-type"), "application/json")
        XCTAssertEqual(response.header("content-length"), String(response.body.count))
        let json = try response.json()
        XCTAssertEqual(json["object"] as? String, "chat.completion")
        XCTAssertEqual(json["model"] as? String, "test-model")
        let message = try XCTUnwrap(json.firstChoice?["message"] as? [String: Any])
        XCTAssertEqual(message["role"] as? String, "assistant")
        XCTAssertEqual(message["content"] as? String, "the quick brown fox ")
        XCTAssertEqual(json.firstChoice?["finish_reason"] as? String, "stop")
        XCTAssertEqual(json["usage"] as? [String: Int], ["prompt_tokens": 7, "completion_tokens": 4, "total_tokens": 11])
    }

    func testNonStreamMaxTokensFinishesWithLength() throws {
        let (_, port) = try startMockServer { $0.outputTokens = 4 }
        let response = try LoopbackClient.exchange(
            port: port, LoopbackClient.requestBytes(body: LoopbackClient.chatBody(stream: false, maxTokens: 2)))
        let json = try response.json()
        XCTAssertEqual((json.firstChoice?["message"] as? [String: Any])?["content"] as? String, "the quick ")
        XCTAssertEqual(json.firstChoice?["finish_reason"] as? String, "length")
    }

    func testModelIsEchoedWithEscapes() throws {
        let (_, port) = try startMockServer { $0.outputTokens = 1 }
        let body = #"{"model":"we\"ird\\m\u00e9","messages":[{"role":"user","content":"hi"}],"stream":true}"#
        let response = try LoopbackClient.exchange(port: port, LoopbackClient.requestBytes(body: body))
        XCTAssertEqual(try eventJSON(response.events[0])["model"] as? String, "we\"ird\\m\u{e9}")
        let noModel = try LoopbackClient.exchange(port: port, LoopbackClient.requestBytes(body: #"{"messages":[]}"#))
        XCTAssertEqual(try noModel.json()["model"] as? String, "mock-model")
    }

    func testKeepAliveServesPipelinedRequestsInOrder() throws {
        let (_, port) = try startMockServer { $0.outputTokens = 2 }
        let fd = try LoopbackClient.connect(port: port)
        defer { close(fd) }
        // Three requests in one write; the first is delayed so the others must wait for it.
        let requests =
            LoopbackClient.requestBytes(
                headers: ["x-mock-ttft-ms": "30"], body: LoopbackClient.chatBody(stream: true, model: "first"))
            + LoopbackClient.requestBytes(body: LoopbackClient.chatBody(stream: false, model: "second"))
            + LoopbackClient.requestBytes(method: "GET", path: "/health")
        try LoopbackClient.sendAll(fd, requests)
        let responses = try LoopbackClient.read(fd: fd, count: 3)
        XCTAssertEqual(try eventJSON(responses[0].events[0])["model"] as? String, "first")
        XCTAssertEqual(responses[0].events.last?.data, "[DONE]")
        XCTAssertEqual(try responses[1].json()["model"] as? String, "second")
        XCTAssertEqual(responses[2].bodyText, "ok")
        // The connection is still usable.
        try LoopbackClient.sendAll(fd, LoopbackClient.requestBytes(method: "GET", path: "/health"))
        XCTAssertEqual(try LoopbackClient.read(fd: fd, count: 1)[0].status, 200)
    }

    func testConnectionCloseIsHonoured() throws {
        let (_, port) = try startMockServer { $0.outputTokens = 2 }
        let fd = try LoopbackClient.connect(port: port)
        defer { close(fd) }
        try LoopbackClient.sendAll(
            fd,
            LoopbackClient.requestBytes(headers: ["connection": "close"], body: LoopbackClient.chatBody(stream: true)))
        let response = try LoopbackClient.read(fd: fd, count: 1)[0]
        XCTAssertEqual(response.header("connection"), "close")
        XCTAssertEqual(response.events.last?.data, "[DONE]")
        XCTAssertTrue(LoopbackClient.isClosedByPeer(fd: fd))
    }

    func testHeaderOverrides() throws {
        let (_, port) = try startMockServer { $0.outputTokens = 8 }
        let tokens = try LoopbackClient.exchange(
            port: port,
            LoopbackClient.requestBytes(headers: ["X-Mock-Tokens": "2"], body: LoopbackClient.chatBody(stream: true)))
        XCTAssertEqual(tokens.events.count, 1 + 2 + 2)
        let status = try LoopbackClient.exchange(
            port: port,
            LoopbackClient.requestBytes(headers: ["x-mock-status": "503"], body: LoopbackClient.chatBody(stream: true)))
        XCTAssertEqual(status.status, 503)
        XCTAssertEqual((try status.json()["error"] as? [String: Any])?["type"] as? String, "server_error")
    }

    func testExpectContinueGetsAnInterimResponse() throws {
        let (_, port) = try startMockServer { $0.outputTokens = 1 }
        let fd = try LoopbackClient.connect(port: port)
        defer { close(fd) }
        let body = LoopbackClient.chatBody(stream: false)
        var request = LoopbackClient.requestBytes(headers: ["expect": "100-continue"], body: body)
        request.removeLast(body.utf8.count)
        try LoopbackClient.sendAll(fd, request)
        XCTAssertEqual(try LoopbackClient.read(fd: fd, count: 1, timeoutMillis: 500)[0].status, 100)
        try LoopbackClient.sendAll(fd, Array(body.utf8))
        XCTAssertEqual(try LoopbackClient.read(fd: fd, count: 1)[0].status, 200)
    }
}
