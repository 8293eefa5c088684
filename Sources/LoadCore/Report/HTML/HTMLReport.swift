import Foundation

/// What `loadreport --html` (and `report.html` in a run directory) shows: one or more runs, drawn
/// on the same axes when compared, and a sweep's steps when the run was a sweep.
///
///     let report = try HTMLReport.read(paths: ["runs/a/events.ndjson"], compare: false)
///     try HTMLPage.render(report).write(toFile: "report.html", atomically: true, encoding: .utf8)
public struct HTMLReport {
    /// One entry per line set: a single (merged) run, or each run of a comparison.
    public var runs: [HTMLReportRun]
    /// True for `--compare`: the runs are overlaid and their tables shown side by side.
    public var isComparison: Bool
    /// The sweep's steps, knee and SLO capacity (nil: not a sweep).
    public var sweep: SweepResult?
    /// Problems met while reading (torn last line, unknown fields, ...).
    public var warnings: [String]

    public init(runs: [HTMLReportRun], isComparison: Bool, sweep: SweepResult? = nil, warnings: [String] = []) {
        self.runs = runs
        self.isComparison = isComparison
        self.sweep = sweep
        self.warnings = warnings
    }

    /// The options the page needs: one-second time series and rate-limit rows.
    public static let options = ReportOptions(timeSeriesIntervalNanos: 1_000_000_000, rateLimitIntervalNanos: 1_000_000_000)

    /// Reads event logs into a report: all of them merged into one run, or (`compare`) each its own.
    /// - Parameters:
    ///   - paths: events files (see ``ReportInputs/eventsPath(for:)``).
    ///   - other: another accumulator fed the same events in the same pass (`loadreport`'s text
    ///     view), so that the logs are read once.
    ///   - onAttempt: called with each attempt, the run's short name and its header (for `--csv`).
    /// - Throws: ``EventLogError`` for a log that cannot be read (the message names the file and
    ///   line), or what `onAttempt` throws.
    public static func read(paths: [String], compare: Bool, alongside other: ReportAccumulator? = nil,
                            onAttempt: ((AttemptRecord, String, RunHeader) throws -> Void)? = nil) throws -> HTMLReport {
        if compare {
            var runs: [HTMLReportRun] = []
            var warnings: [String] = []
            for path in paths {
                let (run, runWarnings) = try readRun(paths: [path], alongside: other, onAttempt: onAttempt)
                runs.append(run)
                warnings += runWarnings
            }
            return HTMLReport(runs: runs, isComparison: true, warnings: warnings)
        }
        let (run, warnings) = try readRun(paths: paths, alongside: other, onAttempt: onAttempt)
        return withSweep(HTMLReport(runs: [run], isComparison: false, warnings: warnings), paths: paths)
    }

    /// A single `loadgen sweep` run (a `sweep.json` beside its log) gets its sweep section; a
    /// sweep record that cannot be read is a warning.
    private static func withSweep(_ report: HTMLReport, paths: [String]) -> HTMLReport {
        guard paths.count == 1 else { return report }
        var report = report
        do {
            report.sweep = try SweepResult.read(eventsPath: paths[0])
        } catch {
            report.warnings.append("the sweep section is left out: \(error)")
        }
        return report
    }

    /// Reads event logs into `accumulator` (which must compute the time series and rate-limit
    /// rows of ``options``; its groups are left to its owner) and makes the page of all of them
    /// merged: `loadreport --html` shares one accumulator with the printed view, so that each
    /// attempt is recorded once.
    public static func read(paths: [String], into accumulator: ReportAccumulator,
                            onAttempt: ((AttemptRecord, String, RunHeader) throws -> Void)? = nil) throws -> HTMLReport {
        let (run, warnings) = try readRun(paths: paths, into: accumulator, alongside: nil, onAttempt: onAttempt)
        return withSweep(HTMLReport(runs: [run], isComparison: false, warnings: warnings), paths: paths)
    }

    private static func readRun(paths: [String], into shared: ReportAccumulator? = nil, alongside other: ReportAccumulator?,
                                onAttempt: ((AttemptRecord, String, RunHeader) throws -> Void)?)
        throws -> (HTMLReportRun, [String])
    {
        let accumulator = shared ?? ReportAccumulator(options: options)
        var sources: [HTMLReportRun.Source] = []
        var stages: [RunHeader.Stage]?
        var thresholds: [HTMLReportRun.ThresholdFile] = []
        var warnings: [String] = []
        for path in paths {
            let reader = try EventLogReader(path: path)
            accumulator.beginRun(reader.header, path: path)
            other?.beginRun(reader.header, path: path)
            let runName = other?.currentRunName ?? accumulator.currentRunName ?? path
            while let read = try reader.next() {
                let entry = read.onCommonClock(of: reader.header)
                accumulator.add(entry)
                other?.add(entry)
                if let onAttempt, case .attempt(let attempt) = entry { try onAttempt(attempt, runName, reader.header) }
            }
            accumulator.endRun(warnings: reader.warnings)
            other?.endRun(warnings: reader.warnings)
            warnings += reader.warnings
            let header = reader.header
            stages = stages ?? header.stages
            let name = accumulator.currentRunName ?? path
            sources.append(HTMLReportRun.Source(info: RunInfo(name: name, path: path, header: header),
                                                command: header.command, curlVersion: header.curlVersion,
                                                uvVersion: header.uvVersion))
            let thresholdsPath = ((path as NSString).deletingLastPathComponent as NSString)
                .appendingPathComponent("thresholds.json")
            if let file = HTMLReportRun.ThresholdFile.read(path: thresholdsPath, run: name) { thresholds.append(file) }
        }
        // The accumulator's run infos carry the attempt counts and whether each log ended.
        let report = accumulator.report()
        for index in sources.indices where index < report.runs.count { sources[index].info = report.runs[index] }
        let name = sources.map(\.info.name).joined(separator: " + ")
        let run = HTMLReportRun(name: name, accumulator: accumulator, report: report, sources: sources,
                                thresholds: thresholds, stages: stages ?? [])
        return (run, warnings)
    }
}
