/// The rate-limit view: per interval, offered against admitted load and the remaining quota; then
/// the first 429, the 1 % point, and the limits announced against the ceiling observed.
enum RateLimitText {
    static let columns = [
        "start_s", "offered_per_min", "attempts_per_min", "successes_per_min", "successful_tokens_per_min",
        "http_429", "http_429_share", "remaining_requests", "remaining_tokens",
    ]

    static func render(_ view: RateLimitView?, format: ReportFormat) -> String {
        guard let view else { return "" }
        var table = TextTable(columns: columns)
        for row in view.rows {
            table.rows.append([
                Format.fixed(row.startSeconds, 0), Format.fixed(row.offeredPerMinute, 1),
                Format.fixed(row.attemptsPerMinute, 1), Format.fixed(row.successesPerMinute, 1),
                Format.fixed(row.successfulTokensPerMinute, 1), String(row.http429),
                format == .csv ? Format.csv(row.http429Share, 4) : Format.fixed(100 * row.http429Share, 1) + " %",
                Format.csv(row.remainingRequests, 0), Format.csv(row.remainingTokens, 0),
            ])
        }
        switch format {
        case .csv, .json: return table.csv()
        case .table, .markdown:
            let markdown = format == .markdown
            var out = markdown ? "## Rate limits (per \(Format.fixed(view.intervalSeconds, 0)) s)\n\n"
                : "rate limits, per \(Format.fixed(view.intervalSeconds, 0)) s interval (rates per minute)\n"
            out += markdown ? table.markdown() + "\n" : table.text() + "\n"
            for line in lines(view) { out += (markdown ? "- " : "") + line + "\n" }
            return out
        }
    }

    static func lines(_ view: RateLimitView) -> [String] {
        func point(_ point: RateLimitView.Point) -> String {
            "at \(Format.fixed(point.seconds, 1)) s, offered \(Format.fixed(point.offeredPerSecond, 2))/s "
                + "(\(Format.fixed(point.offeredPerMinute, 1))/min)"
        }
        var lines: [String] = []
        if let first = view.first429 {
            lines.append("first 429: " + point(first) + "; 5 s around it")
        } else {
            lines.append("first 429: none")
        }
        if let onePercent = view.onePercent429 {
            lines.append("429s passed 1 % of the attempts of the last \(Format.fixed(view.intervalSeconds, 0)) s: "
                + point(onePercent) + "; 5 s around it")
        } else {
            lines.append("429s passed 1 % of attempts: never")
        }
        lines.append("429s in all: \(view.total429)")
        func limit(_ value: Double?) -> String { value.map { Format.fixed($0, 0) } ?? "not announced" }
        lines.append("announced limits: requests \(limit(view.announcedRequestsLimit)), tokens \(limit(view.announcedTokensLimit))"
            + (view.announcedInputTokensLimit != nil || view.announcedOutputTokensLimit != nil
                ? ", input tokens \(limit(view.announcedInputTokensLimit)), output tokens \(limit(view.announcedOutputTokensLimit))"
                : "")
            + " (per the provider's window: a minute for OpenAI and Anthropic; Groq's requests are per day)")
        lines.append("ceiling observed: \(Format.fixed(view.ceilingSuccessesPerMinute, 1)) successful requests/min, "
            + "\(Format.fixed(view.ceilingTokensPerMinute, 1)) tokens/min (the best full interval)")
        return lines
    }
}
