import Foundation
import LoadCore
import LoadEngine
import TestSupport
import XCTest

/// Failed attempts are recorded with their class, and the run goes on.
final class EngineErrorTests: XCTestCase {
    func testInjected429sAreRecordedAsHTTP429() throws {
        let mock = try MockHarness {
            $0.errorRate = 1
            $0.errorStatus = 429
        }
        let (records, outcome) = try mock.run(LoadPlan(mode: .closed(users: 4, thinkTimeNanos: 0), maxRequests: 40))
        XCTAssertEqual(records.count, 40)
        XCTAssertEqual(outcome.loopCloseStatus, 0)
        for record in records {
            XCTAssertEqual(record.status, 429)
            XCTAssertEqual(record.errorClass, .http429)
            XCTAssertNil(record.firstTokenNanos)
        }
    }

    func testInjected500sAreRecordedAsHTTP5xxWithTheBodyExcerpt() throws {
        let mock = try MockHarness {
            $0.errorRate = 1
            $0.errorStatus = 503
        }
        let (records, _) = try mock.run(LoadPlan(mode: .closed(users: 2, thinkTimeNanos: 0), maxRequests: 10))
        XCTAssertEqual(records.count, 10)
        XCTAssertTrue(records.allSatisfy { $0.errorClass == .http5xx && $0.status == 503 })
        XCTAssertTrue(records[0].errorMessage?.hasPrefix("HTTP 503: ") ?? false, records[0].errorMessage ?? "nil")
    }

    /// Half the requests fail: the counts split around one half, every request is accounted for.
    func testMixedErrorRateKeepsEveryRequest() throws {
        let mock = try MockHarness {
            $0.errorRate = 0.5
            $0.errorStatus = 500
            $0.outputTokens = 3
        }
        let (records, _) = try mock.run(LoadPlan(mode: .closed(users: 8, thinkTimeNanos: 0), maxRequests: 400))
        XCTAssertEqual(records.count, 400)
        let failures = records.filter { $0.errorClass == .http5xx }.count
        let successes = records.filter(\.succeeded).count
        XCTAssertEqual(failures + successes, 400)
        XCTAssert((140...260).contains(failures), "\(failures) failures of 400 at rate 0.5")
    }

    /// Nothing listens on the port: every attempt is a connect error, quickly.
    func testRefusedConnectionsAreConnectErrors() throws {
        let port = try unusedLoopbackPort()
        let template = RequestTemplate(
            url: "http://127.0.0.1:\(port)/v1/chat/completions", headers: [], bodies: [MockHarness.body()])
        let engine = try Engine(template: template, plan: LoadPlan(mode: .closed(users: 2, thinkTimeNanos: 0), maxRequests: 6))
        var records: [AttemptRecord] = []
        engine.onAttempt = { records.append($0) }
        let outcome = try engine.run()
        XCTAssertEqual(records.count, 6)
        XCTAssertEqual(outcome.loopCloseStatus, 0)
        XCTAssertTrue(records.allSatisfy { $0.errorClass == .connect && $0.status == 0 }, "\(records.map(\.errorClass))")
    }

    /// A non-streamed completion succeeds and takes its token counts from usage.
    func testNonStreamedCompletionUsesUsage() throws {
        let mock = try MockHarness { $0.outputTokens = 7 }
        let (records, _) = try mock.run(
            LoadPlan(mode: .closed(users: 2, thinkTimeNanos: 0), maxRequests: 4), template: mock.template(stream: false))
        XCTAssertEqual(records.count, 4)
        for record in records {
            XCTAssertTrue(record.succeeded, record.errorMessage ?? "")
            XCTAssertEqual(record.usageOutputTokens, 7)
            XCTAssertEqual(record.outputTokens, 7)
        }
    }

    /// max_tokens smaller than the mock's length caps the stream.
    func testMaxTokensCapsTheStream() throws {
        let mock = try MockHarness { $0.outputTokens = 50 }
        let (records, _) = try mock.run(
            LoadPlan(mode: .closed(users: 1, thinkTimeNanos: 0), maxRequests: 2), template: mock.template(maxTokens: 5))
        XCTAssertEqual(records.map(\.countedOutputTokens), [5, 5])
    }

    /// A secret in the template never reaches a recorded error message.
    func testSecretsAreRedactedFromErrorMessages() throws {
        let port = try unusedLoopbackPort()
        let secret = "127.0.0.1"
        var template = RequestTemplate(
            url: "http://127.0.0.1:\(port)/v1/chat/completions", headers: [], bodies: [MockHarness.body()])
        template.secrets = [secret]
        let engine = try Engine(template: template, plan: LoadPlan(mode: .closed(users: 1, thinkTimeNanos: 0), maxRequests: 1))
        var records: [AttemptRecord] = []
        engine.onAttempt = { records.append($0) }
        _ = try engine.run()
        let message = try XCTUnwrap(records.first?.errorMessage)
        XCTAssertFalse(message.contains(secret), message)
        XCTAssertTrue(message.contains("[redacted]"), message)
    }
}

/// A callback can end the run early (a cost limit, a failed threshold, a bad key).
final class EngineStopTests: XCTestCase {
    func testStopArrivalsFromACallbackLetsRequestsInFlightFinish() throws {
        let mock = try MockHarness {
            $0.outputTokens = 2
        }
        let engine = try Engine(template: mock.template(), plan: LoadPlan(mode: .closed(users: 8, thinkTimeNanos: 0), maxRequests: 10_000))
        var records: [AttemptRecord] = []
        engine.onAttempt = { record in
            records.append(record)
            if records.count == 20 { engine.stopArrivals(reason: "enough") }
        }
        let outcome = try engine.run()
        XCTAssertEqual(outcome.stopReason, "enough")
        XCTAssertEqual(outcome.loopCloseStatus, 0)
        // The 8 users had at most 8 requests open when the 20th ended; each of those finishes normally.
        XCTAssertGreaterThanOrEqual(records.count, 20)
        XCTAssertLessThanOrEqual(records.count, 20 + 8)
        XCTAssertEqual(records.count, outcome.started)
        XCTAssertTrue(records.allSatisfy(\.succeeded))
    }

    func testCancelInFlightRecordsEveryOpenRequestAsCancelledOnce() throws {
        let mock = try MockHarness {
            $0.outputTokens = 50
            $0.interTokenDelayNanos = 20_000_000
        }
        let plan = LoadPlan(mode: .open(nextArrivalNanos: constantArrivals(everyNanos: 5_000_000)), durationNanos: 10_000_000_000)
        let engine = try Engine(template: mock.template(), plan: plan)
        var records: [AttemptRecord] = []
        engine.onTick = { progress in
            if progress.elapsedNanos > 300_000_000 { engine.cancelInFlight(reason: "threshold") }
        }
        engine.tickIntervalMillis = 50
        engine.onAttempt = { records.append($0) }
        let outcome = try engine.run()
        XCTAssertEqual(outcome.stopReason, "threshold")
        XCTAssertEqual(records.count, outcome.started)
        XCTAssertEqual(Set(records.map(\.requestID)).count, records.count, "one record per request")
        XCTAssertGreaterThan(outcome.cancelled, 10)
        XCTAssertEqual(records.filter { $0.errorClass == .cancelled }.count, outcome.cancelled)
        XCTAssertEqual(outcome.loopCloseStatus, 0)
    }
}
