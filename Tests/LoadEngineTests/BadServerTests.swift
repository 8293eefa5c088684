import Foundation
import LoadCore
import LoadEngine
import TestSupport
import XCTest

/// Servers that break the exchange in realistic ways: every attempt becomes a classified error
/// record (never a crash or a hang), every request is accounted for, and the run goes on.
///
/// Each run uses `ScriptedServer` on 127.0.0.1 with one connection per request (`Connection:
/// close`), so `served.count == requests` also shows that the engine made exactly one attempt per
/// request. The total timeout is 5 s unless a test says otherwise: a run that finishes in well under
/// that (`maxSeconds`, 2 s) did not wait for libcurl's timeout to rescue it.
final class BadServerTests: XCTestCase {
    /// Ceiling for the wall-clock time of a run whose server misbehaves without stalling. The work
    /// takes milliseconds (the endless line: ~1 MiB per attempt over loopback); 2 s leaves room for
    /// a 2-core machine shared with other builds while staying far below the 5 s attempt timeout.
    private let maxSeconds = 2.0

    // MARK: - Streams that end badly

    /// Chunked stream, three tokens, then FIN without the terminating chunk: libcurl reports a
    /// partial transfer (CURLE_PARTIAL_FILE) → `.protocol`; the tokens seen are kept.
    func testChunkedStreamClosedEarlyIsProtocolError() throws {
        let run = try runAgainst(.streamThenClose(events: 3, chunked: true))
        assertAccountedFor(run, requests: 10)
        for record in run.records {
            XCTAssertEqual(record.errorClass, .protocol)
            XCTAssertEqual(record.status, 200)
            XCTAssertFalse(record.succeeded)
            XCTAssertEqual(record.countedOutputTokens, 3)
            XCTAssertNotNil(record.firstTokenNanos)
            assertMessage(record, contains: "partial")
        }
    }

    /// Close-delimited stream (no length, no chunking): the close is a valid end of body for HTTP,
    /// so libcurl succeeds and only the missing `[DONE]` shows the truncation → `.protocol`.
    func testCloseDelimitedStreamWithoutDoneIsProtocolError() throws {
        let run = try runAgainst(.streamThenClose(events: 3, chunked: false))
        assertAccountedFor(run, requests: 10)
        for record in run.records {
            XCTAssertEqual(record.errorClass, .protocol)
            XCTAssertEqual(record.status, 200)
            XCTAssertEqual(record.errorMessage, "stream ended before [DONE]")
            XCTAssertEqual(record.countedOutputTokens, 3)
        }
    }

    /// Two tokens, then a TCP reset → `.protocol`, with the two tokens kept (the server pauses
    /// 50 ms before the reset, so they are read first), and curl's own words for the cause. (libuv
    /// reports the reset as an error status; the engine lets curl read the socket and find out.)
    func testResetMidStreamIsProtocolError() throws {
        let run = try runAgainst(.resetMidStream)
        assertAccountedFor(run, requests: 10)
        for record in run.records {
            XCTAssertEqual(record.errorClass, .protocol)
            XCTAssertEqual(record.status, 200)
            XCTAssertEqual(record.countedOutputTokens, 2)
            XCTAssertNotNil(record.firstTokenNanos)
            assertMessage(record, contains: "Connection reset by peer")
        }
    }

