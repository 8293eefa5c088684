import XCTest

@testable import LoadCore

/// `thresholds:` in profiles: names, values, comparisons, problems with their position, round trip.
final class ProfileThresholdsTests: XCTestCase {
    private func parse(_ thresholds: String) throws -> Thresholds {
        let yaml = "target: {provider: mock}\nload: {mode: open, rate: 5, duration: 10s}\nthresholds:\n\(thresholds)\n"
        return try Profile.parse(yaml: yaml, file: "profiles/p.yaml").thresholds
    }

    func testAcceptedObjectives() throws {
        // Table: one thresholds: line → metric, comparison, limit.
        let cases: [(String, Threshold.Metric, Threshold.Comparison, Double)] = [
            ("  ttft_p99: 800ms", .latency(.ttft, percentile: 99), .atMost, 800),  // no sign: a maximum
            ("  ttft_p50: \"< 1.5s\"", .latency(.ttft, percentile: 50), .lessThan, 1500),
            ("  total_p95: <= 2m", .latency(.total, percentile: 95), .atMost, 120_000),  // "<" needs no quotes
            ("  itl_p99: 50ms", .latency(.interToken, percentile: 99), .atMost, 50),
            ("  total_p999: 10s", .latency(.total, percentile: 99.9), .atMost, 10_000),  // 999 = 99.9
            ("  ttft_p9999: 3s", .latency(.ttft, percentile: 99.99), .atMost, 3_000),
            ("  ttft_p100: 3s", .latency(.ttft, percentile: 100), .atMost, 3_000),  // the maximum
            ("  schedule_lag_p99: 2ms", .latency(.scheduleLag, percentile: 99), .atMost, 2),
            ("  ttft_from_intended_p90: 1s", .latency(.ttftFromIntended, percentile: 90), .atMost, 1_000),
            ("  error_rate: \"< 1%\"", .errorRate, .lessThan, 0.01),
            ("  error_rate: 0.5%", .errorRate, .atMost, 0.005),
            ("  error_rate: 0.02", .errorRate, .atMost, 0.02),  // a fraction
            ("  http_429_rate: \"<= 5 %\"", .http429Rate, .atMost, 0.05),
            ("  min_requests_per_s: 20", .requestsPerSecond, .atLeast, 20),  // no sign: a minimum
            ("  min_requests_per_s: \"> 20/s\"", .requestsPerSecond, .greaterThan, 20),
            ("  min_output_tokens_per_s: \">= 500\"", .outputTokensPerSecond, .atLeast, 500),
            ("  cost_usd: 2.50", .costUSD, .atMost, 2.5),
            ("  cost_usd: \"< $0.10\"", .costUSD, .lessThan, 0.1),
        ]
        for (line, metric, comparison, limit) in cases {
            let thresholds = try parse(line)
            XCTAssertEqual(thresholds.checks.count, 1, line)
            let check = try XCTUnwrap(thresholds.checks.first)
            XCTAssertEqual(check.metric, metric, line)
            XCTAssertEqual(check.comparison, comparison, line)
            XCTAssertEqual(check.limit, limit, accuracy: 1e-9, line)
            XCTAssertFalse(thresholds.abortOnFail, line)
        }
    }

    func testOrderAbortOnFailAndRoundTrip() throws {
        let yaml = """
            target: {provider: mock}
            load: {mode: open, rate: 5, duration: 10s}
            thresholds:
              ttft_p99: 812.5ms
              error_rate: "< 1%"
              min_output_tokens_per_s: 500
              cost_usd: 0.25
              abort_on_fail: true
            """
        let profile = try Profile.parse(yaml: yaml, file: "profiles/p.yaml")
        XCTAssertEqual(profile.thresholds.checks.map(\.name), ["ttft_p99", "error_rate", "min_output_tokens_per_s",
                                                                "cost_usd"])
        XCTAssertTrue(profile.thresholds.abortOnFail)
        let resolved = profile.resolvedYAML()
        XCTAssertTrue(resolved.contains("  ttft_p99: \"<= 812.5ms\""), resolved)
        XCTAssertTrue(resolved.contains("  error_rate: \"< 1%\""), resolved)
        XCTAssertTrue(resolved.contains("  min_output_tokens_per_s: \">= 500/s\""), resolved)
        XCTAssertTrue(resolved.contains("  abort_on_fail: true"), resolved)
        XCTAssertEqual(try Profile.parse(yaml: resolved, file: "resolved.yaml"), profile, resolved)
        // No thresholds: no section in the resolved profile, and an empty section is allowed.
        let plain = try Profile.parse(yaml: "target: {provider: mock}\nload: {mode: open, rate: 5, duration: 10s}\n",
                                      file: "p.yaml")
        XCTAssertFalse(plain.resolvedYAML().contains("thresholds"))
        XCTAssertTrue(try parse("").isEmpty)
    }

