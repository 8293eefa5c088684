import Foundation
import LoadCore
import LoadEngine
import XCTest

/// The engine measured against the mock's known timing, through real libcurl over loopback.
final class EngineTimingTests: XCTestCase {
    /// 500 requests at 100 concurrent; the mock waits 200 ms for the first token, then 10 ms between
    /// 32 tokens. Exactly 32 tokens each. What the mock guarantees is checked exactly: no TTFT below
    /// 200 ms, no last token before 200 + 31 × 10 ms (the mock spaces each token a full 10 ms after
    /// the previous write). Above that only a sanity bound (TTFT p50 at most twice the mock's): a
    /// loaded 2-core machine stretches everything. The tight figures (TTFT p50 ≤ 203 ms, p99 ≤ 210 ms,
    /// inter-token p50 ≤ 11 ms on a quiet machine) are benchmark (g) in docs/PERFORMANCE.md.
    ///
    /// The 100 connections are opened before the run (warm-up): opening 100 at once costs 3 to 6 ms
    /// on this 2-core machine (client and in-process mock share it), which is real but is not the
    /// mock's TTFT. `testColdStartIsMeasuredNotHidden` shows that cost without warm-up.
    func testClosedLoopMeasuresTheMockTiming() throws {
        let mock = try MockHarness {
            $0.ttft = .fixed(nanos: 200_000_000)
            $0.interTokenNanos = 10_000_000
            $0.outputTokens = 32
        }
        let (records, outcome) = try mock.run(
            LoadPlan(mode: .closed(users: 100, thinkTimeNanos: 0), maxRequests: 500, warmupConnections: 100))

        XCTAssertEqual(records.count, 500)
        XCTAssertEqual(outcome.started, 500)
        XCTAssertEqual(outcome.peakInFlight, 100)
        XCTAssertEqual(outcome.loopCloseStatus, 0, "every libuv handle closed")
        XCTAssertEqual(Set(records.map(\.requestID)).count, 500, "request ids are unique")
        XCTAssertTrue(records.allSatisfy { $0.connectNanos == nil }, "every request reused a warmed-up connection")
        for record in records {
            XCTAssertTrue(record.succeeded, "request \(record.requestID): \(record.errorClass as Any) \(record.errorMessage ?? "")")
            XCTAssertEqual(record.countedOutputTokens, 32)
            XCTAssertEqual(record.usageOutputTokens, 32)
            XCTAssertEqual(record.tokenOffsetsMicros.count, 32)
            XCTAssertGreaterThanOrEqual(record.tokenOffsetsMicros.last ?? 0, 509_000, "last token before it was due")
        }
        let ttft = records.compactMap(\.ttftMillis)
        XCTAssertEqual(ttft.count, 500)
        let ttftP50 = exactPercentile(ttft, 50)
        let ttftP99 = exactPercentile(ttft, 99)
        XCTAssertGreaterThanOrEqual(ttft.min() ?? 0, 199.9, "no TTFT below the mock's 200 ms")
        XCTAssertLessThanOrEqual(ttftP50, 400, "TTFT p50 \(ttftP50) ms")
        let interToken = records.flatMap(\.interTokenMillis)
        XCTAssertEqual(interToken.count, 500 * 31)
        let itlP50 = exactPercentile(interToken, 50)

        let totalP50 = exactPercentile(records.map(\.totalMillis), 50)
        print(String(format: "measured over 500 streams: TTFT p50 %.3f p99 %.3f ms, inter-token p50 %.3f ms, total p50 %.3f ms",
                     ttftP50, ttftP99, itlP50, totalP50))
        XCTAssertGreaterThanOrEqual(totalP50, 510, "total p50 \(totalP50) ms (200 + 31 x 10 at least)")
    }

