import Foundation

/// The percentiles a report shows (`--percentiles 50,90,99,99.9`): parsed, named and labelled.
///
/// A percentile's key (JSON, CSV) is `p` and its digits without the point: 50 → `p50`,
/// 99.9 → `p999`, 99.99 → `p9999`; its label (tables) keeps the point: `p99.9`.
public enum Percentiles {
    /// What every view shows unless told otherwise.
    public static let standard: [Double] = [50, 90, 95, 99, 99.9]
    /// At most this many percentiles (a table stays readable).
    public static let maximumCount = 12

    /// Parses a comma-separated list: each a number above 0 and below 100 with at most 4 decimals,
    /// given once, in rising order after sorting.
    /// - Throws: ``PercentilesError`` naming the bad entry.
    public static func parse(_ text: String) throws -> [Double] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var values: [Double] = []
        var keys: [String: String] = [:]
        for part in parts {
            guard let value = Double(part), value.isFinite, value > 0, value < 100 else {
                throw PercentilesError(description: "\"\(part)\" is not a percentile: give numbers above 0 and below 100, "
                    + "like 50,90,99,99.9")
            }
            guard (value * 10_000).rounded() == value * 10_000 else {
                throw PercentilesError(description: "\"\(part)\" has more than 4 decimals")
            }
            let key = key(value)
            if let earlier = keys[key] {
                throw PercentilesError(description: "\"\(part)\" repeats \"\(earlier)\" (both are \(key))")
            }
            keys[key] = part
            values.append(value)
        }
        guard values.count <= maximumCount else {
            throw PercentilesError(description: "\(values.count) percentiles given; at most \(maximumCount)")
        }
        return values.sorted()
    }

    /// `p50`, `p999`: the key in JSON and CSV columns.
    public static func key(_ percentile: Double) -> String {
        "p" + text(percentile).replacingOccurrences(of: ".", with: "")
    }

    /// `p50`, `p99.9`: the column label in tables.
    public static func label(_ percentile: Double) -> String {
        "p" + text(percentile)
    }

    /// The percentile written with as few decimals as it needs (at most 4).
    static func text(_ percentile: Double) -> String {
        var text = Format.fixed(percentile, 4)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// A `--percentiles` list that cannot be used.
public struct PercentilesError: Error, CustomStringConvertible {
    public let description: String
}