    /// A chunk whose JSON is cut short, then `[DONE]`: the stream is complete but broken → `.protocol`.
    func testMalformedJSONChunkIsProtocolError() throws {
        let run = try runAgainst(.malformedJSON)
        assertAccountedFor(run, requests: 10)
        for record in run.records {
            XCTAssertEqual(record.errorClass, .protocol)
            XCTAssertEqual(record.status, 200)
            XCTAssertEqual(record.countedOutputTokens, 0)
            XCTAssertNil(record.firstTokenNanos)
            assertMessage(record, contains: "invalid JSON")
            assertMessage(record, contains: #"{"choices":[{"delta":{"content":"hi""#)
        }
    }

    /// A provider error object inside a 200 stream → `.streamError`, with the provider's words.
    func testErrorEventMidStreamIsStreamError() throws {
        let run = try runAgainst(.errorEventMidStream(overloaded: false))
        assertAccountedFor(run, requests: 10)
        for record in run.records {
            XCTAssertEqual(record.errorClass, .streamError)
            XCTAssertEqual(record.status, 200)
            XCTAssertEqual(record.errorMessage, "server_error: boom")
            XCTAssertEqual(record.countedOutputTokens, 1, "the token before the error is counted")
        }
    }

    /// The same with type `overloaded_error` → `.overloaded`.
    func testOverloadedErrorEventMidStreamIsOverloaded() throws {
        let run = try runAgainst(.errorEventMidStream(overloaded: true))
        assertAccountedFor(run, requests: 10)
        for record in run.records {
            XCTAssertEqual(record.errorClass, .overloaded)
            XCTAssertEqual(record.status, 200)
            XCTAssertEqual(record.errorMessage, "overloaded_error: boom")
        }
    }

    /// Headers and the role chunk, then silence. With a 500 ms total timeout every attempt is a
    /// `.timeoutTotal` ending in [0.5, 1.5] s after its start: libcurl never fires its timeout early
    /// (the lower bound is exact), and the upper bound leaves 1 s for a loaded machine.
    /// 4 requests from 2 users (two rounds of ~0.5 s) keep the test near 1 s; the run must end
    /// within 3 s, and the server must see every connection closed by the client.
    func testStallAfterHeadersTimesOut() throws {
        let run = try runAgainst(.stallAfterHeaders, requests: 4, totalTimeoutNanos: 500_000_000)
        assertAccountedFor(run, requests: 4, maxSeconds: 3)
        for record in run.records {
            XCTAssertEqual(record.errorClass, .timeoutTotal)
            XCTAssertEqual(record.status, 200)
            XCTAssertNotNil(record.headersNanos, "the headers did arrive")
            XCTAssertNil(record.firstTokenNanos, "a role chunk is not a token")
            XCTAssertTrue((500...1_500).contains(record.totalMillis), "attempt took \(record.totalMillis) ms")
            assertMessage(record, contains: "timed out")
        }
        XCTAssertTrue(run.served.allSatisfy(\.clientWentAway), "the client hung up every stalled connection")
    }

    /// An `event: error` whose data is plain text (not JSON) inside a 200 stream → `.streamError`
    /// carrying that text.
    func testPlainTextErrorEventIsStreamError() throws {
        let stream = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
            + ScriptedServer.roleChunk + "event: error\ndata: upstream connect error\n\n" + ScriptedServer.doneEvent
        let run = try runAgainst(.raw(stream))
        assertAccountedFor(run, requests: 10)
        for record in run.records {
            XCTAssertEqual(record.errorClass, .streamError)
            XCTAssertEqual(record.status, 200)
            XCTAssertEqual(record.errorMessage, "upstream connect error")
        }
    }

    // MARK: - Not HTTP at all

    /// `hello\r\n\r\n` instead of a status line: libcurl refuses it (HTTP/0.9 is off) → `.protocol`, status 0.
    func testGarbageInsteadOfHTTPIsProtocolError() throws {
        let run = try runAgainst(.garbageInsteadOfHTTP)
        assertAccountedFor(run, requests: 10)
        for record in run.records {
            XCTAssertEqual(record.errorClass, .protocol)
            XCTAssertEqual(record.status, 0)
            XCTAssertNil(record.headersNanos)
            assertMessage(record, contains: "HTTP/0.9")
        }
    }

    /// The server reads the request and closes without a byte: CURLE_GOT_NOTHING → `.protocol`.
    /// (Not `.connect`: the connection was made.)
    func testCloseWithoutAnswerIsProtocolError() throws {
        let run = try runAgainst(.closeImmediately)
        assertAccountedFor(run, requests: 10)
        for record in run.records {
            XCTAssertEqual(record.errorClass, .protocol)
            XCTAssertEqual(record.status, 0)
            XCTAssertNotNil(record.connectNanos, "the TCP connect succeeded")
            assertMessage(record, contains: "Empty reply")
        }
    }

    /// The server reads the request and resets the connection before any answer → `.protocol`,
    /// status 0, with curl's words for the cause.
    func testResetBeforeResponseIsProtocolError() throws {
        let run = try runAgainst(.resetBeforeResponse)
        assertAccountedFor(run, requests: 10)
        for record in run.records {
            XCTAssertEqual(record.errorClass, .protocol)
            XCTAssertEqual(record.status, 0)
            XCTAssertNil(record.headersNanos)
            assertMessage(record, contains: "Connection reset by peer")
        }
    }

    /// A 429 whose body is cut short is still a 429 (the status is the result), and the message
    /// says the body was cut.
    func testTruncated429IsStillHTTP429() throws {
        let run = try runAgainst(
            .raw("HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nContent-Length: 200\r\n"
                 + "Connection: close\r\n\r\n{\"error\":{\"message\":\"slow down"))
        assertAccountedFor(run, requests: 10)
        for record in run.records {
            XCTAssertEqual(record.errorClass, .http429)
            XCTAssertEqual(record.status, 429)
            assertMessage(record, contains: "HTTP 429: {\"error\":{\"message\":\"slow down")
            assertMessage(record, contains: "body cut short")
        }
    }

    /// `data: xxx...` without a line ending: the engine aborts once the event passes 1 MiB →
    /// `.protocol`, and the server sees the client go away long before its 16 MiB cap.
    /// 4 requests from 2 users: ~1 MiB each over loopback.
    func testEndlessLineIsAbortedAsProtocolError() throws {
        let run = try runAgainst(.endlessLine, requests: 4)
        assertAccountedFor(run, requests: 4)
        for record in run.records {
            XCTAssertEqual(record.errorClass, .protocol)
            XCTAssertEqual(record.status, 200)
            XCTAssertEqual(record.errorMessage, "an SSE event exceeded 1048576 bytes without ending")
        }
        for served in run.served {
            XCTAssertTrue(served.clientWentAway, "connection \(served.index)")
            XCTAssertGreaterThan(served.bytesSent, 1 << 20, "the client read past 1 MiB before giving up")
            XCTAssertLessThan(served.bytesSent, ScriptedServer.endlessLineCap, "the client gave up, not the server")
        }
    }

    // MARK: - Error statuses

    func testStatus503IsHTTP5xxWithBodyExcerpt() throws {
        let body = #"{"error":{"message":"upstream unavailable","type":"server_error"}}"#
        let run = try runAgainst(.status(503, body: body))
        assertAccountedFor(run, requests: 10)
        for record in run.records {
            XCTAssertEqual(record.errorClass, .http5xx)
            XCTAssertEqual(record.status, 503)
            XCTAssertEqual(record.errorMessage, "HTTP 503: \(body)")
            XCTAssertNil(record.firstTokenNanos)
        }
    }

    func testStatus529IsOverloaded() throws {
        let body = #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#
        let run = try runAgainst(.status(529, body: body))
        assertAccountedFor(run, requests: 10)
        for record in run.records {
            XCTAssertEqual(record.errorClass, .overloaded)
            XCTAssertEqual(record.status, 529)
            XCTAssertEqual(record.errorMessage, "HTTP 529: \(body)")
        }
    }

    func testStatus401IsHTTP4xx() throws {
        let body = #"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}"#
        let run = try runAgainst(.status(401, body: body))
        assertAccountedFor(run, requests: 10)
        for record in run.records {
            XCTAssertEqual(record.errorClass, .http4xx)
            XCTAssertEqual(record.status, 401)
            assertMessage(record, contains: "Incorrect API key")
        }
    }

    func testStatus429IsHTTP429() throws {
        let run = try runAgainst(.status(429, body: #"{"error":{"message":"Rate limit reached"}}"#))
        assertAccountedFor(run, requests: 10)
        XCTAssertTrue(run.records.allSatisfy { $0.errorClass == .http429 && $0.status == 429 })
    }

    // MARK: - Good and bad together

    /// The control: a correct stream succeeds with its tokens.
    func testGoodStreamSucceeds() throws {
        let run = try runAgainst(.good(tokens: 5))
        assertAccountedFor(run, requests: 10)
        for record in run.records {
            XCTAssertTrue(record.succeeded, record.errorMessage ?? "")
            XCTAssertNil(record.errorMessage)
            XCTAssertEqual(record.countedOutputTokens, 5)
            XCTAssertEqual(record.usageOutputTokens, 5)
            XCTAssertEqual(record.usageInputTokens, 9)
        }
    }

    /// Requests alternate (by arrival at the server) between a good 4-token stream and one of five
    /// broken answers. 20 requests → 10 good, 2 of each broken kind; the classes split exactly so,
    /// and the good ones are unharmed by the broken ones around them.
    func testMixedGoodAndBrokenSplitExactlyAsScripted() throws {
        let broken: [ScriptedServer.Behaviour] = [
            .streamThenClose(events: 2), .malformedJSON, .errorEventMidStream(overloaded: false),
            .status(503, body: "{}"), .resetMidStream,
        ]
        let server = try makeServer(script: { index in
            index % 2 == 0 ? .good(tokens: 4) : broken[(index / 2) % broken.count]
        })
        let run = try run(server, requests: 20)
        assertAccountedFor(run, requests: 20)

        let good = run.records.filter(\.succeeded)
        XCTAssertEqual(good.count, 10)
        XCTAssertTrue(good.allSatisfy { $0.countedOutputTokens == 4 && $0.usageOutputTokens == 4 && $0.errorClass == nil })
        var classes: [ErrorClass: Int] = [:]
        for record in run.records {
            if let errorClass = record.errorClass { classes[errorClass, default: 0] += 1 }
        }
        // streamThenClose, malformedJSON and resetMidStream are protocol errors: 3 kinds × 2.
        XCTAssertEqual(classes, [.protocol: 6, .streamError: 2, .http5xx: 2])
        XCTAssertEqual(run.served.filter { $0.behaviour == .good(tokens: 4) }.count, 10)
    }

    // MARK: - Helpers

    private struct Run {
        var records: [AttemptRecord]
        var outcome: RunOutcome
        var seconds: Double
        /// The server's log, read after it stopped.
        var served: [ScriptedServer.Served]
    }

    private func makeServer(script: @escaping (Int) -> ScriptedServer.Behaviour) throws -> ScriptedServer {
        let server = try ScriptedServer(script: script)
        addTeardownBlock { server.stop() }
        return server
    }

    private func runAgainst(
        _ behaviour: ScriptedServer.Behaviour, users: Int = 2, requests: Int = 10,
        totalTimeoutNanos: UInt64 = 5_000_000_000
    ) throws -> Run {
        try run(makeServer(script: { _ in behaviour }), users: users, requests: requests, totalTimeoutNanos: totalTimeoutNanos)
    }

    /// A closed loop of `users` against the server, then the server is stopped (threads joined).
    private func run(
        _ server: ScriptedServer, users: Int = 2, requests: Int, totalTimeoutNanos: UInt64 = 5_000_000_000
    ) throws -> Run {
        var template = RequestTemplate(
            url: server.chatURL, headers: ["Content-Type: application/json", "Accept: text/event-stream"],
            bodies: [MockHarness.body()])
        template.totalTimeoutNanos = totalTimeoutNanos
        template.connectTimeoutNanos = 2_000_000_000
        let engine = try Engine(
            template: template, plan: LoadPlan(mode: .closed(users: users, thinkTimeNanos: 0), maxRequests: requests))
        var records: [AttemptRecord] = []
        engine.onAttempt = { records.append($0) }
        let began = DispatchTime.now().uptimeNanoseconds
        let outcome = try engine.run()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        server.stop()
        return Run(records: records, outcome: outcome, seconds: seconds, served: server.served)
    }

    /// Every request has exactly one record and one server connection, the loop closed cleanly,
    /// every failure says something, and the run ended in bounded time.
    private func assertAccountedFor(
        _ run: Run, requests: Int, maxSeconds: Double? = nil, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(run.records.count, requests, "records", file: file, line: line)
        XCTAssertEqual(Set(run.records.map(\.requestID)), Set((0..<UInt64(requests))), "request ids", file: file, line: line)
        XCTAssertEqual(run.outcome.started, requests, "started", file: file, line: line)
        XCTAssertEqual(run.outcome.completed, requests, "completed", file: file, line: line)
        XCTAssertEqual(run.outcome.loopCloseStatus, 0, "every libuv handle closed", file: file, line: line)
        let limit = maxSeconds ?? self.maxSeconds
        XCTAssertLessThan(run.seconds, limit, "the run took \(run.seconds) s", file: file, line: line)
        XCTAssertEqual(run.served.count, requests, "one connection per request: no retries", file: file, line: line)
        let bodyBytes = MockHarness.body().count
        for served in run.served {
            XCTAssertEqual(served.requestLine, "POST /v1/chat/completions HTTP/1.1", file: file, line: line)
            XCTAssertEqual(served.requestBodyBytes, bodyBytes, file: file, line: line)
        }
        for record in run.records where !record.succeeded {
            XCTAssertNotNil(record.errorClass, "request \(record.requestID) failed without a class", file: file, line: line)
            XCTAssertFalse(record.errorMessage?.isEmpty ?? true, "request \(record.requestID) has no message", file: file, line: line)
            XCTAssertGreaterThanOrEqual(record.endNanos, record.startNanos, file: file, line: line)
        }
    }

    private func assertMessage(
        _ record: AttemptRecord, contains text: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        let message = record.errorMessage ?? ""
        XCTAssertTrue(message.contains(text), "request \(record.requestID): \(message)", file: file, line: line)
    }
}
