/// The compare view: one column per group (per run with `--compare`), one row per key figure, so
/// that two models or two configurations read side by side.
enum CompareText {
    /// The rows: a label and how to read the figure from a group.
    static let figures: [(String, (GroupReport) -> String)] = [
        ("requests", { String($0.requests) }),
        ("ok %", { Format.fixed($0.requests > 0 ? 100 * Double($0.requestSuccesses) / Double($0.requests) : 0, 1) }),
        ("http_429 (attempts)", { String($0.attemptErrorsByClass[ErrorClass.http429.rawValue] ?? 0) }),
        ("other errors (attempts)", {
            String($0.attemptErrors - ($0.attemptErrorsByClass[ErrorClass.http429.rawValue] ?? 0))
        }),
        ("requests/s", { Format.fixed($0.requestsPerSecond, 1) }),
        ("output tokens/s", { Format.fixed($0.outputTokensPerSecond, 1) }),
        ("TTFT p50 ms", { stat($0, .ttft, \.p50) }),
        ("TTFT p99 ms", { stat($0, .ttft, \.p99) }),
        ("inter-token p50 ms", { stat($0, .interToken, \.p50) }),
        ("inter-token p99 ms", { stat($0, .interToken, \.p99) }),
        ("time per output token p50 ms", { stat($0, .timePerOutputToken, \.p50) }),
        ("total time p50 ms", { stat($0, .total, \.p50) }),
        ("total time p99 ms", { stat($0, .total, \.p99) }),
        ("total from intended p99 ms", { stat($0, .totalFromIntended, \.p99) }),
        ("output tokens/s per request p50", { stat($0, .outputTokensPerSecond, \.p50) }),
        ("cost", { $0.costUSD.map(Format.dollars) ?? "-" }),
        ("cost per successful request", { $0.costPerSuccessfulRequestUSD.map(Format.dollars) ?? "-" }),
    ]

    private static func stat(_ group: GroupReport, _ metric: LatencyMetric, _ value: KeyPath<MetricStats, Double>)
        -> String
    {
        guard let stats = group.stats(metric), stats.count > 0 else { return "-" }
        return Format.value(stats[keyPath: value], metric)
    }

    static func render(_ report: Report, markdown: Bool) -> String {
        let groups = report.groups.isEmpty ? [report.overall] : report.groups
        // The compact comparison's names when it has them (runs as `profile @ load`).
        let names = report.comparison.map { $0.rows.map(\.name) }.flatMap { $0.count == groups.count ? $0 : nil }
            ?? groups.map(\.name)
        var table = TextTable(columns: ["figure"] + names)
        if report.groupBy == .run {
            let targets = report.runs.map { [$0.provider, $0.model].compactMap { $0 }.joined(separator: " ") }
            table.rows.append(["target"] + targets.map { $0.isEmpty ? "-" : $0 })
        }
        for (label, value) in figures {
            table.rows.append([label] + groups.map(value))
        }
        var out = ""
        if !report.runs.isEmpty {
            for run in report.runs { out += (markdown ? "- " : "") + SummaryText.runLine(run) + "\n" }
            out += "\n"
        }
        out += markdown ? table.markdown() : table.text()
        return out
    }
}
