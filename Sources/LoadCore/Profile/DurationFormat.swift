import Foundation

/// Durations as profiles write them: a number with a unit, `500ms`, `30s`, `2m`, `1h`, `1.5s`,
/// `250us` (or `µs`), `100ns`. Plain numbers are rejected: a unit is never guessed.
public enum DurationFormat {
    static let units: [(suffix: String, nanos: UInt64)] = [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
        ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// Parses a duration.
    /// - Returns: nanoseconds, or nil when the text is not a duration with a unit.
    public static func parseNanos(_ text: String) -> UInt64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // Longest suffix first so "ms" is not read as "s".
        for unit in units.sorted(by: { $0.suffix.count > $1.suffix.count }) where trimmed.hasSuffix(unit.suffix) {
            let number = String(trimmed.dropLast(unit.suffix.count)).trimmingCharacters(in: .whitespaces)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                  let value = Double(number), value.isFinite, value >= 0 else { return nil }
            let nanos = (value * Double(unit.nanos)).rounded()
            guard nanos < Double(UInt64.max / 2) else { return nil }
            return UInt64(nanos)
        }
        return nil
    }

    /// Formats nanoseconds with the largest unit that represents them exactly: `2m`, `1500ms`.
    public static func format(nanos: UInt64) -> String {
        if nanos == 0 { return "0s" }
        for (suffix, unitNanos) in [("h", UInt64(3_600_000_000_000)), ("m", 60_000_000_000), ("s", 1_000_000_000),
                                    ("ms", 1_000_000), ("us", 1_000)] where nanos % unitNanos == 0 {
            return "\(nanos / unitNanos)\(suffix)"
        }
        return "\(nanos)ns"
    }
}
