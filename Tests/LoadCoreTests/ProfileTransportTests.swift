import Foundation
import XCTest

@testable import LoadCore

/// `limits:` timeouts and connections, `retries:`, `target.ca_file` / `target.http`, and the mock's
/// `rate_limit:` / `capacity:`: parsed, defaulted, round-tripped, and refused with a clear message.
final class ProfileTransportTests: XCTestCase {
    private let load = "load: {mode: open, rate: 1, duration: 1s}"

    func testDefaultsAreOff() throws {
        let profile = try Profile.parse(yaml: "target: {provider: mock}\n\(load)", file: "p.yaml")
        XCTAssertNil(profile.retries, "retries are off unless asked for")
        XCTAssertNil(profile.limits.ttftTimeoutNanos)
        XCTAssertNil(profile.limits.idleTimeoutNanos)
        XCTAssertNil(profile.limits.maxConnections)
        XCTAssertNil(profile.target.caFile)
        XCTAssertEqual(profile.target.http, .http1_1)
        XCTAssertNil(profile.target.mock?.rateLimit)
        XCTAssertNil(profile.target.mock?.capacity)
    }

    func testEverythingGiven() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("transport-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "not checked here".write(to: folder.appendingPathComponent("ca.pem"), atomically: true, encoding: .utf8)
        let yaml = """
            target:
              provider: mock
              ca_file: ca.pem
              http: 2
              mock:
                rate_limit: {requests_per_minute: 600, tokens_per_minute: 90000, input_tokens_per_minute: 40000,
                             output_tokens_per_minute: 8000, burst: 2s, headers: anthropic}
                capacity: {streams: 8, queue: 100, reject_status: 529}
            \(load)
            limits: {timeout: 30s, connect_timeout: 2s, ttft_timeout: 5s, idle_timeout: 1500ms, max_connections: 64}
            retries:
              max_attempts: 4
              on: [http_429, timeout]
              backoff: {base: 100ms, max: 2s}
              honor_retry_after: false
              max_retry_after: 10s
            """
        let path = folder.appendingPathComponent("p.yaml").path
        let profile = try Profile.parse(yaml: yaml, file: path)
        XCTAssertEqual(profile.target.caFile, folder.appendingPathComponent("ca.pem").standardized.path)
        XCTAssertEqual(profile.target.http, .http2)
        XCTAssertEqual(profile.limits.ttftTimeoutNanos, 5_000_000_000)
        XCTAssertEqual(profile.limits.idleTimeoutNanos, 1_500_000_000)
        XCTAssertEqual(profile.limits.maxConnections, 64)
        XCTAssertEqual(profile.retries, RetryPolicy(
            maxAttempts: 4, retryOn: [.http429, .timeoutConnect, .timeoutTTFT, .timeoutIdle, .timeoutTotal],
            backoffBaseNanos: 100_000_000, backoffMaxNanos: 2_000_000_000, honorRetryAfter: false,
            maxRetryAfterNanos: 10_000_000_000))
        XCTAssertEqual(profile.target.mock?.rateLimit, Profile.MockRateLimitSettings(
            requestsPerMinute: 600, tokensPerMinute: 90_000, inputTokensPerMinute: 40_000, outputTokensPerMinute: 8_000,
            burstNanos: 2_000_000_000, headers: .anthropic))
        XCTAssertEqual(profile.target.mock?.capacity, Profile.MockCapacitySettings(streams: 8, queue: 100, rejectStatus: 529))

        // The resolved profile parses back to the same profile.
        let again = try Profile.parse(yaml: profile.resolvedYAML(), file: path)
        XCTAssertEqual(again, profile, profile.resolvedYAML())
    }

    /// `retries: {}` takes every default: 3 attempts on rate limits, overload, 5xx and connect failures.
    func testRetryDefaults() throws {
        let profile = try Profile.parse(yaml: "target: {provider: mock}\n\(load)\nretries: {}", file: "p.yaml")
        XCTAssertEqual(profile.retries, RetryPolicy())
        XCTAssertEqual(profile.retries?.retryOn, [.http429, .http5xx, .overloaded, .connect, .timeoutConnect])
        XCTAssertEqual(try Profile.parse(yaml: profile.resolvedYAML(), file: "p.yaml"), profile)
    }

    func testProblemsNameTheFieldAndTheFix() {
        let cases: [(String, String, String)] = [
            ("retries: {on: [http_492]}", "retries.on[0]", "did you mean \"http_429\"?"),
            ("retries: {on: [cancelled]}", "retries.on[0]", "expected one of error classes"),
            ("retries: {max_attempts: 0}", "retries.max_attempts", "positive whole number"),
            ("retries: {backoff: {base: 2s, max: 1s}}", "retries.backoff", "base <= max"),
            ("retries: {honor_retry_after: sometimes}", "retries.honor_retry_after", "true or false"),
            ("limits: {ttft_timeout: 5}", "limits.ttft_timeout", "add a unit"),
            ("limits: {idle_timeout: 0s}", "limits.idle_timeout", "positive duration"),
            ("limits: {max_connections: 0}", "limits.max_connections", "positive whole number"),
        ]
        for (section, path, fragment) in cases {
            let found = profileProblems("target: {provider: mock}\n\(load)\n\(section)")
            XCTAssertTrue(found.contains { $0.fieldPath == path && $0.message.contains(fragment) },
                          "\(section)\n→ \(found.map(\.description))")
        }
        let targetCases: [(String, String, String)] = [
            ("{provider: mock, http: 3}", "target.http", #"expected "1.1" | "2""#),
            ("{provider: mock, ca_file: /nonexistent/ca.pem}", "target.ca_file", "cannot read the CA file /nonexistent/ca.pem"),
            ("{provider: mock, mock: {rate_limit: {burst: 1s}}}", "target.mock.rate_limit", "at least one limit"),
            ("{provider: mock, mock: {rate_limit: {requests_per_minute: 10, headers: azure}}}", "target.mock.rate_limit.headers",
             "openai | anthropic"),
            ("{provider: mock, mock: {capacity: {queue: 5}}}", "target.mock.capacity.streams", "missing required field"),
            ("{provider: mock, mock: {capacity: {streams: 2, reject_status: 200}}}", "target.mock.capacity.reject_status",
             "from 400 to 599"),
        ]
        for (target, path, fragment) in targetCases {
            let found = profileProblems("target: \(target)\n\(load)")
            XCTAssertTrue(found.contains { $0.fieldPath == path && $0.message.contains(fragment) },
                          "\(target)\n→ \(found.map(\.description))")
        }
    }
}
