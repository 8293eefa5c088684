/// The latency-by-percentile charts (HdrHistogram's plot): TTFT, inter-token and total time, each
/// from the actual start and (when the report shows it) from the intended start.
enum LatencyCharts {
    /// (chart id, title, metric from the actual start, its intended-start twin).
    static let panels: [(id: String, title: String, actual: LatencyMetric, intended: LatencyMetric?)] = [
        ("latency-ttft", "Time to first token by percentile", .ttft, .ttftFromIntended),
        ("latency-inter-token", "Inter-token time by percentile", .interToken, nil),
        ("latency-total", "Total time by percentile", .total, .totalFromIntended),
    ]

    static func charts(_ report: HTMLReport) -> [Chart] {
        let showsIntended = report.runs.contains(where: \.showsIntendedStart)
        return panels.map { panel in
            var series: [ChartSeries] = []
            for (index, run) in report.runs.enumerated() {
                let base = ChartLineStyle.palette(index)
                let prefix = report.isComparison ? run.name + " " : ""
                series.append(line(run, panel.actual, label: prefix + "from start", style: base))
                if showsIntended, let intended = panel.intended {
                    let style = report.isComparison ? base.twin : ChartLineStyle.palette(1)
                    series.append(line(run, intended, label: prefix + "from intended start", style: style))
                }
            }
            var caption = "\(panel.actual.label) of successful attempts at each percentile, the percentile axis "
                + "stretched as 1/(1-p) (HdrHistogram's plot): each step right is ten times rarer. "
            if showsIntended && panel.intended != nil {
                caption += "From intended start: as a user arriving on schedule waits (includes the schedule lag). "
            }
            caption += "Points mark p50, p90, p99, p99.9, p99.99 and the maximum; the curve stops at the "
                + "percentile the number of values resolves."
            return Chart(id: panel.id, title: panel.title, caption: caption,
                         x: ChartAxis(label: "percentile", scale: .percentile),
                         y: ChartAxis(label: "\(panel.actual.label) (ms)"), series: series)
        }
    }

    private static func line(_ run: HTMLReportRun, _ metric: LatencyMetric, label: String, style: ChartLineStyle)
        -> ChartSeries
    {
        guard let curve = run.curves[metric] else { return ChartSeries(label: label, points: [], style: style) }
        return ChartSeries(
            label: label, points: curve.points.map { ChartSeries.Point(x: $0.position, y: $0.value) }, style: style,
            annotatedPoints: curve.keyPoints.map {
                ($0.position, $0.value, "\(label) \(metric.label) \($0.name): \(ChartTicks.value($0.value)) ms")
            })
    }
}
