/// The charts over time, per second (or per few seconds for long runs): offered, sent and
/// succeeded rates; requests in flight; 429s and other errors; TTFT p50 and p99; output tokens/s.
/// Stage starts are marked on each.
enum TimeSeriesCharts {
    /// At most this many points per line: longer runs are drawn in buckets of whole seconds.
    static let maxPoints = 600

    /// A bucket of consecutive rows.
    struct Bucket {
        var midSeconds: Double
        var offered: Double
        var started: Double
        var successes: Double
        var http429: Double
        var otherErrors: Double
        /// Requests in flight at the bucket's end.
        var inFlight: Double
        /// Mean of the rows' TTFT p50, highest of their p99 (percentiles do not add up).
        var ttftP50Millis: Double?
        var ttftP99Millis: Double?
        var outputTokensPerSecond: Double
    }

    /// The rows in buckets of `rowsPerBucket`, counts turned into rates per second.
    static func buckets(_ series: TimeSeries, rowsPerBucket: Int) -> [Bucket] {
        stride(from: 0, to: series.rows.count, by: rowsPerBucket).map { start in
            let rows = series.rows[start..<min(start + rowsPerBucket, series.rows.count)]
            let seconds = Double(rows.count) * series.intervalSeconds
            func rate(_ value: (TimeSeries.Row) -> Int) -> Double { Double(rows.reduce(0) { $0 + value($1) }) / seconds }
            let p50s = rows.compactMap(\.ttftP50Millis)
            return Bucket(
                midSeconds: rows.first!.startSeconds + seconds / 2, offered: rate(\.offered), started: rate(\.started),
                successes: rate(\.successes), http429: rate(\.http429), otherErrors: rate(\.otherErrors),
                inFlight: Double(rows.last!.inFlight),
                ttftP50Millis: p50s.isEmpty ? nil : p50s.reduce(0, +) / Double(p50s.count),
                ttftP99Millis: rows.compactMap(\.ttftP99Millis).max(),
                outputTokensPerSecond: rows.reduce(0) { $0 + $1.outputTokensPerSecond } / Double(rows.count))
        }
    }

    /// Rows per bucket for a series of `count` rows.
    static func rowsPerBucket(_ count: Int) -> Int { max(1, (count + maxPoints - 1) / maxPoints) }

    static func charts(_ report: HTMLReport) -> [Chart] {
        let longest = report.runs.map { $0.timeSeries?.rows.count ?? 0 }.max() ?? 0
        let perBucket = rowsPerBucket(longest)
        let interval = report.runs.first?.timeSeries?.intervalSeconds ?? 1
        let seconds = interval * Double(perBucket)
        let bucketText = "per \(Format.fixed(seconds, seconds == seconds.rounded() ? 0 : 3)) s"
            + (perBucket == 1 ? "" : " bucket (a long run)")
        let runs = report.runs.map { run in (run, run.timeSeries.map { buckets($0, rowsPerBucket: perBucket) } ?? []) }
        let stageMarkers = markers(report.runs.first?.stages ?? [])
        let compare = report.isComparison
        // One time axis for every chart, to the end of the longest run (lines without data at the
        // end, such as TTFT, would otherwise end their axis early).
        let end = Double(longest) * interval
        let x = ChartAxis(label: "time since the run's start (s)", minimum: 0,
                          maximum: end > 0 ? ChartTicks.linear(low: 0, high: end).last : nil)

        func chart(_ id: String, _ title: String, _ unit: String, _ caption: String,
                   _ lines: [(String, (Bucket) -> Double?)]) -> Chart {
            var series: [ChartSeries] = []
            for (runIndex, (run, buckets)) in runs.enumerated() {
                for (lineIndex, (label, value)) in lines.enumerated() {
                    let style: ChartLineStyle
                    if compare {
                        style = lineIndex == 0 ? .palette(runIndex) : ChartLineStyle.palette(runIndex).twin
                    } else {
                        style = .palette(lineIndex)
                    }
                    let name = compare ? (lines.count > 1 ? "\(run.name) \(label)" : run.name) : label
                    series.append(ChartSeries(
                        label: name, points: buckets.map { ChartSeries.Point(x: $0.midSeconds, y: value($0)) },
                        style: style))
                }
            }
            return Chart(id: id, title: title, caption: caption + " Points \(bucketText); dotted verticals mark the stages.",
                         x: x, y: ChartAxis(label: unit), series: series, verticalMarkers: stageMarkers)
        }

        let loadLines: [(String, (Bucket) -> Double?)] = compare
            ? [("succeeded", { $0.successes }), ("offered", { $0.offered })]
            : [("offered", { $0.offered }), ("sent", { $0.started }), ("succeeded", { $0.successes })]
        return [
            chart("time-load", "Offered, sent and succeeded requests", "requests/s",
                  "Offered: arrivals the schedule made (by intended start, dropped ones included); sent: attempts "
                    + "started (retries included); succeeded: attempts that ended successfully (by end)."
                    + (compare ? " Compared runs show succeeded (solid) and offered (dotted twin)." : ""),
                  loadLines),
            chart("time-in-flight", "Requests in flight", "requests",
                  "Attempts started and not yet ended at each bucket's end.", [("in flight", { $0.inFlight })]),
            chart("time-errors", "429s and other errors", "attempts/s",
                  "Attempts answered 429, and attempts failing otherwise, by their end.",
                  [("429s", { $0.http429 }), ("other errors", { $0.otherErrors })]),
            chart("time-ttft", "Time to first token over time", "TTFT (ms)",
                  "TTFT p99 and p50 of the successful attempts started in each interval (2 significant digits; "
                    + "for buckets of several intervals, the highest p99 and the mean p50).",
                  [("p99", { $0.ttftP99Millis }), ("p50", { $0.ttftP50Millis })]),
            chart("time-tokens", "Output tokens per second", "output tokens/s",
                  "Output tokens of successful attempts, counted when each token arrived.",
                  [("output tokens/s", { $0.outputTokensPerSecond })]),
        ]
    }

    /// A dotted vertical line at each stage's start (the first only when it has a label).
    static func markers(_ stages: [RunHeader.Stage]) -> [ChartMarker] {
        stages.enumerated().compactMap { index, stage in
            if index == 0 && stage.startNanos == 0 && stages.count == 1 { return nil }
            let label = stage.label.isEmpty ? "stage \(index)" : "\(index): \(stage.label)"
            return ChartMarker(value: Double(stage.startNanos) / 1e9, label: label)
        }
    }
}
