import Foundation
import LoadCore
import LoadEngine

/// The progress display of a run, on stderr (``DisplayMode`` says how it is chosen): a live block
/// redrawn twice a second on a terminal, a plain line every 10 s otherwise, or nothing (`--quiet`);
/// with `--verbose`, one line per finished attempt as well.
///
/// All entry points run on the engine's loop thread and only count and copy: each tick hands a
/// ``FrameInputs`` value to a ``StatusWriter`` thread, which computes the figures, renders the
/// text and writes it, so neither formatting nor a slow terminal delays a request
/// (docs/PERFORMANCE.md, scenario e, measures the schedule lag with and without the display).
final class RunDisplay {
    static let plainIntervalNanos: UInt64 = 10_000_000_000

    let mode: DisplayMode
    private let verbose: Bool
    private let secrets: [String]
    private let profile: Profile
    private let timeline: StageTimeline
    private let closedLoopPlan: ClosedLoopPlan?
    private var window = LiveWindow()
    private let writer: StatusWriter?
    private var lastPlainLineNanos: UInt64 = 0
    private var dropped = 0
    private var costUSD: Double?
    /// Set when the run is stopping early for a reason other than a signal.
    var stopReason: String?

    /// - Parameters:
    ///   - mode: live, plain or quiet.
    ///   - verbose: print a line per finished attempt.
    ///   - profile: the profile being run (name, stages, limits).
    ///   - secrets: strings never to print (the API key).
    init(mode: DisplayMode, verbose: Bool, profile: Profile, secrets: [String]) {
        self.mode = mode
        self.verbose = verbose
        self.secrets = secrets
        self.profile = profile
        timeline = StageTimeline(load: profile.load)
        closedLoopPlan = profile.load.mode == .closed
            ? ClosedLoopPlan(stages: profile.load.stages, maxRequests: profile.limits.maxRequests) : nil
        switch mode {
        case .live: writer = StatusWriter(live: true)
        case .plain: writer = StatusWriter(live: false)
        case .quiet: writer = verbose ? StatusWriter(live: false) : nil
        }
    }

    private var style: TerminalStyle {
        if case .live(let colors) = mode { return TerminalStyle(colors: colors) }
        return TerminalStyle(colors: false)
    }

    /// A finished attempt (loop thread).
    func attempt(_ record: AttemptRecord) {
        window.record(record)
        if let cost = record.costUSD { costUSD = (costUSD ?? 0) + cost }
        if verbose {
            let secrets = self.secrets
            writer?.printLine { AttemptLine.format(record, secrets: secrets) }
        }
    }

    /// Arrivals dropped because the wait queue was full (loop thread).
    func droppedArrivals(_ count: Int) {
        dropped += count
    }

    /// A message for the user, printed above the live block (or as a plain line); nothing with `--quiet`.
    func note(_ message: String) {
        guard mode != .quiet else { return }
        writer?.printLine(message)
    }

    /// What a frame is computed from, copied on the loop thread (cheap: the collections are
    /// shared until the loop writes to them again).
    struct FrameInputs {
        var progress: RunProgress
        var successes: Int
        var errorsByClass: [ErrorClass: Int]
        var window: LiveWindow
        var dropped: Int
        var costUSD: Double?
        var stopReason: String?
        /// After the run: rates are the run's averages over this span.
        var isFinal = false
        var finalSpanNanos: UInt64 = 0
    }

    private func inputs(_ progress: RunProgress, recorder: RunRecorder) -> FrameInputs {
        FrameInputs(progress: progress, successes: recorder.successes, errorsByClass: recorder.errorsByClass,
                    window: window, dropped: dropped, costUSD: costUSD, stopReason: stopReason)
    }

    /// A progress tick (loop thread): redraws the live block, or prints a plain line every 10 s.
    func tick(_ progress: RunProgress, recorder: RunRecorder) {
        window.recordTick(elapsedNanos: progress.elapsedNanos, started: progress.started, successes: recorder.successes,
                          loopNanos: progress.loopNanos, loopIdleNanos: progress.loopIdleNanos)
        switch mode {
        case .quiet:
            return
        case .live:
            show(inputs(progress, recorder: recorder))
        case .plain:
            // Ticks come every 500 ms, give or take a little: the one nearest each 10 s mark prints.
            let nearest = progress.elapsedNanos + 250_000_000
            guard nearest >= lastPlainLineNanos + Self.plainIntervalNanos else { return }
            lastPlainLineNanos = nearest - nearest % Self.plainIntervalNanos
            printPlainLine(inputs(progress, recorder: recorder))
        }
    }

    /// Draws the last frame for good (plain mode: prints a last line) and waits until everything
    /// is written (call after the run). Its rates are the whole run's: after a short run the last
    /// two seconds' would read as the run's (`sent 8.0/s` for a run at 10/s).
    /// - Parameters:
    ///   - progress: the last tick's progress, if a tick came.
    ///   - outcome: how the run ended: its counts replace the tick's, which may be 500 ms old.
    func finish(_ progress: RunProgress?, outcome: RunOutcome, recorder: RunRecorder) {
        if var progress {
            progress.started = outcome.started
            progress.completed = outcome.completed
            progress.inFlight = 0
            progress.queued = 0
            progress.elapsedNanos = max(progress.elapsedNanos, outcome.elapsedNanos)
            var final = inputs(progress, recorder: recorder)
            final.isFinal = true
            // A run that kept to its schedule sent over the schedule's length (the drain after it
            // sends nothing); one stopped early, or without a length, over its own time.
            let total = profile.load.totalDurationNanos
            let early = outcome.stopReason != nil || outcome.interruptedBySignal != nil
            final.finalSpanNanos = (early ? nil : total) ?? min(progress.elapsedNanos, total ?? .max)
            switch mode {
            case .live: show(final)
            case .plain: printPlainLine(final)
            case .quiet: break
            }
        }
        writer?.finish()
    }

