import Histogram

/// Percentiles and the mean of a histogram in one pass over its recorded values, with the exact
/// results of the library's `valueAtPercentile(_:)` and `mean`.
///
/// Why: those two are not inlinable, so from this module they run as unspecialized generic code
/// (every integer conversion a witness-table call), and `valueAtPercentile` walks every bucket
/// from the start for each percentile. The report asks for hundreds of percentiles at the end of a
/// run (the HTML page's curves: 40 a decade per metric), which cost ~50-70 ms of CPU at the end of
/// every run (docs/PERFORMANCE.md, "Streams beside wrk (scenario f)"). The library's
/// recorded-value iterator is inlinable, so here it is specialized for the counts' type.
extension Histogram {
    /// The value at each percentile (0-100, any order), as `valueAtPercentile(_:)` would give it:
    /// 0 gives the minimum, 100 and above (and NaN) the maximum recorded, an empty histogram 0.
    func valuesAtPercentiles(_ percentiles: [Double]) -> [UInt64] {
        valuesAtPercentiles(percentiles, withMean: false).values
    }

    /// `valuesAtPercentiles(_:)` and `meanOfRecordedValues` in one pass.
    func valuesAtPercentilesAndMean(_ percentiles: [Double]) -> (values: [UInt64], mean: Double) {
        valuesAtPercentiles(percentiles, withMean: true)
    }

    private func valuesAtPercentiles(_ percentiles: [Double], withMean: Bool) -> (values: [UInt64], mean: Double) {
        var values = [UInt64](repeating: 0, count: percentiles.count)
        // The percentiles strictly inside (0, 100): the count each must reach, and where it goes.
        var pending: [(count: UInt64, index: Int)] = []
        let total = totalCount
        for (index, percentile) in percentiles.enumerated() {
            if percentile == 0 {
                values[index] = self.min
            } else if !(percentile < 100) {
                values[index] = maxRecorded
            } else {
                // The library's rounding: 1 ulp below, then up to the next whole count, at least 1.
                let requested = Swift.min(Swift.max(percentile.nextDown, 0), 100)
                let countAtPercentile = (requested * Double(total)) / 100
                pending.append((Swift.max(1, UInt64(countAtPercentile.rounded(.up))), index))
            }
        }
        guard total > 0, withMean || !pending.isEmpty else { return (values, 0) }
        pending.sort { $0.count < $1.count }
        let lowest = self.min
        let highest = maxRecorded
        var next = 0
        var sum: Double = 0
        for recorded in recordedValues() {
            while next < pending.count && recorded.totalCountToThisValue >= pending[next].count {
                values[pending[next].index] = Swift.max(Swift.min(recorded.value, highest), lowest)
                next += 1
            }
            if withMean {
                // Each value at the middle of its bucket, summed in the library's order.
                let middle = lowestEquivalentForValue(recorded.value) + (sizeOfEquivalentRangeForValue(recorded.value) >> 1)
                sum += Double(middle) * Double(recorded.count)
            } else if next == pending.count {
                break
            }
        }
        return (values, sum / Double(total))
    }

    /// The value at one percentile (0-100), as `valueAtPercentile(_:)` would give it.
    func valueAtPercentileSpecialized(_ percentile: Double) -> UInt64 {
        valuesAtPercentiles([percentile])[0]
    }

    /// The mean of the recorded values (each at the middle of its bucket), as `mean` computes it.
    var meanOfRecordedValues: Double {
        valuesAtPercentiles([], withMean: true).mean
    }
}
