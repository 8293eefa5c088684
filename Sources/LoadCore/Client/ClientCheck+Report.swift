/// The client check in the report's JSON document (`client`, docs/report.md) and across runs.
extension ClientCheck: Encodable {
    enum CodingKeys: String, CodingKey {
        case verdict, reasons, loopBusy = "loop_busy", loopBusyWorkers = "loop_busy_workers", startLagP90 = "start_lag_p90_ms"
        case startLagP99 = "start_lag_p99_ms", measurementDelayP99 = "measurement_delay_p99_ms"
        case clientFDErrors = "client_fds_errors", clientPortErrors = "client_ports_errors"
        case peakRSS = "peak_rss_kb", memory = "memory_kb", openFileLimit = "open_file_limit"
        case descriptorsNeeded = "descriptors_needed"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(verdict.rawValue, forKey: .verdict)
        try container.encode(reasons, forKey: .reasons)
        try container.encodeIfPresent(figures.loopBusyFraction, forKey: .loopBusy)
        try container.encodeIfPresent(figures.loopBusyByWorker, forKey: .loopBusyWorkers)
        try container.encodeIfPresent(figures.startLagP90Millis, forKey: .startLagP90)
        try container.encodeIfPresent(figures.startLagP99Millis, forKey: .startLagP99)
        try container.encodeIfPresent(figures.measurementDelayP99Millis, forKey: .measurementDelayP99)
        try container.encode(figures.clientFDErrors, forKey: .clientFDErrors)
        try container.encode(figures.clientPortErrors, forKey: .clientPortErrors)
        try container.encodeIfPresent(figures.peakRSSKiB, forKey: .peakRSS)
        try container.encodeIfPresent(figures.physicalMemoryKiB, forKey: .memory)
        try container.encodeIfPresent(figures.openFileLimit.flatMap { $0 < Int.max ? $0 : nil }, forKey: .openFileLimit)
        try container.encodeIfPresent(figures.descriptorsNeeded, forKey: .descriptorsNeeded)
    }

    /// The checks of several runs as one: saturated when any run was, with each reason prefixed by
    /// its run's name; the figures are the worst of the runs' (errors added up). One run: its check.
    public static func merged(_ checks: [(run: String, check: ClientCheck)]) -> ClientCheck? {
        guard let first = checks.first else { return nil }
        if checks.count == 1 { return first.check }
        var figures = ClientFigures()
        func worst(_ a: Double?, _ b: Double?) -> Double? { [a, b].compactMap { $0 }.max() }
        for (_, check) in checks {
            let other = check.figures
            figures.loopBusyFraction = worst(figures.loopBusyFraction, other.loopBusyFraction)
            figures.startLagP90Millis = worst(figures.startLagP90Millis, other.startLagP90Millis)
            figures.startLagP99Millis = worst(figures.startLagP99Millis, other.startLagP99Millis)
            figures.measurementDelayP99Millis = worst(figures.measurementDelayP99Millis, other.measurementDelayP99Millis)
            figures.clientFDErrors += other.clientFDErrors
            figures.clientPortErrors += other.clientPortErrors
            figures.peakRSSKiB = [figures.peakRSSKiB, other.peakRSSKiB].compactMap { $0 }.max()
        }
        let reasons = checks.flatMap { run, check in check.reasons.map { "\(run): \($0)" } }
        return ClientCheck(verdict: reasons.isEmpty ? .ok : .saturated, reasons: reasons, figures: figures)
    }
}
