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

    func testTokensDueFollowAbsoluteSchedule() {
        let start = NIODeadline.uptimeNanoseconds(1_000_000)
        let plan = CompletionPlan(
            requestNumber: 1, createdSeconds: 0, modelLiteral: [], promptTokens: 1, completionTokens: 5,
            finishReason: .stop, includeUsage: false, firstTokenDeadline: start, interTokenDelayNanos: 10,
            keepAlive: true)
        let cases: [(offsetNanos: Int64, due: Int)] = [
            (-1, 0),  // before the first token
            (0, 1),  // the first token exactly on time
            (9, 1),  // just before the second
            (10, 2),  // the second
            (35, 4),  // a late wake-up catches up
            (1_000, 5),  // capped at the completion's size
        ]
        for (offset, due) in cases {
            XCTAssertEqual(plan.tokensDue(at: start + .nanoseconds(offset)), due, "offset \(offset)")
        }
        XCTAssertEqual(plan.tokenDeadline(3), start + .nanoseconds(30))
    }
}