    /// Without warm-up the first wave pays for its connections, and the record shows where: a connect
    /// time on each first-wave attempt, none on the later ones, and TTFT still the mock's 50 ms plus
    /// that setup.
    func testColdStartIsMeasuredNotHidden() throws {
        let mock = try MockHarness {
            $0.ttft = .fixed(nanos: 50_000_000)
            $0.outputTokens = 2
        }
        let (records, _) = try mock.run(LoadPlan(mode: .closed(users: 20, thinkTimeNanos: 0), maxRequests: 60))
        XCTAssertEqual(records.count, 60)
        let firstWave = records.filter { $0.requestID < 20 }
        let later = records.filter { $0.requestID >= 20 }
        XCTAssertTrue(firstWave.allSatisfy { $0.connectNanos != nil }, "each first request opened its connection")
        XCTAssertTrue(later.allSatisfy { $0.connectNanos == nil }, "later requests reused a connection")
        for record in records {
            let ttft = try XCTUnwrap(record.ttftMillis)
            XCTAssertGreaterThanOrEqual(ttft, 49.9, "TTFT \(ttft) ms for a 50 ms mock")
            if let connect = record.connectNanos {
                XCTAssertLessThan(connect, record.firstTokenNanos!)
            }
        }
    }

    /// Open loop at a constant 100/s for 1 s sends exactly 100 requests at exactly their intended
    /// times, the median start within 10 ms of it (the arrivals' spacing). The start lag itself
    /// (p99 ≤ 2 ms) is benchmark (c) in docs/PERFORMANCE.md: a loaded machine stretches it.
    func testOpenLoopStartsRequestsOnSchedule() throws {
        let mock = try MockHarness { $0.outputTokens = 4 }
        let plan = LoadPlan(
            mode: .open(nextArrivalNanos: constantArrivals(everyNanos: 10_000_000)),
            durationNanos: 1_000_000_000)
        let (records, outcome) = try mock.run(plan)

        XCTAssertEqual(records.count, 100)
        XCTAssertEqual(outcome.started, 100)
        XCTAssertEqual(outcome.loopCloseStatus, 0)
        let intended = records.map(\.intendedStartNanos).sorted()
        XCTAssertEqual(intended, (0..<100).map { UInt64($0) * 10_000_000 })
        let lagMillis = records.map { Double($0.startNanos - $0.intendedStartNanos) / 1e6 }
        XCTAssertLessThan(exactPercentile(lagMillis, 50), 10.0, "start lag p50 (ms)")
        XCTAssertTrue(records.allSatisfy(\.succeeded))
    }

    /// Open loop at 200/s for 10 s sends 2,000 requests (the issue allows ±1 %; constant pacing
    /// gives exactly 2,000), the last one intended at 9.995 s; the median start within 5 ms of its
    /// intended time (the arrivals' spacing; the tight start lag is benchmark (c)).
    func testOpenLoopAt200PerSecondFor10Seconds() throws {
        let mock = try MockHarness {
            $0.ttft = .fixed(nanos: 5_000_000)
            $0.outputTokens = 2
        }
        let plan = LoadPlan(
            mode: .open(nextArrivalNanos: constantArrivals(everyNanos: 5_000_000)), durationNanos: 10_000_000_000)
        let (records, outcome) = try mock.run(plan)
        XCTAssertEqual(records.count, 2_000)
        XCTAssertEqual(outcome.started, 2_000)
        XCTAssertTrue(records.allSatisfy(\.succeeded))
        let last = try XCTUnwrap(records.max { $0.intendedStartNanos < $1.intendedStartNanos })
        XCTAssertEqual(last.intendedStartNanos, 9_995_000_000)
        XCTAssertGreaterThanOrEqual(last.startNanos, last.intendedStartNanos)
        let lagMillis = records.map { Double($0.startNanos - $0.intendedStartNanos) / 1e6 }
        XCTAssertLessThan(exactPercentile(lagMillis, 50), 5.0, "start lag p50 (ms)")
    }

