import Foundation

/// The output formats of `loadreport --format`.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// Aligned text for a terminal.
    case table
    /// GitHub-flavoured markdown.
    case markdown
    /// RFC 4180 CSV (the view's rows; see docs/report.md for each header).
    case csv
    /// The report's JSON document, the same in every view (snake_case keys, `schema_version`).
    case json
}

/// Which part of a report to render.
public enum ReportView: Sendable {
    /// Latency table, throughput, requests and attempts, errors, statuses, tokens and cost, per group.
    case summary
    /// The groups (runs, usually) side by side: the compact comparison (when the report has one),
    /// then one column each.
    case compare
    /// The compact comparison alone: one row per run, stage or group (``Report/comparison``).
    case compact
    /// The time series (the report must have been computed with an interval).
    case timeSeries
    /// The rate-limit view (the report must have been computed with it).
    case rateLimits
}

/// Renders a ``Report``. Pure functions: the same report gives the same bytes.
public enum ReportRenderer {
    /// The view in the format.
    /// - Throws: `EncodingError` from JSON encoding (not expected for these values).
    public static func render(_ report: Report, view: ReportView, format: ReportFormat) throws -> String {
        switch (view, format) {
        case (_, .json): return try json(report)
        case (.summary, .csv): return SummaryCSV.render(report)
        case (.compare, .csv): return SummaryCSV.render(report, includesOverall: report.groups.isEmpty)
        case (.summary, _): return SummaryText.render(report, markdown: format == .markdown)
        case (.compare, _):
            let compact = report.comparison.map { ComparisonText.render($0, format: format) + "\n" } ?? ""
            return compact + CompareText.render(report, markdown: format == .markdown)
        case (.compact, _): return ComparisonText.render(report.comparison, format: format)
        case (.timeSeries, _): return TimeSeriesText.render(report.timeSeries, format: format)
        case (.rateLimits, _): return RateLimitText.render(report.rateLimits, format: format)
        }
    }

    /// The report's JSON document (docs/report.md, "The JSON document"): `loadreport --format json`
    /// in every view, and `summary.json`.
    public static func json(_ report: Report) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        // Every view prints the whole document; the time series and the rate-limit view are in it
        // when the report computed them (`time_series`, `rate_limits`).
        let data = try encoder.encode(report)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
