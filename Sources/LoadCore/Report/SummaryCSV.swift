/// The summary view as CSV: one row for all attempts (`group` = `all`), then one per group (only
/// the runs with `--compare`). The
/// header is ``header``; docs/report.md explains every column.
enum SummaryCSV {
    /// The statistic columns of each metric, after `<metric>_`, for these percentiles.
    static func statistics(_ percentiles: [Double]) -> [String] {
        ["mean"] + percentiles.map(Percentiles.key) + ["max"]
    }

    /// Every column, in order, with the standard percentiles.
    static var header: [String] { header(percentiles: Percentiles.standard) }

    /// Every column, in order.
    static func header(percentiles: [Double]) -> [String] {
        var columns = [
            "group", "requests", "request_successes", "request_errors", "attempts", "attempt_successes",
            "attempt_errors", "retries", "offered", "dropped", "elapsed_s", "requests_per_s",
            "successful_requests_per_s", "attempts_per_s", "output_tokens", "output_tokens_per_s", "input_tokens",
            "cached_input_tokens", "cost_usd",
        ]
        for metric in ReportLayout.metrics {
            let prefix = GroupReport.key(metric)
            let unit = metric.isTime ? "_ms" : ""
            columns.append("\(prefix)_count")
            columns += statistics(percentiles).map { "\(prefix)_\($0)\(unit)" }
        }
        columns += ErrorClass.allCases.map { "errors_\($0.rawValue)" }
        return columns
    }

    /// - Parameter includesOverall: false for `--compare`, whose rows are the runs alone: a row of
    ///   all of them merged would mix the configurations compared, on one clock as if concurrent.
    static func render(_ report: Report, includesOverall: Bool = true) -> String {
        var out = CSV.line(header(percentiles: report.percentiles))
        for group in (includesOverall ? [report.overall] : []) + report.groups {
            var fields = [
                group.name, String(group.requests), String(group.requestSuccesses), String(group.requestErrors),
                String(group.attempts), String(group.attemptSuccesses), String(group.attemptErrors),
                String(group.retries), String(group.offered), String(group.dropped), Format.csv(group.elapsedSeconds),
                Format.csv(group.requestsPerSecond), Format.csv(group.successfulRequestsPerSecond),
                Format.csv(group.attemptsPerSecond), String(group.outputTokens), Format.csv(group.outputTokensPerSecond),
                String(group.inputTokens), String(group.cachedInputTokens), Format.csv(group.costUSD, 8),
            ]
            for metric in ReportLayout.metrics {
                guard let stats = group.stats(metric) else { continue }
                fields.append(String(stats.count))
                fields += stats.values.map { stats.count == 0 ? "" : Format.csv($0) }
            }
            fields += ErrorClass.allCases.map { String(group.attemptErrorsByClass[$0.rawValue] ?? 0) }
            out += CSV.line(fields)
        }
        return out
    }
}
