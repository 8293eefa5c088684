import XCTest

@testable import LoadCore

/// Each saturation signal's rule, on hand-made step statistics.
final class StepVerdictTests: XCTestCase {
    /// A healthy 100/s step over 10 s.
    private func healthy() -> StepStatistics {
        var stats = StepStatistics(load: 100, windowSeconds: 10, offeredPerSecond: 100, achievedPerSecond: 100,
                                   okPerSecond: 100, completions: 1000, requests: 1000)
        stats.outstandingAtStart = 52
        stats.outstandingAtEnd = 55
        stats.ttftFirstQuarterMillis = 200
        stats.ttftLastQuarterMillis = 210
        return stats
    }

    func testSignals() {
        let ttft = Threshold(name: "ttft_p99", metric: .latency(.ttft, percentile: 99), comparison: .atMost, limit: 400)
        // Table: a change to the healthy step → the signals that fire.
        let cases: [(String, (inout StepStatistics) -> Void, [StepVerdict.Signal])] = [
            ("healthy", { _ in }, []),
            ("achieved 94 of 100", { $0.achievedPerSecond = 94 }, [.throughput]),
            ("achieved 95 of 100 is within 5 %", { $0.achievedPerSecond = 95 }, []),
            ("outstanding grew by 51 (> 5 % of 1000)", { $0.outstandingAtEnd = 103 }, [.inFlightGrowth]),
            ("outstanding grew by 50", { $0.outstandingAtEnd = 102 }, []),
            ("TTFT 200 → 250 ms", { $0.ttftLastQuarterMillis = 250 }, [.ttftTrend]),
            ("TTFT 200 → 249 ms", { $0.ttftLastQuarterMillis = 249 }, []),
            ("TTFT 40 → 59 ms: +47 % but under 20 ms", {
                $0.ttftFirstQuarterMillis = 40
                $0.ttftLastQuarterMillis = 59
            }, []),
            ("1.1 % 429s", { $0.share429 = 0.011 }, [.rateLimit]),
            ("1 % 429s", { $0.share429 = 0.01 }, []),
            ("2 % 5xx", { $0.errorShare = 0.02 }, [.errors]),
            ("client saturated", { $0.clientVerdict = .saturated }, [.client]),
            ("SLO failed", {
                $0.slo = [ThresholdResult(threshold: ttft, actual: 612, passed: false)]
            }, [.slo]),
            ("queue building: three signals", {
                $0.achievedPerSecond = 90
                $0.outstandingAtEnd = 160
                $0.ttftLastQuarterMillis = 600
            }, [.throughput, .inFlightGrowth, .ttftTrend]),
        ]
        var settings = SweepSettings()
        settings.slo = Thresholds(checks: [ttft])
        for (name, change, expected) in cases {
            var stats = healthy()
            change(&stats)
            let verdict = StepVerdict(stats, settings: settings, baseline: nil)
            XCTAssertEqual(verdict.findings.map(\.signal), expected, name)
        }
    }

    func testClosedLoopStepsInRateMode() {
        // The baseline (one user) in a rate sweep: achieved against offered and growth say nothing
        // about a closed loop, so they do not fire; the trend and the limits still do.
        var stats = healthy()
        stats.achievedPerSecond = 80
        stats.outstandingAtEnd = 200
        XCTAssertEqual(StepVerdict(stats, settings: SweepSettings(), baseline: nil, closedLoop: true)
            .findings.map(\.signal), [])
        stats.ttftLastQuarterMillis = 400
        stats.share429 = 0.5
        XCTAssertEqual(StepVerdict(stats, settings: SweepSettings(), baseline: nil, closedLoop: true)
            .findings.map(\.signal), [.ttftTrend, .rateLimit])
    }

    func testCriteria() {
        // Table: signals → sustained, within limits, meets the SLO.
        let cases: [(StepVerdict.Signal?, Bool, Bool, Bool)] = [
            (nil, true, true, true),
            (.ttftTrend, false, false, false),
            (.rateLimit, true, false, false),
            (.client, true, false, false),
            (.slo, true, true, false),
        ]
        for (signal, sustained, withinLimits, meetsSLO) in cases {
            var verdict = StepVerdict(healthy(), settings: SweepSettings(), baseline: nil)
            verdict.findings = signal.map { [StepVerdict.Finding(signal: $0, detail: "")] } ?? []
            XCTAssertEqual(verdict.sustained, sustained, "\(String(describing: signal))")
            XCTAssertEqual(verdict.withinLimits, withinLimits, "\(String(describing: signal))")
            XCTAssertEqual(verdict.meetsSLO, meetsSLO, "\(String(describing: signal))")
        }
    }

    func testErrorLimitsFollowTheSLO() {
        // error_rate 5 %: 3 % of 429s or of 5xx is within it; http_429_rate narrows the 429s.
        let errorRate = Threshold(name: "error_rate", metric: .errorRate, comparison: .atMost, limit: 0.05)
        let http429 = Threshold(name: "http_429_rate", metric: .http429Rate, comparison: .atMost, limit: 0.02)
        var stats = healthy()
        stats.share429 = 0.03
        stats.errorShare = 0.03
        var settings = SweepSettings()
        settings.slo = Thresholds(checks: [errorRate])
        XCTAssertEqual(StepVerdict(stats, settings: settings, baseline: nil).findings.map(\.signal), [])
        settings.slo = Thresholds(checks: [errorRate, http429])
        XCTAssertEqual(StepVerdict(stats, settings: settings, baseline: nil).findings.map(\.signal), [.rateLimit])
    }

    func testUsersEfficiency() {
        // One user did 2/s; 10 users doing 17.9/s is 89.5 % of 10 × 2/s: saturating.
        var settings = SweepSettings()
        settings.mode = .users
        let baseline = StepStatistics(load: 1, windowSeconds: 5, offeredPerSecond: 2, achievedPerSecond: 2,
                                      okPerSecond: 2, completions: 10, requests: 10)
        var stats = StepStatistics(load: 10, windowSeconds: 10, offeredPerSecond: 18, achievedPerSecond: 18,
                                   okPerSecond: 17.9, completions: 179, requests: 179)
        XCTAssertEqual(StepVerdict(stats, settings: settings, baseline: baseline).findings.map(\.signal), [.efficiency])
        stats.okPerSecond = 18
        XCTAssertEqual(StepVerdict(stats, settings: settings, baseline: baseline).findings.map(\.signal), [])
        // No throughput or growth rules in users mode: offered is whatever the users send.
        stats.achievedPerSecond = 1
        stats.outstandingAtEnd = 100
        XCTAssertEqual(StepVerdict(stats, settings: settings, baseline: baseline).findings.map(\.signal), [])
    }
}
