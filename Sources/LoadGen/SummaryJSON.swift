import Foundation
import LoadCore
import LoadEngine

/// `summary.json`: the report's JSON document (``ReportRenderer/json(_:)``, the same keys and values
/// as `loadreport RUN --format json`; docs/report.md, "The JSON document") plus a `loadgen` section
/// with what only the run itself knows: its outcome, CPU time and memory (and `capacity` for a sweep).
enum SummaryJSON {
    /// The document of a run recorded live.
    /// - Parameters:
    ///   - recorder: every attempt of the run.
    ///   - header: the event log's header.
    ///   - eventsPath: the event log, named in `runs` as `loadreport` names it.
    ///   - throttling: the answer of a run that met 429s (``ThrottlingWatch``).
    ///   - client: the client self-check (`client`), as the event log's end line has it.
    static func report(recorder: RunRecorder, header: RunHeader, eventsPath: String, throttling: Throttling?,
                       client: ClientCheck? = nil) -> Report {
        var run = RunInfo(name: RunInfo.name(forEventsPath: eventsPath), path: eventsPath, header: header)
        run.attempts = recorder.attempts
        run.complete = true
        var report = Report(recorder: recorder, runs: [run])
        report.throttling = throttling
        report.client = client
        return report
    }

    /// The document of a finished event log, read as `loadreport` reads it (a sweep's, whose
    /// header is rewritten at its end).
    static func report(eventsPath: String) throws -> Report {
        let accumulator = ReportAccumulator()
        try ReportInputs.read(paths: [eventsPath], into: accumulator)
        return accumulator.report()
    }

    /// The file's text.
    /// - Parameter capacity: `loadgen sweep`'s result (CapacityText.object), under `capacity`.
    static func render(
        report: Report, outcome: RunOutcome, cpuSeconds: Double, startRSSKiB: Int, peakRSSKiB: Int,
        capacity: [String: Any]? = nil
    ) throws -> String {
        var report = report
        report.loadgen = RunEndFigures(
            started: outcome.started, cancelled: outcome.cancelled, neverStarted: outcome.neverStarted,
            dropped: outcome.dropped, retries: outcome.retries, peakInFlight: outcome.peakInFlight,
            interrupted: outcome.interruptedBySignal != nil, stopReason: outcome.stopReason,
            clientCPUSeconds: cpuSeconds, startRSSKiB: startRSSKiB, peakRSSKiB: peakRSSKiB)
        let text = try ReportRenderer.json(report)
        guard let capacity else { return text }
        guard var object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return text }
        object["capacity"] = capacity
        let data = try JSONSerialization.data(
            withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
