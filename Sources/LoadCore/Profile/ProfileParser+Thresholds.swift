import Foundation
import Yams

/// `thresholds:` in a profile: one key per objective (`ttft_p99: 800ms`, `error_rate: "< 1%"`,
/// `min_output_tokens_per_s: 500`, ...) and `abort_on_fail`. Every problem names its key, line and column.
extension ProfileParser {
    /// Latency names usable as `<name>_p<percentile>`, e.g. `ttft_p99`, `itl_p50`, `total_p999`.
    static let thresholdLatencyNames: [(name: String, metric: LatencyMetric)] = [
        ("ttft", .ttft), ("itl", .interToken), ("tpot", .timePerOutputToken), ("total", .total),
        ("ttft_from_intended", .ttftFromIntended),
        ("total_from_intended", .totalFromIntended), ("schedule_lag", .scheduleLag),
    ]
    /// The names that are not percentiles.
    static let thresholdFixedNames: [(name: String, metric: Threshold.Metric)] = [
        ("error_rate", .errorRate), ("http_429_rate", .http429Rate), ("min_requests_per_s", .requestsPerSecond),
        ("min_output_tokens_per_s", .outputTokensPerSecond), ("cost_usd", .costUSD),
    ]

    /// Parses `thresholds:`; a null value means no thresholds.
    mutating func parseThresholds(_ node: Node) -> Thresholds {
        var thresholds = Thresholds()
        if isNull(node) { return thresholds }
        guard case .mapping(let entries) = node else {
            report(node, "thresholds", "expected a mapping of objectives like {ttft_p99: 800ms, error_rate: \"< 1%\"}, "
                + "got \(describe(node))")
            return thresholds
        }
        for (keyNode, value) in entries {
            guard let key = scalarText(keyNode) else {
                report(keyNode, "thresholds", "expected a text key, got \(describe(keyNode))")
                continue
            }
            let path = "thresholds.\(key)"
            if key == "abort_on_fail" {
                switch scalarText(value)?.lowercased() {
                case "true", "yes", "on": thresholds.abortOnFail = true
                case "false", "no", "off": thresholds.abortOnFail = false
                default: report(value, path, "expected true or false, got \(describe(value))")
                }
                continue
            }
            guard let metric = Self.thresholdMetric(named: key) else {
                reportUnknownThreshold(keyNode, key)
                continue
            }
            if let threshold = parseThreshold(value, path, name: key, metric: metric) {
                thresholds.checks.append(threshold)
            }
        }
        return thresholds
    }

    /// The metric a threshold key names: a fixed name, or `<latency>_p<digits>`: one or two digits
    /// are the percent (`p50`, `p99`), `p100` is the maximum, and longer forms are read with the
    /// first two digits as the whole percent (`p999` 99.9, `p995` 99.5, `p9999` 99.99), which must
    /// then be 90 or more (so `p101` is refused rather than read as 10.1).
    static func thresholdMetric(named key: String) -> Threshold.Metric? {
        if let fixed = thresholdFixedNames.first(where: { $0.name == key }) { return fixed.metric }
        guard let split = key.range(of: "_p", options: .backwards) else { return nil }
        let name = String(key[..<split.lowerBound])
        let digits = String(key[split.upperBound...])
        guard let latency = thresholdLatencyNames.first(where: { $0.name == name }), !digits.isEmpty,
            digits.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        let text = digits == "100" || digits.count <= 2 ? digits : "\(digits.prefix(2)).\(digits.dropFirst(2))"
        guard let percentile = Double(text), percentile > 0, percentile <= 100,
            digits.count <= 2 || digits == "100" || percentile >= 90
        else { return nil }
        return .latency(latency.metric, percentile: percentile)
    }

    mutating func reportUnknownThreshold(_ keyNode: Node, _ key: String) {
        let percentiles = ["p50", "p90", "p95", "p99", "p999"]
        let candidates = Self.thresholdFixedNames.map(\.name) + ["abort_on_fail"]
            + Self.thresholdLatencyNames.flatMap { latency in percentiles.map { "\(latency.name)_\($0)" } }
        var message = "unknown threshold \"\(key)\""
        if let suggestion = KeySuggestion.nearest(to: key, in: candidates) { message += "; did you mean \"\(suggestion)\"?" }
        message += " Valid: ttft_pNN, itl_pNN, tpot_pNN, total_pNN, ttft_from_intended_pNN, total_from_intended_pNN, "
            + "schedule_lag_pNN (NN: 50, 90, 99, 999 = 99.9, ...), "
            + Self.thresholdFixedNames.map(\.name).joined(separator: ", ") + ", abort_on_fail"
        report(keyNode, "thresholds.\(key)", message)
    }

    /// One objective's value: an optional comparison (`<`, `<=`, `>`, `>=`; the default is `<=` for
    /// maximums and `>=` for minimums) and a limit in the metric's unit.
    mutating func parseThreshold(_ node: Node, _ path: String, name: String, metric: Threshold.Metric)
        -> Threshold?
    {
        let example: String
        switch metric {
        case .latency: example = "a duration like 800ms or \"< 800ms\""
        case .errorRate, .http429Rate: example = "a percentage like 1% or \"< 1%\" (or a fraction like 0.01)"
        case .requestsPerSecond, .outputTokensPerSecond: example = "a rate like 50 or \">= 50/s\""
        case .costUSD: example = "US dollars like 2.50 or \"< $2.50\""
        }
        guard var text = scalarText(node)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            report(node, path, "expected \(example), got \(describe(node))")
            return nil
        }
        var comparison: Threshold.Comparison = metric.isUpperBound ? .atMost : .atLeast
        for candidate in [Threshold.Comparison.atMost, .atLeast, .lessThan, .greaterThan]
        where text.hasPrefix(candidate.rawValue) {
            comparison = candidate
            text = String(text.dropFirst(candidate.rawValue.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        let upper = comparison == .lessThan || comparison == .atMost
        if upper != metric.isUpperBound {
            let kind = metric.isUpperBound ? "a maximum: use < or <= (or no sign)" : "a minimum: use > or >= (or no sign)"
            report(node, path, "\(name) is \(kind), got \(describe(node))")
            return nil
        }
        guard let limit = Self.thresholdLimit(text, metric: metric) else {
            var message = "expected \(example), got \(describe(node))"
            if case .latency = metric, Double(text) != nil { message += "; add a unit, e.g. \(text)ms" }
            report(node, path, message)
            return nil
        }
        return Threshold(name: name, metric: metric, comparison: comparison, limit: limit)
    }

    /// The limit in the metric's unit (milliseconds, a fraction, per second, dollars), or nil.
    static func thresholdLimit(_ text: String, metric: Threshold.Metric) -> Double? {
        func plainNumber(_ text: String) -> Double? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard let value = Double(trimmed), value.isFinite, value >= 0 else { return nil }
            return value
        }
        switch metric {
        case .latency:
            return DurationFormat.parseNanos(text).map { Double($0) / 1e6 }
        case .errorRate, .http429Rate:
            let fraction: Double?
            if text.hasSuffix("%") {
                fraction = plainNumber(String(text.dropLast())).map { $0 / 100 }
            } else {
                fraction = plainNumber(text)
            }
            guard let fraction, fraction <= 1 else { return nil }
            return fraction
        case .requestsPerSecond, .outputTokensPerSecond:
            return plainNumber(text.hasSuffix("/s") ? String(text.dropLast(2)) : text)
        case .costUSD:
            return plainNumber(text.hasPrefix("$") ? String(text.dropFirst()) : text)
        }
    }
}
