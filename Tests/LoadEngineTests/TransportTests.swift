import Foundation
import LoadCore
import LoadEngine
import MockProvider
import TestSupport
import XCTest

/// Connections and the way to the server: the connection limit, proxies from the environment, the
/// per-attempt phase times.
final class TransportTests: XCTestCase {
    /// `maxConnections` 4 with 20 allowed in flight over HTTP/1.1: 40 requests (open loop at 200/s,
    /// the mock taking 100 ms each) all succeed, the mock never sees more than 4 connections (in all
    /// and at once), and the records never overlap by more than 4 (the engine's queue holds the
    /// rest, keeping their intended start).
    func testConnectionLimitIsRespected() throws {
        let mock = try MockHarness {
            $0.ttft = .fixed(nanos: 100_000_000)
            $0.outputTokens = 2
        }
        var plan = LoadPlan(mode: .open(nextArrivalNanos: constantArrivals(everyNanos: 5_000_000)), maxRequests: 40,
                            maxInFlight: 20)
        plan.maxConnections = 4
        let (records, outcome) = try mock.run(plan)
        XCTAssertEqual(records.filter(\.succeeded).count, 40)
        let connections = mock.server.connectionCounts
        XCTAssertLessThanOrEqual(connections.accepted, 4)
        XCTAssertLessThanOrEqual(connections.peakOpen, 4)
        XCTAssertLessThanOrEqual(peakConcurrency(records), 4)
        XCTAssertEqual(outcome.peakInFlight, 4)
        let waited = records.filter { $0.startNanos - $0.intendedStartNanos > 50_000_000 }
        XCTAssertGreaterThan(waited.count, 20, "most requests waited for a connection, and it shows")
    }

    /// Without a limit, the same load opens a connection per concurrent request (the control).
    func testWithoutALimitConnectionsFollowConcurrency() throws {
        let mock = try MockHarness {
            $0.ttft = .fixed(nanos: 100_000_000)
            $0.outputTokens = 2
        }
        let plan = LoadPlan(mode: .open(nextArrivalNanos: constantArrivals(everyNanos: 5_000_000)), maxRequests: 40,
                            maxInFlight: 20)
        let (records, _) = try mock.run(plan)
        XCTAssertEqual(records.filter(\.succeeded).count, 40)
        XCTAssertGreaterThan(mock.server.connectionCounts.peakOpen, 10)
    }

    /// `http_proxy` in the environment points at a server that would answer; a loopback target
    /// bypasses it (NOPROXY), so the proxy sees nothing and the mock answers.
    func testProxyFromTheEnvironmentIsBypassedForLoopback() throws {
        let proxy = try ScriptedServer(.status(502, body: "{}"))
        addTeardownBlock { proxy.stop() }
        let mock = try MockHarness { $0.outputTokens = 2 }
        try withEnvironment(["http_proxy": "http://127.0.0.1:\(proxy.port)", "ALL_PROXY": "http://127.0.0.1:\(proxy.port)"]) {
            let (records, _) = try mock.run(LoadPlan(mode: .closed(users: 2, thinkTimeNanos: 0), maxRequests: 4))
            XCTAssertEqual(records.filter(\.succeeded).count, 4)
        }
        proxy.stop()
        XCTAssertEqual(proxy.served.count, 0, "the proxy saw no connection")
    }

    /// The converse: a target that is not loopback (`llm.invalid`, a name that never resolves) goes
    /// through `http_proxy`, which here is a scripted server on 127.0.0.1 that sees the absolute URL
    /// in the request line and answers; nothing leaves the machine.
    func testProxyFromTheEnvironmentIsUsedForOtherHosts() throws {
        let proxy = try ScriptedServer(.good(tokens: 2))
        addTeardownBlock { proxy.stop() }
        var template = RequestTemplate(url: "http://llm.invalid/v1/chat/completions",
                                       headers: ["Content-Type: application/json"], bodies: [MockHarness.body()])
        template.totalTimeoutNanos = 5_000_000_000
        try withEnvironment(["http_proxy": "http://127.0.0.1:\(proxy.port)"]) {
            let engine = try Engine(template: template, plan: LoadPlan(mode: .closed(users: 1, thinkTimeNanos: 0), maxRequests: 2))
            var records: [AttemptRecord] = []
            engine.onAttempt = { records.append($0) }
            _ = try engine.run()
            XCTAssertEqual(records.filter(\.succeeded).count, 2, "\(records.map { $0.errorMessage ?? "ok" })")
        }
        proxy.stop()
        XCTAssertEqual(proxy.served.map(\.requestLine), Array(repeating: "POST http://llm.invalid/v1/chat/completions HTTP/1.1", count: 2))
    }

    /// DNS, connect, headers, first byte and first token times are in order for an attempt that
    /// resolved `localhost` (from /etc/hosts) and opened its connection.
    func testPhaseTimesIncludingDNS() throws {
        let mock = try MockHarness {
            $0.ttft = .fixed(nanos: 20_000_000)
            $0.outputTokens = 2
        }
        var template = mock.template()
        template.url = "http://localhost:\(mock.port)/v1/chat/completions"
        let engine = try Engine(template: template, plan: LoadPlan(mode: .closed(users: 1, thinkTimeNanos: 0), maxRequests: 1))
        var records: [AttemptRecord] = []
        engine.onAttempt = { records.append($0) }
        _ = try engine.run()
        let record = try XCTUnwrap(records.first)
        XCTAssertTrue(record.succeeded, record.errorMessage ?? "")
        let dns = try XCTUnwrap(record.dnsNanos)
        let connect = try XCTUnwrap(record.connectNanos)
        let headers = try XCTUnwrap(record.headersNanos)
        let firstByte = try XCTUnwrap(record.firstByteNanos)
        let firstToken = try XCTUnwrap(record.firstTokenNanos)
        XCTAssertNil(record.tlsNanos, "plain HTTP")
        XCTAssertTrue(record.startNanos <= dns && dns <= connect && connect <= headers && headers <= firstByte
                      && firstByte <= firstToken, "\(record)")
        XCTAssertGreaterThanOrEqual(Double(firstToken - record.startNanos) / 1e6, 20)
    }

    // MARK: - Helpers

    /// Runs `body` with environment variables set, restoring the previous values afterwards.
    private func withEnvironment(_ variables: [String: String], _ body: () throws -> Void) throws {
        var previous: [String: String?] = [:]
        for (name, value) in variables {
            previous[name] = ProcessInfo.processInfo.environment[name]
            setenv(name, value, 1)
        }
        defer {
            for (name, value) in previous {
                if let value { setenv(name, value, 1) } else { unsetenv(name) }
            }
        }
        try body()
    }
}
