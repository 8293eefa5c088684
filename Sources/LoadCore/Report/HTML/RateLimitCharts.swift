/// The rate-limit view drawn: load offered against load admitted, per minute as providers state
/// their limits, with the first 429, the point where 429s passed 1 % and the announced limits.
enum RateLimitCharts {
    /// One-second rows are averaged over this many seconds (fewer points for a short run).
    static func secondsPerPoint(_ rows: Int) -> Int {
        rows < 20 ? 1 : max(5, (rows + 99) / 100)
    }

    /// Rows of `seconds` one-second rows each: rates averaged, 429 counts added, remaining quota the lowest.
    static func merged(_ rows: [RateLimitView.Row], seconds: Int) -> [RateLimitView.Row] {
        stride(from: 0, to: rows.count, by: seconds).map { start in
            let slice = rows[start..<min(start + seconds, rows.count)]
            let n = Double(slice.count)
            let attempts = slice.reduce(0) { $0 + $1.attemptsPerMinute }
            let http429 = slice.reduce(0) { $0 + $1.http429 }
            return RateLimitView.Row(
                startSeconds: slice.first!.startSeconds + n / 2,
                offeredPerMinute: slice.reduce(0) { $0 + $1.offeredPerMinute } / n,
                attemptsPerMinute: attempts / n,
                successesPerMinute: slice.reduce(0) { $0 + $1.successesPerMinute } / n,
                successfulTokensPerMinute: slice.reduce(0) { $0 + $1.successfulTokensPerMinute } / n,
                http429: http429, http429Share: attempts > 0 ? Double(http429) / (attempts / 60) : 0,
                remainingRequests: slice.compactMap(\.remainingRequests).min(),
                remainingTokens: slice.compactMap(\.remainingTokens).min())
        }
    }

    static func charts(_ report: HTMLReport) -> [Chart] {
        let views = report.runs.compactMap { run in run.rateLimits.map { (run, $0) } }
        guard !views.isEmpty else { return [] }
        let longest = views.map(\.1.rows.count).max() ?? 0
        let seconds = secondsPerPoint(longest)
        let compare = report.isComparison
        var requests: [ChartSeries] = []
        var tokens: [ChartSeries] = []
        var vertical: [ChartMarker] = []
        var horizontal: [ChartMarker] = []
        var tokenLimits: [ChartMarker] = []
        for (index, (run, view)) in views.enumerated() {
            let rows = merged(view.rows, seconds: seconds)
            func points(_ value: (RateLimitView.Row) -> Double) -> [ChartSeries.Point] {
                rows.map { ChartSeries.Point(x: $0.startSeconds, y: value($0)) }
            }
            let prefix = compare ? run.name + " " : ""
            let base = ChartLineStyle.palette(index)
            requests.append(ChartSeries(label: prefix + "offered", points: points(\.offeredPerMinute),
                                        style: compare ? base.twin : .palette(0)))
            if !compare {
                requests.append(ChartSeries(label: "attempts", points: points(\.attemptsPerMinute), style: .palette(1)))
            }
            requests.append(ChartSeries(label: prefix + "admitted (ok)", points: points(\.successesPerMinute),
                                        style: compare ? base : .palette(2)))
            tokens.append(ChartSeries(label: prefix + "admitted tokens", points: points(\.successfulTokensPerMinute),
                                      style: base))
            if let first = view.first429 {
                vertical.append(ChartMarker(
                    value: first.seconds, label: "\(prefix)first 429 (offered \(ChartTicks.value(first.offeredPerMinute))/min)",
                    emphasized: true))
            }
            if let onePercent = view.onePercent429 {
                vertical.append(ChartMarker(
                    value: onePercent.seconds,
                    label: "\(prefix)429s > 1 % (offered \(ChartTicks.value(onePercent.offeredPerMinute))/min)",
                    emphasized: true))
            }
            if let limit = view.announcedRequestsLimit {
                horizontal.append(ChartMarker(value: limit, label: "\(prefix)announced limit \(ChartTicks.value(limit)) requests",
                                              emphasized: true))
            }
            if let limit = view.announcedTokensLimit {
                tokenLimits.append(ChartMarker(value: limit, label: "\(prefix)announced limit \(ChartTicks.value(limit)) tokens",
                                               emphasized: true))
            }
        }
        let every = seconds == 1 ? "each second" : "\(seconds) s averages"
        var charts = [Chart(
            id: "rate-limits-requests", title: "Offered against admitted load", caption:
                "Arrivals offered (by intended start), attempts started and attempts admitted (successful, by "
                + "start), as rates per minute (\(every)). Solid verticals: the first 429 and the second 429s "
                + "passed 1 % of the attempts; a horizontal line: the requests limit the provider announced "
                + "(its window: a minute for OpenAI and Anthropic, a day for Groq's requests).",
            x: ChartAxis(label: "time since the run's start (s)"), y: ChartAxis(label: "requests/min"),
            series: requests, verticalMarkers: vertical, horizontalMarkers: horizontal)]
        if !tokenLimits.isEmpty {
            charts.append(Chart(
                id: "rate-limits-tokens", title: "Admitted tokens against the announced limit",
                caption: "Input plus output tokens of successful attempts per minute (\(every)), and the tokens limit announced.",
                x: ChartAxis(label: "time since the run's start (s)"), y: ChartAxis(label: "tokens/min"),
                series: tokens, verticalMarkers: vertical, horizontalMarkers: tokenLimits))
        }
        return charts
    }
}
