/// The HTML report as one self-contained page: inline CSS, inline SVG charts, no script, no
/// font, image or style sheet fetched from anywhere. Deterministic: the same report gives the
/// same bytes (no generation time). docs/report.md shows a page's sections.
public enum HTMLPage {
    /// The page of `report`.
    public static func render(_ report: HTMLReport) -> String {
        let title = "loadgen report: " + (report.runs.map(\.name).joined(separator: " vs "))
        var body = "<header><h1>\(HTMLText.escape(title))</h1>\n" + overview(report) + navigation(report) + "</header>\n"
        body += summarySection(report)
        body += section("latency", "Latency by percentile", LatencyCharts.charts(report).map { chart in
            figure(chart, beside: latencyTable(report, chart))
        }.joined())
        body += section("over-time", "Over time", TimeSeriesCharts.charts(report).map { figure($0) }.joined())
        body += rateLimitSection(report)
        if let sweep = report.sweep {
            body += section("sweep", "Sweep", SweepCharts.charts(sweep).map { figure($0) }.joined() + HTMLTables.sweep(sweep))
        }
        body += tablesSection(report)
        body += section("metadata", "Run metadata", HTMLTables.metadata(report.runs))
        if !report.warnings.isEmpty {
            body += section("warnings", "Warnings while reading", HTMLTables.list(report.warnings))
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escape(title))</title>
            <style>
            \(HTMLStyle.css)
            </style>
            </head>
            <body>
            <main>
            \(body)</main>
            </body>
            </html>

            """
    }

    private static func section(_ id: String, _ title: String, _ content: String) -> String {
        "<section id=\"\(id)\">\n<h2>\(HTMLText.escape(title))</h2>\n\(content)</section>\n"
    }

    private static func figure(_ chart: Chart, beside: String = "") -> String {
        let svg = "<figure id=\"\(chart.id)\" class=\"chart-figure\">\n<figcaption><strong>\(HTMLText.escape(chart.title))</strong>"
            + "</figcaption>\n" + SVGChart.render(chart) + "\n<p class=\"note\">\(HTMLText.escape(chart.caption))</p>\n</figure>\n"
        return beside.isEmpty ? svg : "<div class=\"pair\">\n\(svg)<div class=\"beside\">\(beside)</div>\n</div>\n"
    }

    /// One sentence per run: what, against what, how much.
    private static func overview(_ report: HTMLReport) -> String {
        var out = "<p class=\"overview\">"
        for run in report.runs {
            let summary = run.summary
            let targets = Set(run.sources.map { [$0.info.provider, $0.info.model].compactMap { $0 }.joined(separator: " ") })
            out += "<span class=\"run\"><strong>\(HTMLText.escape(run.name))</strong>: "
                + HTMLText.escape("\(targets.sorted().joined(separator: ", ")), \(summary.requests) requests "
                    + "(\(summary.requestSuccesses) ok) in \(Format.fixed(summary.elapsedSeconds, 1)) s, "
                    + "\(Format.fixed(summary.successfulRequestsPerSecond, 1)) ok/s, "
                    + "\(Format.fixed(summary.outputTokensPerSecond, 1)) output tokens/s")
                + (run.sources.count > 1 ? HTMLText.escape(" (\(run.sources.count) logs merged)") : "") + "</span> "
        }
        return out + "</p>\n"
    }

    private static func navigation(_ report: HTMLReport) -> String {
        var links = [("summary", "Summary"), ("latency", "Latency"), ("over-time", "Over time"), ("rate-limits", "Rate limits")]
        if report.sweep != nil { links.append(("sweep", "Sweep")) }
        links += [("tables", "Errors, statuses, cost, thresholds"), ("metadata", "Metadata")]
        return "<nav>" + links.map { "<a href=\"#\($0.0)\">\($0.1)</a>" }.joined(separator: " · ") + "</nav>\n"
    }

    private static func summarySection(_ report: HTMLReport) -> String {
        if report.isComparison {
            return section("summary", "Summary", HTMLTables.comparison(report.runs))
        }
        return section("summary", "Summary", report.runs.map(HTMLTables.summary).joined())
    }

    /// The percentiles of the chart's metrics, beside it.
    private static func latencyTable(_ report: HTMLReport, _ chart: Chart) -> String {
        guard let panel = LatencyCharts.panels.first(where: { $0.id == chart.id }) else { return "" }
        let showsIntended = report.runs.contains(where: \.showsIntendedStart)
        let metrics = [panel.actual] + (showsIntended ? [panel.intended].compactMap { $0 } : [])
        var table = TextTable(columns: [""] + ["p50", "p90", "p99", "p99.9", "max"])
        for run in report.runs {
            for metric in metrics {
                guard let stats = run.summary.stats(metric) else { continue }
                var label = metric == panel.actual ? "from start" : "from intended"
                if report.isComparison { label = run.name + " " + label }
                table.rows.append([label] + (stats.count == 0 ? Array(repeating: "-", count: 5)
                    : [stats.p50, stats.p90, stats.p99, stats.p999, stats.max].map(Format.millis)))
            }
        }
        return HTMLTables.table(table, caption: "\(panel.actual.label), ms")
    }

    private static func rateLimitSection(_ report: HTMLReport) -> String {
        var content = RateLimitCharts.charts(report).map { figure($0) }.joined()
        for run in report.runs {
            guard let view = run.rateLimits else { continue }
            if report.isComparison { content += "<h3>\(HTMLText.escape(run.name))</h3>\n" }
            content += HTMLTables.list(RateLimitText.lines(view))
        }
        return section("rate-limits", "Rate limits", content)
    }

    private static func tablesSection(_ report: HTMLReport) -> String {
        var content = ""
        for run in report.runs {
            if report.isComparison { content += "<h3>\(HTMLText.escape(run.name))</h3>\n" }
            content += "<div class=\"tables\">" + HTMLTables.errors(run.summary) + HTMLTables.statuses(run.summary)
                + HTMLTables.cost(run.summary) + "</div>\n"
            if report.isComparison { content += HTMLTables.summary(run) }
        }
        content += "<h3>Thresholds</h3>\n" + HTMLTables.thresholds(report.runs.flatMap(\.thresholds))
        content += "<h3>Client verdict</h3>\n"
        for run in report.runs {
            let name = report.isComparison ? HTMLText.escape(run.name) + ": " : ""
            let line = run.client.map { HTMLText.escape($0.line) }
                ?? "not recorded (a log from an earlier build, or a run that did not finish)"
            content += "<p>\(name)\(line)</p>\n"
        }
        return section("tables", "Errors, statuses, cost and thresholds", content)
    }
}
