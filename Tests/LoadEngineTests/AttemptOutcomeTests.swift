import CLibUV
import Foundation
import LoadCore
@testable import LoadEngine
import XCTest

/// The classification of ended attempts, a pure function: one row per way an attempt can end.
final class AttemptOutcomeTests: XCTestCase {
    private let key = "xx-OUTCOME-0123456789abcdef"
    private var redactor: SecretRedactor { SecretRedactor(secrets: [key]) }

    private static let goodBody = Array(
        #"{"object":"chat.completion","choices":[{"message":{"content":"hi"}}],"usage":{"prompt_tokens":3,"completion_tokens":1}}"#.utf8)

    private static func summary(_ code: CURLcode) -> String { String(cString: curl_easy_strerror(code)) }

    private static func failed(_ code: CURLcode, detail: String = "", connected: Bool = false, errno: Int32 = 0)
        -> AttemptEnd.Transport {
        .failed(code: code, summary: String(cString: curl_easy_strerror(code)), detail: detail, connected: connected,
                osErrno: errno)
    }

    func testEveryWayAnAttemptEnds() {
        let refused = Self.failed(CURLE_COULDNT_CONNECT, detail: "Failed to connect to 127.0.0.1 port 9: Connection refused",
                                  errno: ECONNREFUSED)
        let rows: [(name: String, end: AttemptEnd, expected: AttemptVerdict)] = [
            ("stream with [DONE]",
             AttemptEnd(status: 200, headersComplete: true,
                        body: .eventStream(failure: nil, sawDone: true, droppedPartialEvent: false)),
             .success(body: nil)),
            ("non-streamed answer",
             AttemptEnd(status: 200, headersComplete: true, body: .plain(Self.goodBody)),
             .success(body: StreamUpdate(tokens: 1, usage: TokenUsage(inputTokens: 3, outputTokens: 1)))),
            ("stream cut before [DONE]",
             AttemptEnd(status: 200, headersComplete: true,
                        body: .eventStream(failure: nil, sawDone: false, droppedPartialEvent: false)),
             .failure(.protocol, message: "stream ended before [DONE]")),
            ("stream cut inside an event",
             AttemptEnd(status: 200, headersComplete: true,
                        body: .eventStream(failure: nil, sawDone: false, droppedPartialEvent: true)),
             .failure(.protocol, message: "stream ended inside an event, before [DONE]")),
            ("error event in a 2xx stream",
             AttemptEnd(status: 200, headersComplete: true,
                        body: .eventStream(failure: StreamFailure(kind: .providerError, message: "boom \(key)"),
                                           sawDone: true, droppedPartialEvent: false)),
             .failure(.streamError, message: "boom [redacted]")),
            ("overloaded event",
             AttemptEnd(status: 200, headersComplete: true,
                        body: .eventStream(failure: StreamFailure(kind: .overloaded, message: "overloaded"),
                                           sawDone: false, droppedPartialEvent: false)),
             .failure(.overloaded, message: "overloaded")),
            ("429 with its body",
             AttemptEnd(status: 429, headersComplete: true, body: .plain(Array("slow\ndown".utf8))),
             .failure(.http429, message: "HTTP 429: slow down")),
            ("529",
             AttemptEnd(status: 529, headersComplete: true, body: .plain([])),
             .failure(.overloaded, message: "HTTP 529: ")),
            ("503 whose body was cut short",
             AttemptEnd(transport: Self.failed(CURLE_PARTIAL_FILE, connected: true), status: 503, headersComplete: true,
                        body: .plain(Array("unavail".utf8))),
             .failure(.http5xx, message: "HTTP 503: unavail (body cut short: \(Self.summary(CURLE_PARTIAL_FILE)))")),
            ("refused",
             AttemptEnd(transport: refused),
             .failure(.connect, message: Self.summary(CURLE_COULDNT_CONNECT) + ": Failed to connect to 127.0.0.1 port 9: Connection refused")),
            ("out of descriptors (errno)",
             AttemptEnd(transport: Self.failed(CURLE_COULDNT_CONNECT, errno: EMFILE)),
             .failure(.clientFds, message: Self.summary(CURLE_COULDNT_CONNECT))),
            ("system out of descriptors",
             AttemptEnd(transport: Self.failed(CURLE_COULDNT_CONNECT, errno: ENFILE)),
             .failure(.clientFds, message: Self.summary(CURLE_COULDNT_CONNECT))),
            ("out of descriptors (message only)",
             AttemptEnd(transport: Self.failed(CURLE_COULDNT_CONNECT, detail: "socket failure: Too many open files")),
             .failure(.clientFds, message: Self.summary(CURLE_COULDNT_CONNECT) + ": socket failure: Too many open files")),
            ("out of local ports",
             AttemptEnd(transport: Self.failed(CURLE_COULDNT_CONNECT, errno: EADDRNOTAVAIL)),
             .failure(.clientPorts, message: Self.summary(CURLE_COULDNT_CONNECT))),
            ("connect timeout",
             AttemptEnd(transport: Self.failed(CURLE_OPERATION_TIMEDOUT)),
             .failure(.timeoutConnect, message: Self.summary(CURLE_OPERATION_TIMEDOUT))),
            ("total timeout",
             AttemptEnd(transport: Self.failed(CURLE_OPERATION_TIMEDOUT, connected: true), status: 200, headersComplete: true,
                        body: .eventStream(failure: nil, sawDone: false, droppedPartialEvent: false)),
             .failure(.timeoutTotal, message: Self.summary(CURLE_OPERATION_TIMEDOUT))),
            ("TLS",
             AttemptEnd(transport: Self.failed(CURLE_PEER_FAILED_VERIFICATION)),
             .failure(.tls, message: Self.summary(CURLE_PEER_FAILED_VERIFICATION))),
            ("reset mid-stream",
             AttemptEnd(transport: Self.failed(CURLE_RECV_ERROR, connected: true), status: 200, headersComplete: true,
                        body: .eventStream(failure: nil, sawDone: false, droppedPartialEvent: false)),
             .failure(.protocol, message: Self.summary(CURLE_RECV_ERROR))),
            ("aborted by the reader",
             AttemptEnd(transport: Self.failed(CURLE_WRITE_ERROR, connected: true), status: 200, headersComplete: true,
                        abortReason: "an SSE event exceeded 1048576 bytes without ending"),
             .failure(.protocol, message: "an SSE event exceeded 1048576 bytes without ending")),
            ("no final status",
             AttemptEnd(status: 0, headersComplete: false),
             .failure(.protocol, message: "HTTP 0: ")),
            ("TTFT timeout",
             AttemptEnd(status: 200, headersComplete: true, timeout: (.timeoutTTFT, "no content token within 1s"),
                        body: .eventStream(failure: nil, sawDone: false, droppedPartialEvent: false)),
             .failure(.timeoutTTFT, message: "no content token within 1s")),
            ("idle timeout before the headers ended",
             AttemptEnd(status: 200, headersComplete: false, timeout: (.timeoutIdle, "no byte for 2s")),
             .failure(.timeoutIdle, message: "no byte for 2s")),
            ("error body that stalled",
             AttemptEnd(status: 500, headersComplete: true, timeout: (.timeoutIdle, "no byte for 2s"),
                        body: .plain(Array("oops \(key)".utf8))),
             .failure(.http5xx, message: "HTTP 500: oops [redacted] (body stalled: no byte for 2s)")),
            ("non-streamed body that is not JSON",
             AttemptEnd(status: 200, headersComplete: true, body: .plain(Array("<html>".utf8))),
             .failure(.protocol, message: "")),
        ]
        for row in rows {
            let verdict = AttemptOutcome.classify(row.end, dialect: .openAI, redactor: redactor)
            if case .failure(let errorClass, let message) = row.expected, message.isEmpty {
                // Only the class is fixed (the parser words the message).
                guard case .failure(let got, _) = verdict else { return XCTFail("\(row.name): \(verdict)") }
                XCTAssertEqual(got, errorClass, row.name)
            } else {
                XCTAssertEqual(verdict, row.expected, row.name)
            }
        }
    }

    /// An error body's excerpt hides the key even when the key crosses the 300-byte cut.
    func testErrorExcerptIsRedactedBeforeTheCut() {
        let body = Array((String(repeating: "x", count: 290) + key + "tail").utf8)
        let verdict = AttemptOutcome.classify(
            AttemptEnd(status: 401, headersComplete: true, body: .plain(body)), dialect: .openAI, redactor: redactor)
        XCTAssertEqual(verdict, .failure(.http4xx, message: "HTTP 401: " + String(repeating: "x", count: 290) + "[redacted]…"))
    }
}
