import XCTest

@testable import MockProvider

/// Error injection, request validation, routing and the server's lifecycle.
final class ErrorResponseTests: XCTestCase {
    private func errorObject(_ response: LoopbackResponse) throws -> [String: Any] {
        try XCTUnwrap(try response.json()["error"] as? [String: Any], response.bodyText)
    }

    func testErrorRateOneWith429GivesRateLimitHeaders() throws {
        let (_, port) = try startMockServer {
            $0.errorRate = 1
            $0.errorStatus = 429
        }
        for stream in [true, false] {
            let response = try LoopbackClient.exchange(
                port: port, LoopbackClient.requestBytes(body: LoopbackClient.chatBody(stream: stream)))
            XCTAssertEqual(response.status, 429)
            XCTAssertEqual(response.header("retry-after"), "1")
            XCTAssertEqual(response.header("x-ratelimit-remaining-requests"), "0")
            let error = try errorObject(response)
            XCTAssertEqual(error["type"] as? String, "requests")
            XCTAssertEqual(error["code"] as? String, "rate_limit_exceeded")
            XCTAssertNotNil(error["message"] as? String)
        }
    }

    func testInjected500IsServerError() throws {
        let (_, port) = try startMockServer { $0.errorRate = 1 }
        let response = try LoopbackClient.exchange(
            port: port, LoopbackClient.requestBytes(body: LoopbackClient.chatBody(stream: true)))
        XCTAssertEqual(response.status, 500)
        XCTAssertEqual(try errorObject(response)["type"] as? String, "server_error")
        XCTAssertNil(response.header("retry-after"))
    }

    func testErrorRateIsSeededAndProportional() throws {
        func statuses(seed: UInt64) throws -> [Int] {
            var settings = MockConfig.immediate
            settings.errorRate = 0.3
            settings.errorStatus = 503
            settings.outputTokens = 1
            let server = MockServer(config: MockConfig(settings: settings, seed: seed, threads: 1))
            let port = try server.start()
            defer { server.shutdown() }
            let fd = try LoopbackClient.connect(port: port)
            defer { close(fd) }
            let request = LoopbackClient.requestBytes(body: LoopbackClient.chatBody(stream: false))
            try LoopbackClient.sendAll(fd, Array([[UInt8]](repeating: request, count: 300).joined()))
            return try LoopbackClient.read(fd: fd, count: 300).map(\.status)
        }
        let first = try statuses(seed: 42)
        XCTAssertEqual(first, try statuses(seed: 42), "same seed, same sequence")
        XCTAssertNotEqual(first, try statuses(seed: 43))
        let errors = first.filter { $0 == 503 }.count
        XCTAssertEqual(first.filter { $0 != 503 && $0 != 200 }.count, 0)
        XCTAssertEqual(Double(errors) / 300, 0.3, accuracy: 0.1)
    }

    func testInvalidBodiesGet400() throws {
        let (_, port) = try startMockServer()
        let bodies = [
            "",  // empty
            "{",  // truncated
            #"{"messages":[],}"#,  // trailing comma
            #"{"stream":"yes"}"#,  // stream is not a boolean
            #"{"max_tokens":0}"#,  // below minimum
            #"{"max_tokens":1.5}"#,  // not an integer
            "[1,2]",  // not an object
            #"{"a":1} x"#,  // trailing garbage
        ]
        for body in bodies {
            let response = try LoopbackClient.exchange(port: port, LoopbackClient.requestBytes(body: body))
            XCTAssertEqual(response.status, 400, body)
            XCTAssertEqual(try errorObject(response)["type"] as? String, "invalid_request_error", body)
        }
    }

    func testRouting() throws {
        let (_, port) = try startMockServer()
        let cases: [(method: String, path: String, status: Int)] = [
            ("GET", "/health", 200),  // health check
            ("POST", "/v1/completions", 404),  // unknown path
            ("GET", "/", 404),  // root
            ("GET", "/v1/chat/completions", 405),  // wrong method on the chat path
            ("POST", "/health", 405),  // wrong method on health
        ]
        for (method, path, status) in cases {
            let response = try LoopbackClient.exchange(port: port, LoopbackClient.requestBytes(method: method, path: path))
            XCTAssertEqual(response.status, status, "\(method) \(path)")
            if status == 404 || status == 405 {
                XCTAssertNotNil(try errorObject(response)["message"] as? String)
            }
        }
        let wrongMethod = try LoopbackClient.exchange(
            port: port, LoopbackClient.requestBytes(method: "GET", path: "/v1/chat/completions"))
        XCTAssertEqual(wrongMethod.header("allow"), "POST")
        let withQuery = try LoopbackClient.exchange(
            port: port, LoopbackClient.requestBytes(path: "/v1/chat/completions?x=1", body: "{}"))
        XCTAssertEqual(withQuery.status, 200)
    }

    func testMalformedHTTPGets400AndClose() throws {
        let (_, port) = try startMockServer()
        let fd = try LoopbackClient.connect(port: port)
        defer { close(fd) }
        try LoopbackClient.sendAll(fd, Array("NOT HTTP AT ALL\r\n\r\n".utf8))
        let response = try LoopbackClient.read(fd: fd, count: 1)[0]
        XCTAssertEqual(response.status, 400)
        XCTAssertTrue(LoopbackClient.isClosedByPeer(fd: fd))
    }

    func testShutdownReleasesThePortAndIsIdempotent() throws {
        let first = MockServer(config: MockConfig())
        let port = try first.start()
        XCTAssertEqual(first.port, port)
        XCTAssertThrowsError(try first.start()) { XCTAssertEqual($0 as? MockServerError, .alreadyStarted) }
        // An open keep-alive connection must not keep the port busy.
        let fd = try LoopbackClient.connect(port: port)
        defer { close(fd) }
        first.shutdown()
        first.shutdown()
        XCTAssertNil(first.port)
        XCTAssertThrowsError(try first.start()) { XCTAssertEqual($0 as? MockServerError, .alreadyShutDown) }

        let second = MockServer(config: MockConfig())
        XCTAssertEqual(try second.start(port: port), port)
        defer { second.shutdown() }
        let response = try LoopbackClient.exchange(port: port, LoopbackClient.requestBytes(method: "GET", path: "/health"))
        XCTAssertEqual(response.bodyText, "ok")
    }
}
