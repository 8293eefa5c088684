import Foundation
import LoadCore
import XCTest

@testable import LoadGen

/// The run session's small parts: the failure sample's diagnosis, the descriptor count, the
/// target URL check, the live window's rates across a clock that goes back, the exit code
/// precedence and the cost estimate.
final class RunPartsTests: XCTestCase {
    private func attempt(_ id: UInt64, status: Int, errorClass: ErrorClass?, message: String? = nil) -> AttemptRecord {
        var record = AttemptRecord(requestID: id, intendedStartNanos: 0, startNanos: 0, endNanos: 1_000)
        record.status = status
        record.errorClass = errorClass
        record.errorMessage = message
        return record
    }

    func testDiagnosisNamesTheMainClassTheEndpointAndTheFirstMessage() {
        var sample = FailureSample()
        sample.record(attempt(1, status: 0, errorClass: .connect, message: "Couldn't connect to server"))
        sample.record(attempt(2, status: 0, errorClass: .connect, message: "later message"))
        sample.record(attempt(3, status: 0, errorClass: .cancelled))
        XCTAssertEqual(sample.diagnosis(url: "http://127.0.0.1:1/v1/chat/completions"),
                       "no request succeeded: 3 attempts, 2 connect at 127.0.0.1:1: Couldn't connect to server")
        sample.record(attempt(4, status: 200, errorClass: nil))
        XCTAssertNil(sample.diagnosis(url: "http://127.0.0.1:1/v1/chat/completions"), "one success: no diagnosis")
        XCTAssertNil(FailureSample().diagnosis(url: "http://x/v1"), "no attempt: no diagnosis")
    }

    func testDiagnosisGivesTheStatusAndTheOtherClasses() {
        var sample = FailureSample()
        for id in 0..<3 { sample.record(attempt(UInt64(id), status: 503, errorClass: .http5xx, message: "overloaded")) }
        sample.record(attempt(9, status: 0, errorClass: .timeoutTotal))
        XCTAssertEqual(sample.diagnosis(url: "https://api.example.com/v1/chat/completions"),
                       "no request succeeded: 4 attempts, 3 http_5xx (also 1 timeout_total) at api.example.com:443, "
                        + "first status 503: overloaded")
    }

    func testDescriptorNeedCountsStreamsAndTheEmbeddedMock() throws {
        var profile = try Profile.parse(yaml: """
            target: {provider: mock}
            load: {mode: closed, users: 300, duration: 10s}
            """, file: "p.yaml")
        let closed = DescriptorLimit(profile: profile, warmupConnections: 0, embeddedMock: true, openAtStart: 20)
        XCTAssertEqual(closed.peakStreams, 300)
        XCTAssertEqual(closed.needed, 20 + DescriptorLimit.margin + 600)
        XCTAssertEqual(closed.decision(limit: 20_000, maxInFlight: 10_000), .fits)
        guard case .refuse(let refusal) = closed.decision(limit: 256, maxInFlight: 10_000) else {
            return XCTFail("300 users cannot run on 256 descriptors")
        }
        XCTAssertTrue(refusal.contains("needs about 652 file descriptors"), refusal)
        XCTAssertTrue(refusal.contains("more than the limit of 256"), refusal)

        // Open loop: 10/s for at most 120 s each is 1,201 streams at most, below max_in_flight.
        profile = try Profile.parse(yaml: """
            target: {provider: openai-compatible, model: m, base_url: "http://127.0.0.1:9/v1"}
            load: {mode: open, rate: 10, duration: 1m}
            """, file: "p.yaml")
        let open = DescriptorLimit(profile: profile, warmupConnections: 0, embeddedMock: false, openAtStart: 10)
        XCTAssertEqual(open.peakStreams, 1_201)
        XCTAssertEqual(open.socketsPerStream, 1)
        // A possible need, not a certain one: max_in_flight is lowered to what fits.
        guard case .lowerMaxInFlight(to: let lowered, note: let note) = open.decision(limit: 1_000, maxInFlight: 10_000)
        else { return XCTFail("an open loop that may not fit runs with fewer in flight") }
        XCTAssertEqual(lowered, 1_000 - 10 - DescriptorLimit.margin)
        XCTAssertTrue(note.hasPrefix("limits.max_in_flight lowered from 10000 to 958"), note)
        profile.limits.maxConnections = 50
        XCTAssertEqual(DescriptorLimit(profile: profile, warmupConnections: 64, embeddedMock: false,
                                       openAtStart: 10).peakStreams, 64, "the warm-up opens more than the cap")
    }

    func testTargetURLCheckRefusesPortsOutOfRange() {
        XCTAssertNil(TargetURLCheck.problem("http://127.0.0.1:8000/v1"))
        XCTAssertNil(TargetURLCheck.problem("https://api.openai.com/v1"))
        XCTAssertNil(TargetURLCheck.problem("http://[::1]:9/v1"))
        for url in ["http://127.0.0.1:99999/v1", "http://127.0.0.1:0/v1", "http://127.0.0.1:99999999999999999999/v1"] {
            XCTAssertTrue(TargetURLCheck.problem(url)?.contains("a port is a number from 1 to 65535") ?? false,
                          "\(url): \(String(describing: TargetURLCheck.problem(url)))")
        }
        XCTAssertNotNil(TargetURLCheck.problem("127.0.0.1:8000"))
    }

    func testLiveWindowSurvivesAClockThatGoesBack() {
        var window = LiveWindow()
        // A tick during the warm-up, measured from the clock's zero, then the run's first ticks.
        window.recordTick(elapsedNanos: 2_747_000_000_000, started: 0, successes: 0)
        window.recordTick(elapsedNanos: 500_000_000, started: 5, successes: 4)
        window.recordTick(elapsedNanos: 1_000_000_000, started: 10, successes: 9)
        let snapshot = window.snapshot(atNanos: 1_000_000_000)
        XCTAssertEqual(snapshot.startedPerSecond, 10)
        XCTAssertEqual(snapshot.successesPerSecond, 10)
    }

    func testExitCodePrecedence() {
        XCTAssertEqual(ExitStatus.combined([]), 0)
        XCTAssertEqual(ExitStatus.combined([0, 5]), 5)
        XCTAssertEqual(ExitStatus.combined([3, 5]), 3)
        XCTAssertEqual(ExitStatus.combined([3, 6]), 6)
        XCTAssertEqual(ExitStatus.combined([4, 6, 1]), 1)
        XCTAssertEqual(ExitStatus.combined([130, 1, 4]), 130)
    }

    func testCostEstimateForAPricedModel() throws {
        let profile = try Profile.parse(yaml: """
            target: {provider: openai, model: gpt-4o-mini}
            request: {max_tokens: 100}
            prompts: [{messages: "abcdefghijklmnop"}]
            load: {mode: open, rate: 10, duration: 10s}
            """, file: "p.yaml")
        let price = ModelPrice(provider: "openai", model: "gpt-4o-mini", inputPerMillion: 1, outputPerMillion: 2)
        let line = try XCTUnwrap(CostEstimate.line(profile: profile, mix: PromptMix(sets: profile.prompts), price: price))
        XCTAssertTrue(line.hasPrefix("cost estimate: up to $0.02 for 100 requests"), line)
        XCTAssertTrue(line.contains("at most 100 output tokens a request"), line)
    }
}
