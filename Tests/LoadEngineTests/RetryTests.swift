import Foundation
import LoadCore
import LoadEngine
import TestSupport
import XCTest

/// Retries: each attempt is its own record with the request's id, numbered, `willRetry` on all but
/// the last; waits follow the backoff or the server's `retry-after`; retries wait for a slot like
/// arrivals, and stopping the run stops them.
final class RetryTests: XCTestCase {
    /// Two 503s, then a good stream: one request, three attempts 1-2-3 with `willRetry` true, true,
    /// false; the backoff (base 50 ms, full jitter) separates them, and each retry is intended to
    /// start when its backoff ends (a slot is free, so it starts then).
    func testRetriesUntilSuccessAsSeparateAttempts() throws {
        let server = try makeServer { $0 < 2 ? .status(503, body: "{}") : .good(tokens: 3) }
        var plan = LoadPlan(mode: .open(nextArrivalNanos: once()))
        plan.retry = RetryPolicy(maxAttempts: 3, retryOn: [.http5xx], backoffBaseNanos: 50_000_000,
                                 backoffMaxNanos: 200_000_000)
        let (records, outcome) = try run(server, plan)
        XCTAssertEqual(records.map(\.requestID), [0, 0, 0])
        XCTAssertEqual(records.map(\.attemptNumber), [1, 2, 3])
        XCTAssertEqual(records.map(\.willRetry), [true, true, false])
        XCTAssertEqual(records.map(\.errorClass), [.http5xx, .http5xx, nil])
        XCTAssertTrue(records[2].succeeded)
        for (previous, retry) in zip(records, records.dropFirst()) {
            XCTAssertGreaterThanOrEqual(retry.intendedStartNanos, previous.endNanos)
            XCTAssertLessThanOrEqual(retry.intendedStartNanos - previous.endNanos, 200_000_000, "within the backoff's ceiling")
            XCTAssertGreaterThanOrEqual(retry.startNanos, retry.intendedStartNanos)
            XCTAssertLessThan(retry.startNanos - retry.intendedStartNanos, 50_000_000, "a free slot: starts on time")
        }
        XCTAssertEqual(outcome.started, 3)
        XCTAssertEqual(outcome.retries, 2)
        XCTAssertEqual(outcome.completed, 3)
    }

    /// A 429 saying `retry-after-ms: 300` (and `retry-after: 1`): the retry waits the 300 ms (the more
    /// precise header wins; at least 300 ms, and well under the 1 s of `retry-after` even on a loaded
    /// machine), measured from the attempt's end to the retry's start, not the backoff (max 10 ms here).
    func testRetryWaitsForRetryAfter() throws {
        let tooMany = "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
            + "retry-after: 1\r\nretry-after-ms: 300\r\nx-ratelimit-remaining-requests: 0\r\n"
            + "x-ratelimit-reset-requests: 300ms\r\nConnection: close\r\n\r\n{}"
        let server = try makeServer { $0 == 0 ? .raw(tooMany) : .good(tokens: 2) }
        var plan = LoadPlan(mode: .open(nextArrivalNanos: once()))
        plan.retry = RetryPolicy(maxAttempts: 2, retryOn: [.http429], backoffBaseNanos: 1_000_000,
                                 backoffMaxNanos: 10_000_000)
        let (records, _) = try run(server, plan)
        XCTAssertEqual(records.count, 2)
        let first = records[0]
        XCTAssertEqual(first.errorClass, .http429)
        XCTAssertEqual(first.rateLimit?.retryAfterMillis, 300)
        XCTAssertEqual(first.rateLimit?.requests, .init(remaining: 0, resetMillis: 300))
        let waitedMillis = Double(records[1].startNanos - first.endNanos) / 1e6
        XCTAssertGreaterThanOrEqual(waitedMillis, 300)
        XCTAssertLessThan(waitedMillis, 400, "the timerfd wakes within microseconds; 100 ms is load headroom")
        XCTAssertTrue(records[1].succeeded)
    }

    /// 20 requests at once against a server that always answers 503, 2 in flight at most, 3
    /// attempts each: 60 attempts, never more than 2 at once, every request's last attempt without
    /// `willRetry`. A 401 is not in `on:`, so it is never retried.
    func testRetriesObeyMaxInFlightAndMaxAttempts() throws {
        let server = try makeServer { _ in .status(503, body: "{}") }
        var plan = LoadPlan(mode: .open(nextArrivalNanos: constantArrivals(everyNanos: 0)), maxRequests: 20, maxInFlight: 2)
        plan.retry = RetryPolicy(maxAttempts: 3, retryOn: [.http5xx], backoffBaseNanos: 5_000_000, backoffMaxNanos: 5_000_000)
        let (records, outcome) = try run(server, plan)
        XCTAssertEqual(records.count, 60)
        XCTAssertLessThanOrEqual(peakConcurrency(records), 2)
        XCTAssertEqual(outcome.peakInFlight, 2)
        for id in 0..<UInt64(20) {
            let attempts = records.filter { $0.requestID == id }
            XCTAssertEqual(attempts.map(\.attemptNumber), [1, 2, 3], "request \(id)")
            XCTAssertEqual(attempts.map(\.willRetry), [true, true, false], "request \(id)")
        }

        let unauthorized = try makeServer { _ in .status(401, body: "{}") }
        let (once, _) = try run(unauthorized, plan)
        XCTAssertEqual(once.count, 20)
        XCTAssertTrue(once.allSatisfy { $0.errorClass == .http4xx && !$0.willRetry })
    }

