/// A sweep drawn: throughput against offered load, latency against throughput, goodput per step,
/// with the knee and the SLO capacity (and its bracket) marked.
enum SweepCharts {
    static func charts(_ sweep: SweepResult) -> [Chart] {
        let steps = sweep.steps.sorted { $0.offeredPerSecond < $1.offeredPerSecond }
        func points(_ x: (SweepResult.Step) -> Double, _ y: (SweepResult.Step) -> Double?) -> [ChartSeries.Point] {
            steps.map { ChartSeries.Point(x: x($0), y: y($0)) }
        }
        var capacityMarkers: [ChartMarker] = []
        if let knee = sweep.kneePerSecond {
            capacityMarkers.append(ChartMarker(value: knee, label: "knee \(ChartTicks.value(knee))/s", emphasized: true))
        }
        if let slo = sweep.sloPerSecond {
            capacityMarkers.append(ChartMarker(value: slo, label: "SLO capacity \(ChartTicks.value(slo))/s", emphasized: true))
        }
        let bands = sweep.sloBracket.map {
            [ChartBand(from: $0.lowerBound, to: $0.upperBound,
                       label: "SLO bracket \(ChartTicks.value($0.lowerBound))-\(ChartTicks.value($0.upperBound))/s")]
        } ?? []
        let highest = steps.map { max($0.offeredPerSecond, $0.achievedPerSecond) }.max() ?? 1
        let throughput = Chart(
            id: "sweep-throughput", title: "Throughput against offered load",
            caption: "Each step's achieved rate (attempts sent per second) and successful requests per second "
                + "against the load offered; the grey diagonal is achieved = offered. The knee is the highest "
                + "sustained throughput; the SLO capacity the highest load meeting every SLO, shaded its bracket.",
            x: ChartAxis(label: "offered (requests/s)"), y: ChartAxis(label: "requests/s"),
            series: [
                ChartSeries(label: "offered = achieved", points: [.init(x: 0, y: 0), .init(x: highest, y: highest)],
                            style: ChartLineStyle(color: "#999999", dash: "2 4", width: 1, marker: .circle)),
                ChartSeries(label: "achieved", points: points(\.offeredPerSecond, \.achievedPerSecond),
                            style: .palette(0), showsMarkers: true),
                ChartSeries(label: "ok/s", points: points(\.offeredPerSecond, \.okPerSecond),
                            style: .palette(1), showsMarkers: true),
            ],
            verticalMarkers: capacityMarkers, bands: bands)
        var latencySeries = [
            ChartSeries(label: "TTFT p99", points: points(\.okPerSecond, \.ttftP99Millis), style: .palette(0),
                        showsMarkers: true),
        ]
        if steps.contains(where: { $0.interTokenP99Millis != nil }) {
            latencySeries.append(ChartSeries(label: "inter-token p99", points: points(\.okPerSecond, \.interTokenP99Millis),
                                             style: .palette(2), showsMarkers: true))
        }
        if steps.contains(where: { $0.ttftP50Millis != nil }) {
            latencySeries.append(ChartSeries(label: "TTFT p50", points: points(\.okPerSecond, \.ttftP50Millis),
                                             style: .palette(1), showsMarkers: true))
        }
        let latency = Chart(
            id: "sweep-latency", title: "Latency against throughput",
            caption: "Each step's TTFT p99 (and p50, inter-token p99) against its successful requests per second: "
                + "latency climbs steeply where the target saturates. The horizontal line is the TTFT p99 SLO.",
            x: ChartAxis(label: "successful requests/s"), y: ChartAxis(label: "ms"), series: latencySeries,
            verticalMarkers: sweep.kneePerSecond.map { [ChartMarker(value: $0, label: "knee", emphasized: true)] } ?? [],
            horizontalMarkers: sweep.ttftP99SLOMillis.map {
                [ChartMarker(value: $0, label: "SLO TTFT p99 \(ChartTicks.value($0)) ms", emphasized: true)]
            } ?? [])
        var goodputSeries = [
            ChartSeries(label: "429s %", points: points(\.offeredPerSecond) { 100 * $0.http429Share },
                        style: .palette(1), showsMarkers: true),
            ChartSeries(label: "other errors %", points: points(\.offeredPerSecond) { 100 * $0.errorShare },
                        style: .palette(3), showsMarkers: true),
        ]
        if steps.contains(where: { $0.goodput != nil }) {
            goodputSeries.insert(ChartSeries(label: "goodput %", points: points(\.offeredPerSecond) { $0.goodput.map { 100 * $0 } },
                                             style: .palette(0), showsMarkers: true), at: 0)
        }
        let goodput = Chart(
            id: "sweep-goodput", title: "Goodput and errors per step",
            caption: "Goodput: the share of a step's requests meeting every per-request SLO; and the shares of "
                + "attempts answered 429 or failing otherwise.",
            x: ChartAxis(label: "offered (requests/s)"), y: ChartAxis(label: "% of requests", minimum: 0, maximum: 100),
            series: goodputSeries, verticalMarkers: capacityMarkers, bands: bands)
        return [throughput, latency, goodput]
    }
}
