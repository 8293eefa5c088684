import LoadCore
import XCTest

@testable import MockProvider

/// Measured timing against the configured ground truth, over loopback with a raw-socket client.
///
/// The mock never sends a token before it is due, so every lower bound is exact (less 1 ms of
/// rounding); the upper bounds leave room for a loaded 2-core machine (no window narrower than
/// 20 % of the value). Tight figures on a quiet machine are benchmark (g) in docs/PERFORMANCE.md.
final class TimingTests: XCTestCase {
    private func millis(_ from: UInt64, _ to: UInt64) -> Double {
        Double(Int64(bitPattern: to &- from)) / 1e6
    }

    func testTTFTAndTokenSpacing() throws {
        let (_, port) = try startMockServer {
            $0.ttft = .fixed(nanos: 100_000_000)
            $0.interTokenNanos = 20_000_000
            $0.outputTokens = 5
        }
        let response = try LoopbackClient.exchange(
            port: port, LoopbackClient.requestBytes(body: LoopbackClient.chatBody(stream: true)))
        XCTAssertEqual(response.events.count, 1 + 5 + 2)
        guard response.events.count == 8 else { return }
        let sent = response.sentNanos
        // The role chunk goes out with the headers, at once (before the first token is due).
        XCTAssertLessThan(millis(sent, response.events[0].arrivalNanos), 100)
        let ttft = millis(sent, response.events[1].arrivalNanos)
        XCTAssertGreaterThanOrEqual(ttft, 100)
        XCTAssertLessThanOrEqual(ttft, 300)
        // Token k (from 0) due at 100 + 20k ms: never earlier; the last (k = 4) at 180 ms.
        for k in 0..<5 {
            XCTAssertGreaterThanOrEqual(millis(sent, response.events[k + 1].arrivalNanos), Double(100 + 20 * k) - 1, "token \(k)")
        }
        let last = millis(sent, response.events[5].arrivalNanos)
        XCTAssertLessThanOrEqual(last, 480)
        // Finish, [DONE] ride with the last token.
        XCTAssertEqual(response.events[7].arrivalNanos, response.events[5].arrivalNanos)
    }

    func testConcurrentStreamsKeepTheirSchedule() throws {
        let (server, port) = try startMockServer {
            $0.ttft = .fixed(nanos: 200_000_000)
            $0.interTokenNanos = 10_000_000
            $0.outputTokens = 10
        }
        let request = LoopbackClient.requestBytes(body: LoopbackClient.chatBody(stream: true))
        let responses = try LoopbackClient.concurrent(port: port, requests: Array(repeating: request, count: 100),
                                                      acceptedBy: server)
        var ttfts: [Double] = []
        var gaps: [Double] = []
        var roleLatencies: [Double] = []
        for response in responses {
            XCTAssertEqual(response.events.count, 1 + 10 + 2)
            guard response.events.count == 13 else { continue }
            ttfts.append(millis(response.sentNanos, response.events[1].arrivalNanos))
            // Each token a full 10 ms after the previous write: the last no earlier than 200 + 9 × 10 ms.
            XCTAssertGreaterThanOrEqual(millis(response.sentNanos, response.events[10].arrivalNanos), 289)
            roleLatencies.append(millis(response.sentNanos, response.events[0].arrivalNanos))
            for k in 1..<10 {
                gaps.append(millis(response.events[k].arrivalNanos, response.events[k + 1].arrivalNanos))
            }
        }
        if ProcessInfo.processInfo.environment["MOCK_TIMING_DETAIL"] != nil {
            let perToken = (0..<9).map { k in stride(from: k, to: gaps.count, by: 9).map { gaps[$0] }.reduce(0, +) / Double(gaps.count / 9) }
            print("mean gap per token:", perToken.map { String(format: "%.3f", $0) })
        }
        ttfts.sort()
        gaps.sort()
        let p50Gap = gaps[gaps.count / 2]
        let p50TTFT = ttfts[ttfts.count / 2]
        print("100 streams: TTFT min \(ttfts.first!) p50 \(p50TTFT) max \(ttfts.last!) ms; gap p50 \(p50Gap) ms; role max \(roleLatencies.max()!) ms")
        XCTAssertGreaterThanOrEqual(ttfts.first!, 200)
        // Debug builds spend a few ms reading 100 requests at once (the role chunk's latency shows it),
        // and a loaded machine more; the schedule itself is exact (release, quiet: p50 ~201.6 ms).
        // A sanity bound only: the tight figures are benchmark (g).
        XCTAssertLessThanOrEqual(p50TTFT, 400)
    }

    func testNonStreamAnswersAfterTheLastTokenIsDue() throws {
        let (_, port) = try startMockServer {
            $0.ttft = .fixed(nanos: 50_000_000)
            $0.interTokenNanos = 10_000_000
            $0.outputTokens = 3
        }
        let response = try LoopbackClient.exchange(
            port: port, LoopbackClient.requestBytes(body: LoopbackClient.chatBody(stream: false)))
        XCTAssertEqual(response.status, 200)
        // TTFT + (n - 1) * ITL = 50 + 2 * 10 ms.
        let elapsed = millis(response.sentNanos, response.completedNanos)
        XCTAssertGreaterThanOrEqual(elapsed, 70)
        XCTAssertLessThanOrEqual(elapsed, 300)
    }

    func testHeaderOverridesTiming() throws {
        let (_, port) = try startMockServer { $0.outputTokens = 3 }
        let response = try LoopbackClient.exchange(
            port: port,
            LoopbackClient.requestBytes(
                headers: ["x-mock-ttft-ms": "40", "x-mock-itl-ms": "15"], body: LoopbackClient.chatBody(stream: true)))
        // Due at 40 ms, then 15 ms apart: never earlier, and not the defaults' timing.
        let first = millis(response.sentNanos, response.events[1].arrivalNanos)
        let third = millis(response.sentNanos, response.events[3].arrivalNanos)
        XCTAssertTrue((39...200).contains(first), "first token at \(first) ms")
        XCTAssertTrue((69...300).contains(third), "third token at \(third) ms")
    }

    func testClientClosingMidStreamCancelsCleanly() throws {
        let (server, port) = try startMockServer(threads: 1) {
            $0.ttft = .fixed(nanos: 5_000_000)
            $0.interTokenNanos = 50_000_000
            $0.outputTokens = 100
        }
        for _ in 0..<20 {
            let fd = try LoopbackClient.connect(port: port)
            try LoopbackClient.sendAll(fd, LoopbackClient.requestBytes(body: LoopbackClient.chatBody(stream: true)))
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&pfd, 1, 10_000)  // a bound, not a window: the role chunk goes out at once
            XCTAssertNotEqual(pfd.revents, 0, "no role chunk arrived")
            close(fd)
        }
        // The server keeps serving on the same loop, and shuts down promptly with nothing pending.
        let health = try LoopbackClient.exchange(port: port, LoopbackClient.requestBytes(method: "GET", path: "/health"))
        XCTAssertEqual(health.bodyText, "ok")
        let start = LoopbackClient.nowNanos()
        server.shutdown()
        XCTAssertLessThan(millis(start, LoopbackClient.nowNanos()), 1_000)
    }
}