    /// Closed loop: a user whose request is being retried waits for its last attempt before sending
    /// the next request, so 2 users × 3 requests × (1 failure + 1 success) = 12 attempts, 6 ids.
    func testClosedLoopUserWaitsForItsRetries() throws {
        let server = try makeServer { $0 % 2 == 0 ? .status(503, body: "{}") : .good(tokens: 1) }
        var plan = LoadPlan(mode: .closed(users: 1, thinkTimeNanos: 0), maxRequests: 6)
        plan.retry = RetryPolicy(maxAttempts: 2, retryOn: [.http5xx], backoffBaseNanos: 1_000_000, backoffMaxNanos: 1_000_000)
        let (records, _) = try run(server, plan)
        XCTAssertEqual(records.count, 12)
        XCTAssertEqual(records.map(\.requestID), [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
        XCTAssertEqual(records.filter(\.succeeded).count, 6)
        XCTAssertEqual(peakConcurrency(records), 1)
    }

    /// Stopping the run (as a first Ctrl-C or a cost limit does) while a retry waits for its backoff:
    /// the retry never starts and is counted as never started.
    func testStoppingTheRunDropsWaitingRetries() throws {
        let server = try makeServer { _ in .status(503, body: "{}") }
        var plan = LoadPlan(mode: .open(nextArrivalNanos: once()))
        plan.retry = RetryPolicy(maxAttempts: 5, retryOn: [.http5xx], backoffBaseNanos: 300_000_000,
                                 backoffMaxNanos: 300_000_000)
        let engine = try Engine(template: template(server), plan: plan)
        var records: [AttemptRecord] = []
        engine.onAttempt = { record in
            records.append(record)
            engine.stopArrivals(reason: "test")
        }
        let began = Date()
        let outcome = try engine.run()
        XCTAssertEqual(records.count, 1)
        XCTAssertTrue(records[0].willRetry, "the retry was scheduled before the stop")
        XCTAssertEqual(outcome.neverStarted, 1)
        XCTAssertEqual(outcome.stopReason, "test")
        XCTAssertLessThan(Date().timeIntervalSince(began), 1)
    }

    /// Two requests fail together; the first record's callback stops the run: its retry (already
    /// scheduled) never starts, and the second attempt, ending after the stop, is not retried at all.
    func testAttemptsEndingAfterTheStopAreNotRetried() throws {
        let server = try makeServer { _ in .status(503, body: "{}") }
        var plan = LoadPlan(mode: .open(nextArrivalNanos: constantArrivals(everyNanos: 0)), maxRequests: 2)
        plan.retry = RetryPolicy(maxAttempts: 5, retryOn: [.http5xx], backoffBaseNanos: 300_000_000,
                                 backoffMaxNanos: 300_000_000)
        let engine = try Engine(template: template(server), plan: plan)
        var records: [AttemptRecord] = []
        engine.onAttempt = { record in
            records.append(record)
            if records.count == 1 { engine.stopArrivals(reason: "test") }
        }
        let outcome = try engine.run()
        XCTAssertEqual(records.map(\.willRetry), [true, false])
        XCTAssertEqual(outcome.neverStarted, 1)
        XCTAssertEqual(outcome.started, 2)
    }

    // MARK: - Helpers

    private func once() -> () -> UInt64? {
        var sent = false
        return {
            defer { sent = true }
            return sent ? nil : 0
        }
    }

    private func makeServer(script: @escaping (Int) -> ScriptedServer.Behaviour) throws -> ScriptedServer {
        let server = try ScriptedServer(script: script)
        addTeardownBlock { server.stop() }
        return server
    }

    private func template(_ server: ScriptedServer) -> RequestTemplate {
        var template = RequestTemplate(url: server.chatURL, headers: ["Content-Type: application/json"],
                                       bodies: [MockHarness.body()])
        template.totalTimeoutNanos = 5_000_000_000
        return template
    }

    private func run(_ server: ScriptedServer, _ plan: LoadPlan) throws -> ([AttemptRecord], RunOutcome) {
        let engine = try Engine(template: template(server), plan: plan)
        var records: [AttemptRecord] = []
        engine.onAttempt = { records.append($0) }
        let outcome = try engine.run()
        XCTAssertEqual(outcome.loopCloseStatus, 0)
        return (records, outcome)
    }
}
