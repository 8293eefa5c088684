import NIOCore
import XCTest

@testable import MockProvider

/// Seeded draws and the token schedule.
final class MockDelayTests: XCTestCase {
    func testSplitMix64MatchesTheReferenceSequence() {
        // First outputs of the reference implementation (Vigna's splitmix64.c) for seed 0.
        var generator = SplitMix64(seed: 0)
        XCTAssertEqual(generator.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(generator.next(), 0x6E78_9E6A_A1B9_65F4)
    }

    func testDistributionsStayInRangeAndHaveTheirMean() {
        let cases: [(delay: MockDelay, mean: Double, min: UInt64, max: UInt64)] = [
            (.fixed(nanos: 7), 7, 7, 7),  // constant
            (.uniform(minNanos: 100, maxNanos: 300), 200, 100, 300),  // bounded
            (.uniform(minNanos: 300, maxNanos: 100), 200, 100, 300),  // swapped bounds
            (.normal(meanNanos: 10_000, stddevNanos: 1_000), 10_000, 0, .max),  // Gaussian
            (.exponential(meanNanos: 5_000), 5_000, 0, .max),  // exponential
        ]
        for (delay, mean, low, high) in cases {
            var generator = SplitMix64(seed: 9)
            let draws = (0..<20_000).map { _ in delay.drawNanos(using: &generator) }
            XCTAssertTrue(draws.allSatisfy { $0 >= low && $0 <= high }, "\(delay)")
            let average = Double(draws.reduce(0, +)) / Double(draws.count)
            XCTAssertEqual(average, mean, accuracy: mean * 0.03, "\(delay)")
        }
    }

    func testSameSeedSameDraws() {
        var a = SplitMix64(seed: 5)
        var b = SplitMix64(seed: 5)
        let delay = MockDelay.exponential(meanNanos: 1_000_000)
        XCTAssertEqual(
            (0..<100).map { _ in delay.drawNanos(using: &a) }, (0..<100).map { _ in delay.drawNanos(using: &b) })
    }

    /// The first token is due at the absolute TTFT deadline; each later one a full delay after the
    /// previous write, so a late wake-up stretches the stream instead of bunching tokens.
    func testTokensAreSpacedFromThePreviousWrite() {
        let start = NIODeadline.uptimeNanoseconds(1_000_000)
        let plan = CompletionPlan(
            requestNumber: 1, createdSeconds: 0, modelLiteral: [], promptTokens: 1, completionTokens: 3,
            finishReason: .stop, includeUsage: false, firstTokenDeadline: start, interTokenDelayNanos: 10,
            keepAlive: true)
        var stream = StreamingCompletion(plan: plan)
        var buffer = ByteBufferAllocator().buffer(capacity: 1024)
        XCTAssertEqual(stream.nextDeadline, start)
        XCTAssertFalse(stream.writeDue(at: start - .nanoseconds(1), into: &buffer), "nothing before the TTFT")
        XCTAssertTrue(stream.writeDue(at: start, into: &buffer))
        XCTAssertEqual(stream.tokensSent, 1)
        XCTAssertEqual(stream.nextDeadline, start + .nanoseconds(10))
        // A wake-up 25 ns late writes one token, and the next is due a full delay after it.
        XCTAssertTrue(stream.writeDue(at: start + .nanoseconds(35), into: &buffer))
        XCTAssertEqual(stream.tokensSent, 2)
        XCTAssertEqual(stream.nextDeadline, start + .nanoseconds(45))
        XCTAssertFalse(stream.writeDue(at: start + .nanoseconds(44), into: &buffer))
        XCTAssertTrue(stream.writeDue(at: start + .nanoseconds(45), into: &buffer))
        XCTAssertTrue(stream.isFinished)
        XCTAssertNil(stream.nextDeadline)
        XCTAssertEqual(plan.tokenDeadline(2), start + .nanoseconds(20), "the non-streamed body waits TTFT + 2 delays")
    }
}
