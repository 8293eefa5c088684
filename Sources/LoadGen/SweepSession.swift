import Foundation
import LoadCore
import LoadEngine

/// Runs a ``SweepPolicy`` against the real engine: each step is one engine run of constant load
/// (open-loop arrivals, or closed-loop users), appended to ONE event log on the clock of the first
/// step (every record shifted by its step's origin) with its stage index, so that every loadreport
/// view works on the sweep. The policy sees each step's statistics and picks the next.
final class SweepSession {
    struct Inputs {
        var profile: Profile
        var settings: SweepSettings
        var template: RequestTemplate
        var pricing: RunPricing
        var eventLog: EventLogWriter
        var directory: RunDirectory
        /// Prints one line per step on stderr.
        var progress: (String) -> Void
    }

    /// What the sweep leaves: the result, the steps as they ran, and the merged outcome.
    struct Outcome {
        var result: CapacityResult
        var record: SweepRecord
        var stages: [RunHeader.Stage]
        var engineOutcome: RunOutcome?
        var interrupted: Int32?
        var endNanos: UInt64
    }

    let inputs: Inputs
    let recorder = RunRecorder()
    private var eventLogFailure: Error?

    init(_ inputs: Inputs) {
        self.inputs = inputs
    }

    func run() throws -> Outcome {
        let settings = inputs.settings
        var policy = SweepPolicy(settings: settings)
        var record = SweepRecord(settings: settings)
        var stages: [RunHeader.Stage] = []
        var merged: RunOutcome?
        var origin: UInt64?
        var spent = 0.0
        var interrupted: Int32?
        let startedNanos = MonotonicClock.nowNanos()
        var action = policy.start()
        var stopReason: String?

        while case .run(let step) = action {
            let engine = try Engine(template: inputs.template, plan: plan(step))
            engine.handlesSignals = true
            engine.drainGraceMillis = inputs.profile.limits.graceNanos / 1_000_000
            var attempts: [AttemptRecord] = []
            var dropped: [UInt64] = []
            var budgetReached = false
            let calculator = inputs.pricing.calculator
            let maxCost = settings.maxCostUSD
            engine.onAttempt = { [unowned self, unowned engine] finished in
                let offset = engine.originNanos - (origin ?? engine.originNanos)
                var attempt = finished.shifted(byNanos: offset)
                attempt.stage = step.index
                attempt.costUSD = calculator.costUSD(of: attempt)
                spent += attempt.costUSD ?? 0
                if let maxCost, spent >= maxCost, !budgetReached {
                    budgetReached = true
                    engine.stopArrivals(reason: "sweep.max_cost_usd reached")
                }
                attempts.append(attempt)
                self.record(attempt)
            }
            engine.onDropped = { [unowned self, unowned engine] drops in
                // Drops come counted together (at most one report per 100 ms): one intended start each.
                let shift = engine.originNanos - (origin ?? engine.originNanos)
                for intended in drops.spreadIntendedNanos() {
                    dropped.append(intended + shift)
                    self.recordDropped(intended + shift)
                }
            }
            let outcome = try engine.run()
            if origin == nil { origin = engine.originNanos }
            let offset = engine.originNanos - (origin ?? engine.originNanos)
            merged = merge(merged, outcome)

            let window = measuredWindow(step, offset: offset, attempts: attempts)
            var measurement = StepMeasurement(load: step.load, windowStartNanos: window.lowerBound,
                                              windowEndNanos: window.upperBound, slo: settings.slo)
            attempts.forEach { measurement.add($0) }
            dropped.forEach { measurement.addDropped(intendedNanos: $0) }
            measurement.loopBusyFraction = outcome.loopBusyFraction
            let statistics = measurement.statistics()
            record.steps.append(SweepRecord.Step(step: step, startNanos: offset, windowStartNanos: window.lowerBound,
                                                 windowEndNanos: window.upperBound))
            stages.append(RunHeader.Stage(startNanos: offset, durationNanos: step.durationNanos, label: step.label))
            try inputs.directory.write("sweep.json", try record.json())

            if let signal = outcome.interruptedBySignal {
                interrupted = signal
                stopReason = "interrupted by signal \(signal)"
            } else if budgetReached {
                stopReason = "max_cost_usd"
            }
            action = policy.finished(statistics, elapsedNanos: MonotonicClock.nowNanos() - startedNanos, spentUSD: spent)
            inputs.progress(progressLine(policy.results.last!))
            if stopReason != nil { break }
        }
        let result: CapacityResult
        if let stopReason {
            result = policy.result(stopReason: stopReason)
        } else if case .done(let done) = action {
            result = done
        } else {
            result = policy.result(stopReason: "stopped")
        }
        record.stopReason = result.stopReason
        try inputs.directory.write("sweep.json", try record.json())
        if let eventLogFailure {
            throw CLIError("writing \(inputs.eventLog.path) failed: \(eventLogFailure)")
        }
        return Outcome(result: result, record: record, stages: stages, engineOutcome: merged, interrupted: interrupted,
                       endNanos: recorder.lastEndNanos ?? 0)
    }

