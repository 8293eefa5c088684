import XCTest

@testable import LoadCore

/// What `loadgen validate` prints for a sweep, and the shift of records onto the sweep's clock.
final class SweepPlanTextTests: XCTestCase {
    func testPlanLines() throws {
        var settings = SweepSettings()
        settings.slo = try SLOList.parse("ttft_p99=400ms")
        settings.maxLoad = 50
        settings.maxDurationNanos = 120_000_000_000
        let lines = SweepPlanText.lines(settings, costLimitUSD: nil, dollarsPerRequest: 0.001)
        XCTAssertEqual(lines, [
            "  sweep: mode rate, constant arrivals, SLO ttft_p99 <= 400ms",
            "    baseline: 1 user, 10 requests",
            "    ceiling: from 2 × one user's rate, × 2 per probe, until saturation or 50/s",
            "    steps: 4 evenly up to the ceiling's throughput, windows of at least 10s and 100 completions",
            "    refine: bisection until the bracket is within 5 %; recommendation with 20 % headroom",
            // 50/s × 120 s × $0.001.
            "    worst case: 2m (max_duration); cost at most $6.00 (all at max for max_duration; set sweep.max_cost_usd "
                + "to bound it lower)",
        ])
    }

    func testWorstCaseCost() {
        var settings = SweepSettings()
        settings.maxDurationNanos = 60_000_000_000
        // Table: max load, cost limit, price → the cost part of the worst-case line.
        let cases: [(Double?, Double?, Double?, String)] = [
            (nil, nil, nil, "cost: not estimated (no price, or no max_tokens)"),
            (nil, 2, nil, "cost: not estimated (no price, or no max_tokens), limit $2.00"),
            (nil, 2, 0.01, "cost at most $2.00 (max_cost_usd)"),
            (nil, nil, 0.01, "cost unbounded: up to $0.010000 a request; set sweep.max_cost_usd or sweep.max"),
            (10, 2, 0.01, "cost at most $2.00 (max_cost_usd $2.00; all at max for max_duration $6.00)"),
            (1, 20, 0.01, "cost at most $0.60 (max_cost_usd $20.00; all at max for max_duration $0.60)"),
        ]
        for (max, limit, price, expected) in cases {
            settings.maxLoad = max
            XCTAssertEqual(SweepPlanText.worstCaseCost(settings, costLimitUSD: limit, dollarsPerRequest: price), expected)
        }
    }

    func testShiftMovesEveryTimestampButTokenOffsets() {
        var a = AttemptRecord(requestID: 3, intendedStartNanos: 10, startNanos: 20, endNanos: 90)
        a.dnsNanos = 21
        a.connectNanos = 22
        a.tlsNanos = 23
        a.headersNanos = 30
        a.firstByteNanos = 31
        a.firstTokenNanos = 40
        a.tokenOffsetsMicros = [20, 30]
        let moved = a.shifted(byNanos: 1_000)
        XCTAssertEqual([moved.intendedStartNanos, moved.startNanos, moved.endNanos], [1_010, 1_020, 1_090])
        XCTAssertEqual([moved.dnsNanos, moved.connectNanos, moved.tlsNanos, moved.headersNanos, moved.firstByteNanos,
                        moved.firstTokenNanos], [1_021, 1_022, 1_023, 1_030, 1_031, 1_040])
        XCTAssertEqual(moved.tokenOffsetsMicros, [20, 30])
        XCTAssertNil(AttemptRecord(requestID: 0, intendedStartNanos: 0, startNanos: 0, endNanos: 0)
            .shifted(byNanos: 5).dnsNanos)
        XCTAssertEqual(a.shifted(byNanos: 0), a)
    }
}
