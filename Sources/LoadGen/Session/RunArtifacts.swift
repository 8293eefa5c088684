import Foundation
import LoadCore
import LoadEngine

/// Writes a run's directory: `profile.resolved.yaml` and a first `run.json` when the run starts,
/// `events.ndjson` as attempts finish, and the summaries, histograms and final `run.json` at the end.
final class RunArtifacts {
    let directory: RunDirectory
    let header: RunHeader
    private let profilePath: String
    /// The engines the run uses (`--workers`), recorded in run.json.
    private let workers: Int
    private let eventLog: EventLogWriter
    /// The first failed write of the event log (the system's text), if one failed; later lines are
    /// not written.
    private(set) var eventLogFailure: String?
    /// Called once, on the loop thread, when the event log's first failed write comes to light
    /// (with the system's text, e.g. "No space left on device").
    var onEventLogFailure: ((String) -> Void)?
    /// Record lines handed to the log (attempts, and dropped lines that may count several arrivals),
    /// written or not.
    private(set) var records = 0
    /// The attempts' 429s, for the direct answer under the summary (``Throttling``).
    private let throttling: ThrottlingWatch

    /// Creates the run directory and writes what is known before the first request.
    /// - Throws: ``CLIError`` when the directory or a file cannot be written.
    /// - Parameters:
    ///   - parent: the directory that receives a new run directory.
    ///   - exactly: the run directory itself (`--run-dir`), instead of a new one under `parent`.
    init(parent: String, exactly: String? = nil, profile: Profile, profilePath: String, header: RunHeader,
         workers: Int) throws {
        if let exactly {
            directory = try RunDirectory.create(exactly: exactly)
        } else {
            // Shards of one run share the start and the profile: each gets its own, named directory.
            let name = header.shard.map { "\(profile.name)-shard-\($0.index)of\($0.count)" } ?? profile.name
            directory = try RunDirectory.create(parent: parent, profileName: name, startedAt: header.startedAt)
        }
        self.header = header
        self.profilePath = profilePath
        self.workers = workers
        throttling = ThrottlingWatch(stages: header.stages)
        try directory.write("profile.resolved.yaml", profile.resolvedYAML())
        eventLog = try EventLogWriter(path: directory.file("events.ndjson"), header: header)
        try directory.write("run.json", RunMetadata.render(
            header: header, profilePath: profilePath, outcome: nil, endedAt: nil, files: [], workers: workers))
    }

    /// The header of a run of `profile` starting now.
    static func header(profile: Profile, promptMix: PromptMix, command: [String], startedAt: Date) -> RunHeader {
        var header = RunHeader(
            profile: profile.name, startedAt: startedAt, loadgenVersion: LoadGenVersion.current,
            curlVersion: EngineVersions.curl, uvVersion: EngineVersions.uv, seed: profile.seed,
            command: command, mode: profile.load.mode.rawValue)
        header.provider = profile.target.provider.rawValue
        header.model = profile.target.model
        header.host = ProcessInfo.processInfo.hostName
        header.stages = StageTimeline(load: profile.load).stages
        header.profileHash = ProfileHash.of(resolvedYAML: profile.resolvedYAML())
        header.promptSets = zip(profile.prompts, promptMix.setRanges).map { set, range in
            RunHeader.PromptSetRange(name: set.name, first: range.lowerBound, count: range.count)
        }
        return header
    }

    /// Appends a finished attempt to the event log (nothing after a failed write).
    func append(_ attempt: AttemptRecord) {
        records += 1
        throttling.record(attempt)
        writeToEventLog { try $0.append(attempt) }
    }

    /// Appends dropped arrivals to the event log, one line (nothing after a failed write).
    func appendDropped(_ drops: DroppedArrivals) {
        records += 1
        throttling.recordDropped(drops)
        writeToEventLog { try $0.appendDropped(drops) }
    }

