import Foundation
import LoadCore
import TestSupport
import XCTest

/// The transport options through the binary: `--ca-file` and `--insecure` against the mock behind
/// nginx's TLS, and a profile with mock rate limits, retries and timeouts whose event log shows
/// every attempt with its rate-limit headers.
final class TransportEndToEndTests: XCTestCase {
    /// Starts `loadgen mock` (3 tokens) and nginx in front of it; both stop when the test ends.
    private func startTLSMock() throws -> NginxTLSFront {
        let mock = try BinaryRunner.start(["mock", "--port", "0", "--tokens", "3"])
        addTeardownBlock {
            kill(mock.process.processIdentifier, SIGTERM)
            mock.process.waitUntilExit()
        }
        let line = String(decoding: mock.stdout.fileHandleForReading.availableData, as: UTF8.self)
        let port = try XCTUnwrap(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) }, line)
        let front = try NginxTLSFront(upstreamPort: port)
        addTeardownBlock { front.stop() }
        return front
    }

    func testCAFileInsecureAndTheTLSErrorWithoutThem() throws {
        let front = try startTLSMock()
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = directory.appendingPathComponent("tls.yaml")
        try """
            name: tls
            target: {provider: openai-compatible, model: m, base_url: "\(front.httpsBaseURL)"}
            load: {mode: closed, users: 1, requests: 3}
            """.write(to: profile, atomically: true, encoding: .utf8)
        let runs = directory.appendingPathComponent("runs").path

        let refused = try BinaryRunner.run(["--profile", profile.path, "--output", runs, "--quiet"])
        XCTAssertEqual(refused.status, 6, "no request succeeded: \(refused.stderr)")
        XCTAssertTrue(refused.stderr.contains("loadgen: no request succeeded: 3 attempts, 3 tls at 127.0.0.1:"),
                      refused.stderr)
        XCTAssertTrue(refused.stdout.contains("tls"), refused.stdout)
        XCTAssertTrue(refused.stdout.contains("TLS failed for 3 attempts: if the server's certificate is private, give its "
                                              + "CA with --ca-file FILE or target.ca_file"), refused.stdout)

        for extra in [["--ca-file", front.caFile], ["--insecure"]] {
            let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs, "--quiet"] + extra)
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertTrue(result.stdout.contains("requests: 3 (3 ok, 0 failed)"), "\(extra): \(result.stdout)")
            XCTAssertFalse(result.stdout.contains("TLS failed"), result.stdout)
        }

        let missing = try BinaryRunner.run(["--profile", profile.path, "--ca-file", "/nonexistent/ca.pem"])
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("Please give --ca-file as a readable PEM file"), missing.stderr)
    }

    /// The embedded mock at 120 RPM (a bucket of 2), 6 requests from 3 users, retries on 429 honoring
    /// retry-after: all 6 succeed in the end; events.ndjson has one line per attempt, the 429s with
    /// `will_retry` and their rate-limit headers, the retries with the request's id and a higher
    /// attempt number; summary.json counts the retries.
    func testRateLimitedRunWithRetriesLogsEveryAttempt() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = directory.appendingPathComponent("limited.yaml")
        try """
            name: limited
            target:
              provider: mock
              mock: {ttft: 0s, inter_token: 0s, output_tokens: 2, rate_limit: {requests_per_minute: 120}}
            load: {mode: closed, users: 3, requests: 6}
            limits: {ttft_timeout: 5s, idle_timeout: 5s}
            retries: {max_attempts: 10, on: [http_429]}
            """.write(to: profile, atomically: true, encoding: .utf8)
        let runs = directory.appendingPathComponent("runs")
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("retries: "), result.stdout)

        let run = runs.appendingPathComponent(try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: runs.path).first))
        let text = try String(contentsOf: run.appendingPathComponent("events.ndjson"), encoding: .utf8)
        let attempts = try text.split(separator: "\n").compactMap { line -> [String: Any]? in
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return object["type"] as? String == "attempt" ? object : nil
        }
        let successes = attempts.filter { $0["status"] as? Int == 200 }
        XCTAssertEqual(Set(successes.compactMap { $0["request"] as? Int }), Set(0..<6))
        let refused = attempts.filter { $0["status"] as? Int == 429 }
        XCTAssertFalse(refused.isEmpty, "3 users against a bucket of 2 meet 429s")
        for line in refused {
            XCTAssertEqual(line["error"] as? String, "http_429")
            XCTAssertEqual(line["will_retry"] as? Bool, true)
            let limits = try XCTUnwrap(line["ratelimit"] as? [String: Any])
            XCTAssertNotNil(limits["retry_after_ms"] as? Double)
            let requests = try XCTUnwrap(limits["requests"] as? [String: Any])
            XCTAssertEqual(requests["limit"] as? Int, 120)
            XCTAssertEqual(requests["remaining"] as? Int, 0)
        }
        XCTAssertTrue(attempts.contains { ($0["attempt"] as? Int ?? 1) > 1 })
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(contentsOf: run.appendingPathComponent("summary.json"))) as? [String: Any])
        let summary = try XCTUnwrap(document["overall"] as? [String: Any])
        XCTAssertEqual(summary["retries"] as? Int, refused.count)
        XCTAssertEqual(summary["attempts"] as? Int, attempts.count)

        let resolved = try String(contentsOf: run.appendingPathComponent("profile.resolved.yaml"), encoding: .utf8)
        for expected in ["ttft_timeout: 5s", "retries:", "on: [http_429]", "rate_limit: {requests_per_minute: 120, burst: 1s}"] {
            XCTAssertTrue(resolved.contains(expected), "resolved profile lacks \(expected):\n\(resolved)")
        }
    }

    /// `loadgen mock`'s limit flags: bad combinations are refused; a mock started with `--rpm 60
    /// --ratelimit-headers anthropic --max-streams 1 --max-queue 0 --reject-status 529` answers two
    /// users at once with one completion and one 529 (overloaded), and then a 429 whose Anthropic
    /// headers the run parsed.
    func testMockLimitFlags() throws {
        for (arguments, message) in [
            (["--rpm", "0"], "Please give --rpm as 1 or more."),
            (["--max-queue", "3"], "Please give --max-streams with --max-queue."),
            (["--ratelimit-headers", "azure"], "Please give --ratelimit-headers as openai or anthropic."),
            (["--max-streams", "2", "--reject-status", "200"], "Please give --reject-status as an HTTP error status"),
        ] {
            let result = try BinaryRunner.run(["mock", "--port", "0"] + arguments)
            XCTAssertEqual(result.status, 64, "\(arguments)")
            XCTAssertTrue(result.stderr.contains(message), result.stderr)
        }

        let mock = try BinaryRunner.start(["mock", "--port", "0", "--tokens", "2", "--ttft", "200ms", "--rpm", "60",
                                           "--burst", "2s", "--ratelimit-headers", "anthropic", "--max-streams", "1",
                                           "--max-queue", "0", "--reject-status", "529"])
        defer {
            kill(mock.process.processIdentifier, SIGTERM)
            mock.process.waitUntilExit()
        }
        let line = String(decoding: mock.stdout.fileHandleForReading.availableData, as: UTF8.self)
        let port = try XCTUnwrap(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) }, line)
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = directory.appendingPathComponent("flags.yaml")
        try """
            name: flags
            target: {provider: openai-compatible, model: m, base_url: "http://127.0.0.1:\(port)/v1"}
            load: {mode: closed, users: 2, requests: 3}
            """.write(to: profile, atomically: true, encoding: .utf8)
        let runs = directory.appendingPathComponent("runs")
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let run = runs.appendingPathComponent(try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: runs.path).first))
        let text = try String(contentsOf: run.appendingPathComponent("events.ndjson"), encoding: .utf8)
        let attempts = try text.split(separator: "\n").compactMap { line -> [String: Any]? in
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return object["type"] as? String == "attempt" ? object : nil
        }
        // Two at once: the bucket (2) lets both pass (the rate limit is checked first); one gets the
        // slot, the other finds the queue (0) full: 529. The next request finds the bucket empty: 429.
        XCTAssertEqual(attempts.compactMap { $0["status"] as? Int }.sorted(), [200, 429, 529])
        XCTAssertEqual(attempts.first { $0["status"] as? Int == 529 }?["error"] as? String, "overloaded")
        let refused = try XCTUnwrap(attempts.first { $0["status"] as? Int == 429 })
        let limits = try XCTUnwrap(refused["ratelimit"] as? [String: Any])
        let requests = try XCTUnwrap(limits["requests"] as? [String: Any])
        XCTAssertEqual(requests["limit"] as? Int, 60)
        XCTAssertEqual(requests["remaining"] as? Int, 0)
        XCTAssertNotNil(requests["reset_ms"] as? Double, "the RFC 3339 reset, parsed")
        XCTAssertEqual(limits["retry_after_ms"] as? Int, 1_000)
    }
}
