import XCTest

@testable import LoadCore

/// The sweep policy against synthetic targets, on a fake clock: the exact steps it plans, the
/// brackets it converges to, its stop rules and what it names as the limit.
final class SweepPolicyTests: XCTestCase {
    private func settings(_ slo: [Threshold] = [], _ change: (inout SweepSettings) -> Void = { _ in }) -> SweepSettings {
        var settings = SweepSettings()
        settings.slo = Thresholds(checks: slo)
        change(&settings)
        return settings
    }

    private let ttft400 = Threshold(name: "ttft_p99", metric: .latency(.ttft, percentile: 99), comparison: .atMost,
                                    limit: 400)

    private func trace(_ result: CapacityResult) -> [String] {
        result.steps.map { "\($0.step.phase.rawValue) \(SweepStep.format($0.step.load))" }
    }

    func testKneeTargetExactSteps() {
        // 64 slots, 0.52 s each: the knee is at 123.1 requests/s.
        let outcome = SweepDriver(target: FakeCapacityTarget(), settings: settings([ttft400])).run()
        let result = outcome.result
        XCTAssertEqual(trace(result), [
            "baseline 1",
            "ceiling 3.85", "ceiling 7.7", "ceiling 15.4", "ceiling 30.8", "ceiling 61.6", "ceiling 123", "ceiling 246",
            "steps 30.8", "steps 61.5", "steps 92.3", "steps 123",
            "refine 135", "refine 129",
        ])
        XCTAssertEqual(result.stopReason, "converged")
        XCTAssertEqual(result.sloBracket, CapacityResult.Bracket(low: 123, high: 129))
        XCTAssertEqual(result.sloLoad, 123)
        XCTAssertEqual(result.kneeRPS ?? 0, 123, accuracy: 0.5)
        XCTAssertTrue(result.kneeReached)
        XCTAssertEqual(result.limitedBy, .latency)
        XCTAssertTrue(result.firstFailures.contains { $0.hasPrefix("ttft_trend") }, "\(result.firstFailures)")
        XCTAssertLessThan(outcome.elapsedNanos, 180_000_000_000)
        let recommendation = try! XCTUnwrap(result.recommendation)
        XCTAssertEqual(recommendation.requestsPerSecond, 123 * 0.8, accuracy: 1e-9)
        XCTAssertEqual(recommendation.outputTokensPerSecond, 123 * 0.8 * 32, accuracy: 1e-6)
        // Little's law: 98.4/s × 0.52 s = 51.2 → 52 streams.
        XCTAssertEqual(recommendation.concurrentStreams, 52)
    }

    func testRateLimitedTargetNamesTheLimit() {
        // 1,800 requests/min with a 1 s burst, far below the slots' knee.
        var target = FakeCapacityTarget()
        target.rateLimit = 30
        let result = SweepDriver(target: target, settings: settings()).run().result
        XCTAssertEqual(result.limitedBy, .rateLimit)
        XCTAssertEqual(result.rateLimit?.requestsPerSecond, 30)
        XCTAssertEqual(result.rateLimit?.announcedRequests, 1800)
        XCTAssertEqual(result.sloRPS ?? 0, 30, accuracy: 30 * 0.05)
        XCTAssertEqual(result.kneeRPS ?? 0, 30, accuracy: 30 * 0.1)
        XCTAssertTrue(result.firstFailures.contains { $0.hasPrefix("rate_limit") }, "\(result.firstFailures)")
    }

    func testBisectionBracketsWithinTolerance() {
        // Table: tolerance → the SLO bracket ends narrower than it, around the knee (123.1/s).
        for tolerance in [0.02, 0.05, 0.1] {
            let result = SweepDriver(target: FakeCapacityTarget(), settings: settings([ttft400]) {
                $0.tolerance = tolerance
            }).run().result
            let bracket = result.sloBracket
            XCTAssertEqual(result.stopReason, "converged", "tolerance \(tolerance)")
            XCTAssertLessThanOrEqual(bracket.relativeWidth ?? 1, tolerance, "tolerance \(tolerance)")
            XCTAssertLessThanOrEqual(bracket.low ?? 0, 123.1, "tolerance \(tolerance)")
            XCTAssertGreaterThan(bracket.high ?? 0, 123.1, "tolerance \(tolerance)")
        }
    }

