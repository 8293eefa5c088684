import LoadCore
import XCTest

@testable import MockProvider

/// The mock's token buckets and what they announce, on a clock advanced by hand; then the 429
/// itself over loopback.
final class MockRateLimiterTests: XCTestCase {
    private let second: UInt64 = 1_000_000_000

    func testTokenBucketRefillsContinuouslyUpToItsCapacity() {
        var bucket = TokenBucket(capacity: 10, unitsPerSecond: 10, nowNanos: 0)
        XCTAssertEqual(bucket.level, 10, "starts full")
        bucket.take(10)
        XCTAssertEqual(bucket.nanosUntil(1), 100_000_000, "one unit per 100 ms")
        XCTAssertEqual(bucket.nanosUntilFull, second)
        bucket.refill(nowNanos: 250_000_000)
        XCTAssertEqual(bucket.level, 2.5, accuracy: 1e-9)
        bucket.refill(nowNanos: 60 * second)
        XCTAssertEqual(bucket.level, 10, "never above capacity")
        XCTAssertEqual(bucket.nanosUntil(50), 0, "a need above the capacity is capped at it")
    }

    /// 600 RPM with a 1 s burst holds 10 requests: the first 10 pass, the 11th is refused with the
    /// time until one request refills (100 ms) in retry-after-ms and 1 in retry-after (whole seconds,
    /// rounded up); 100 ms later one more passes. Every answer announces limit, remaining and reset.
    func testRequestsBucketOpenAIFamily() throws {
        let limiter = MockRateLimiter(config: Profile.MockRateLimitSettings(requestsPerMinute: 600), nowNanos: 0)
        for index in 0..<10 {
            let decision = limiter.admit(promptTokens: 10, completionTokens: 5, family: .openai, nowNanos: 0)
            XCTAssertTrue(decision.allowed, "request \(index)")
            XCTAssertEqual(header(decision, "x-ratelimit-remaining-requests"), String(9 - index))
        }
        let refused = limiter.admit(promptTokens: 10, completionTokens: 5, family: .openai, nowNanos: 0)
        XCTAssertFalse(refused.allowed)
        XCTAssertEqual(refused.limitedBy, "requests")
        XCTAssertEqual(refused.retryAfterNanos, 100_000_000)
        XCTAssertEqual(header(refused, "x-ratelimit-limit-requests"), "600")
        XCTAssertEqual(header(refused, "x-ratelimit-remaining-requests"), "0")
        XCTAssertEqual(header(refused, "x-ratelimit-reset-requests"), "1s")
        XCTAssertEqual(header(refused, "retry-after-ms"), "100")
        XCTAssertEqual(header(refused, "retry-after"), "1")
        XCTAssertTrue(limiter.admit(promptTokens: 10, completionTokens: 5, family: .openai, nowNanos: 100_000_000).allowed)
        XCTAssertFalse(limiter.admit(promptTokens: 10, completionTokens: 5, family: .openai, nowNanos: 100_000_000).allowed)
    }

    /// A token limit refuses by tokens (prompt + completion), and a refusal takes nothing from the
    /// other buckets.
    func testTokensBucketRefusesLargeRequestsAndTakesNothingWhenRefusing() throws {
        let limiter = MockRateLimiter(config: Profile.MockRateLimitSettings(requestsPerMinute: 6_000, tokensPerMinute: 6_000), nowNanos: 0)
        // Buckets of 100 requests and 100 tokens; refill 100 tokens/s.
        XCTAssertTrue(limiter.admit(promptTokens: 60, completionTokens: 20, family: .openai, nowNanos: 0).allowed)
        let refused = limiter.admit(promptTokens: 30, completionTokens: 10, family: .openai, nowNanos: 0)
        XCTAssertFalse(refused.allowed)
        XCTAssertEqual(refused.limitedBy, "tokens")
        XCTAssertEqual(refused.retryAfterNanos, 200_000_000, "20 tokens missing at 100/s")
        XCTAssertEqual(header(refused, "x-ratelimit-remaining-tokens"), "20")
        XCTAssertEqual(header(refused, "x-ratelimit-remaining-requests"), "99", "the refusal took no request")
        XCTAssertEqual(header(refused, "x-ratelimit-reset-tokens"), "800ms")
        XCTAssertTrue(limiter.admit(promptTokens: 30, completionTokens: 10, family: .openai, nowNanos: 200_000_000).allowed)
    }

    /// The Anthropic family (the default of an Anthropic-dialect request): every window by its
    /// Anthropic name, resets as RFC 3339 times (rounded up to the second), retry-after only (no
    /// retry-after-ms).
    func testAnthropicFamily() throws {
        var config = Profile.MockRateLimitSettings(requestsPerMinute: 60, tokensPerMinute: 60_000)
        config.inputTokensPerMinute = 30_000
        config.outputTokensPerMinute = 6_000
        let limiter = MockRateLimiter(config: config, nowNanos: 0)
        let family = limiter.family(for: .anthropic)
        XCTAssertEqual(family, .anthropic)
        let noon = 1_714_564_800.0  // 2024-05-01T12:00:00Z
        let allowed = limiter.admit(promptTokens: 100, completionTokens: 10, family: family, nowNanos: 0, unixSeconds: noon)
        XCTAssertTrue(allowed.allowed)
        XCTAssertEqual(header(allowed, "anthropic-ratelimit-requests-limit"), "60")
        XCTAssertEqual(header(allowed, "anthropic-ratelimit-requests-remaining"), "0")
        XCTAssertEqual(header(allowed, "anthropic-ratelimit-requests-reset"), "2024-05-01T12:00:01Z")
        XCTAssertEqual(header(allowed, "anthropic-ratelimit-input-tokens-remaining"), "400")
        XCTAssertEqual(header(allowed, "anthropic-ratelimit-output-tokens-limit"), "6000")
        XCTAssertEqual(header(allowed, "anthropic-ratelimit-tokens-reset"), "2024-05-01T12:00:01Z")
        let refused = limiter.admit(promptTokens: 100, completionTokens: 10, family: family, nowNanos: 0, unixSeconds: noon)
        XCTAssertFalse(refused.allowed)
        XCTAssertEqual(header(refused, "retry-after"), "1")
        XCTAssertNil(header(refused, "retry-after-ms"))
        XCTAssertFalse(refused.headers.contains { $0.0.hasPrefix("x-ratelimit") })
    }

