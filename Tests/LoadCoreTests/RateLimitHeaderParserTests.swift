import LoadCore
import XCTest

/// Rate-limit headers as the providers document them, parsed into numbers.
final class RateLimitHeaderParserTests: XCTestCase {
    /// 2024-05-01T12:00:00Z as a Unix time: the reference "now" of these tests.
    private let noon = 1_714_564_800.0

    /// OpenAI's documented example (platform.openai.com, "Rate limits", headers section).
    func testOpenAIDocumentedExample() throws {
        let snapshot = try XCTUnwrap(RateLimitHeaderParser.parse(lines: [
            "x-ratelimit-limit-requests: 60",
            "x-ratelimit-limit-tokens: 150000",
            "x-ratelimit-remaining-requests: 59",
            "x-ratelimit-remaining-tokens: 149984",
            "x-ratelimit-reset-requests: 1s",
            "x-ratelimit-reset-tokens: 6m0s",
        ], receivedAtUnixSeconds: noon))
        XCTAssertEqual(snapshot.requests, .init(limit: 60, remaining: 59, resetMillis: 1_000))
        XCTAssertEqual(snapshot.tokens, .init(limit: 150_000, remaining: 149_984, resetMillis: 360_000))
        XCTAssertNil(snapshot.inputTokens)
        XCTAssertNil(snapshot.retryAfterMillis)
    }

    /// Groq's documented example (console.groq.com, "Rate limits"): requests per day, tokens per
    /// minute, fractional Go durations, and retry-after in seconds on a 429.
    func testGroqDocumentedExample() throws {
        let snapshot = try XCTUnwrap(RateLimitHeaderParser.parse(lines: [
            "retry-after: 2",
            "x-ratelimit-limit-requests: 14400",
            "x-ratelimit-limit-tokens: 18000",
            "x-ratelimit-remaining-requests: 14370",
            "x-ratelimit-remaining-tokens: 17997",
            "x-ratelimit-reset-requests: 2m59.56s",
            "x-ratelimit-reset-tokens: 7.66s",
        ], receivedAtUnixSeconds: noon))
        XCTAssertEqual(snapshot.requests?.limit, 14_400)
        XCTAssertEqual(snapshot.requests?.remaining, 14_370)
        XCTAssertEqual(try XCTUnwrap(snapshot.requests?.resetMillis), 179_560, accuracy: 1e-6)
        XCTAssertEqual(snapshot.tokens?.limit, 18_000)
        XCTAssertEqual(snapshot.tokens?.remaining, 17_997)
        XCTAssertEqual(try XCTUnwrap(snapshot.tokens?.resetMillis), 7_660, accuracy: 1e-6)
        XCTAssertEqual(snapshot.retryAfterMillis, 2_000)
    }

    /// Anthropic's documented header set (docs.anthropic.com, "Rate limits", response headers):
    /// every window, RFC 3339 resets taken relative to the response's Date header.
    func testAnthropicDocumentedHeadersRelativeToDate() throws {
        let snapshot = try XCTUnwrap(RateLimitHeaderParser.parse(lines: [
            "date: Wed, 01 May 2024 12:00:00 GMT",
            "retry-after: 30",
            "anthropic-ratelimit-requests-limit: 50",
            "anthropic-ratelimit-requests-remaining: 0",
            "anthropic-ratelimit-requests-reset: 2024-05-01T12:00:30Z",
            "anthropic-ratelimit-tokens-limit: 80000",
            "anthropic-ratelimit-tokens-remaining: 76000",
            "anthropic-ratelimit-tokens-reset: 2024-05-01T12:00:03Z",
            "anthropic-ratelimit-input-tokens-limit: 40000",
            "anthropic-ratelimit-input-tokens-remaining: 38000",
            "anthropic-ratelimit-input-tokens-reset: 2024-05-01T12:00:03.500Z",
            "anthropic-ratelimit-output-tokens-limit: 8000",
            "anthropic-ratelimit-output-tokens-remaining: 7000",
            "anthropic-ratelimit-output-tokens-reset: 2024-05-01T14:00:06+02:00",
        ], receivedAtUnixSeconds: noon + 100))  // the Date header wins over the receipt time
        XCTAssertEqual(snapshot.requests, .init(limit: 50, remaining: 0, resetMillis: 30_000))
        XCTAssertEqual(snapshot.tokens, .init(limit: 80_000, remaining: 76_000, resetMillis: 3_000))
        XCTAssertEqual(snapshot.inputTokens, .init(limit: 40_000, remaining: 38_000, resetMillis: 3_500))
        XCTAssertEqual(snapshot.outputTokens, .init(limit: 8_000, remaining: 7_000, resetMillis: 6_000))
        XCTAssertEqual(snapshot.retryAfterMillis, 30_000)
    }