    func testTightSLOBracketsBelowTheKnee() {
        // TTFT p99 ≤ 240 ms: the fake's queueing term 0.05 × ρ⁸ passes 40 ms at ρ = 0.973.
        let tight = Threshold(name: "ttft_p99", metric: .latency(.ttft, percentile: 99), comparison: .atMost, limit: 240)
        let result = SweepDriver(target: FakeCapacityTarget(), settings: settings([tight])).run().result
        let bracket = result.sloBracket
        XCTAssertLessThanOrEqual(bracket.relativeWidth ?? 1, 0.05)
        XCTAssertLessThanOrEqual(bracket.low ?? 0, 123.1 * 0.973)
        XCTAssertGreaterThan(bracket.high ?? 0, 123.1 * 0.973)
        XCTAssertEqual(result.limitedBy, .latency)
        XCTAssertEqual(result.firstFailures.map { String($0.prefix(3)) }, ["slo"])
        // The knee is refined too, once the SLO bracket is narrow.
        XCTAssertEqual(result.kneeRPS ?? 0, 123, accuracy: 123 * 0.05)
    }

    func testStopRules() {
        // Table: a limit → the stop reason and the steps run.
        let cases: [(String, (inout SweepSettings) -> Void, FakeCapacityTarget, String, Int)] = [
            ("max_duration 40s stops after the ceiling search", { $0.maxDurationNanos = 40_000_000_000 },
             FakeCapacityTarget(), "max_duration", 8),
            ("max_cost_usd: $0.01 a request, $20 allowed", { $0.maxCostUSD = 20 },
             { var t = FakeCapacityTarget(); t.costPerRequest = 0.01; return t }(), "max_cost_usd", 7),
            ("max 50/s is never saturated", { $0.maxLoad = 50 }, FakeCapacityTarget(),
             "max load reached without saturation", 10),
        ]
        for (name, change, target, reason, steps) in cases {
            let outcome = SweepDriver(target: target, settings: settings([ttft400], change)).run()
            XCTAssertEqual(outcome.result.stopReason, reason, name)
            XCTAssertEqual(outcome.result.steps.count, steps, name)
        }
    }

    func testMaxDurationIsNeverPassed() {
        // Table: the budget → the sweep's time stays within it (steps are planned with their drain).
        for seconds in [20, 45, 90, 200] as [UInt64] {
            let outcome = SweepDriver(target: FakeCapacityTarget(), settings: settings([ttft400]) {
                $0.maxDurationNanos = seconds * 1_000_000_000
            }).run()
            XCTAssertLessThanOrEqual(outcome.elapsedNanos, seconds * 1_000_000_000, "\(seconds) s")
        }
    }

    func testMaxCostIsNeverPassed() {
        var target = FakeCapacityTarget()
        target.costPerRequest = 0.001
        for dollars in [0.5, 2.0, 5.0] {
            let outcome = SweepDriver(target: target, settings: settings([ttft400]) { $0.maxCostUSD = dollars }).run()
            XCTAssertLessThanOrEqual(outcome.spentUSD, dollars, "$\(dollars)")
        }
    }

    func testUnsaturatedUpToMax() {
        let result = SweepDriver(target: FakeCapacityTarget(), settings: settings([ttft400]) { $0.maxLoad = 50 }).run()
            .result
        XCTAssertFalse(result.kneeReached)
        XCTAssertNil(result.limitedBy)
        XCTAssertEqual(result.sloBracket, CapacityResult.Bracket(low: 50, high: nil))
        XCTAssertEqual(result.sloLoad, 50)
        XCTAssertLessThanOrEqual(result.steps.map(\.step.load).max() ?? 0, 50)
    }