    /// With a cap of 5 in flight, 20 users never have more than 5 requests open at once
    /// (checked from the records' own timestamps), and all 60 requests still complete.
    func testInFlightCapHoldsRequestsInAQueue() throws {
        let mock = try MockHarness {
            $0.ttft = .fixed(nanos: 20_000_000)
            $0.outputTokens = 2
        }
        let (records, outcome) = try mock.run(
            LoadPlan(mode: .closed(users: 20, thinkTimeNanos: 0), maxRequests: 60, maxInFlight: 5))

        XCTAssertEqual(records.count, 60)
        XCTAssertEqual(outcome.peakInFlight, 5)
        let peak = peakConcurrency(records)
        XCTAssertLessThanOrEqual(peak, 5)
        XCTAssertTrue(records.allSatisfy(\.succeeded))
    }
}

/// Above 1,024 connections the engine spreads transfers over several curl multi handles on the one
/// loop; every request must still be measured and accounted for.
final class EngineScaleTests: XCTestCase {
    func testTwoThousandConcurrentStreamsAcrossMultiHandles() throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let needed: rlim_t = 2 * 2_000 + 200  // client and in-process mock sockets
        if limit.rlim_cur < needed {
            guard limit.rlim_max >= needed else { throw XCTSkip("open-files limit \(limit.rlim_max) < \(needed)") }
            limit.rlim_cur = needed
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        let mock = try MockHarness {
            $0.ttft = .fixed(nanos: 300_000_000)
            $0.interTokenNanos = 20_000_000
            $0.outputTokens = 5
        }
        // 2,000 arrivals within 0.4 s, each streaming for about 0.4 s: all in flight together.
        let plan = LoadPlan(
            mode: .open(nextArrivalNanos: constantArrivals(everyNanos: 200_000)),
            durationNanos: 400_000_000)
        let (records, outcome) = try mock.run(plan)
        XCTAssertEqual(records.count, 2_000)
        XCTAssertGreaterThan(outcome.peakInFlight, 1_500)
        XCTAssertEqual(outcome.loopCloseStatus, 0)
        XCTAssertEqual(records.filter(\.succeeded).count, 2_000, "\(Set(records.compactMap(\.errorMessage)))")
        XCTAssertTrue(records.allSatisfy { $0.countedOutputTokens == 5 })
        let ttft = records.compactMap(\.ttftMillis)
        // Never below the mock's 300 ms. How far above depends on the machine's load (3.7 s measured in
        // a debug build beside other builds); the tight p50 (≤ 330 ms, quiet) is benchmark (g).
        XCTAssertGreaterThanOrEqual(ttft.min() ?? 0, 299.9)

    }
}

/// Closed loop with think time: each user waits for its response, then the think time, then sends.
final class EngineThinkTimeTests: XCTestCase {
    /// 50 users, 100 ms think time, 200 requests against a 20 ms mock: never more than 50 in flight
    /// (from the records' timestamps), and each user's next request starts no earlier than 100 ms
    /// after its previous one ended (and within 50 ms more on a loaded machine), with the intended
    /// start exactly at end + think time.
    func testUsersThinkBetweenRequests() throws {
        let mock = try MockHarness {
            $0.ttft = .fixed(nanos: 20_000_000)
            $0.outputTokens = 2
        }
        let (records, outcome) = try mock.run(
            LoadPlan(mode: .closed(users: 50, thinkTimeNanos: 100_000_000), maxRequests: 200))
        XCTAssertEqual(records.count, 200)
        XCTAssertEqual(outcome.loopCloseStatus, 0)
        XCTAssertLessThanOrEqual(outcome.peakInFlight, 50)

        let peak = peakConcurrency(records)
        XCTAssertLessThanOrEqual(peak, 50)

        let byUser = Dictionary(grouping: records, by: { $0.userID ?? -1 })
        XCTAssertEqual(byUser.count, 50)
        var gaps = 0
        for (_, attempts) in byUser {
            let ordered = attempts.sorted { $0.startNanos < $1.startNanos }
            for (previous, next) in zip(ordered, ordered.dropFirst()) {
                let gapMillis = Double(next.startNanos - previous.endNanos) / 1e6
                XCTAssert((99.5...150).contains(gapMillis), "think gap \(gapMillis) ms")
                let intendedGapMillis = Double(next.intendedStartNanos) / 1e6 - Double(previous.endNanos) / 1e6
                XCTAssertEqual(intendedGapMillis, 100, accuracy: 0.5)
                gaps += 1
            }
        }
        XCTAssertEqual(gaps, 150)
    }
}

