import Foundation

/// One service-level objective from a profile's `thresholds:` section, checked at the end of a run:
/// `ttft_p99: 800ms` (the TTFT p99 must be at most 800 ms), `error_rate: "< 1%"`,
/// `min_output_tokens_per_s: 500`. docs/profiles.md lists every name and the exact definitions.
public struct Threshold: Sendable, Equatable {
    /// What a threshold measures.
    public enum Metric: Sendable, Equatable {
        /// A percentile (0-100) of a time distribution (not the per-request tokens/s rate), over
        /// successful attempts; limits in milliseconds.
        case latency(LatencyMetric, percentile: Double)
        /// Requests whose last attempt failed, over requests that ended (cancelled ones left out); a fraction.
        case errorRate
        /// Attempts answered 429, over attempts (cancelled ones left out); a fraction.
        case http429Rate
        /// Successful requests per second over the run (first start to last end).
        case requestsPerSecond
        /// Output tokens of successful requests per second over the run.
        case outputTokensPerSecond
        /// The run's cost in US dollars (attempts with a known price).
        case costUSD

        /// True when the limit is a maximum (latency, rates, cost); false for the throughput minimums.
        public var isUpperBound: Bool {
            switch self {
            case .requestsPerSecond, .outputTokensPerSecond: return false
            case .latency, .errorRate, .http429Rate, .costUSD: return true
            }
        }
    }

    /// How the measured value must compare with the limit.
    public enum Comparison: String, Sendable, Equatable, CaseIterable {
        case lessThan = "<"
        case atMost = "<="
        case greaterThan = ">"
        case atLeast = ">="

        /// True when `value` satisfies the comparison against `limit`.
        public func holds(_ value: Double, _ limit: Double) -> Bool {
            switch self {
            case .lessThan: return value < limit
            case .atMost: return value <= limit
            case .greaterThan: return value > limit
            case .atLeast: return value >= limit
            }
        }
    }

    /// The key as written in the profile, e.g. `ttft_p99`; names the threshold in every message.
    public var name: String
    public var metric: Metric
    public var comparison: Comparison
    /// Milliseconds (latency), a fraction from 0 to 1 (rates), per second (throughput) or US dollars (cost).
    public var limit: Double

    public init(name: String, metric: Metric, comparison: Comparison, limit: Double) {
        self.name = name
        self.metric = metric
        self.comparison = comparison
        self.limit = limit
    }

    /// The limit as written back to YAML and shown in the PASS/FAIL table: `<= 800ms`, `< 1%`, `>= 500/s`.
    public var condition: String {
        "\(comparison.rawValue) \(Self.format(limit, of: metric))"
    }

    /// A value of `metric` in its unit: `812.5ms`, `1.2%`, `501.3/s`, `$0.0123`.
    public static func format(_ value: Double, of metric: Metric) -> String {
        switch metric {
        case .latency: return trimmed(value, digits: 3) + "ms"
        case .errorRate, .http429Rate: return trimmed(value * 100, digits: 4) + "%"
        case .requestsPerSecond, .outputTokensPerSecond: return trimmed(value, digits: 3) + "/s"
        case .costUSD: return "$" + trimmed(value, digits: 6)
        }
    }

    /// A measured value for tables and messages, rounded for reading: `812.4ms`, `1.25%`, `501.3/s`, `$0.0123`.
    public static func display(_ value: Double, of metric: Metric) -> String {
        switch metric {
        case .latency: return String(format: "%.1fms", value)
        case .errorRate, .http429Rate: return String(format: "%.2f%%", value * 100)
        case .requestsPerSecond, .outputTokensPerSecond: return String(format: "%.1f/s", value)
        case .costUSD: return String(format: "$%.4f", value)
        }
    }

    /// At most `digits` decimals, trailing zeros dropped: 800 → "800", 0.5 → "0.5".
    private static func trimmed(_ value: Double, digits: Int) -> String {
        var text = String(format: "%.\(digits)f", value)
        while text.contains(".") && (text.hasSuffix("0") || text.hasSuffix(".")) { text.removeLast() }
        return text
    }
}

/// A profile's `thresholds:` section: the objectives, in file order, and whether a clear failure
/// stops the run early.
public struct Thresholds: Sendable, Equatable {
    public var checks: [Threshold]
    /// `abort_on_fail: true`: stop arrivals as soon as a threshold has clearly failed
    /// (``ThresholdTracker/clearFailure(recorder:elapsedNanos:)`` gives the rule).
    public var abortOnFail: Bool

    public init(checks: [Threshold] = [], abortOnFail: Bool = false) {
        self.checks = checks
        self.abortOnFail = abortOnFail
    }

    public var isEmpty: Bool { checks.isEmpty }
}
