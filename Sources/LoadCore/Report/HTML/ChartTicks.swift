import Foundation

/// Where an axis's ticks go and how they are labelled.
enum ChartTicks {
    /// The percentiles HdrHistogram's plot labels, with their positions on the log10(1/(1-p)) scale.
    static let percentileTicks: [(position: Double, label: String)] = [
        (0, "0%"), (1, "90%"), (2, "99%"), (3, "99.9%"), (4, "99.99%"), (5, "99.999%"),
    ]

    /// The highest position of the percentile scale: 99.999 %.
    static let percentileEnd = 5.0

    /// Position of percentile `p` (0-100) on the percentile scale, clamped to its end.
    static func percentilePosition(_ p: Double) -> Double {
        let remaining = 1 - min(max(p, 0), 100) / 100
        guard remaining > 0 else { return percentileEnd }
        return min(log10(1 / remaining), percentileEnd)
    }

    /// The percentile (0-100) at a position of the percentile scale.
    static func percentile(atPosition position: Double) -> Double {
        100 * (1 - pow(10, -position))
    }

    /// Evenly spaced round ticks (steps of 1, 2 or 5 times a power of ten) covering `low...high`,
    /// about `count` of them; the first tick is at or below `low`, the last at or above `high`.
    static func linear(low: Double, high: Double, count: Int = 5) -> [Double] {
        let span = high - low
        guard span > 0, span.isFinite else { return [low, low + 1] }
        let raw = span / Double(max(count, 1))
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let first = floor(low / step) * step
        var ticks: [Double] = []
        var value = first
        while ticks.isEmpty || ticks.last! < high - step * 1e-9 {
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            value = first + Double(ticks.count) * step
        }
        return ticks
    }

    /// A tick label: as few decimals as the step needs; thousands as `12k`, millions as `3.5M`.
    static func label(_ value: Double, step: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1_000_000, step >= 100_000 { return trimmed(value / 1_000_000, step / 1_000_000) + "M" }
        if magnitude >= 10_000, step >= 1_000 { return trimmed(value / 1_000, step / 1_000) + "k" }
        return trimmed(value, step)
    }

    private static func trimmed(_ value: Double, _ step: Double) -> String {
        let decimals = step >= 1 || step <= 0 ? 0 : min(Int(ceil(-log10(step) - 1e-9)), 6)
        return Format.fixed(value, decimals)
    }

    /// A value for a hover text or marker label: three significant figures, at most three decimals.
    static func value(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 100 || magnitude == 0 { return Format.fixed(value, 0) }
        if magnitude >= 10 { return Format.fixed(value, 1) }
        if magnitude >= 1 { return Format.fixed(value, 2) }
        return Format.fixed(value, 3)
    }
}
