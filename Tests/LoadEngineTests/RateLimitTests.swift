import Foundation
import LoadCore
import LoadEngine
import MockProvider
import XCTest

/// The mock's token-bucket limits seen through the engine: the success rate matches the limit, and
/// every attempt carries the parsed rate-limit headers; retries honor retry-after.
final class RateLimitTests: XCTestCase {
    /// RPM 600 (10/s, the bucket holding 1 s = 10 requests) against an open loop of 20 requests/s
    /// for 8 s. After the first 2 s (the full bucket's burst is spent by then) successes come at the
    /// refill rate: 10/s ± 15 %, i.e. 60 ± 9 of the arrivals intended in [2 s, 8 s) (a loaded machine
    /// shifts arrivals against the server's refill clock). The 429s carry
    /// remaining 0, a reset within the bucket's 1 s, and retry-after-ms within the 100 ms a token
    /// takes to refill; the successes announce the limit of 600.
    /// (The window is 8 s rather than 30 s: the rate, not the run length, is what is checked.)
    func testRPM600At20PerSecondLetsTenPerSecondThrough() throws {
        let mock = try MockHarness {
            $0.outputTokens = 2
            $0.rateLimit = MockRateLimit(requestsPerMinute: 600)
        }
        let plan = LoadPlan(mode: .open(nextArrivalNanos: constantArrivals(everyNanos: 50_000_000)),
                            durationNanos: 8_000_000_000)
        let (records, outcome) = try mock.run(plan)
        XCTAssertEqual(records.count, 160)
        XCTAssertEqual(outcome.loopCloseStatus, 0)

        let steady = records.filter { $0.intendedStartNanos >= 2_000_000_000 }
        let succeeded = steady.filter(\.succeeded).count
        XCTAssertEqual(Double(succeeded), 60, accuracy: 9, "successes per second \(Double(succeeded) / 6)")
        XCTAssertEqual(records.filter(\.succeeded).count + records.filter { $0.errorClass == .http429 }.count, 160,
                       "nothing but successes and 429s")

        for record in records where record.errorClass == .http429 {
            let limits = try XCTUnwrap(record.rateLimit, "request \(record.requestID)")
            XCTAssertEqual(limits.requests?.limit, 600)
            XCTAssertEqual(limits.requests?.remaining, 0)
            let reset = try XCTUnwrap(limits.requests?.resetMillis)
            XCTAssertTrue(reset > 0 && reset <= 1_000, "reset \(reset) ms")
            let retryAfter = try XCTUnwrap(limits.retryAfterMillis)
            XCTAssertTrue(retryAfter > 0 && retryAfter <= 100, "retry-after-ms \(retryAfter)")
        }
        for record in records where record.succeeded {
            XCTAssertEqual(record.rateLimit?.requests?.limit, 600)
            XCTAssertNotNil(record.rateLimit?.requests?.remaining)
            XCTAssertNil(record.rateLimit?.retryAfterMillis)
        }
    }