    private func show(_ inputs: FrameInputs) {
        let style = self.style
        writer?.showFrame { [self] in
            LiveFrameRenderer.terminalLines(frame(inputs), style: style, width: TerminalStyle.columns())
        }
    }

    private func printPlainLine(_ inputs: FrameInputs) {
        writer?.printLine { [self] in LiveFrameRenderer.plainLine(frame(inputs)) }
    }

    /// The frame for a tick. Reads only `inputs` and the display's constant settings, so it runs
    /// on the writer thread.
    func frame(_ inputs: FrameInputs) -> LiveFrame {
        let progress = inputs.progress
        let elapsed = progress.elapsedNanos
        let total = profile.load.totalDurationNanos
        var fraction: Double?
        if let total, total > 0 {
            fraction = min(Double(elapsed) / Double(total), 1)
        } else if let maxRequests = profile.limits.maxRequests, maxRequests > 0 {
            fraction = min(Double(progress.completed) / Double(maxRequests), 1)
        }
        var stage: String?
        var target: Double?
        if let index = timeline.stageIndex(atNanos: elapsed) {
            stage = "\(index + 1)/\(timeline.stages.count) \(timeline.stages[index].label)"
            target = level(atNanos: elapsed, stageIndex: index)
        }
        if progress.stopping, let total, elapsed >= total { target = nil }
        var window = inputs.window.snapshot(atNanos: elapsed)
        if inputs.isFinal, inputs.finalSpanNanos > 0 {
            let seconds = Double(inputs.finalSpanNanos) / 1e9
            window.startedPerSecond = Double(progress.started) / seconds
            window.successesPerSecond = Double(inputs.successes) / seconds
            target = averageTarget()
        }
        var errors = inputs.errorsByClass
        let http429 = errors.removeValue(forKey: .http429) ?? 0
        let top = errors.max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }
        return LiveFrame(
            profileName: profile.name, elapsedNanos: elapsed, totalNanos: total, progress: fraction, stage: stage,
            isOpenLoop: profile.load.mode == .open, target: target, users: progress.users,
            window: window, inFlight: progress.inFlight, queued: progress.queued,
            dropped: inputs.dropped, successes: inputs.successes, http429: http429,
            otherErrors: errors.values.reduce(0, +), topError: top.map { "\($0.key.rawValue) \($0.value)" },
            costUSD: inputs.costUSD, state: inputs.isFinal ? nil : state(progress, stopReason: inputs.stopReason),
            isFinal: inputs.isFinal, client: inputs.isFinal ? nil : Self.liveClientWarning(window, errors: inputs.errorsByClass))
    }

    /// `client: saturated (loop busy 97 %)` while the last seconds say the client is the limit
    /// (``ClientCheck`` on the window's loop busy fraction and start lag, and the run's client
    /// error classes); nil while it is fine.
    static func liveClientWarning(_ window: LiveWindow.Snapshot, errors: [ErrorClass: Int]) -> String? {
        let check = ClientCheck(judging: ClientFigures(
            loopBusyFraction: window.loopBusyFraction, startLagP90Millis: window.startLagP90Millis,
            startLagP99Millis: window.startLagP99Millis, clientFDErrors: errors[.clientFds] ?? 0,
            clientPortErrors: errors[.clientPorts] ?? 0))
        return check.verdict == .saturated ? check.line : nil
    }

    /// The run's planned average: arrivals per second over the stages (open loop, not a trace), or nil.
    private func averageTarget() -> Double? {
        guard profile.load.mode == .open, let total = profile.load.totalDurationNanos, total > 0 else { return nil }
        if case .trace = profile.load.arrival { return nil }
        let weighted = profile.load.stages.reduce(0.0) { sum, stage in
            sum + (stage.level.start + stage.level.end) / 2 * Double(stage.durationNanos ?? 0) / 1e9
        }
        return weighted / (Double(total) / 1e9)
    }

    private func state(_ progress: RunProgress, stopReason: String?) -> String? {
        guard progress.stopping, progress.inFlight > 0 else { return nil }
        let grace = DurationFormat.format(nanos: profile.limits.graceNanos)
        if progress.interrupted {
            return "interrupted: finishing \(progress.inFlight) in flight (at most \(grace)); Ctrl-C again cancels them"
        }
        if let stopReason {
            return "stopping (\(stopReason)): finishing \(progress.inFlight) in flight (at most \(grace))"
        }
        return "schedule done: finishing \(progress.inFlight) in flight"
    }

    /// The stages' level at `nanos`: arrivals per second (open) or users (closed); nil for a trace.
    private func level(atNanos nanos: UInt64, stageIndex: Int) -> Double? {
        if case .trace = profile.load.arrival { return nil }
        if let closedLoopPlan { return Double(closedLoopPlan.users(atNanos: nanos)) }
        let stage = profile.load.stages[stageIndex]
        let start = timeline.stages[stageIndex].startNanos
        guard let duration = stage.durationNanos, duration > 0 else { return stage.level.end }
        let fraction = min(Double(nanos - min(start, nanos)) / Double(duration), 1)
        return stage.level.start + (stage.level.end - stage.level.start) * fraction
    }
}
