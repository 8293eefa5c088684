/// A group in the report's JSON document (docs/report.md, "The JSON document"): the keys of the
/// summary CSV's columns where both have a figure (`elapsed_s`, `requests_per_s`, ...), the error
/// counts by class, and `metrics` keyed by the CSV's metric prefixes.
extension GroupReport: Encodable {
    /// The metric's name in JSON and in the summary CSV's column prefixes: the metric's raw value,
    /// except the per-request output tokens/s (`request_output_tokens_per_s`), which would read as
    /// the group's throughput.
    public static func key(_ metric: LatencyMetric) -> String {
        metric == .outputTokensPerSecond ? "request_output_tokens_per_s" : metric.rawValue
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: NamedKey.self)
        func put<Value: Encodable>(_ key: String, _ value: Value) throws {
            try container.encode(value, forKey: NamedKey(key))
        }
        try put("name", name)
        try put("requests", requests)
        try put("request_successes", requestSuccesses)
        try put("request_errors", requestErrors)
        try put("request_error_rate", requestErrorRate)
        try put("request_errors_by_class", requestErrorsByClass)
        try put("attempts", attempts)
        try put("attempt_successes", attemptSuccesses)
        try put("attempt_errors", attemptErrors)
        try put("attempt_error_rate", attemptErrorRate)
        try put("attempt_errors_by_class", attemptErrorsByClass)
        try put("attempts_by_status", attemptsByStatus)
        try put("retries", retries)
        try put("offered", offered)
        try put("dropped", dropped)
        try put("elapsed_s", elapsedSeconds)
        try put("requests_per_s", requestsPerSecond)
        try put("successful_requests_per_s", successfulRequestsPerSecond)
        try put("attempts_per_s", attemptsPerSecond)
        try put("output_tokens", outputTokens)
        try put("output_tokens_per_s", outputTokensPerSecond)
        try put("estimated_output_attempts", estimatedOutputAttempts)
        try put("input_tokens", inputTokens)
        try put("cached_input_tokens", cachedInputTokens)
        if let costUSD { try put("cost_usd", costUSD) }
        try put("priced_attempts", pricedAttempts)
        try put("unpriced_attempts", unpricedAttempts)
        if let costPerSuccessfulRequestUSD { try put("cost_per_successful_request_usd", costPerSuccessfulRequestUSD) }
        var metricsContainer = container.nestedContainer(keyedBy: NamedKey.self, forKey: NamedKey("metrics"))
        for stats in metrics {
            try metricsContainer.encode(stats, forKey: NamedKey(Self.key(stats.metric)))
        }
        if let measurementDelay {
            try metricsContainer.encode(measurementDelay, forKey: NamedKey(Self.key(.measurementDelay)))
        }
    }
}