    /// Hands the event log's buffered lines to its writer thread (each progress tick, every 500 ms),
    /// so that a killed run loses at most the last half second or so; notices a failed write.
    func handOffEventLog() {
        writeToEventLog { try $0.handOffBuffered() }
    }

    private func writeToEventLog(_ write: (EventLogWriter) throws -> Void) {
        guard eventLogFailure == nil else { return }
        do {
            try write(eventLog)
        } catch {
            let reason = eventLog.writeFailure ?? "\(error)"
            eventLogFailure = reason
            onEventLogFailure?(reason)
        }
    }

    /// What a failed event log lost: records handed to it that are not whole lines in the file.
    struct EventLogLoss: Equatable {
        var reason: String
        var lost: Int
        var onDisk: Int
    }

    /// Ends the event log with its end line and closes it.
    /// - Returns: the loss, when a write failed (now or earlier); nil when every line is in the file.
    /// - Parameter client: the client self-check, written into the end line for `loadreport`.
    func closeEventLog(endNanos: UInt64, client: ClientCheck? = nil) -> EventLogLoss? {
        writeToEventLog { try $0.appendEnd(endNanos: endNanos, client: client) }
        do {
            try eventLog.close()
        } catch {
            if eventLogFailure == nil { eventLogFailure = eventLog.writeFailure ?? "\(error)" }
        }
        guard let eventLogFailure else { return nil }
        // The header comes first, then the records: whole lines past the header are records.
        let onDisk = min(max(eventLog.linesWritten - 1, 0), records)
        return EventLogLoss(reason: eventLogFailure, lost: records - onDisk, onDisk: onDisk)
    }

    /// The event log's path.
    var eventLogPath: String { directory.file("events.ndjson") }

    /// The files written at the end: `summary.txt`, `summary.json`, one `.hgrm` per metric,
    /// `histograms.hlog` and the final `run.json`. Each is tried, so that a full disk costs only
    /// the files it refuses.
    /// - Returns: the summary table, and the errors of the files that could not be written.
    func writeSummaries(
        recorder: RunRecorder, intervals: IntervalHistogramLog? = nil, outcome: RunOutcome, profile: Profile,
        usage: (before: ResourceUsage, after: ResourceUsage), client: ClientCheck? = nil
    ) -> (table: String, failures: [String]) {
        var failures: [String] = []
        func write(_ name: String, _ text: () throws -> String) {
            do {
                try directory.write(name, try text())
            } catch {
                failures.append("\(error)")
            }
        }
        let answer = throttling.answer
        let table = SummaryTable.render(recorder, throttling: answer, client: client)
        write("summary.txt") { table }
        write("summary.json") {
            try SummaryJSON.render(
                report: SummaryJSON.report(recorder: recorder, header: header, eventsPath: directory.file("events.ndjson"),
                                           throttling: answer, client: client),
                outcome: outcome, cpuSeconds: usage.after.cpuSeconds - usage.before.cpuSeconds,
                startRSSKiB: usage.before.currentRSSKiB, peakRSSKiB: usage.after.peakRSSKiB)
        }
        let histogramFiles = recorder.hgrmFiles()
        for (name, text) in histogramFiles {
            write(name) { text }
        }
        write("histograms.hlog") {
            let runName = (directory.path as NSString).lastPathComponent
            return intervals?.text(startedAt: header.startedAt, runName: runName)
                ?? recorder.histogramLog(startedAt: header.startedAt, runName: runName)
        }
        write("run.json") {
            try RunMetadata.render(
                header: header, profilePath: profilePath, outcome: outcome, endedAt: Date(),
                files: ["events.ndjson", "histograms.hlog", "profile.resolved.yaml", "run.json", "summary.json",
                        "summary.txt"] + (profile.thresholds.isEmpty ? [] : ["thresholds.json"])
                    + histogramFiles.keys.sorted(), workers: workers)
        }
        return (table, failures)
    }
}
