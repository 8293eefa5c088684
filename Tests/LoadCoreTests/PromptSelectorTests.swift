import XCTest

@testable import LoadCore

/// Which prompt each request gets: weighted, seeded, deterministic per request.
final class PromptSelectorTests: XCTestCase {
    private func counts(_ selector: PromptSelector, requests: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: selector.count)
        for request in 0..<UInt64(requests) { counts[selector.index(forRequest: request)] += 1 }
        return counts
    }

    func testWeightsThreeToOneGiveSeventyFivePercent() {
        let selector = PromptSelector(weights: [3, 1], seed: 1)
        XCTAssertFalse(selector.isRoundRobin)
        let share = Double(counts(selector, requests: 40_000)[0]) / 40_000
        XCTAssertEqual(share, 0.75, accuracy: 0.01)  // 4.6 standard deviations (σ = 0.22 %)
    }

    func testManyWeightsAreEachHonored() {
        // Weights 1...20 (and one tiny one): each prompt's share within 5 % of its own (relative),
        // the tiny one within 30 % of its 0.05 %.
        let weights = (1...20).map(Double.init) + [0.1]
        let total = weights.reduce(0, +)
        let requests = 400_000
        let found = counts(PromptSelector(weights: weights, seed: 42), requests: requests)
        for (index, weight) in weights.enumerated() {
            let expected = weight / total * Double(requests)
            XCTAssertEqual(Double(found[index]), expected, accuracy: expected * (weight < 1 ? 0.3 : 0.05), "prompt \(index)")
        }
    }

    func testSameSeedSameSequenceAndRequestsAreIndependentOfOrder() {
        let weights = [5.0, 1, 2, 0.5]
        let a = PromptSelector(weights: weights, seed: 7)
        let b = PromptSelector(weights: weights, seed: 7)
        let sequence = (0..<1_000).map { a.index(forRequest: UInt64($0)) }
        XCTAssertEqual(sequence, (0..<1_000).map { b.index(forRequest: UInt64($0)) })
        // A pure function of the request number: asking backwards gives the same answers.
        XCTAssertEqual(sequence.reversed(), (0..<1_000).reversed().map { b.index(forRequest: UInt64($0)) })
        let other = (0..<1_000).map { PromptSelector(weights: weights, seed: 8).index(forRequest: UInt64($0)) }
        XCTAssertNotEqual(sequence, other, "another seed, another sequence")
        XCTAssertGreaterThan(zip(sequence, other).filter { $0 != $1 }.count, 400)
    }

    func testEqualWeightsGoRoundRobin() {
        let selector = PromptSelector(weights: [2, 2, 2], seed: 3)
        XCTAssertTrue(selector.isRoundRobin)
        XCTAssertEqual((0..<7).map { selector.index(forRequest: UInt64($0)) }, [0, 1, 2, 0, 1, 2, 0])
        XCTAssertEqual(PromptSelector(weights: [1], seed: 1).index(forRequest: 12_345), 0)
    }

    func testIndicesStayInRange() {
        for count in [2, 3, 7, 1_000] {
            let selector = PromptSelector(weights: (0..<count).map { Double($0 % 5 + 1) }, seed: UInt64(count))
            for request in UInt64(0)..<5_000 {
                XCTAssertTrue((0..<count).contains(selector.index(forRequest: request)))
            }
            // Far request numbers too.
            XCTAssertTrue((0..<count).contains(selector.index(forRequest: .max)))
        }
    }

    func testRequestTakesTheMatchingOutputOfASeededStream() {
        // Documented: request i uses the i-th output of one SplitMix64 stream; with weights 1:1:2
        // the alias table's last column is full, so that output's column decides it.
        let selector = PromptSelector(weights: [1, 1, 2], seed: 5)
        var key = SplitMix64(seed: 5 ^ 0x7072_6F6D_7074_7321)
        var stream = SplitMix64(seed: key.next())
        for request in UInt64(0)..<200 {
            let column = Int(stream.next().multipliedFullWidth(by: 3).high)
            let chosen = selector.index(forRequest: request)
            if column == 2 { XCTAssertEqual(chosen, 2, "request \(request)") }
        }
    }
}
