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
    /// `limits.max_cost_usd` (loop thread during the run).
    private var costWatch = CostBudgetWatch(budget: nil)
    /// The free space left for the event log (loop thread during the run).
    private var diskWatch: DiskSpaceWatch
    /// The failures, for the one-line diagnosis of a run without a success (loop thread).
    private var failures = FailureSample()

    /// - Parameters:
    ///   - profile: the validated profile, overrides applied.
    ///   - settings: the run flags and the environment.
    ///   - console: where the report and the notes go.
    /// - Throws: ``CLIError`` when `LOADGEN_DISK_RESERVE_BYTES` is not a number of bytes.
    init(profile: Profile, settings: RunSettings, console: RunConsole = .standard) throws {
        diskWatch = try DiskSpaceWatch(environment: settings.environment)
        self.profile = profile
        self.settings = settings
        self.console = console
    }

    /// Runs the profile to its end.
    /// - Returns: the exit status the run calls for, with its directory and figures. A failed write
    ///   of the event log stops the run at once (requests in flight are cancelled); the session then
    ///   writes what it can (the summary from memory on stderr if the disk refuses it), names the
    ///   records lost and returns ``ExitStatus/failure``.
    /// - Throws: ``CLIError`` when something fails before the first request (nothing is written then)
    ///   or when the run directory cannot be created.
    func run() throws -> RunResult {
        // A peer closing a socket must be an error result, never a signal that kills the run; so
        // must a file-size limit (ulimit -f) on the run directory's files.
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
        let descriptors = DescriptorLimit.raiseSoftLimit()
        // Everything that can fail before the first request fails before the run directory exists.
        let prepared = try PreparedRun(profile: profile, settings: settings, fileLimit: descriptors.after)
        defer { prepared.shutDown() }
        if settings.verbose {
            let limit = descriptors.after == Int.max ? "unlimited" : "\(descriptors.after)"
            console.err("loadgen: open-file limit (RLIMIT_NOFILE) " + (descriptors.after > descriptors.before
                ? "raised from \(descriptors.before) to \(limit), the hard limit" : "\(limit)")
                + "; this run may need about \(prepared.descriptors.needed) at its peak")
        }
        // Lowering the default max_in_flight is worth a word with --verbose; lowering one the
        // profile set, always.
        let explicitMaxInFlight = profile.limits.maxInFlight != Profile.Limits().maxInFlight
        if let note = prepared.descriptorNote, settings.verbose || (explicitMaxInFlight && !settings.quiet) {
            console.err("loadgen: " + note)
        }
        let engines = prepared.engines
        for engine in engines { engine.loopStall = settings.loopStall }
        let group = engines.count > 1 ? WorkerGroup(engines: engines) : nil
        let controls: RunControls = group ?? prepared.engine
        if let note = ShardNote.emptySlice(profile, slice: settings.shard) { console.err("loadgen: warning: " + note) }
        var startLagNanos: UInt64 = 0
        if let startAt = settings.startAt {
            if !settings.quiet {
                let shard = settings.shard.map { "shard \($0) " } ?? ""
                console.err("loadgen: \(shard)waiting until \(ShardStamp.format(startAt)) (in "
                    + String(format: "%.1f", max(0, startAt.timeIntervalSinceNow)) + " s)")
            }
            startLagNanos = StartTime.wait(until: startAt)
        }
        var header = RunArtifacts.header(profile: profile, promptMix: prepared.promptMix, command: settings.command,
                                         startedAt: settings.startAt ?? Date())
        if let shard = settings.shard {
            header.shard = ShardStamp(index: shard.index, count: shard.count, startAt: settings.startAt,
                                      startLagNanos: startLagNanos)
        }
        let artifacts = try RunArtifacts(parent: settings.outputParent, exactly: settings.exactRunDirectory,
                                         profile: profile, profilePath: settings.profilePath, header: header,
                                         workers: engines.count)
        let recorder = RunRecorder()
        let intervals = IntervalHistogramLog(intervalNanos: settings.histogramIntervalNanos)
        let display = RunDisplay(mode: settings.displayMode ?? DisplayMode.detect(quiet: settings.quiet),
                                 verbose: settings.verbose, profile: profile,
                                 secrets: [prepared.apiKey].compactMap { $0 })
        let monitor = RunMonitor(controls: controls, recorder: recorder, display: display,
                                 thresholds: profile.thresholds.isEmpty ? nil : ThresholdTracker(
                                     thresholds: profile.thresholds, maxRequests: profile.requestBound),
                                 graceNanos: profile.limits.graceNanos)
        wire(engines: engines, group: group, controls: controls, prepared: prepared, recorder: recorder,
             intervals: intervals, monitor: monitor, artifacts: artifacts)
        if !settings.quiet {
            let target = profile.target.provider == .mock ? "the embedded mock (\(prepared.baseURL))" : prepared.baseURL
            let workers = engines.count > 1 ? " with \(engines.count) workers" : ""
            console.err("loadgen: running \(profile.name) against \(target)\(workers)")
            console.err("loadgen: " + prepared.pricing.description)
        }

        let usageBefore = ResourceUsage.now()
        let outcome: RunOutcome
        var loopBusyByWorker: [Double]?
        if let group {
            let outcomes = try group.run()
            outcome = outcomes.combined
            loopBusyByWorker = outcomes.workers.compactMap(\.loopBusyFraction)
            if loopBusyByWorker?.count != outcomes.workers.count { loopBusyByWorker = nil }
        } else {
            outcome = try prepared.engine.run()
        }
        let usage = (before: usageBefore, after: ResourceUsage.now())
        display.finish(group?.combinedProgress ?? monitor.lastProgress, outcome: outcome, recorder: recorder)

        let client = ClientCheckFigures.check(
            recorder: recorder, loopBusyFraction: outcome.loopBusyFraction, loopBusyByWorker: loopBusyByWorker,
            peakRSSKiB: usage.after.peakRSSKiB, openFileLimit: descriptors.after,
            descriptorsNeeded: prepared.descriptors.needed)
        let loss = artifacts.closeEventLog(endNanos: outcome.elapsedNanos, client: client)
        let summary = Summary(recorder: recorder)
        let written = artifacts.writeSummaries(recorder: recorder, intervals: intervals, outcome: outcome, profile: profile,
                                               usage: usage, client: client)
        let table = written.table
        var writeFailed = !written.failures.isEmpty
        if writeFailed {
            // The disk refuses (some of) the summaries: the table goes to stderr from memory too.
            console.err(written.failures.map { "loadgen: " + $0 }.joined(separator: "\n")
                + "\nloadgen: the summary, from memory:\n" + table)
        }
        console.out(table.hasSuffix("\n") ? String(table.dropLast()) : table)
        RunEndNotes.lines(outcome: outcome, summary: summary, plan: prepared.plan, usage: usage,
                          embeddedMock: prepared.hasEmbeddedMock).forEach(console.out)
        if outcome.loopCloseStatus != 0 {
            console.err("loadgen: warning: the event loop closed with handles still open (\(outcome.loopCloseStatus))")
        }
        var reasons: Set<Int32> = []
        do {
            reasons.insert(try RunVerdict.report(
                monitor: monitor, recorder: recorder, outcome: outcome, profile: profile,
                directory: artifacts.directory, url: prepared.template.url, console: console))
        } catch {
            console.err("loadgen: \(error)")
            writeFailed = true
        }
        if costWatch.stopReason != nil { reasons.insert(ExitStatus.costLimitReached) }
        if diskWatch.stopReason != nil { reasons.insert(ExitStatus.failure) }
        if monitor.rejectionAtEnd == nil, outcome.interruptedBySignal == nil,
           let diagnosis = failures.diagnosis(url: prepared.template.url) {
            console.err("loadgen: " + diagnosis)
            reasons.insert(ExitStatus.noSuccess)
        }
        if settings.writesHTML { RunHTMLReport.write(in: artifacts.directory.path) }
        console.out("run directory: \(artifacts.directory.path)")
        console.out("report again:  loadreport \(artifacts.directory.path)")
        if let signal = outcome.interruptedBySignal {
            console.out("interrupted by signal \(signal): \(outcome.cancelled) cancelled, \(outcome.neverStarted) never started")
            reasons.insert(ExitStatus.interrupted)
        }
        if let loss {
            console.err("loadgen: \(artifacts.eventLogPath) is incomplete: \(loss.lost) of \(loss.lost + loss.onDisk) records "
                + "lost (\(loss.onDisk) written before the failure: \(loss.reason))")
        }
        if loss != nil || writeFailed { reasons.insert(ExitStatus.failure) }
        let status = ExitStatus.combined(reasons)
        return RunResult(exitStatus: status, directory: artifacts.directory.path, outcome: outcome, summary: summary)
    }

    /// Connects the engines' callbacks to what consumes them: on the loop thread with one engine;
    /// with workers, on each worker's thread under the group's lock (one callback at a time).
    private func wire(engines: [Engine], group: WorkerGroup?, controls: RunControls, prepared: PreparedRun,
                      recorder: RunRecorder, intervals: IntervalHistogramLog, monitor: RunMonitor,
                      artifacts: RunArtifacts) {
        let stageTimeline = StageTimeline(load: profile.load)
        let calculator = prepared.pricing.calculator
        costWatch = CostBudgetWatch(budget: prepared.pricing.budget)
        let quiet = settings.quiet
        let console = self.console
        let lock = group?.lock
        let eventLogPath = artifacts.eventLogPath
        artifacts.onEventLogFailure = { [unowned controls] reason in
            // Measuring on without a record is pointless: stop at once, and say so at once.
            console.err("\nloadgen: cannot write \(eventLogPath): \(reason); stopping the run: no new requests, "
                + "cancelling the \(controls.inFlightCount) in flight")
            controls.cancelInFlight(reason: "the event log could not be written (\(reason))")
        }
        let runDirectory = artifacts.directory.path
        for (worker, engine) in engines.enumerated() {
            engine.handlesSignals = settings.handlesSignals
            engine.onAttempt = { [unowned self, unowned controls, unowned engine] finished in
                lock?.lock()
                defer { lock?.unlock() }
                var attempt = finished
                attempt.stage = stageTimeline.stageIndex(atNanos: attempt.intendedStartNanos)
                attempt.costUSD = calculator.costUSD(of: attempt)
                let inFlight = group?.inFlightCount(worker: worker, exact: engine.inFlightCount) ?? engine.inFlightCount
                if let reason = costWatch.add(costUSD: attempt.costUSD, inFlight: inFlight) {
                    if !quiet { console.err("\nloadgen: stopping new requests: \(reason)") }
                    controls.stopArrivals(reason: reason)
                }
                recorder.record(attempt)
                intervals.record(attempt)
                failures.record(attempt)
                monitor.attempt(attempt)
                artifacts.append(attempt)
            }
            engine.onDropped = { drops in
                lock?.lock()
                defer { lock?.unlock() }
                monitor.droppedArrivals(drops.count)
                recorder.recordDropped(count: drops.count)
                artifacts.appendDropped(drops)
            }
            engine.tickIntervalMillis = 500
            engine.onTick = { [unowned self, unowned controls] reported in
                lock?.lock()
                defer { lock?.unlock() }
                // With workers, one combined tick per period (from the first worker still running).
                guard let progress = group.map({ $0.progress(reported, from: worker) }) ?? reported else { return }
                artifacts.handOffEventLog()
                if let space = DiskSpaceWatch.space(atPath: runDirectory), let reason = diskWatch.check(space) {
                    console.err("\nloadgen: stopping new requests: \(reason); the \(controls.inFlightCount) in flight finish")
                    controls.stopArrivals(reason: reason)
                }
                monitor.tick(progress)
            }
        }
    }
}
