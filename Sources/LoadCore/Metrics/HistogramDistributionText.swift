import Foundation
import Histogram

/// The .hgrm percentile distribution text, character for character what the library's
/// `outputPercentileDistribution(to:outputValueUnitScalingRatio:percentileTicksPerHalfDistance:)`
/// writes in its plain-text format, from code specialized in this module.
///
/// Why: the library's function is not inlinable, so its iterations run as unspecialized generic
/// code here; writing the .hgrm files took ~460 million instructions at the end of every run
/// (more than following 2,500 streamed tokens), about 0.1 s of CPU. The iterators it uses are
/// inlinable, so this copy of its loop is specialized for the counts' type.
extension Histogram {
    /// The plain-text percentile distribution, values divided by `outputValueUnitScalingRatio`.
    func percentileDistributionText(outputValueUnitScalingRatio ratio: Double, ticksPerHalfDistance ticks: Int) -> String {
        func padded(_ text: String, to width: Int) -> String {
            text.count < width ? String(repeating: " ", count: width - text.count) + text : text
        }
        let digits = numberOfSignificantValueDigits.rawValue
        var text = "\(padded("Value", to: 12)) \(padded("Percentile", to: 14)) \(padded("TotalCount", to: 10)) "
            + "\(padded("1/(1-Percentile)", to: 14))\n\n"
        let lineFormat = "%12.\(digits)f %2.12f %10d %14.2f\n"
        let lastLineFormat = "%12.\(digits)f %2.12f %10d\n"
        for step in percentiles(ticksPerHalfDistance: ticks) {
            let level = step.percentileLevelIteratedTo
            if level != 100.0 {
                text += String(format: lineFormat, Double(step.value) / ratio, level / 100.0, step.totalCountToThisValue,
                               1.0 / (1.0 - (level / 100.0)))
            } else {
                text += String(format: lastLineFormat, Double(step.value) / ratio, level / 100.0, step.totalCountToThisValue)
            }
        }
        let mean = meanOfRecordedValues
        text += String(format: "#[Mean    = %12.\(digits)f, StdDeviation   = %12.\(digits)f]\n",
                       mean / ratio, standardDeviation(mean: mean) / ratio)
        text += String(format: "#[Max     = %12.\(digits)f, Total count    = %12d]\n", Double(max) / ratio, totalCount)
        text += Self.bucketsLine(lowest: lowestDiscernibleValue, highest: highestTrackableValue,
                                 digits: numberOfSignificantValueDigits)
        return text
    }

    /// The standard deviation of the recorded values, as the library's `stdDeviation` computes it.
    func standardDeviation(mean: Double) -> Double {
        let total = totalCount
        guard total > 0 else { return 0 }
        var sum = 0.0
        for recorded in recordedValues() {
            let middle = lowestEquivalentForValue(recorded.value) + (sizeOfEquivalentRangeForValue(recorded.value) >> 1)
            let deviation = Double(middle) - mean
            sum += (deviation * deviation) * Double(recorded.count)
        }
        return (sum / Double(total)).squareRoot()
    }

    /// The last line, `#[Buckets = ..., SubBuckets = ...]`, which depends only on the layout: taken
    /// from the library's own output for an empty histogram of that layout (its bucket counts are
    /// not public), once per layout.
    private static func bucketsLine(lowest: UInt64, highest: UInt64, digits: SignificantDigits) -> String {
        let key = "\(lowest)/\(highest)/\(digits.rawValue)"
        return HistogramLayoutLines.shared.line(for: key) {
            var text = ""
            Histogram<UInt8>(lowestDiscernibleValue: lowest, highestTrackableValue: highest, numberOfSignificantValueDigits: digits)
                .outputPercentileDistribution(to: &text, outputValueUnitScalingRatio: 1)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
            return lines.last.map { $0 + "\n" } ?? ""
        }
    }
}

/// The `#[Buckets ...]` line of each histogram layout seen (a handful per process).
private final class HistogramLayoutLines: @unchecked Sendable {
    static let shared = HistogramLayoutLines()
    private let lock = NSLock()
    private var lines: [String: String] = [:]

    func line(for key: String, make: () -> String) -> String {
        lock.lock()
        defer { lock.unlock() }
        if let line = lines[key] { return line }
        let line = make()
        lines[key] = line
        return line
    }
}
