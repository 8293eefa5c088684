import Foundation

/// Durations as profiles, flags and providers' headers write them: a number with a unit, `500ms`,
/// `30s`, `2m`, `1h`, `1.5s`, `250us` (or `µs`), `100ns`, or several such parts as Go prints them,
/// `1m30s`, `2m59.56s`. Plain numbers are rejected: a unit is never guessed. The one duration
/// parser: `RateLimitHeaderParser.durationMillis` reads OpenAI's reset headers with it.
public enum DurationFormat {
    static let units: [(suffix: String, nanos: UInt64)] = [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
        ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// Parses a duration: one or more `<number><unit>` parts (whitespace around a unit allowed).
    /// - Returns: nanoseconds, or nil when the text is not a duration with units, is negative, or
    ///   is too large (half of `UInt64.max` and beyond).
    public static func parseNanos(_ text: String) -> UInt64? {
        let scalars = Array(text.trimmingCharacters(in: .whitespaces).unicodeScalars)
        guard !scalars.isEmpty else { return nil }
        func isNumeric(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) || scalar == "." }
        var index = 0
        var total = 0.0
        while index < scalars.count {
            let numberStart = index
            while index < scalars.count, isNumeric(scalars[index]) { index += 1 }
            let unitStart = index
            while index < scalars.count, !isNumeric(scalars[index]) { index += 1 }
            var number = String.UnicodeScalarView()
            number.append(contentsOf: scalars[numberStart..<unitStart])
            var unitText = String.UnicodeScalarView()
            unitText.append(contentsOf: scalars[unitStart..<index])
            let unit = String(unitText).trimmingCharacters(in: .whitespaces)
            guard let value = Double(String(number)), value.isFinite,
                  let unitNanos = units.first(where: { $0.suffix == unit })?.nanos else { return nil }
            total += value * Double(unitNanos)
        }
        let nanos = total.rounded()
        guard nanos < Double(UInt64.max / 2) else { return nil }
        return UInt64(nanos)
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
