/// The compact comparison as a table (each figure with its change against the baseline) or CSV.
enum ComparisonText {
    /// The figure columns: CSV name, table label, decimals.
    private static let figures: [(name: String, label: String, decimals: Int)] = [
        ("offered_per_s", "offered/s", 1), ("requests_per_s", "requests/s", 1), ("ttft_p50_ms", "TTFT p50 ms", 1),
        ("ttft_p99_ms", "TTFT p99 ms", 1), ("inter_token_p99_ms", "ITL p99 ms", 2),
        ("output_tokens_per_s", "tokens/s", 1), ("request_error_rate", "errors", 2),
    ]

    /// The CSV header: the figures, then their deltas (`_delta_pct`; the error rate's `_delta_pp`).
    static var columns: [String] {
        ["name"] + figures.map(\.name) + figures.map { $0.name + ($0.name == "request_error_rate" ? "_delta_pp" : "_delta_pct") }
    }

    static func render(_ comparison: Comparison?, format: ReportFormat) -> String {
        guard let comparison else { return "" }
        switch format {
        case .csv, .json: return csv(comparison)
        case .table, .markdown:
            var table = TextTable(columns: ["name"] + figures.map(\.label))
            for row in comparison.rows {
                let values = row.figures.named
                table.rows.append([row.name] + zip(figures, values).map { figure, pair in
                    cell(pair.1, delta: row.deltas[figure.name], figure: figure)
                })
            }
            let title = "against \(comparison.baseline) (the baseline): changes in % of its value, errors in "
                + "percentage points"
            return format == .markdown ? "*\(title)*\n\n" + table.markdown() : title + "\n" + table.text()
        }
    }

    private static func cell(_ value: Double?, delta: Double??, figure: (name: String, label: String, decimals: Int))
        -> String
    {
        guard let value else { return "-" }
        let isRate = figure.name == "request_error_rate"
        var text = isRate ? Format.fixed(100 * value, figure.decimals) + " %" : Format.fixed(value, figure.decimals)
        if let delta, let delta {
            let sign = delta > 0 ? "+" : ""
            text += " (\(sign)\(Format.fixed(delta, 1))\(isRate ? " pp" : " %"))"
        }
        return text
    }

    private static func csv(_ comparison: Comparison) -> String {
        var table = TextTable(columns: columns)
        for row in comparison.rows {
            let values = row.figures.named.map { Format.csv($0.1, $0.0 == "request_error_rate" ? 6 : 3) }
            let deltas = figures.map { figure -> String in
                guard let delta = row.deltas[figure.name], let delta else { return "" }
                return Format.csv(delta, 3)
            }
            table.rows.append([row.name] + values + deltas)
        }
        return table.csv()
    }
}
