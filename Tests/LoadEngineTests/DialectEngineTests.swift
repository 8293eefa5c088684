import Foundation
import LoadCore
import LoadEngine
import MockProvider
import XCTest

/// Each dialect through real libcurl against the mock: timing, tokens and usage as the mock was
/// told, and every error class the mock's faults produce, with the run going on.
final class DialectEngineTests: XCTestCase {
    /// A request template for `dialect` against the mock, as loadgen builds it.
    private func template(_ mock: MockHarness, _ dialect: APIDialect, stream: Bool = true) -> RequestTemplate {
        let prompt = #"[{"role":"user","content":"Say hello"}]"#
        var headers = ["Content-Type: application/json", "Accept: text/event-stream"]
        let root: String
        let body: String
        switch dialect {
        case .openAI, .groq:
            root = dialect == .groq ? "/openai/v1" : "/v1"
            headers.append("Authorization: Bearer test-key")
            body = #"{"model":"m","messages":\#(prompt),"stream":\#(stream)"#
                + (stream ? #","stream_options":{"include_usage":true}}"# : "}")
        case .anthropic:
            root = "/v1"
            headers += ["x-api-key: test-key", "anthropic-version: 2023-06-01"]
            body = #"{"model":"m","max_tokens":1024,"messages":\#(prompt),"stream":\#(stream)}"#
        }
        var template = RequestTemplate(url: "http://127.0.0.1:\(mock.port)\(root)/\(dialect.requestPath)",
                                       headers: headers, bodies: [Array(body.utf8)])
        template.dialect = dialect
        return template
    }

    /// 50 ms TTFT, 5 ms between 20 tokens: every dialect measures the same, and takes its token
    /// counts from usage ("Say hello" is 9 bytes: 2 input tokens).
    func testEveryDialectMeasuresTheMocksTiming() throws {
        let mock = try MockHarness {
            $0.ttft = .fixed(nanos: 50_000_000)
            $0.interTokenDelayNanos = 5_000_000
            $0.outputTokens = 20
        }
        for dialect in APIDialect.allCases {
            let (records, outcome) = try mock.run(LoadPlan(mode: .closed(users: 4, thinkTimeNanos: 0), maxRequests: 20),
                                                  template: template(mock, dialect))
            XCTAssertEqual(records.count, 20, "\(dialect)")
            XCTAssertEqual(outcome.loopCloseStatus, 0)
            for record in records {
                XCTAssertTrue(record.succeeded, "\(dialect): \(record.errorClass.map(\.rawValue) ?? "") \(record.errorMessage ?? "")")
                XCTAssertEqual(record.countedOutputTokens, 20, "\(dialect)")
                XCTAssertEqual(record.usageOutputTokens, 20, "\(dialect)")
                XCTAssertFalse(record.outputTokensEstimated)
                XCTAssertEqual(record.usageInputTokens, 2, "\(dialect)")
                XCTAssertEqual(record.tokenOffsetsMicros.count, 20)
                // The groq mock reports the wait before its completion started (no queue: well under 50 ms).
                if dialect == .groq {
                    let queue = try XCTUnwrap(record.providerQueueNanos, "groq queue_time")
                    XCTAssertLessThan(queue, 50_000_000)
                } else {
                    XCTAssertNil(record.providerQueueNanos)
                }
            }
            // What the mock guarantees, exactly: no TTFT below 50 ms, no last token before 50 + 19 × 5 ms
            // (each token a full 5 ms after the previous write). Above that a sanity bound only (TTFT p50
            // at most twice the mock's): a loaded machine stretches both.
            let ttfts = records.compactMap(\.ttftMillis)
            XCTAssertEqual(ttfts.count, 20)
            XCTAssertGreaterThanOrEqual(ttfts.min() ?? 0, 49.9, "\(dialect)")
            XCTAssertLessThanOrEqual(exactPercentile(ttfts, 50), 100, "\(dialect) TTFT p50 \(exactPercentile(ttfts, 50)) ms")
            for record in records {
                XCTAssertGreaterThanOrEqual(record.tokenOffsetsMicros.last ?? 0, 144_000, "\(dialect): last token early")
            }
        }
    }

    func testEveryDialectWithoutStreaming() throws {
        let mock = try MockHarness { $0.outputTokens = 9 }
        for dialect in APIDialect.allCases {
            let (records, _) = try mock.run(LoadPlan(mode: .closed(users: 2, thinkTimeNanos: 0), maxRequests: 4),
                                            template: template(mock, dialect, stream: false))
            XCTAssertEqual(records.count, 4)
            for record in records {
                XCTAssertTrue(record.succeeded, "\(dialect): \(record.errorMessage ?? "")")
                XCTAssertEqual(record.usageOutputTokens, 9, "\(dialect)")
                XCTAssertEqual(record.usageInputTokens, 2, "\(dialect)")
                XCTAssertEqual(record.countedOutputTokens, 1)
                XCTAssertNotNil(record.firstTokenNanos)
                XCTAssertEqual(record.providerQueueNanos != nil, dialect == .groq, "\(dialect)")
            }
        }
    }

    /// Every fault of the mock, mixed into one run per dialect: each error class shows up with the
    /// right detail, the successes in between are whole, and the run ends normally.
    func testEveryFaultGivesItsErrorClassAndTheRunGoesOn() throws {
        let mock = try MockHarness {
            $0.threads = 1
            $0.outputTokens = 6
            $0.interTokenDelayNanos = 1_000_000
            $0.faults = [
                MockFault(kind: .http, rate: 0.08, status: 404),
                MockFault(kind: .http, rate: 0.08, status: 503),
                MockFault(kind: .http, rate: 0.08, status: 529),
                MockFault(kind: .overloadedEvent, rate: 0.08, afterTokens: 2),
                MockFault(kind: .errorEvent, rate: 0.08, afterTokens: 2),
                MockFault(kind: .malformed, rate: 0.08, afterTokens: 3),
                MockFault(kind: .disconnect, rate: 0.08, afterTokens: 3),
                MockFault(kind: .stall, rate: 0.04, afterTokens: 1),
            ]
        }
        for dialect in [APIDialect.openAI, .anthropic, .groq] {
            var run = template(mock, dialect)
            run.idleTimeoutNanos = 300_000_000  // ends the stalls, which come after a token
            run.totalTimeoutNanos = 5_000_000_000
            let (records, outcome) = try mock.run(LoadPlan(mode: .closed(users: 8, thinkTimeNanos: 0), maxRequests: 300),
                                                  template: run)
            XCTAssertEqual(records.count, 300, "\(dialect)")
            XCTAssertEqual(outcome.loopCloseStatus, 0)
            func with(_ errorClass: ErrorClass?) -> [AttemptRecord] { records.filter { $0.errorClass == errorClass } }
            let label = "\(dialect)"

            XCTAssertTrue(with(.http4xx).contains { $0.status == 404 }, label)
            XCTAssertTrue(with(.http5xx).contains { $0.status == 503 }, label)
            // Overloaded twice over: HTTP 529, and an overloaded error event inside a 200 stream.
            XCTAssertTrue(with(.overloaded).contains { $0.status == 529 }, label)
            let overloadedEvents = with(.overloaded).filter { $0.status == 200 }
            XCTAssertFalse(overloadedEvents.isEmpty, label)
            XCTAssertTrue(overloadedEvents.allSatisfy { $0.countedOutputTokens == 2 }, label)
            let streamErrors = with(.streamError)
            XCTAssertFalse(streamErrors.isEmpty, label)
            XCTAssertTrue(streamErrors.allSatisfy { $0.status == 200 && $0.countedOutputTokens == 2 }, label)
            // Protocol: invalid JSON in a chunk, and a stream cut by a disconnect.
            let protocolErrors = with(.protocol)
            XCTAssertTrue(protocolErrors.contains { $0.errorMessage?.hasPrefix("invalid JSON") == true }, "\(label) \(protocolErrors.map(\.errorMessage))")
            XCTAssertTrue(protocolErrors.contains { $0.errorMessage?.contains("transfer closed") == true },
                          "\(label) \(protocolErrors.map(\.errorMessage))")
            // A stall after a token, with idle_timeout set, is an idle timeout: the stream had begun,
            // so neither the TTFT nor the total limit is the one that ends it. It ends ≥ 300 ms after
            // its last byte (the token), within the engine's millisecond timer and the machine's load.
            let timeouts = records.filter { $0.errorClass?.isTimeout == true }
            XCTAssertFalse(timeouts.isEmpty, label)
            for record in timeouts {
                XCTAssertEqual(record.errorClass, .timeoutIdle, label)
                XCTAssertEqual(record.status, 200, label)
                XCTAssertEqual(record.countedOutputTokens, 1, label)
                let lastTokenNanos = record.startNanos + UInt64(record.tokenOffsetsMicros.last ?? 0) * 1_000
                let silenceMillis = Double(record.endNanos - lastTokenNanos) / 1e6
                XCTAssertGreaterThanOrEqual(silenceMillis, 299, label)
                XCTAssertLessThan(silenceMillis, 1_500, label)
            }
            // And the rest succeeded, whole.
            let successes = records.filter(\.succeeded)
            XCTAssertGreaterThan(successes.count, 90, label)
            XCTAssertTrue(successes.allSatisfy { $0.usageOutputTokens == 6 && $0.countedOutputTokens == 6 }, label)
            XCTAssertTrue(records.suffix(50).contains(where: \.succeeded), "\(label): the run goes on to its end")
        }
    }
}
