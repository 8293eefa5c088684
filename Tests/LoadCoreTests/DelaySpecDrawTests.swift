import XCTest

@testable import LoadCore

/// The mock's per-request delay draws (`DelaySpec.drawNanos`).
final class DelaySpecDrawTests: XCTestCase {
    func testDistributionsStayInRangeAndHaveTheirMean() {
        let cases: [(delay: DelaySpec, mean: Double, min: UInt64, max: UInt64)] = [
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
        let delay = DelaySpec.exponential(meanNanos: 1_000_000)
        XCTAssertEqual(
            (0..<100).map { _ in delay.drawNanos(using: &a) }, (0..<100).map { _ in delay.drawNanos(using: &b) })
    }
}
