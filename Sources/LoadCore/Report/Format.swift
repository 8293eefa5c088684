import Foundation

/// Number formats shared by the renderers.
enum Format {
    private static let powersOfTen: [Double] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]

    /// `value` with `decimals` digits after the point (0-9), rounded half away from zero from the
    /// scaled value; `printf`'s `%.Nf` for values too large for that.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        let scaled = (abs(value) * powersOfTen[min(max(decimals, 0), 9)]).rounded()
        guard value.isFinite, decimals >= 0, decimals <= 9, scaled < 1e17 else {
            return String(format: "%.\(decimals)f", value)
        }
        return digits(UInt64(scaled), decimals: decimals, negative: value < 0 && scaled > 0)
    }

    /// Nanoseconds as milliseconds with four decimals (the log's 0.1 µs), exactly.
    static func millis(nanos: UInt64) -> String {
        digits((nanos + 50) / 100, decimals: 4, negative: false)
    }

    /// An integer of tenths-to-the-`decimals` written with the point in place: (12345, 2) → 123.45.
    private static func digits(_ scaled: UInt64, decimals: Int, negative: Bool) -> String {
        var text = String(scaled)
        if decimals > 0 {
            if text.count <= decimals { text = String(repeating: "0", count: decimals + 1 - text.count) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -decimals))
        }
        return negative ? "-" + text : text
    }

    /// Milliseconds with precision that suits the magnitude: 0.412, 5.12, 201.3.
    static func millis(_ millis: Double) -> String {
        if millis < 1 { return fixed(millis, 3) }
        if millis < 10 { return fixed(millis, 2) }
        return fixed(millis, 1)
    }

    /// A metric's value for a text table: milliseconds as ``millis(_:)``, rates with one decimal.
    static func value(_ value: Double, _ metric: LatencyMetric) -> String {
        metric.isTime ? millis(value) : fixed(value, 1)
    }

    /// Dollars: four decimals from a cent up, else three significant digits.
    static func dollars(_ value: Double) -> String {
        if value == 0 { return "$0" }
        if abs(value) >= 0.01 { return "$" + fixed(value, 4) }
        return "$" + String(format: "%.3g", value)
    }

    /// A CSV number: fixed decimals, no grouping.
    static func csv(_ value: Double, _ decimals: Int = 3) -> String { fixed(value, decimals) }

    /// A CSV cell of an optional number (empty when nil).
    static func csv(_ value: Double?, _ decimals: Int = 3) -> String { value.map { fixed($0, decimals) } ?? "" }

    /// Counts joined as `name count, name count`.
    static func counts(_ counts: [String: Int]) -> String {
        GroupReport.sortedCounts(counts).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    /// Statuses in numeric order, `200 985, 429 12`.
    static func statuses(_ counts: [String: Int]) -> String {
        counts.sorted { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }.map { "\($0.key) \($0.value)" }
            .joined(separator: ", ")
    }
}
