/// The text report's tables as HTML: summary, key figures side by side, errors by class,
/// statuses, tokens and cost, thresholds, sweep steps, and the runs' metadata. Every cell is escaped.
enum HTMLTables {
    /// A table; columns after the first are right-aligned numbers.
    static func table(_ table: TextTable, caption: String? = nil, className: String = "") -> String {
        var out = "<table\(className.isEmpty ? "" : " class=\"\(className)\"")>"
        if let caption { out += "<caption>\(HTMLText.escape(caption))</caption>" }
        out += "<thead><tr>"
        for (index, column) in table.columns.enumerated() {
            out += "<th scope=\"col\"\(index == 0 ? "" : " class=\"num\"")>\(HTMLText.escape(column))</th>"
        }
        out += "</tr></thead><tbody>\n"
        for row in table.rows {
            out += "<tr>"
            for (index, cell) in row.enumerated() {
                out += index == 0 ? "<th scope=\"row\">\(HTMLText.escape(cell))</th>"
                    : "<td class=\"num\">\(HTMLText.escape(cell))</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    /// A bulleted list of text lines.
    static func list(_ lines: [String]) -> String {
        "<ul class=\"lines\">" + lines.map { "<li>\(HTMLText.escape($0))</li>" }.joined() + "</ul>\n"
    }

    /// The distribution table of one run and the lines under it (throughput, requests, attempts...).
    static func summary(_ run: HTMLReportRun) -> String {
        table(SummaryText.distributionTable(run.summary, showsIntendedStart: run.showsIntendedStart),
              caption: "Distributions (ms; tokens/s for the per-request rate)", className: "wide")
            + list(SummaryText.lines(run.summary))
    }

    /// One column per run, one row per key figure (`--compare`).
    static func comparison(_ runs: [HTMLReportRun]) -> String {
        var compared = TextTable(columns: ["figure"] + runs.map(\.name))
        compared.rows.append(["target"] + runs.map { run in
            let targets = run.sources.map { [$0.info.provider, $0.info.model].compactMap { $0 }.joined(separator: " ") }
            return targets.first.map { $0.isEmpty ? "-" : $0 } ?? "-"
        })
        for (label, value) in CompareText.figures { compared.rows.append([label] + runs.map { value($0.summary) }) }
        return table(compared, caption: "Key figures side by side", className: "wide")
    }

    /// Failed requests and attempts by error class.
    static func errors(_ group: GroupReport) -> String {
        let classes = Set(group.requestErrorsByClass.keys).union(group.attemptErrorsByClass.keys)
        guard !classes.isEmpty else { return "<p>No errors.</p>\n" }
        var errors = TextTable(columns: ["error class", "requests (last attempt)", "attempts"])
        let ordered = GroupReport.sortedCounts(group.attemptErrorsByClass).map(\.key)
            + classes.subtracting(group.attemptErrorsByClass.keys).sorted()
        for name in ordered {
            errors.rows.append([name, String(group.requestErrorsByClass[name] ?? 0), String(group.attemptErrorsByClass[name] ?? 0)])
        }
        return table(errors, caption: "Errors by class")
    }

    /// Attempts by HTTP status.
    static func statuses(_ group: GroupReport) -> String {
        var statuses = TextTable(columns: ["status", "attempts"])
        for (status, count) in group.attemptsByStatus.sorted(by: { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }) {
            statuses.rows.append([status == "0" ? "0 (no response)" : status, String(count)])
        }
        return statuses.rows.isEmpty ? "<p>No attempts.</p>\n" : table(statuses, caption: "Statuses")
    }

    /// Tokens and cost.
    static func cost(_ group: GroupReport) -> String {
        var cost = TextTable(columns: ["tokens and cost", "value"])
        cost.rows.append(["output tokens", String(group.outputTokens)])
        cost.rows.append(["input tokens", String(group.inputTokens)])
        cost.rows.append(["cached input tokens", String(group.cachedInputTokens)])
        cost.rows.append(["attempts without usage (tokens counted)", String(group.estimatedOutputAttempts)])
        cost.rows.append(["cost", group.costUSD.map(Format.dollars) ?? "unknown (no price)"])
        cost.rows.append(["cost per successful request", group.costPerSuccessfulRequestUSD.map(Format.dollars) ?? "-"])
        cost.rows.append(["attempts priced / without a price", "\(group.pricedAttempts) / \(group.unpricedAttempts)"])
        return table(cost, caption: "Tokens and cost")
    }

    /// The thresholds.json verdicts of each run directory.
    static func thresholds(_ files: [HTMLReportRun.ThresholdFile]) -> String {
        guard !files.isEmpty else { return "<p>No thresholds (the profile set none, or no thresholds.json was found).</p>\n" }
        var out = ""
        for file in files {
            var results = TextTable(columns: ["threshold", "condition", "actual", "result", "detail"])
            for entry in file.entries {
                results.rows.append([entry.name, entry.condition, entry.actual.map(ChartTicks.value) ?? "no data",
                                     entry.passed ? "PASS" : "FAIL", entry.detail ?? ""])
            }
            var caption = "Thresholds of \(file.run): " + (file.passed ? "all passed" : "FAILED")
            if let aborted = file.abortedBy { caption += " (stopped early by \(aborted))" }
            out += table(results, caption: caption, className: "verdicts")
        }
        return out
    }

    /// The sweep's steps.
    static func sweep(_ sweep: SweepResult) -> String {
        func number(_ value: Double?) -> String { value.map(ChartTicks.value) ?? "-" }
        func share(_ value: Double?) -> String { value.map { Format.fixed(100 * $0, 1) + " %" } ?? "-" }
        var steps = TextTable(columns: ["offered/s", "achieved/s", "ok/s", "output tokens/s", "TTFT p50 ms",
                                        "TTFT p99 ms", "ITL p99 ms", "total p99 ms", "429", "errors", "goodput", "verdict"])
        for step in sweep.steps.sorted(by: { $0.offeredPerSecond < $1.offeredPerSecond }) {
            steps.rows.append([
                number(step.offeredPerSecond), number(step.achievedPerSecond), number(step.okPerSecond),
                number(step.outputTokensPerSecond), number(step.ttftP50Millis), number(step.ttftP99Millis),
                number(step.interTokenP99Millis), number(step.totalP99Millis), share(step.http429Share),
                share(step.errorShare), share(step.goodput), step.verdict ?? "-",
            ])
        }
        var lines: [String] = []
        if let knee = sweep.kneePerSecond { lines.append("knee (highest sustained throughput): \(number(knee)) requests/s") }
        if let slo = sweep.sloPerSecond {
            var line = "SLO capacity: \(number(slo)) requests/s"
            if let bracket = sweep.sloBracket { line += " (bracket \(number(bracket.lowerBound))-\(number(bracket.upperBound)))" }
            lines.append(line)
        }
        if let limited = sweep.limitedBy { lines.append("limited by: \(limited)") }
        return table(steps, caption: "Sweep steps", className: "wide") + list(lines)
    }

    /// Each event log's header: versions, command, seed, profile, target.
    static func metadata(_ runs: [HTMLReportRun]) -> String {
        var out = ""
        for source in runs.flatMap(\.sources) {
            let info = source.info
            var rows: [[String]] = [
                ["events file", info.path], ["profile", info.profile], ["started", info.startedAt],
                ["loadgen", info.loadgenVersion], ["libcurl", source.curlVersion ?? "-"], ["libuv", source.uvVersion ?? "-"],
                ["seed", String(info.seed)], ["mode", info.mode ?? "-"], ["provider", info.provider ?? "-"],
                ["model", info.model ?? "-"], ["host", info.host ?? "-"],
                ["attempts read", String(info.attempts) + (info.complete ? "" : " (no end line: the run did not finish)")],
            ]
            rows.append(["command", source.command.map(shellQuoted).joined(separator: " ")])
            out += table(TextTable(columns: ["run \(info.name)", ""], rows: rows), className: "meta")
        }
        return out
    }

    /// A command-line word as a shell would need it.
    static func shellQuoted(_ word: String) -> String {
        let plain = word.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_./=:,@%+".unicodeScalars.contains($0)
        }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
