/// The summary view as aligned text or markdown: the runs read, then for all attempts (and each
/// group) the distribution table and the lines below it.
///
///     metric                 unit   count   mean    p50    p90    p95    p99  p99.9    max
///     TTFT                   ms      1000  500.5  500.2  900.1  950.3  990.2  999.4 1000.4
///     ...
///     throughput: 99.9 requests/s (98.5 ok/s), 3196.8 output tokens/s over 10.01 s
///     requests: 1000 (985 ok, 15 failed: http_429 12, timeout_total 3)
///     attempts: 1000 (985 ok, 15 failed: http_429 12, timeout_total 3; 0 retries)
enum SummaryText {
    static func render(_ report: Report, markdown: Bool) -> String {
        var out = ""
        if !report.runs.isEmpty {
            out += markdown ? "## Runs\n\n" : ""
            for run in report.runs {
                out += (markdown ? "- " : "") + runLine(run) + "\n"
            }
            out += "\n"
        }
        let sections = [report.overall] + report.groups
        for (index, group) in sections.enumerated() {
            if !report.groups.isEmpty {
                let title = index == 0 ? "all attempts" : "\(report.groupBy?.rawValue ?? "group"): \(group.name)"
                out += markdown ? "## \(title)\n\n" : "\(title)\n"
            }
            out += groupText(group, showsIntendedStart: report.showsIntendedStart, markdown: markdown)
            if index == 0, let throttling = report.throttling { out += (markdown ? "- " : "") + throttling.line + "\n" }
            if index == 0, let client = report.client { out += (markdown ? "- " : "") + client.line + "\n" }
            if index < sections.count - 1 { out += "\n" }
        }
        return out
    }

    /// `run NAME: [shard i/N of ]profile P, provider model, started T, N attempts` (`, no end line`
    /// when cut short).
    static func runLine(_ run: RunInfo) -> String {
        var line = "run \(run.name): " + (run.shard.map { "shard \($0) of " } ?? "") + "profile \(run.profile)"
        let target = [run.provider, run.model].compactMap { $0 }.joined(separator: " ")
        if !target.isEmpty { line += ", \(target)" }
        line += ", started \(run.startedAt), \(run.attempts) attempts"
        if !run.complete { line += ", no end line (the run did not finish)" }
        return line
    }

    /// The distribution table and the lines below it for one group.
    static func groupText(_ group: GroupReport, showsIntendedStart: Bool, markdown: Bool) -> String {
        let table = distributionTable(group, showsIntendedStart: showsIntendedStart)
        var out = markdown ? table.markdown() + "\n" : table.text() + "\n"
        for line in lines(group) {
            out += (markdown ? "- " : "") + line + "\n"
        }
        return out
    }

    /// The metrics a table shows: all, less the intended-start ones when they say nothing.
    static func shownMetrics(showsIntendedStart: Bool) -> [LatencyMetric] {
        ReportLayout.metrics.filter { metric in
            showsIntendedStart || ![.ttftFromIntended, .totalFromIntended, .scheduleLag].contains(metric)
        }
    }

    static func distributionTable(_ group: GroupReport, showsIntendedStart: Bool) -> TextTable {
        let percentiles = group.metrics.first?.percentiles ?? Percentiles.standard
        var table = TextTable(columns: ["metric", "unit", "count"] + MetricStats.valueColumns(percentiles))
        for metric in shownMetrics(showsIntendedStart: showsIntendedStart) {
            guard let stats = group.stats(metric) else { continue }
            let values = stats.values.map { stats.count == 0 ? "-" : Format.value($0, metric) }
            table.rows.append([metric.label, stats.unit, String(stats.count)] + values)
        }
        if let delay = group.measurementDelay {
            table.rows.append([LatencyMetric.measurementDelay.label, delay.unit, String(delay.count)]
                + delay.values.map { Format.value($0, .measurementDelay) })
        }
        return table
    }

    /// Throughput, requests, attempts, statuses, offered load, tokens and cost.
    static func lines(_ group: GroupReport) -> [String] {
        var lines: [String] = []
        lines.append("throughput: \(Format.fixed(group.requestsPerSecond, 1)) requests/s "
            + "(\(Format.fixed(group.successfulRequestsPerSecond, 1)) ok/s), "
            + "\(Format.fixed(group.outputTokensPerSecond, 1)) output tokens/s over \(Format.fixed(group.elapsedSeconds, 2)) s")
        var requests = "requests: \(group.requests) (\(group.requestSuccesses) ok, \(group.requestErrors) failed"
        if !group.requestErrorsByClass.isEmpty { requests += ": " + Format.counts(group.requestErrorsByClass) }
        lines.append(requests + ")")
        var attempts = "attempts: \(group.attempts) (\(group.attemptSuccesses) ok, \(group.attemptErrors) failed"
        if !group.attemptErrorsByClass.isEmpty { attempts += ": " + Format.counts(group.attemptErrorsByClass) }
        lines.append(attempts + "; \(group.retries) retries)")
        if !group.attemptsByStatus.isEmpty {
            lines.append("statuses (attempts): " + Format.statuses(group.attemptsByStatus))
        }
        if group.dropped > 0 {
            lines.append("offered: \(group.offered) arrivals, \(group.dropped) dropped (every slot and the queue full)")
        }
        var tokens = "tokens: \(group.outputTokens) output"
        if group.estimatedOutputAttempts > 0 {
            tokens += " (\(group.estimatedOutputAttempts) attempts without usage: counted from the stream)"
        }
        tokens += ", \(group.inputTokens) input"
        if group.cachedInputTokens > 0 { tokens += " (\(group.cachedInputTokens) cached)" }
        lines.append(tokens)
        if let cost = group.costUSD {
            var line = "cost: \(Format.dollars(cost))"
            var details: [String] = []
            if let perRequest = group.costPerSuccessfulRequestUSD {
                details.append("\(Format.dollars(perRequest)) per successful request")
            }
            if group.unpricedAttempts > 0 { details.append("\(group.unpricedAttempts) attempts without a price") }
            if !details.isEmpty { line += " (" + details.joined(separator: "; ") + ")" }
            lines.append(line)
        } else {
            lines.append("cost: unknown (no attempt carried a price)")
        }
        return lines
    }
}
