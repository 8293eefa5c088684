import Foundation
import LoadCore
import LoadEngine

/// One run of a profile, from the prepared engine to the exit status: wires the engine's callbacks
/// to the recorder, the monitor (display, thresholds, early stops), the cost budget and the event
/// log; runs; writes the artifacts; prints the summary and the verdict. `loadgen run` is a thin
/// shell around it, and tests drive it in-process.
final class RunSession {
    let profile: Profile
    let settings: RunSettings
    private let console: RunConsole

    /// - Parameters:
    ///   - profile: the validated profile, overrides applied.
    ///   - settings: the run flags and the environment.
    ///   - console: where the report and the notes go.
    init(profile: Profile, settings: RunSettings, console: RunConsole = .standard) {
        self.profile = profile
        self.settings = settings
        self.console = console
    }

    /// Runs the profile to its end.
    /// - Returns: the exit status the run calls for, with its directory and figures.
    /// - Throws: ``CLIError`` when something fails before the first request (nothing is written then)
    ///   or when a file of the run directory cannot be written.
    func run() throws -> RunResult {
        // A peer closing a socket must be an error result, never a signal that kills the run.
        signal(SIGPIPE, SIG_IGN)
        // Everything that can fail before the first request fails before the run directory exists.
        let prepared = try PreparedRun(profile: profile, settings: settings)
        defer { prepared.shutDown() }
        let engine = prepared.engine
        let header = RunArtifacts.header(profile: profile, promptMix: prepared.promptMix, command: settings.command,
                                         startedAt: Date())
        let artifacts = try RunArtifacts(parent: settings.outputParent, profile: profile,
                                         profilePath: settings.profilePath, header: header)
        let recorder = RunRecorder()
        let display = RunDisplay(mode: settings.displayMode ?? DisplayMode.detect(quiet: settings.quiet),
                                 verbose: settings.verbose, profile: profile,
                                 secrets: [prepared.apiKey].compactMap { $0 })
        let monitor = RunMonitor(engine: engine, recorder: recorder, display: display,
                                 thresholds: profile.thresholds.isEmpty ? nil : ThresholdTracker(
                                     thresholds: profile.thresholds, maxRequests: profile.requestBound),
                                 graceNanos: profile.limits.graceNanos)
        wire(engine: engine, prepared: prepared, recorder: recorder, monitor: monitor, artifacts: artifacts)
        if !settings.quiet {
            let target = profile.target.provider == .mock ? "the embedded mock (\(prepared.baseURL))" : prepared.baseURL
            console.err("loadgen: running \(profile.name) against \(target)")
            console.err("loadgen: " + prepared.pricing.description)
        }

        let usageBefore = ResourceUsage.now()
        let outcome = try engine.run()
        let usage = (before: usageBefore, after: ResourceUsage.now())
        display.finish(monitor.lastProgress, recorder: recorder)

        try artifacts.closeEventLog(endNanos: outcome.elapsedNanos)
        let table = try artifacts.writeSummaries(recorder: recorder, outcome: outcome, profile: profile, usage: usage)
        let summary = Summary(recorder: recorder)
        console.out(table.hasSuffix("\n") ? String(table.dropLast()) : table)
        RunEndNotes.lines(outcome: outcome, summary: summary, plan: prepared.plan, usage: usage,
                          embeddedMock: prepared.hasEmbeddedMock).forEach(console.out)
        if outcome.loopCloseStatus != 0 {
            console.err("loadgen: warning: the event loop closed with handles still open (\(outcome.loopCloseStatus))")
        }
        var status = try RunVerdict.report(
            monitor: monitor, recorder: recorder, outcome: outcome, profile: profile, directory: artifacts.directory,
            url: prepared.template.url, console: console)
        console.out("run directory: \(artifacts.directory.path)")
        console.out("report again:  loadreport \(artifacts.directory.path)")
        if let signal = outcome.interruptedBySignal {
            console.out("interrupted by signal \(signal): \(outcome.cancelled) cancelled, \(outcome.neverStarted) never started")
            status = ExitStatus.interrupted
        }
        return RunResult(exitStatus: status, directory: artifacts.directory.path, outcome: outcome, summary: summary)
    }

    /// Connects the engine's callbacks (all on its loop thread) to what consumes them.
    private func wire(engine: Engine, prepared: PreparedRun, recorder: RunRecorder, monitor: RunMonitor,
                      artifacts: RunArtifacts) {
        engine.handlesSignals = settings.handlesSignals
        let stageTimeline = StageTimeline(load: profile.load)
        let calculator = prepared.pricing.calculator
        var budget = CostBudgetWatch(budget: prepared.pricing.budget)
        let quiet = settings.quiet
        let console = self.console
        engine.onAttempt = { [unowned engine] finished in
            var attempt = finished
            attempt.stage = stageTimeline.stageIndex(atNanos: attempt.intendedStartNanos)
            attempt.costUSD = calculator.costUSD(of: attempt)
            if let reason = budget.add(costUSD: attempt.costUSD, inFlight: engine.inFlightCount) {
                if !quiet { console.err("\nloadgen: stopping new requests: \(reason)") }
                engine.stopArrivals(reason: reason)
            }
            recorder.record(attempt)
            monitor.attempt(attempt)
            artifacts.append(attempt)
        }
        engine.onDropped = { intendedNanos in
            monitor.droppedArrival()
            artifacts.appendDropped(intendedNanos: intendedNanos)
        }
        engine.tickIntervalMillis = 500
        engine.onTick = { progress in
            artifacts.handOffEventLog()
            monitor.tick(progress)
        }
    }
}