/// Open-loop arrivals beyond `maxInFlight` wait in a bounded queue; beyond that they are dropped
/// and counted, never sent late and never lost silently.
final class EngineQueueTests: XCTestCase {
    func testArrivalsBeyondTheQueueAreDroppedAndCounted() throws {
        let mock = try MockHarness {
            $0.ttft = .fixed(nanos: 200_000_000)
            $0.outputTokens = 1
        }
        // 100 arrivals 0.1 ms apart; 5 may run and 3 may wait: 8 are sent, 92 dropped.
        let plan = LoadPlan(
            mode: .open(nextArrivalNanos: constantArrivals(everyNanos: 100_000)),
            durationNanos: 10_000_000, maxInFlight: 5, maxQueued: 3)
        let (records, outcome) = try mock.run(plan)
        XCTAssertEqual(outcome.started, 8)
        XCTAssertEqual(outcome.dropped, 92)
        XCTAssertEqual(records.count, 8)
        XCTAssertTrue(records.allSatisfy(\.succeeded))
        // The three that waited started once a request of the first wave had ended (the 200 ms
        // TTFT later), and their latency from the intended start shows that wait.
        let waited = records.filter { record in records.contains { $0.endNanos <= record.startNanos } }
        XCTAssertEqual(waited.count, 3)
        for record in waited {
            XCTAssertGreaterThan(record.endNanos - record.intendedStartNanos, 380_000_000)
        }
    }
}

/// Closed-loop users follow a target that ramps up, holds and ramps down.
final class EngineUserRampTests: XCTestCase {
    /// 0 → 20 users over 1 s, 20 for 0.5 s, 20 → 4 over 0.5 s, against a 20 ms mock. Requests in
    /// flight at a moment (from the records) track the target within a few users: the engine
    /// checks every 10 ms, adds users at once and retires them as their requests end.
    func testUsersFollowARampUpAndDown() throws {
        let mock = try MockHarness {
            $0.ttft = .fixed(nanos: 20_000_000)
            $0.outputTokens = 1
        }
        let target: (UInt64) -> Int = { nanos in
            let seconds = Double(nanos) / 1e9
            switch seconds {
            case ..<1.0: return Int((20 * seconds).rounded())
            case ..<1.5: return 20
            default: return Int((20 - 16 * (seconds - 1.5) / 0.5).rounded())
            }
        }
        var plan = LoadPlan(mode: .closed(users: 20, thinkTimeNanos: 0), durationNanos: 2_000_000_000)
        plan.userTarget = target
        let (records, outcome) = try mock.run(plan)
        XCTAssertEqual(outcome.loopCloseStatus, 0)
        XCTAssertTrue(records.allSatisfy(\.succeeded))
        XCTAssertLessThanOrEqual(outcome.peakInFlight, 20)

        func inFlight(atSeconds seconds: Double) -> Int {
            let nanos = UInt64(seconds * 1e9)
            return records.filter { $0.startNanos <= nanos && nanos < $0.endNanos }.count
        }
        // Table: moment → expected users (the target there), tolerance ±4 (a loaded machine delays
        // the next request of a user by a few ms; the target is checked every 10 ms).
        for (seconds, expected) in [(0.25, 5), (0.5, 10), (0.75, 15), (1.25, 20), (1.75, 12), (1.95, 6)] {
            let measured = inFlight(atSeconds: seconds)
            XCTAssert(abs(measured - expected) <= 4, "at \(seconds) s: \(measured) in flight, target \(expected)")
        }
        XCTAssertGreaterThan(Set(records.compactMap(\.userID)).count, 15)
    }
}
