import Histogram
@testable import LoadCore
import XCTest

/// The one-pass percentiles and mean give exactly what the library's `valueAtPercentile` and
/// `mean` give, on the histogram layouts loadgen uses.
final class HistogramPercentilesTests: XCTestCase {
    private let percentiles: [Double] = [0, 1e-9, 0.1, 1, 10, 25, 50, 50, 75, 90, 95, 99, 99.9, 99.99, 99.999, 100, 150, -1,
                                         .nan] + (0...200).map { ChartTicks.percentile(atPosition: Double($0) / 40) }

    func testSpreadValuesMatchTheLibrary() {
        var random = SplitMix64(seed: 7)
        for samples in [1, 2, 3, 10, 1_000, 50_000] {
            var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: RunRecorder.highestMicros,
                                              numberOfSignificantValueDigits: .three)
            for _ in 0..<samples {
                // Spread over six decades, with zeros now and then.
                let decade = Int(random.next() % 7)
                let value = decade == 6 ? 0 : random.next() % [10, 100, 1_000, 10_000, 100_000, 10_000_000][decade]
                _ = histogram.record(value)
            }
            assertMatches(histogram, "\(samples) samples")
        }
    }

    func testNarrowAndEmptyHistogramsMatchTheLibrary() {
        var single = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: RunRecorder.highestMicros,
                                       numberOfSignificantValueDigits: .three)
        assertMatches(single, "empty")
        _ = single.record(123_456, count: 9)
        assertMatches(single, "one value")
        var small = Histogram<UInt32>(lowestDiscernibleValue: 1, highestTrackableValue: RunRecorder.highestMicros,
                                      numberOfSignificantValueDigits: .two)
        for value: UInt64 in [5, 5, 7, 1_000, 1_001, 2_000_000] { _ = small.record(value) }
        assertMatches(small, "two significant digits")
    }

    /// The .hgrm text is the library's, character for character.
    func testDistributionTextMatchesTheLibrary() {
        var random = SplitMix64(seed: 11)
        for samples in [0, 1, 5, 2_000] {
            var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: RunRecorder.highestMicros,
                                              numberOfSignificantValueDigits: .three)
            for _ in 0..<samples { _ = histogram.record(random.next() % 2_000_000) }
            for ticks in [1, 5] {
                var expected = ""
                histogram.outputPercentileDistribution(to: &expected, outputValueUnitScalingRatio: 1000,
                                                       percentileTicksPerHalfDistance: ticks)
                XCTAssertEqual(histogram.percentileDistributionText(outputValueUnitScalingRatio: 1000, ticksPerHalfDistance: ticks),
                               expected, "\(samples) samples, \(ticks) ticks")
            }
            XCTAssertEqual(histogram.standardDeviation(mean: histogram.meanOfRecordedValues), histogram.stdDeviation)
        }
    }

    private func assertMatches<Count>(_ histogram: Histogram<Count>, _ label: String, line: UInt = #line) {
        let values = histogram.valuesAtPercentiles(percentiles)
        for (index, percentile) in percentiles.enumerated() {
            XCTAssertEqual(values[index], histogram.valueAtPercentile(percentile), "\(label), p\(percentile)", line: line)
        }
        XCTAssertEqual(histogram.valueAtPercentileSpecialized(99), histogram.valueAtPercentile(99), label, line: line)
        XCTAssertEqual(histogram.meanOfRecordedValues, histogram.mean, label, line: line)
        let pass = histogram.valuesAtPercentilesAndMean(percentiles)
        XCTAssertEqual(pass.values, values, label, line: line)
        XCTAssertEqual(pass.mean, histogram.mean, label, line: line)
    }
}
