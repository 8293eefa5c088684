import XCTest

@testable import LoadCore

/// `sweep:` in profiles: values, defaults, problems with their position, round trip.
final class ProfileSweepTests: XCTestCase {
    func testFullSection() throws {
        let yaml = """
            target: {provider: mock}
            sweep:
              mode: rate
              arrival: poisson
              slo: { ttft_p99: 400ms, itl_p99: "< 50ms", error_rate: 1% }
              min: 2/s
              max: 500
              step: 5s
              min_completions: 50
              tolerance: 2%
              headroom: 0.3
              max_duration: 3m
              max_cost_usd: 1.5
              steps: 3
              growth: 4
            """
        let profile = try Profile.parse(yaml: yaml, file: "profiles/capacity.yaml")
        let sweep = try XCTUnwrap(profile.sweep)
        XCTAssertEqual(sweep.mode, .rate)
        XCTAssertEqual(sweep.arrival, .poisson)
        XCTAssertEqual(sweep.slo.checks.map(\.name), ["ttft_p99", "itl_p99", "error_rate"])
        XCTAssertEqual(sweep.slo.checks.map(\.limit), [400, 50, 0.01])
        XCTAssertEqual(sweep.slo.checks[1].comparison, .lessThan)
        XCTAssertEqual(sweep.minLoad, 2)
        XCTAssertEqual(sweep.maxLoad, 500)
        XCTAssertEqual(sweep.stepNanos, 5_000_000_000)
        XCTAssertEqual(sweep.minCompletions, 50)
        XCTAssertEqual(sweep.tolerance, 0.02, accuracy: 1e-12)
        XCTAssertEqual(sweep.headroom, 0.3, accuracy: 1e-12)
        XCTAssertEqual(sweep.maxDurationNanos, 180_000_000_000)
        XCTAssertEqual(sweep.maxCostUSD, 1.5)
        XCTAssertEqual(sweep.steps, 3)
        XCTAssertEqual(sweep.growth, 4)
        // No load: a placeholder stands for it.
        XCTAssertEqual(profile.load, SweepSettings.placeholderLoad)
        // The resolved YAML parses back to the same profile.
        let again = try Profile.parse(yaml: profile.resolvedYAML(), file: "profiles/capacity.yaml")
        XCTAssertEqual(again, profile)
    }

    func testDefaults() throws {
        let profile = try Profile.parse(yaml: "target: {provider: mock}\nsweep: {}\n", file: "p.yaml")
        XCTAssertEqual(profile.sweep, SweepSettings())
        XCTAssertEqual(SweepSettings().tolerance, 0.05)
        XCTAssertEqual(SweepSettings().maxDurationNanos, 600_000_000_000)
        let again = try Profile.parse(yaml: profile.resolvedYAML(), file: "p.yaml")
        XCTAssertEqual(again, profile)
        // A profile without sweep: has none.
        let plain = try Profile.parse(yaml: "target: {provider: mock}\nload: {mode: open, rate: 1, duration: 1s}\n",
                                      file: "p.yaml")
        XCTAssertNil(plain.sweep)
    }

    func testProblemsNameLineAndField() {
        // Table: a sweep: line (line 3 of the profile) → the field and the start of the message.
        let cases: [(String, String, String)] = [
            ("  mode: fast", "sweep.mode", "expected rate (open-loop arrivals/s) or users"),
            ("  arrival: gamma", "sweep.arrival", "expected constant or poisson"),
            ("  slo: {ttft_p99: 400}", "sweep.slo.ttft_p99", "expected a duration like 800ms"),
            ("  slo: {min_requests_per_s: 5}", "sweep.slo.min_requests_per_s", "unknown SLO \"min_requests_per_s\""),
            ("  slo: {ttft_p99x: 1s}", "sweep.slo.ttft_p99x", "unknown SLO"),
            ("  min: -1", "sweep.min", "expected a positive number of requests per second"),
            ("  max: lots", "sweep.max", "expected a positive number"),
            ("  step: 500ms", "sweep.step", "expected at least 1s"),
            ("  step: 10", "sweep.step", "expected a duration with a unit"),
            ("  tolerance: 0%", "sweep.tolerance", "expected a percentage above 0"),
            ("  tolerance: 150%", "sweep.tolerance", "expected a percentage above 0"),
            ("  headroom: 100%", "sweep.headroom", "expected a percentage below 100%"),
            ("  growth: 1", "sweep.growth", "expected a factor above 1"),
            ("  max_cost_usd: 0", "sweep.max_cost_usd", "expected a positive number of US dollars"),
            ("  max_duration: forever", "sweep.max_duration", "expected a duration"),
            ("  min_completions: 0", "sweep.min_completions", "expected a positive whole number"),
            ("  thresholds: {ttft_p99: 1s}", "sweep.thresholds", "the sweep's objectives are sweep.slo:"),
            ("  tolerence: 5%", "sweep.tolerence", "unknown key \"tolerence\"; did you mean \"tolerance\"?"),
        ]
        for (line, field, message) in cases {
            let yaml = "target: {provider: mock}\nsweep:\n\(line)\n"
            let problems = profileProblems(yaml)
            XCTAssertEqual(problems.count, 1, "\(line): \(problems)")
            guard let problem = problems.first else { continue }
            XCTAssertEqual(problem.file, "profiles/bad.yaml", line)
            XCTAssertEqual(problem.line, 3, line)
            XCTAssertEqual(problem.fieldPath, field, line)
            XCTAssertTrue(problem.message.hasPrefix(message), "\(line): \(problem.message)")
        }
    }

    func testUsersModeBounds() {
        let problems = profileProblems("target: {provider: mock}\nsweep:\n  mode: users\n  max: 2.5\n")
        XCTAssertEqual(problems.map(\.description),
                       ["profiles/bad.yaml:4:8: sweep.max: expected a positive whole number of users, got \"2.5\""])
        let minAboveMax = profileProblems("target: {provider: mock}\nsweep: {min: 10, max: 5}\n")
        XCTAssertEqual(minAboveMax.map(\.fieldPath), ["sweep.max"])
    }
}