    func testProblemsNameTheThresholdWithItsPosition() {
        // Table: thresholds: lines (from line 4) → the expected problem text.
        let cases: [(String, String)] = [
            // a latency without a unit
            ("  ttft_p99: 800", "profiles/bad.yaml:4:13: thresholds.ttft_p99: expected a duration like 800ms or \"< 800ms\", got \"800\"; add a unit, e.g. 800ms"),
            // a typo gets a suggestion
            ("  ttft_p98x: 1s", "profiles/bad.yaml:4:3: thresholds.ttft_p98x: unknown threshold \"ttft_p98x\"; did you mean"),
            // an unknown metric
            ("  latency_p99: 1s", "profiles/bad.yaml:4:3: thresholds.latency_p99: unknown threshold"),
            // three digits below 90 % (p101 is not 10.1)
            ("  ttft_p101: 1s", "profiles/bad.yaml:4:3: thresholds.ttft_p101: unknown threshold"),
            // a maximum written as a minimum
            ("  ttft_p99: \">= 1s\"", "profiles/bad.yaml:4:13: thresholds.ttft_p99: ttft_p99 is a maximum: use < or <= (or no sign)"),
            // a minimum written as a maximum
            ("  min_requests_per_s: \"< 5\"", "profiles/bad.yaml:4:23: thresholds.min_requests_per_s: min_requests_per_s is a minimum"),
            // a rate above 100 %
            ("  error_rate: 150%", "profiles/bad.yaml:4:15: thresholds.error_rate: expected a percentage like 1%"),
            ("  error_rate: 2", "profiles/bad.yaml:4:15: thresholds.error_rate: expected a percentage like 1%"),
            // a negative cost
            ("  cost_usd: -1", "profiles/bad.yaml:4:13: thresholds.cost_usd: expected US dollars"),
            // abort_on_fail takes a boolean
            ("  abort_on_fail: maybe", "profiles/bad.yaml:4:18: thresholds.abort_on_fail: expected true or false, got \"maybe\""),
            // the section is a mapping
            ("  - ttft_p99: 1s", "profiles/bad.yaml:4:3: thresholds: expected a mapping of objectives"),
        ]
        for (lines, expected) in cases {
            let yaml = "target: {provider: mock}\nload: {mode: open, rate: 5, duration: 10s}\nthresholds:\n\(lines)\n"
            let problems = profileProblems(yaml)
            XCTAssertEqual(problems.count, 1, "\(lines): \(problems)")
            XCTAssertTrue(problems.first?.description.hasPrefix(expected) ?? false,
                          "\(problems.first?.description ?? "none")\nexpected: \(expected)")
        }
    }

    func testSloKeyPointsToThresholds() {
        let problems = profileProblems("target: {provider: mock}\nload: {mode: open, rate: 5, duration: 10s}\nslo: {}\n")
        XCTAssertEqual(problems.map(\.description), ["profiles/bad.yaml:3:1: slo: SLO checks are called thresholds:; rename slo: to thresholds:"])
    }

    func testGraceIsReadWithADefault() throws {
        let base = "target: {provider: mock}\nload: {mode: open, rate: 5, duration: 10s}\n"
        XCTAssertEqual(try Profile.parse(yaml: base, file: "p.yaml").limits.graceNanos, 30_000_000_000)
        let profile = try Profile.parse(yaml: base + "limits: {grace: 5s}\n", file: "p.yaml")
        XCTAssertEqual(profile.limits.graceNanos, 5_000_000_000)
        XCTAssertEqual(try Profile.parse(yaml: profile.resolvedYAML(), file: "r.yaml"), profile)
        XCTAssertEqual(profileProblems(base + "limits: {grace: 5}\n").first?.description,
                       "profiles/bad.yaml:3:17: limits.grace: expected a duration with a unit like 500ms, 30s, 2m or 1h, got the plain number 5; add a unit, e.g. 5s or 5ms")
    }
}
