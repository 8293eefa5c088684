import Foundation

/// The output formats of `loadreport --format`.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// Aligned text for a terminal.
    case table
    /// GitHub-flavoured markdown.
    case markdown
    /// RFC 4180 CSV (the view's rows; see docs/report.md for each header).
    case csv
    /// The view's numbers as JSON (snake_case keys).
    case json
}

/// Which part of a report to render.
public enum ReportView: Sendable {
    /// Latency table, throughput, requests and attempts, errors, statuses, tokens and cost, per group.
    case summary
    /// The groups (runs, usually) side by side: one column each.
    case compare
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
        case (_, .json): return try json(report, view: view)
        case (.summary, .csv), (.compare, .csv): return SummaryCSV.render(report)
        case (.summary, _): return SummaryText.render(report, markdown: format == .markdown)
        case (.compare, _): return CompareText.render(report, markdown: format == .markdown)
        case (.timeSeries, _): return TimeSeriesText.render(report.timeSeries, format: format)
        case (.rateLimits, _): return RateLimitText.render(report.rateLimits, format: format)
        }
    }

    private static func json(_ report: Report, view: ReportView) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let data: Data
        switch view {
        case .summary, .compare: data = try encoder.encode(report)
        case .timeSeries: data = try encoder.encode(report.timeSeries)
        case .rateLimits: data = try encoder.encode(report.rateLimits)
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
