import ArgumentParser
import Foundation
import LoadCore

/// `loadreport RUN...`: reads event logs (one run, several runs, or the shards of one run), merges
/// them and prints a view of them. The numbers come from LoadCore's report code, the same that
/// prints `loadgen`'s end-of-run summary.
@main
struct LoadReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadreport",
        abstract: "Summarize loadgen runs from their event logs.",
        discussion: """
            Each argument is a run directory (its events.ndjson is read) or an events.ndjson file. \
            Several runs or shards are merged into one report: their attempts are united and their \
            histograms added; --compare shows them side by side instead. docs/report.md explains \
            every view, format and CSV column.

            Examples:
              loadreport runs/20261125T120000Z-ramp
              loadreport runs/*-shard-*of4 --group-by stage --format markdown
              loadreport results/shard-0 results/shard-2 --allow-partial
              loadreport results/shard-* --hlog merged.hlog
              loadreport runs/a runs/b --compare
              loadreport runs/a runs/b runs/c --compare --compact --baseline runs/b
              loadreport runs/ramp --group-by stage --compact
              loadreport runs/x --csv attempts.csv
              loadreport runs/x --timeseries 1s > timeseries.csv
              loadreport runs/x --rate-limits --interval 10s
              loadreport runs/x --capacity --slo ttft_p99=800ms,itl_p99=50ms,error_rate=1%
              loadreport runs/x --percentiles 50,90,99,99.9 --format json
              loadreport runs/a runs/b --compare --html compare.html
            """
    )

    @Argument(help: ArgumentHelp("Run directories or events.ndjson files.", valueName: "run"))
    var runs: [String] = []

    @Option(help: "Output format: table, markdown, csv or json (default: table; csv for --timeseries).")
    var format: String?

    @Option(help: "Split the summary by model, provider, stage, status or prompt_set.")
    var groupBy: String?

    @Flag(help: "Show the runs side by side, one column each, instead of merging them.")
    var compare = false

    @Flag(help: "Print only the compact comparison: one row per run (--compare), stage or group (--group-by), with changes against the baseline.")
    var compact = false

    @Option(help: ArgumentHelp(
        "The run (as given, or its directory's name) or group the comparison measures changes against (default: the first).",
        valueName: "run"))
    var baseline: String?

    @Option(help: ArgumentHelp("Also write one CSV row per attempt to this file.", valueName: "file"))
    var csv: String?

    @Option(help: ArgumentHelp(
        "Print the time series with this interval (e.g. 1s, 500ms) instead of the summary.", valueName: "interval"))
    var timeseries: String?

    @Flag(help: "Print the rate-limit view (offered against admitted load, 429s, remaining quota) instead of the summary.")
    var rateLimits = false

    @Option(help: ArgumentHelp("Rows of the rate-limit view: whole seconds (default 10s).", valueName: "interval"))
    var interval = "10s"

    @Flag(help: "Print the capacity view of one sweep (or staged run): each step, the knee, the SLO capacity, the limit (docs/capacity.md).")
    var capacity = false

    @Option(help: ArgumentHelp("With --capacity: judge the steps against these SLOs instead of the sweep's, e.g. "
                               + "ttft_p99=800ms,itl_p99=50ms,error_rate=1%.", valueName: "list"))
    var slo: String?

    @Option(help: ArgumentHelp(
        "The percentiles of the tables, CSV and JSON, comma-separated (default 50,90,95,99,99.9).", valueName: "list"))
    var percentiles: String?

    @Option(help: ArgumentHelp(
        "Also write the HTML report (charts and tables, one self-contained file) to this file.", valueName: "file"))
    var html: String?

    @Option(help: ArgumentHelp(
        "Also write the runs' histograms merged, one per metric per second, as an HdrHistogram interval log to this file.",
        valueName: "file"))
    var hlog: String?

    @Flag(help: "Merge the shards given even when some of the run's shards are missing (the report says which).")
    var allowPartial = false

    func validate() throws {
        if runs.isEmpty {
            throw ValidationError("Please give at least one run directory or events.ndjson file.")
        }
        if let format, ReportFormat(rawValue: format) == nil {
            throw ValidationError("Please give --format as table, markdown, csv or json (got \"\(format)\").")
        }
        if let groupBy, ReportGroupBy(rawValue: groupBy) == nil || groupBy == "run" {
            throw ValidationError("Please give --group-by as model, provider, stage, status or prompt_set (got \"\(groupBy)\").")
        }
        if compare && groupBy != nil {
            throw ValidationError("Please use --compare or --group-by, not both.")
        }
        let views = [compare || compact, timeseries != nil, rateLimits, capacity].filter { $0 }.count
        if views > 1 {
            throw ValidationError("Please choose one of --compare (or --compact), --timeseries, --rate-limits and --capacity.")
        }
        if baseline != nil && !compare && !compact {
            throw ValidationError("Please give --baseline with --compare or --compact.")
        }
        try validateCapacity()
        if capacity && html != nil {
            throw ValidationError("Please give --html without --capacity: the page draws a sweep's steps itself.")
        }
        if let timeseries {
            guard let nanos = DurationFormat.parseNanos(timeseries), nanos >= 1_000_000 else {
                throw ValidationError("Please give --timeseries as a duration of 1ms or more, like 1s or 500ms "
                    + "(got \"\(timeseries)\").")
            }
        }
        if let percentiles {
            do {
                _ = try Percentiles.parse(percentiles)
            } catch let error as PercentilesError {
                throw ValidationError("Please give --percentiles as numbers above 0 and below 100, like 50,90,99,99.9: "
                    + "\(error.description).")
            }
        }
        guard let nanos = DurationFormat.parseNanos(interval), nanos >= 1_000_000_000, nanos % 1_000_000_000 == 0
        else {
            throw ValidationError("Please give --interval as whole seconds, like 10s or 1m (got \"\(interval)\").")
        }
    }

    func run() throws {
        if capacity { return runCapacity() }
        let paths = runs.map(ReportInputs.eventsPath(for:))
        for path in paths where !FileManager.default.fileExists(atPath: path) {
            Self.fail("\(path): no such file (expected a run directory or an events.ndjson file)")
        }
        do {
            try DistinctRuns.check(paths: paths, arguments: runs)
        } catch let error as DuplicateRunError {
            Self.fail(error.description, status: ExitCode.validationFailure.rawValue)
        }
        var shardWarnings: [String] = []
        if !compare && !compact {
            shardWarnings = checkShards(paths: paths)
        }
        let view: ReportView = compact ? .compact : compare ? .compare
            : timeseries != nil ? .timeSeries : rateLimits ? .rateLimits : .summary
        var options = ReportOptions(
            groupBy: compare ? .run : groupBy.flatMap(ReportGroupBy.init(rawValue:)),
            timeSeriesIntervalNanos: timeseries.flatMap(DurationFormat.parseNanos),
            rateLimitIntervalNanos: rateLimits ? DurationFormat.parseNanos(interval) : nil,
            percentiles: try percentiles.map(Percentiles.parse) ?? Percentiles.standard)
        // The summary view and the page can share one accumulator (each attempt recorded once); a
        // comparison or another time view needs the page's own.
        let sharesAccumulator = html != nil && view == .summary
        if sharesAccumulator {
            options.timeSeriesIntervalNanos = HTMLReport.options.timeSeriesIntervalNanos
            options.rateLimitIntervalNanos = HTMLReport.options.rateLimitIntervalNanos
        }
        let accumulator = ReportAccumulator(options: options)
        var attemptsFile: AttemptCSVWriter?
        var page: HTMLReport?
        do {
            if let csv { attemptsFile = try AttemptCSVWriter(path: csv) }
            let appendRow: (AttemptRecord, String, RunHeader) throws -> Void = { attempt, run, header in
                try attemptsFile?.append(attempt, run: run, header: header)
            }
            let warnings: [String]
            if html != nil {
                // One pass: the page's views and the printed view read the logs together.
                page = sharesAccumulator
                    ? try HTMLReport.read(paths: paths, into: accumulator, onAttempt: appendRow)
                    : try HTMLReport.read(paths: paths, compare: compare, alongside: accumulator, onAttempt: appendRow)
                warnings = page?.warnings ?? []
            } else {
                warnings = try ReportInputs.read(paths: paths, into: accumulator, onAttempt: appendRow)
            }
            try attemptsFile?.close()
        } catch let error as EventLogError {
            Self.fail(error.description)
        } catch let error as CSVWriteError {
            Self.fail(error.description)
        }
        var report = accumulator.report()
        if compare || compact {
            do {
                report.comparison = try Comparison(report, baseline: baseline)
            } catch let error as ComparisonError {
                Self.fail(error.description, status: ExitCode.validationFailure.rawValue)
            }
        }
        // The readers' warnings and the report's own (runs started apart, times beyond the bins).
        report.warnings = shardWarnings + report.warnings
        for warning in report.warnings { Self.printError("warning: \(warning)") }
        if sharesAccumulator {
            // Computed for the page only: the printed summary (and its JSON) stays as without --html.
            report.timeSeries = nil
            report.rateLimits = nil
        }
        if let html, let page { writeHTML(page, to: html) }
        if let hlog { writeHistogramLog(paths: paths, to: hlog) }
        let chosen = format.flatMap(ReportFormat.init(rawValue:)) ?? (view == .timeSeries ? .csv : .table)
        print(try ReportRenderer.render(report, view: view, format: chosen), terminator: "")
        if let csv { Self.printError("wrote \(report.overall.attempts) attempt rows to \(csv)") }
    }

    /// The shards of a distributed run, checked before they are merged (``ShardSet``): exits 64
    /// for shards that cannot be merged as one run.
    private func checkShards(paths: [String]) -> [String] {
        let inputs = zip(paths, runs).compactMap { path, argument -> ShardSet.Input? in
            guard let reader = try? EventLogReader(path: path) else { return nil }  // the main read says why
            return ShardSet.Input(argument: argument, header: reader.header)
        }
        do {
            return try ShardSet.check(inputs, allowPartial: allowPartial)
        } catch let error as ShardSetError {
            Self.fail(error.description, status: ExitCode.validationFailure.rawValue)
        } catch {
            Self.fail("\(error)")
        }
    }

    /// `--hlog FILE`: the runs' interval histograms, merged.
    private func writeHistogramLog(paths: [String], to file: String) {
        do {
            try MergedHistogramLog.text(paths: paths, intervalNanos: 1_000_000_000)
                .write(toFile: file, atomically: true, encoding: .utf8)
        } catch let error as EventLogError {
            Self.fail(error.description)
        } catch {
            Self.fail("cannot write \(file): \(error.localizedDescription)")
        }
        Self.printError("wrote the merged interval histograms to \(file)")
    }

    /// `--html FILE`: the page of the runs (merged, or overlaid with --compare).
    private func writeHTML(_ report: HTMLReport, to file: String) {
        do {
            try HTMLPage.render(report).write(toFile: file, atomically: true, encoding: .utf8)
        } catch {
            Self.fail("cannot write \(file): \(error.localizedDescription)")
        }
        Self.printError("wrote the HTML report to \(file)")
    }

    /// Prints `message` and exits: 1 for a log that cannot be read, 64 for arguments that cannot be used.
    static func fail(_ message: String, status: Int32 = 1) -> Never {
        printError(message)
        Foundation.exit(status)
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("loadreport: \(message)\n".utf8))
    }
}
