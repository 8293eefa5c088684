import Foundation
import LoadCore
import LoadEngine
import MockProvider
import TestSupport
import XCTest

/// TLS and HTTP/2 over loopback: nginx (with a certificate generated at test time) in front of the
/// mock. Verification is on by default; the CA file makes it pass; `insecure` skips it; HTTP/2 is
/// negotiated by ALPN over TLS and spoken with prior knowledge over plain HTTP, multiplexed.
final class TLSTests: XCTestCase {
    private var mock: MockHarness!
    private var front: NginxTLSFront!

    override func setUpWithError() throws {
        mock = try MockHarness {
            $0.ttft = .fixed(nanos: 50_000_000)
            $0.interTokenNanos = 5_000_000
            $0.outputTokens = 4
        }
        front = try NginxTLSFront(upstreamPort: mock.port)
    }

    override func tearDown() {
        front?.stop()
        front = nil
        mock = nil
    }

    func testVerifiedWithTheCAFile() throws {
        var template = template(front.httpsBaseURL)
        template.caFile = front.caFile
        let records = try run(template, requests: 6)
        XCTAssertEqual(records.filter(\.succeeded).count, 6, "\(records.map { $0.errorMessage ?? "ok" })")
        for record in records {
            XCTAssertEqual(record.countedOutputTokens, 4)
            if let connect = record.connectNanos {
                let tls = try XCTUnwrap(record.tlsNanos, "a new connection has a TLS handshake time")
                XCTAssertGreaterThanOrEqual(tls, connect)
                XCTAssertLessThanOrEqual(tls, try XCTUnwrap(record.headersNanos))
            }
        }
        XCTAssertNotNil(records.first(where: { $0.tlsNanos != nil }), "at least the first attempts shook hands")
        XCTAssertTrue(front.requests().allSatisfy { $0.protocolName == "HTTP/1.1" }, "HTTP/1.1 unless asked")
    }

    /// Without the CA file the self-signed certificate is refused: every attempt is a `tls` error
    /// whose message says why, and nothing reaches the mock.
    func testWithoutTheCAFileVerificationFailsClearly() throws {
        let records = try run(template(front.httpsBaseURL), requests: 4)
        XCTAssertEqual(records.count, 4)
        for record in records {
            XCTAssertEqual(record.errorClass, .tls)
            XCTAssertEqual(record.status, 0)
            let message = record.errorMessage ?? ""
            XCTAssertTrue(message.contains("certificate"), message)
        }
        XCTAssertEqual(front.requests().count, 0)
    }

    func testInsecureSkipsVerification() throws {
        var template = template(front.httpsBaseURL)
        template.insecure = true
        let records = try run(template, requests: 4)
        XCTAssertEqual(records.filter(\.succeeded).count, 4, "\(records.map { $0.errorMessage ?? "ok" })")
    }

    /// HTTP/2 over TLS (ALPN) with 30 concurrent streams and one connection allowed: all succeed,
    /// nginx logs HTTP/2.0 for each on a single connection, and the streams really overlapped
    /// (more than one in flight at once).
    func testHTTP2MultiplexesStreamsOverOneConnection() throws {
        var template = template(front.httpsBaseURL)
        template.caFile = front.caFile
        template.httpVersion = .http2
        var plan = LoadPlan(mode: .open(nextArrivalNanos: constantArrivals(everyNanos: 1_000_000)), maxRequests: 30)
        plan.maxConnections = 1
        let records = try run(template, plan: plan)
        XCTAssertEqual(records.filter(\.succeeded).count, 30, "\(records.map { $0.errorMessage ?? "ok" })")
        // nginx writes an access-log line after its response: wait for the last one (readiness).
        _ = Readiness.waitUntil(timeout: 10, pollMillis: 20) { front.requests().count >= 30 }
        let served = front.requests()
        XCTAssertEqual(served.count, 30)
        XCTAssertTrue(served.allSatisfy { $0.protocolName == "HTTP/2.0" }, "\(served)")
        XCTAssertEqual(Set(served.map(\.connection)).count, 1, "one connection")
        XCTAssertGreaterThan(peakConcurrency(records), 10, "streams in flight together")
    }

    /// HTTP/2 with prior knowledge (h2c) over plain HTTP. libcurl before 8.0 breaks reused h2c
    /// connections (curl issue 10634, fixed by curl PR 10643), so there the engine refuses the
    /// combination up front with a message that says what to do instead.
    func testHTTP2PriorKnowledgeOverPlainHTTP() throws {
        var template = template(front.h2cBaseURL)
        template.httpVersion = .http2
        guard EngineVersions.curlVersionNumber >= 0x08_00_00 else {
            XCTAssertThrowsError(try Engine(template: template, plan: LoadPlan(mode: .closed(users: 1, thinkTimeNanos: 0)))) {
                XCTAssertTrue("\($0)".contains("needs libcurl 8.0 or later"), "\($0)")
                XCTAssertTrue("\($0)".contains("use an https URL (HTTP/2 by ALPN) or http: 1.1"), "\($0)")
            }
            return
        }
        let records = try run(template, requests: 6)
        XCTAssertEqual(records.filter(\.succeeded).count, 6, "\(records.map { $0.errorMessage ?? "ok" })")
        XCTAssertTrue(front.requests().allSatisfy { $0.protocolName == "HTTP/2.0" })
        XCTAssertNil(records.first?.tlsNanos)
    }

    // MARK: - Helpers

    private func template(_ baseURL: String) -> RequestTemplate {
        var template = RequestTemplate(url: baseURL + "/chat/completions",
                                       headers: ["Content-Type: application/json", "Accept: text/event-stream"],
                                       bodies: [MockHarness.body()])
        template.totalTimeoutNanos = 10_000_000_000
        return template
    }

    private func run(_ template: RequestTemplate, requests: Int) throws -> [AttemptRecord] {
        try run(template, plan: LoadPlan(mode: .closed(users: 2, thinkTimeNanos: 0), maxRequests: requests))
    }

    private func run(_ template: RequestTemplate, plan: LoadPlan) throws -> [AttemptRecord] {
        let engine = try Engine(template: template, plan: plan)
        var records: [AttemptRecord] = []
        engine.onAttempt = { records.append($0) }
        let outcome = try engine.run()
        XCTAssertEqual(outcome.loopCloseStatus, 0)
        return records
    }
}
