/// The client check in the event log's end line, so that `loadreport` shows the verdict `loadgen`
/// gave (docs/event-log.md, "Last line"):
///
///     "client":{"verdict":"saturated","reasons":["loop busy 97 %"],"loop_busy":0.97,
///               "start_lag_p90_ms":0.4,"start_lag_p99_ms":38.2,"client_fds_errors":0,
///               "client_ports_errors":0,"peak_rss_kb":81234,"memory_kb":8000000,
///               "open_file_limit":20000,"descriptors_needed":1100}
///
/// Figures that were unknown are left out.
extension ClientCheck {
    func encode(into line: inout JSONLineBuffer) {
        line.key("client")
        line.beginNestedObject()
        line.field("verdict", verdict.rawValue)
        line.field("reasons", reasons)
        if let busy = figures.loopBusyFraction { line.field("loop_busy", Self.rounded(busy, 4)) }
        if let workers = figures.loopBusyByWorker { line.field("loop_busy_workers", workers.map { Self.rounded($0, 4) }) }
        if let lag = figures.startLagP90Millis { line.field("start_lag_p90_ms", Self.rounded(lag, 3)) }
        if let lag = figures.startLagP99Millis { line.field("start_lag_p99_ms", Self.rounded(lag, 3)) }
        if let delay = figures.measurementDelayP99Millis { line.field("measurement_delay_p99_ms", Self.rounded(delay, 3)) }
        line.field("client_fds_errors", figures.clientFDErrors)
        line.field("client_ports_errors", figures.clientPortErrors)
        if let rss = figures.peakRSSKiB { line.field("peak_rss_kb", rss) }
        if let memory = figures.physicalMemoryKiB { line.field("memory_kb", memory) }
        if let limit = figures.openFileLimit, limit < Int.max { line.field("open_file_limit", limit) }
        if let needed = figures.descriptorsNeeded { line.field("descriptors_needed", needed) }
        line.endNestedObject()
    }

    /// Reads the end line's `client` object. - Throws: a reason when its verdict is missing or unknown.
    init(eventObject object: JSONValue) throws {
        guard let raw = object["verdict"]?.stringValue, let verdict = Verdict(rawValue: raw) else {
            throw EventDecodingProblem("client.verdict must be \"ok\" or \"saturated\"")
        }
        let reasons = object["reasons"]?.arrayValue?.compactMap(\.stringValue) ?? []
        var figures = ClientFigures()
        figures.loopBusyFraction = object["loop_busy"]?.doubleValue
        figures.loopBusyByWorker = object["loop_busy_workers"]?.arrayValue.map { $0.compactMap(\.doubleValue) }
        figures.startLagP90Millis = object["start_lag_p90_ms"]?.doubleValue
        figures.startLagP99Millis = object["start_lag_p99_ms"]?.doubleValue
        figures.measurementDelayP99Millis = object["measurement_delay_p99_ms"]?.doubleValue
        figures.clientFDErrors = object["client_fds_errors"]?.intValue ?? 0
        figures.clientPortErrors = object["client_ports_errors"]?.intValue ?? 0
        figures.peakRSSKiB = object["peak_rss_kb"]?.intValue
        figures.physicalMemoryKiB = object["memory_kb"]?.intValue
        figures.openFileLimit = object["open_file_limit"]?.intValue
        figures.descriptorsNeeded = object["descriptors_needed"]?.intValue
        self.init(verdict: verdict, reasons: reasons, figures: figures)
    }

    private static func rounded(_ value: Double, _ decimals: Int) -> Double {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}
