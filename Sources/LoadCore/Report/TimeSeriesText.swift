/// The time-series view: one row per interval. The CSV header is ``columns``; docs/report.md
/// explains each column.
enum TimeSeriesText {
    static let columns = [
        "start_s", "offered", "started", "completed", "successes", "in_flight", "http_429", "other_errors",
        "ttft_p50_ms", "ttft_p99_ms", "output_tokens_per_s",
    ]

    static func render(_ series: TimeSeries?, format: ReportFormat) -> String {
        guard let series else { return "" }
        var table = TextTable(columns: columns)
        let decimals = series.intervalSeconds == series.intervalSeconds.rounded() ? 0 : 3
        for row in series.rows {
            table.rows.append([
                Format.fixed(row.startSeconds, decimals), String(row.offered), String(row.started),
                String(row.completed), String(row.successes), String(row.inFlight), String(row.http429),
                String(row.otherErrors), Format.csv(row.ttftP50Millis), Format.csv(row.ttftP99Millis),
                Format.csv(row.outputTokensPerSecond, 1),
            ])
        }
        switch format {
        case .markdown: return table.markdown()
        case .table: return table.text()
        case .csv, .json: return table.csv()
        }
    }
}
