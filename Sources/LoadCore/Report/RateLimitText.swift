/// The rate-limit view: per interval, offered against admitted load and the remaining quota; then
/// the first 429, the 1 % point, the limits announced, the rate sustained and the best interval.
enum RateLimitText {
    static let columns = [
        "start_s", "length_s", "partial", "offered_per_min", "attempts_per_min", "successes_per_min",
        "successful_tokens_per_min", "http_429", "http_429_share", "remaining_requests", "remaining_tokens",
    ]

    /// The table's columns: the CSV's less `length_s` and `partial` (a partial interval's start is
    /// marked `*` and explained below the table).
    private static let tableColumns = columns.filter { $0 != "length_s" && $0 != "partial" }

    static func render(_ view: RateLimitView?, format: ReportFormat) -> String {
        guard let view else { return "" }
        let csv = format == .csv || format == .json
        var table = TextTable(columns: csv ? columns : tableColumns)
        for row in view.rows {
            var cells = [Format.fixed(row.startSeconds, 0) + (!csv && row.partial ? "*" : "")]
            if csv { cells += [Format.csv(row.lengthSeconds, 3), row.partial ? "true" : "false"] }
            cells += [
                Format.fixed(row.offeredPerMinute, 1), Format.fixed(row.attemptsPerMinute, 1),
                Format.fixed(row.successesPerMinute, 1), Format.fixed(row.successfulTokensPerMinute, 1),
                String(row.http429),
                csv ? Format.csv(row.http429Share, 4) : Format.fixed(100 * row.http429Share, 1) + " %",
                Format.csv(row.remainingRequests, 0), Format.csv(row.remainingTokens, 0),
            ]
            table.rows.append(cells)
        }
        if csv { return table.csv() }
        let markdown = format == .markdown
        var out = markdown ? "## Rate limits (per \(Format.fixed(view.intervalSeconds, 0)) s)\n\n"
            : "rate limits, per \(Format.fixed(view.intervalSeconds, 0)) s interval (rates per minute)\n"
        out += markdown ? table.markdown() + "\n" : table.text() + "\n"
        for line in lines(view) { out += (markdown ? "- " : "") + line + "\n" }
        return out
    }

    static func lines(_ view: RateLimitView) -> [String] {
        func point(_ point: RateLimitView.Point) -> String {
            "at \(Format.fixed(point.seconds, 1)) s, offered \(Format.fixed(point.offeredPerSecond, 2))/s "
                + "(\(Format.fixed(point.offeredPerMinute, 1))/min)"
        }
        var lines: [String] = []
        if let partial = view.rows.last, partial.partial {
            lines.append("\(Format.fixed(partial.startSeconds, 0))*: a partial interval (the arrivals ended after "
                + "\(Format.fixed(partial.lengthSeconds, 2)) s of it): its rates are over that length")
        }
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
        if let sustained = view.sustained {
            lines.append("sustained: \(Format.fixed(sustained.successesPerMinute, 1)) successful requests/min, "
                + "\(Format.fixed(sustained.tokensPerMinute, 1)) tokens/min (admitted from the first 429's second, "
                + "\(Format.fixed(sustained.fromSeconds, 0)) s, to the end of the arrivals, "
                + "\(Format.fixed(sustained.toSeconds, 1)) s; 429s were \(Format.fixed(100 * sustained.http429Share, 1)) % "
                + "of its attempts)")
        } else if view.first429 != nil {
            lines.append("sustained: unknown (under \(Format.fixed(RateLimitView.minimumSustainedSeconds, 0)) s of "
                + "arrivals after the first 429)")
        } else {
            lines.append("sustained: no 429, so no limit reached (the admitted rate is the offered load)")
        }
        lines.append("best interval: \(Format.fixed(view.ceilingSuccessesPerMinute, 1)) successful requests/min, "
            + "\(Format.fixed(view.ceilingTokensPerMinute, 1)) tokens/min (a burst over \(Format.fixed(view.intervalSeconds, 0)) s, "
            + "not a sustainable rate)")
        return lines
    }
}