    /// The header family follows the request's dialect unless the configuration sets one.
    func testHeaderFamilyFollowsTheDialectUnlessSet() {
        var config = Profile.MockRateLimitSettings(requestsPerMinute: 60)
        let byDialect = MockRateLimiter(config: config, nowNanos: 0)
        XCTAssertEqual(byDialect.family(for: .openAI), .openai)
        XCTAssertEqual(byDialect.family(for: .groq), .openai, "Groq sends OpenAI's x-ratelimit-* headers")
        XCTAssertEqual(byDialect.family(for: .anthropic), .anthropic)
        config.headers = .anthropic
        let forced = MockRateLimiter(config: config, nowNanos: 0)
        XCTAssertEqual(forced.family(for: .openAI), .anthropic, "a configured family wins")
    }

    func testGoDurationsAndRFC3339() {
        let durations: [(UInt64, String)] = [
            (0, "0s"), (1, "1ms"), (120_000_000, "120ms"), (999_000_001, "1s"), (6 * second, "6s"),
            (60 * second, "1m0s"), (179_560_000_000, "2m59.56s"), (7_660_000_000, "7.66s"), (3_600 * second, "1h0m0s"),
        ]
        for (nanos, text) in durations {
            XCTAssertEqual(MockRateLimiter.goDuration(nanos: nanos), text)
        }
        XCTAssertEqual(MockRateLimiter.rfc3339(unixSeconds: 0), "1970-01-01T00:00:00Z")
        XCTAssertEqual(MockRateLimiter.rfc3339(unixSeconds: 1_714_564_830), "2024-05-01T12:00:30Z")
        XCTAssertEqual(MockRateLimiter.rfc3339(unixSeconds: 951_782_400), "2000-02-29T00:00:00Z")
    }

    /// Over loopback: the second request of a 60 RPM mock gets a 429 with the OpenAI error body and
    /// the headers; the first one's stream head announced the limit too.
    func testTooManyRequestsOverLoopback() throws {
        let (_, port) = try startMockServer {
            $0.outputTokens = 2
            $0.rateLimit = Profile.MockRateLimitSettings(requestsPerMinute: 60)
        }
        let request = LoopbackClient.requestBytes(body: LoopbackClient.chatBody(stream: true))
        let first = try LoopbackClient.exchange(port: port, request)
        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(first.header("x-ratelimit-limit-requests"), "60")
        XCTAssertEqual(first.header("x-ratelimit-remaining-requests"), "0")
        XCTAssertFalse(first.events.isEmpty)
        let second = try LoopbackClient.exchange(port: port, request)
        XCTAssertEqual(second.status, 429)
        XCTAssertEqual(second.header("retry-after"), "1")
        XCTAssertNotNil(second.header("retry-after-ms"))
        let error = try XCTUnwrap(try second.json()["error"] as? [String: Any])
        XCTAssertEqual(error["code"] as? String, "rate_limit_exceeded")
        XCTAssertEqual(error["type"] as? String, "requests")
        XCTAssertTrue((error["message"] as? String)?.contains("Rate limit reached for requests") == true)
    }

    /// Over loopback on the Anthropic route, with no family configured: the stream head announces
    /// the limit in `anthropic-ratelimit-*` headers, and the 429 has Anthropic's error body and no
    /// OpenAI headers.
    func testTooManyRequestsOnTheAnthropicRouteUseAnthropicHeadersAndBody() throws {
        let (_, port) = try startMockServer {
            $0.outputTokens = 2
            $0.rateLimit = Profile.MockRateLimitSettings(requestsPerMinute: 60)
        }
        let request = LoopbackClient.requestBytes(
            path: "/v1/messages", headers: DialectResponseTests.anthropicHeaders,
            body: DialectResponseTests.anthropicBody(stream: true))
        let first = try LoopbackClient.exchange(port: port, request)
        XCTAssertEqual(first.status, 200, first.bodyText)
        XCTAssertEqual(first.header("anthropic-ratelimit-requests-limit"), "60")
        XCTAssertEqual(first.header("anthropic-ratelimit-requests-remaining"), "0")
        XCTAssertNotNil(first.header("anthropic-ratelimit-requests-reset"))
        XCTAssertNil(first.header("x-ratelimit-limit-requests"))
        let second = try LoopbackClient.exchange(port: port, request)
        XCTAssertEqual(second.status, 429)
        XCTAssertEqual(second.header("retry-after"), "1")
        XCTAssertNil(second.header("retry-after-ms"))
        XCTAssertEqual(second.header("anthropic-ratelimit-requests-remaining"), "0")
        XCTAssertNil(second.header("x-ratelimit-remaining-requests"))
        let json = try second.json()
        XCTAssertEqual(json["type"] as? String, "error", second.bodyText)
        let error = try XCTUnwrap(json["error"] as? [String: Any])
        XCTAssertEqual(error["type"] as? String, "rate_limit_error")
        XCTAssertTrue((error["message"] as? String)?.contains("Rate limit reached for requests") == true)
    }

    private func header(_ decision: MockRateLimiter.Decision, _ name: String) -> String? {
        decision.headers.first { $0.0 == name }?.1
    }
}