    func testLimitedByClassification() {
        // Table: a target → what the first failing step beyond the SLO capacity is limited by.
        var errors = FakeCapacityTarget()
        errors.errorsAbove = (load: 80, share: 0.2)
        var client = FakeCapacityTarget()
        client.clientSaturatesAbove = 80
        var clientAndLimit = FakeCapacityTarget()
        clientAndLimit.clientSaturatesAbove = 40
        clientAndLimit.rateLimit = 40
        let cases: [(String, FakeCapacityTarget, CapacityResult.LimitedBy, Double)] = [
            ("slots: latency", FakeCapacityTarget(), .latency, 123),
            ("5xx above 80/s: errors", errors, .errors, 80),
            ("client start lag above 80/s: client", client, .client, 80),
            ("client and 429s at once: the client is named", clientAndLimit, .client, 40),
        ]
        for (name, target, limit, capacity) in cases {
            let result = SweepDriver(target: target, settings: settings([ttft400])).run().result
            XCTAssertEqual(result.limitedBy, limit, name)
            XCTAssertEqual(result.sloLoad ?? 0, capacity, accuracy: capacity * 0.05, name)
        }
    }

    func testBaselineWithoutSuccessEndsAtOnce() {
        var policy = SweepPolicy(settings: settings())
        guard case .run(let baseline) = policy.start() else { return XCTFail("expected the baseline") }
        XCTAssertEqual(baseline, SweepStep(index: 0, phase: .baseline, load: 1, closedLoop: true, warmupNanos: 0,
                                           windowNanos: 10_000_000_000, maxRequests: 10))
        var failed = StepStatistics(load: 1, windowSeconds: 2, offeredPerSecond: 5, achievedPerSecond: 5, okPerSecond: 0,
                                    completions: 0, requests: 10)
        failed.errorShare = 1
        guard case .done(let result) = policy.finished(failed, elapsedNanos: 2_000_000_000) else {
            return XCTFail("expected the end")
        }
        XCTAssertEqual(result.stopReason, "the baseline (one user) had no successful response")
        XCTAssertNil(result.sloLoad)
        XCTAssertEqual(result.steps.count, 1)
    }

    func testUsersMode() {
        // Closed loop: 64 slots, so throughput stops growing at 64 users.
        let result = SweepDriver(target: FakeCapacityTarget(), settings: settings([ttft400]) { $0.mode = .users }).run()
            .result
        XCTAssertTrue(result.steps.dropFirst().allSatisfy { $0.step.closedLoop && $0.step.load == $0.step.load.rounded() })
        XCTAssertEqual(result.kneeRPS ?? 0, 123, accuracy: 123 * 0.1)
        XCTAssertEqual(result.limitedBy, .latency)
        let bracket = result.sloBracket
        XCTAssertLessThanOrEqual((bracket.high ?? 0) - (bracket.low ?? 0), max(1, (bracket.low ?? 0) * 0.05))
        // Little's law at the highest passing users count, queueing included.
        let recommendation = try! XCTUnwrap(result.recommendation)
        let passing = try! XCTUnwrap(result.steps.last { $0.step.load == bracket.low })
        XCTAssertEqual(recommendation.concurrentStreams,
                       Int((recommendation.requestsPerSecond * passing.statistics.totalMeanMillis! / 1000).rounded(.up)))
    }

    func testWindowsAndWarmups() {
        // The plan of each phase's first step against the knee target (p99 total 0.52 s).
        let result = SweepDriver(target: FakeCapacityTarget(), settings: settings([ttft400])).run().result
        func step(_ phase: SweepStep.Phase) -> SweepStep { result.steps.first { $0.step.phase == phase }!.step }
        // Probe at 3.85/s: 20 completions need 5.19 s (more than step/4 = 2.5 s); warm-up 2 × 0.52 s.
        XCTAssertEqual(step(.ceiling).windowNanos, 5_194_805_195)
        XCTAssertEqual(step(.ceiling).warmupNanos, 1_040_000_000)
        // Step at 30.8/s: 100 completions need 3.2 s, so the step's 10 s.
        XCTAssertEqual(step(.steps).windowNanos, 10_000_000_000)
        XCTAssertEqual(step(.refine).windowNanos, 10_000_000_000)
    }
}