    /// Without a Date header, absolute times count from the receipt time; a reset in the past is 0.
    func testAbsoluteTimesWithoutDateUseReceiptTime() throws {
        let snapshot = try XCTUnwrap(RateLimitHeaderParser.parse(lines: [
            "anthropic-ratelimit-requests-reset: 2024-05-01T12:00:10Z",
            "anthropic-ratelimit-tokens-reset: 2024-05-01T11:59:00Z",
            "retry-after: Wed, 01 May 2024 12:00:04 GMT",
        ], receivedAtUnixSeconds: noon))
        XCTAssertEqual(snapshot.requests?.resetMillis, 10_000)
        XCTAssertEqual(snapshot.tokens?.resetMillis, 0)
        XCTAssertEqual(snapshot.retryAfterMillis, 4_000)
    }

    /// retry-after-ms is more precise than retry-after and wins; names are case-insensitive, values
    /// trimmed, line endings ignored.
    func testRetryAfterMillisWinsAndNamesAreCaseInsensitive() throws {
        let snapshot = try XCTUnwrap(RateLimitHeaderParser.parse(lines: [
            "Retry-After: 1\r\n", "Retry-After-Ms:  250 \r\n", "X-RateLimit-Remaining-Requests: 0\r\n",
        ], receivedAtUnixSeconds: noon))
        XCTAssertEqual(snapshot.retryAfterMillis, 250)
        XCTAssertEqual(snapshot.requests?.remaining, 0)
    }

    /// Nothing relevant, or nothing that parses: nil, never a guess.
    func testAbsentOrUnparsableValuesAreLeftOut() {
        XCTAssertNil(RateLimitHeaderParser.parse(lines: ["content-type: text/event-stream", "date: Wed, 01 May 2024 12:00:00 GMT"],
                                                 receivedAtUnixSeconds: noon))
        let snapshot = RateLimitHeaderParser.parse(lines: [
            "x-ratelimit-limit-requests: lots", "x-ratelimit-remaining-requests: 3", "x-ratelimit-reset-requests: soon",
            "x-ratelimit-unknown-window: 5", "retry-after: later",
        ], receivedAtUnixSeconds: noon)
        XCTAssertEqual(snapshot, RateLimitSnapshot(requests: .init(remaining: 3)))
    }

    /// A bare number as a reset is seconds, or a Unix time when it is that large.
    func testBareNumberResets() throws {
        let snapshot = try XCTUnwrap(RateLimitHeaderParser.parse(lines: [
            "x-ratelimit-reset-requests: 12", "x-ratelimit-reset-tokens: \(Int(noon) + 20)",
        ], receivedAtUnixSeconds: noon))
        XCTAssertEqual(snapshot.requests?.resetMillis, 12_000)
        XCTAssertEqual(snapshot.tokens?.resetMillis, 20_000)
    }

    func testGoDurations() {
        let cases: [(String, Double?)] = [
            ("1s", 1_000), ("6m0s", 360_000), ("20ms", 20), ("2m59.56s", 179_560), ("7.66s", 7_660),
            ("1h2m3s", 3_723_000), ("500us", 0.5), ("250µs", 0.25), ("1500ns", 0.0015), ("0s", 0),
            ("", nil), ("abc", nil), ("5x", nil), ("1.2.3s", nil), ("s", nil),
        ]
        for (text, expected) in cases {
            let parsed = RateLimitHeaderParser.durationMillis(text)
            if let expected {
                XCTAssertEqual(parsed ?? -1, expected, accuracy: 1e-9, text)
            } else {
                XCTAssertNil(parsed, text)
            }
        }
    }

    func testDates() {
        XCTAssertEqual(RateLimitHeaderParser.parseRFC3339("2024-05-01T12:00:00Z"), noon)
        XCTAssertEqual(RateLimitHeaderParser.parseRFC3339("1970-01-01T00:00:00Z"), 0)
        XCTAssertEqual(RateLimitHeaderParser.parseRFC3339("2024-05-01T12:00:00.25Z"), noon + 0.25)
        XCTAssertEqual(RateLimitHeaderParser.parseRFC3339("2024-05-01T08:00:00-04:00"), noon)
        XCTAssertEqual(RateLimitHeaderParser.parseRFC3339("2000-02-29T00:00:00Z"), 951_782_400)
        XCTAssertNil(RateLimitHeaderParser.parseRFC3339("2024-05-01 noon"))
        XCTAssertNil(RateLimitHeaderParser.parseRFC3339("2024-13-01T00:00:00Z"))
        XCTAssertNil(RateLimitHeaderParser.parseRFC3339("2024-05-01T12:00:00"))
        XCTAssertEqual(RateLimitHeaderParser.parseHTTPDate("Wed, 01 May 2024 12:00:00 GMT"), noon)
        XCTAssertEqual(RateLimitHeaderParser.parseHTTPDate("Sun, 06 Nov 1994 08:49:37 GMT"), 784_111_777)
        XCTAssertNil(RateLimitHeaderParser.parseHTTPDate("Sunday, 06-Nov-94 08:49:37 GMT"))
    }
}