    // MARK: - Steps

    /// The engine's plan for one step: constant arrivals (the sweep's process) or a fixed number of users.
    private func plan(_ step: SweepStep) -> LoadPlan {
        let limits = inputs.profile.limits
        var plan: LoadPlan
        if step.closedLoop {
            plan = LoadPlan(mode: .closed(users: Int(step.load), thinkTimeNanos: 0), durationNanos: step.durationNanos,
                            maxRequests: step.maxRequests, maxInFlight: limits.maxInFlight, maxQueued: limits.maxQueued)
        } else {
            let stage = Stage(durationNanos: step.durationNanos, level: .constant(step.load))
            // Each step draws its own arrivals: the profile's seed moved by the step's index.
            var schedule = inputs.settings.arrival.makeSchedule(
                stages: [stage], seed: inputs.profile.seed &+ UInt64(step.index))
            plan = LoadPlan(mode: .open(nextArrivalNanos: { schedule.next() }), durationNanos: step.durationNanos,
                            maxRequests: step.maxRequests, maxInFlight: limits.maxInFlight, maxQueued: limits.maxQueued)
        }
        plan.maxConnections = limits.maxConnections
        plan.seed = inputs.profile.seed
        return plan
    }

    /// The measured window on the sweep's clock: after the warm-up, for the planned window; the
    /// baseline (no warm-up, ending on a request count) ends just after its last request. Whole
    /// microseconds (start down, end up), as sweep.json keeps them, so the log gives the same window.
    private func measuredWindow(_ step: SweepStep, offset: UInt64, attempts: [AttemptRecord]) -> Range<UInt64> {
        let start = (offset + step.warmupNanos) / 1000 * 1000
        var end = offset + step.warmupNanos + step.windowNanos
        if step.maxRequests != nil, let last = attempts.map(\.endNanos).max(), last > start {
            end = min(end, last + 1000)
        }
        end = (end + 999) / 1000 * 1000
        return start..<max(end, start + 1000)
    }

    private func record(_ attempt: AttemptRecord) {
        recorder.record(attempt)
        guard eventLogFailure == nil else { return }
        do { try inputs.eventLog.append(attempt) } catch { eventLogFailure = error }
    }

    private func recordDropped(_ intendedNanos: UInt64) {
        recorder.recordDropped()
        guard eventLogFailure == nil else { return }
        do { try inputs.eventLog.appendDropped(intendedNanos: intendedNanos) } catch { eventLogFailure = error }
    }

    /// The outcomes of the steps added up (peak in flight: the largest).
    private func merge(_ total: RunOutcome?, _ step: RunOutcome) -> RunOutcome {
        guard var total else { return step }
        total.addCounts(of: step)
        total.peakInFlight = max(total.peakInFlight, step.peakInFlight)
        return total
    }

    /// `step 3 ceiling rate 30.8/s: 30.8 ok/s, TTFT p99 201.3ms, ok`.
    private func progressLine(_ item: SweepStepResult) -> String {
        let s = item.statistics
        let ttft = s.ttftP99Millis.map { String(format: "%.1fms", $0) } ?? "-"
        return String(format: "step %d %@: %.1f ok/s of %.1f offered, TTFT p99 %@, 429 %.1f %%, errors %.1f %%: %@",
                      item.step.index, item.step.label, s.okPerSecond, s.offeredPerSecond, ttft, 100 * s.share429,
                      100 * s.errorShare, CapacityText.verdict(item.verdict))
    }
}
