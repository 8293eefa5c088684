import LoadCore
import LoadEngine

/// Watches a run from the engine's callbacks (loop thread; with workers, under the group's lock): feeds the progress display, the
/// thresholds and the early-stop check for refused requests, and stops arrivals when a threshold
/// has clearly failed (`abort_on_fail`) or the target refuses the run (``TargetRejection``).
final class RunMonitor {
    let display: RunDisplay
    let thresholds: ThresholdTracker?
    private let recorder: RunRecorder
    private var rejectionWatch = TargetRejectionWatch()
    private unowned let controls: RunControls
    private let graceNanos: UInt64

    /// The threshold whose clear failure stopped the run, if one did.
    private(set) var abortedBy: ThresholdResult?
    /// When it did, nanoseconds since the run's origin.
    private(set) var abortedAtNanos: UInt64?
    /// The refusal that stopped the run, if the first requests were all refused.
    private(set) var rejection: TargetRejection?
    /// The last progress snapshot, for the final frame.
    private(set) var lastProgress: RunProgress?

    init(controls: RunControls, recorder: RunRecorder, display: RunDisplay, thresholds: ThresholdTracker?, graceNanos: UInt64) {
        self.controls = controls
        self.graceNanos = graceNanos
        self.recorder = recorder
        self.display = display
        self.thresholds = thresholds
    }

    /// A finished attempt, after the recorder has counted it.
    func attempt(_ record: AttemptRecord) {
        thresholds?.record(record)
        display.attempt(record)
        if rejection == nil, let refused = rejectionWatch.record(record) {
            rejection = refused
            stop(reason: "the first \(TargetRejectionWatch.sampleSize) requests were refused (\(refused.mainStatus))")
        }
    }

    func droppedArrivals(_ count: Int) {
        display.droppedArrivals(count)
    }

    func tick(_ reported: RunProgress) {
        var progress = reported
        // Before arrivals begin (during --warmup-connections) the run has no origin yet, and the
        // engine measures its elapsed time from the clock's zero: the run's clock is at 0 still.
        if controls.originNanos == 0 { progress.elapsedNanos = 0 }
        if progress.interrupted && !(lastProgress?.interrupted ?? false) && display.mode != .quiet {
            display.note("loadgen: interrupted: no new requests; \(progress.inFlight) in flight may finish within "
                + "\(DurationFormat.format(nanos: graceNanos)); interrupt again to cancel them")
        }
        lastProgress = progress
        if let thresholds, thresholds.thresholds.abortOnFail, abortedBy == nil, !progress.interrupted,
            let failure = thresholds.clearFailure(recorder: recorder, elapsedNanos: progress.elapsedNanos)
        {
            abortedBy = failure
            abortedAtNanos = progress.elapsedNanos
            stop(reason: "threshold \(failure.summary) failed")
        }
        display.tick(progress, recorder: recorder)
    }

    /// The refusal of a run too short to reach the sample size, all of whose attempts were refused.
    var rejectionAtEnd: TargetRejection? {
        rejection ?? rejectionWatch.verdictAtEnd()
    }

    private func stop(reason: String) {
        display.stopReason = reason
        display.note("loadgen: stopping: \(reason)")
        controls.stopArrivals(reason: reason)
    }
}