    /// RPM 120 (2/s, bucket of 2) and 8 requests at once, retrying 429s (up to 20 attempts, retry-after
    /// honored): every request ends in success; every retry starts no earlier than the retry-after
    /// its previous attempt announced (checked from the attempts' timestamps); and the bucket's pace
    /// shows: 8 successes take at least (8 − 2) / 2 = 3 s.
    func testRetriesHonorRetryAfterFromTheMock() throws {
        let mock = try MockHarness {
            $0.outputTokens = 1
            $0.rateLimit = MockRateLimit(requestsPerMinute: 120)
        }
        var plan = LoadPlan(mode: .open(nextArrivalNanos: constantArrivals(everyNanos: 0)), maxRequests: 8)
        plan.retry = RetryPolicy(maxAttempts: 20, retryOn: [.http429])
        let (records, _) = try mock.run(plan)
        XCTAssertEqual(records.filter(\.succeeded).count, 8)
        XCTAssertEqual(Set(records.filter(\.succeeded).map(\.requestID)), Set(0..<8))
        var checked = 0
        for id in 0..<UInt64(8) {
            let attempts = records.filter { $0.requestID == id }
            XCTAssertEqual(attempts.map(\.attemptNumber), Array(1...attempts.count))
            for (previous, next) in zip(attempts, attempts.dropFirst()) {
                XCTAssertTrue(previous.willRetry)
                let retryAfter = try XCTUnwrap(previous.rateLimit?.retryAfterMillis)
                let waited = Double(next.startNanos - previous.endNanos) / 1e6
                XCTAssertGreaterThanOrEqual(waited, retryAfter, "request \(id), attempt \(next.attemptNumber)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 6, "most requests were retried at least once")
        let lastSuccess = records.filter(\.succeeded).map(\.endNanos).max() ?? 0
        XCTAssertGreaterThanOrEqual(Double(lastSuccess) / 1e9, 2.9)
    }

    /// The Anthropic header family: RFC 3339 resets parsed back into milliseconds, and input/output
    /// token windows announced.
    func testAnthropicFamilyIsParsed() throws {
        let mock = try MockHarness {
            $0.outputTokens = 5
            var limit = MockRateLimit(requestsPerMinute: 60, tokensPerMinute: 60_000)
            limit.outputTokensPerMinute = 6_000
            limit.headerFamily = .anthropic
            $0.rateLimit = limit
        }
        let (records, _) = try mock.run(LoadPlan(mode: .closed(users: 1, thinkTimeNanos: 0), maxRequests: 2))
        XCTAssertEqual(records.map(\.status), [200, 429])
        let first = try XCTUnwrap(records[0].rateLimit)
        XCTAssertEqual(first.requests?.limit, 60)
        XCTAssertEqual(first.requests?.remaining, 0)
        XCTAssertEqual(first.tokens?.limit, 60_000)
        XCTAssertEqual(first.outputTokens?.limit, 6_000)
        // The bucket refills 1 request per second: full again within ~1 s, rounded up to whole seconds.
        let reset = try XCTUnwrap(first.requests?.resetMillis)
        XCTAssertTrue(reset > 0 && reset <= 2_000, "reset \(reset) ms")
        let refused = try XCTUnwrap(records[1].rateLimit)
        XCTAssertEqual(refused.retryAfterMillis, 1_000, "Anthropic sends retry-after in whole seconds")
    }

    /// An Anthropic-dialect run against the mock with only an RPM limit (no header family set): the
    /// mock answers `/v1/messages` in Anthropic's family, so every attempt's record carries
    /// `requests` parsed from `anthropic-ratelimit-requests-*`, and the 429s come with Anthropic's
    /// `rate_limit_error` body and whole-second `retry-after`.
    func testAnthropicDialectGetsTheAnthropicFamily() throws {
        let mock = try MockHarness {
            $0.outputTokens = 2
            $0.rateLimit = MockRateLimit(requestsPerMinute: 60)
        }
        let body = #"{"model":"m","max_tokens":64,"messages":[{"role":"user","content":"Say hello"}],"stream":true}"#
        var template = RequestTemplate(
            url: "http://127.0.0.1:\(mock.port)/v1/\(APIDialect.anthropic.requestPath)",
            headers: ["Content-Type: application/json", "Accept: text/event-stream", "x-api-key: test-key",
                      "anthropic-version: 2023-06-01"],
            bodies: [Array(body.utf8)])
        template.dialect = .anthropic
        let (records, _) = try mock.run(LoadPlan(mode: .closed(users: 1, thinkTimeNanos: 0), maxRequests: 3),
                                        template: template)
        XCTAssertEqual(records.map(\.status), [200, 429, 429])
        XCTAssertTrue(records[0].succeeded, records[0].errorMessage ?? "")
        XCTAssertEqual(records[0].rateLimit?.requests?.limit, 60)
        XCTAssertEqual(records[0].rateLimit?.requests?.remaining, 0)
        for record in records.dropFirst() {
            XCTAssertEqual(record.errorClass, .http429)
            let limits = try XCTUnwrap(record.rateLimit, "request \(record.requestID)")
            XCTAssertEqual(limits.requests?.limit, 60)
            XCTAssertEqual(limits.requests?.remaining, 0)
            let reset = try XCTUnwrap(limits.requests?.resetMillis)
            XCTAssertTrue(reset > 0 && reset <= 2_000, "reset \(reset) ms")
            XCTAssertEqual(limits.retryAfterMillis, 1_000, "Anthropic sends retry-after in whole seconds")
            XCTAssertTrue(record.errorMessage?.contains("rate_limit_error") == true, record.errorMessage ?? "")
        }
    }
}
