/// The PASS/FAIL table printed at the end of a run with thresholds:
///
///     thresholds: 1 of 3 failed
///       PASS  ttft_p99     <= 800ms   212.4ms   980 samples
///       FAIL  error_rate   < 1%       3.2%      32 of 1000 requests failed
public enum ThresholdTable {
    public static func render(_ results: [ThresholdResult]) -> String {
        let failed = results.filter { !$0.passed }.count
        var lines = ["thresholds: " + (failed == 0 ? "all \(results.count) passed" : "\(failed) of \(results.count) failed")]
        let rows = results.map { result -> [String] in
            [
                result.passed ? "PASS" : "FAIL", result.threshold.name, result.threshold.condition,
                result.actual.map { Threshold.display($0, of: result.threshold.metric) } ?? "no data",
                result.detail ?? "",
            ]
        }
        let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            var line = "  "
            for column in 0..<4 {
                line += row[column] + String(repeating: " ", count: widths[column] - row[column].count + 2)
            }
            lines.append((line + row[4]).trimmingTrailingSpaces())
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
