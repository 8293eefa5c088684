import Foundation

/// Renders a ``Summary`` as the plain-text table both tools print. A pure function.
///
///     latency (ms)              count     mean      p50      p90      p99    p99.9      max
///     TTFT                       1000    500.5    500.2    900.1    990.2    999.4   1000.4
///     ...
///     throughput: 99.9 req/s (99.9 ok/s), 3196.8 output tokens/s over 10.01 s
///     attempts: 1000, successes: 985, errors: 15 (http_429 12, timeout_total 3)
public enum SummaryTable {
    /// The table for a recorder's current state.
    public static func render(_ recorder: RunRecorder) -> String {
        render(Summary(recorder: recorder))
    }

    /// The table for a summary.
    public static func render(_ summary: Summary) -> String {
        let labelWidth = 22
        let columns = ["count", "mean", "p50", "p90", "p99", "p99.9", "max"]
        var lines: [String] = []
        lines.append(pad("latency (ms)", labelWidth, left: true) + columns.map { pad($0, 10) }.joined())
        for row in summary.rows {
            let values = [row.meanMillis, row.p50Millis, row.p90Millis, row.p99Millis, row.p999Millis, row.maxMillis]
            let cells = [String(row.count)] + values.map { row.count == 0 ? "-" : formatMillis($0) }
            lines.append(pad(row.metric.label, labelWidth, left: true) + cells.map { pad($0, 10) }.joined())
        }
        lines.append("")
        lines.append("throughput: \(fixed(summary.requestsPerSecond, 1)) req/s (\(fixed(summary.successesPerSecond, 1)) ok/s), "
            + "\(fixed(summary.outputTokensPerSecond, 1)) output tokens/s over \(fixed(summary.elapsedSeconds, 2)) s")
        var outcome = "attempts: \(summary.attempts), successes: \(summary.successes), "
            + "errors: \(summary.attempts - summary.successes)"
        let errors = summary.errorsByClass.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        if !errors.isEmpty {
            outcome += " (" + errors.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
        }
        lines.append(outcome)
        if let cost = summary.costUSD {
            lines.append("cost: \(CostBudget.dollars(cost)) (from usage and the models catalog; verify the prices)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Milliseconds with precision that suits the magnitude: 0.412, 5.12, 201.3.
    public static func formatMillis(_ millis: Double) -> String {
        if millis < 1 { return fixed(millis, 3) }
        if millis < 10 { return fixed(millis, 2) }
        return fixed(millis, 1)
    }

    static func fixed(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }

    static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        guard text.count < width else { return left ? text + " " : " " + text }
        let spaces = String(repeating: " ", count: width - text.count)
        return left ? text + spaces : spaces + text
    }
}
