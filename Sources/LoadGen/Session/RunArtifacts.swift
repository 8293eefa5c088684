import Foundation
import LoadCore
import LoadEngine

/// Writes a run's directory: `profile.resolved.yaml` and a first `run.json` when the run starts,
/// `events.ndjson` as attempts finish, and the summaries, histograms and final `run.json` at the end.
final class RunArtifacts {
    let directory: RunDirectory
    let header: RunHeader
    private let profilePath: String
    private let eventLog: EventLogWriter
    /// The first failed write of the event log, if one failed; later lines are not written.
    private(set) var eventLogFailure: Error?

    /// Creates the run directory and writes what is known before the first request.
    /// - Throws: ``CLIError`` when the directory or a file cannot be written.
    init(parent: String, profile: Profile, profilePath: String, header: RunHeader) throws {
        directory = try RunDirectory.create(parent: parent, profileName: profile.name, startedAt: header.startedAt)
        self.header = header
        self.profilePath = profilePath
        try directory.write("profile.resolved.yaml", profile.resolvedYAML())
        eventLog = try EventLogWriter(path: directory.file("events.ndjson"), header: header)
        try directory.write("run.json", RunMetadata.render(
            header: header, profilePath: profilePath, outcome: nil, endedAt: nil, files: []))
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
        header.promptSets = zip(profile.prompts, promptMix.setRanges).map { set, range in
            RunHeader.PromptSetRange(name: set.name, first: range.lowerBound, count: range.count)
        }
        return header
    }

    /// Appends a finished attempt to the event log (nothing after a failed write).
    func append(_ attempt: AttemptRecord) {
        guard eventLogFailure == nil else { return }
        do { try eventLog.append(attempt) } catch { eventLogFailure = error }
    }

    /// Appends a dropped arrival to the event log (nothing after a failed write).
    func appendDropped(intendedNanos: UInt64) {
        guard eventLogFailure == nil else { return }
        do { try eventLog.appendDropped(intendedNanos: intendedNanos) } catch { eventLogFailure = error }
    }

    /// Hands the event log's buffered lines to its writer thread (each progress tick, every 500 ms),
    /// so that a killed run loses at most the last half second or so.
    func handOffEventLog() {
        guard eventLogFailure == nil else { return }
        do { try eventLog.handOffBuffered() } catch { eventLogFailure = error }
    }

    /// Ends the event log with its end line and closes it.
    /// - Throws: ``CLIError`` when a write of the log failed, now or earlier.
    func closeEventLog(endNanos: UInt64) throws {
        try eventLog.appendEnd(endNanos: endNanos)
        try eventLog.close()
        if let eventLogFailure {
            throw CLIError("writing \(directory.file("events.ndjson")) failed: \(eventLogFailure)")
        }
    }

    /// The files written at the end: `summary.txt` (the table, returned), `summary.json`, one
    /// `.hgrm` per metric, `histograms.hlog` and the final `run.json`.
    func writeSummaries(
        recorder: RunRecorder, outcome: RunOutcome, profile: Profile, usage: (before: ResourceUsage, after: ResourceUsage)
    ) throws -> String {
        let summary = Summary(recorder: recorder)
        let table = SummaryTable.render(recorder)
        try directory.write("summary.txt", table)
        try directory.write(
            "summary.json",
            SummaryJSON.render(
                summary: summary, outcome: outcome, recorder: recorder, profileName: profile.name,
                cpuSeconds: usage.after.cpuSeconds - usage.before.cpuSeconds,
                startRSSKiB: usage.before.currentRSSKiB, peakRSSKiB: usage.after.peakRSSKiB))
        let histogramFiles = recorder.hgrmFiles()
        for (name, text) in histogramFiles {
            try directory.write(name, text)
        }
        try directory.write("histograms.hlog", recorder.histogramLog(
            startedAt: header.startedAt, runName: (directory.path as NSString).lastPathComponent))
        try directory.write("run.json", RunMetadata.render(
            header: header, profilePath: profilePath, outcome: outcome, endedAt: Date(),
            files: ["events.ndjson", "histograms.hlog", "profile.resolved.yaml", "run.json", "summary.json",
                    "summary.txt"] + (profile.thresholds.isEmpty ? [] : ["thresholds.json"])
                + histogramFiles.keys.sorted()))
        return table
    }
}
