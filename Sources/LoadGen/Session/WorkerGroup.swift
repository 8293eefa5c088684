import Foundation
import LoadCore
import LoadEngine

/// `--workers N`: N engines, each on a thread of its own with its own libuv loop and curl multi
/// handles, running slice *w* of *N* of the schedule (``ScheduleSlice``) from one shared origin.
///
/// The session's callbacks from every worker run under ``lock``, one at a time, so the recorder,
/// the event log, the display and the cost budget stay single-threaded and exact (no merge
/// needed: histograms are the one recorder's). Stops (``stopArrivals(reason:)``, …) reach every
/// engine through its async handle (``Engine/postStopArrivals(reason:)``). The progress of the
/// workers is combined (``progress(_:from:)``) into one display tick.
final class WorkerGroup: RunControls {
    let engines: [Engine]
    /// Held around every callback the session receives from a worker.
    let lock = NSLock()
    /// The run's origin, set by ``run()`` before any worker starts.
    private(set) var originNanos: UInt64 = 0
    /// Each worker's last progress, and whether its engine returned (under ``lock``).
    private var latest: [RunProgress?]
    private var finished: [Bool]
    /// What each worker's engine returned (under ``lock``).
    private var results: [Result<RunOutcome, Error>?]

    /// - Precondition: at least two engines, none started.
    init(engines: [Engine]) {
        precondition(engines.count > 1, "a worker group needs two engines or more")
        self.engines = engines
        latest = Array(repeating: nil, count: engines.count)
        finished = Array(repeating: false, count: engines.count)
        results = Array(repeating: nil, count: engines.count)
        for engine in engines { engine.acceptsCrossThreadStops = true }
    }

    /// Attempts in flight in all workers, as of their last progress ticks (at most 500 ms old):
    /// another worker's engine state belongs to its thread.
    var inFlightCount: Int { latest.reduce(0) { $0 + ($1?.inFlight ?? 0) } }

    /// Attempts in flight in all workers, seen from worker `worker`'s callback (under ``lock``): its
    /// own engine's count now (`exact`), the others' as of their last ticks.
    func inFlightCount(worker: Int, exact: Int) -> Int {
        latest.enumerated().reduce(exact) { $0 + ($1.offset == worker ? 0 : ($1.element?.inFlight ?? 0)) }
    }

    func stopArrivals(reason: String) {
        for engine in engines { engine.postStopArrivals(reason: reason) }
    }

    func cancelInFlight(reason: String) {
        for engine in engines { engine.postCancelInFlight(reason: reason) }
    }

    /// Runs every engine on its own thread and waits for all of them.
    /// - Returns: the run's outcome (``RunOutcome/combining(_:)``) and each worker's.
    /// - Throws: the first worker's error (the others are cancelled first).
    func run() throws -> (combined: RunOutcome, workers: [RunOutcome]) {
        originNanos = MonotonicClock.nowNanos()
        let done = DispatchGroup()
        for (worker, engine) in engines.enumerated() {
            engine.sharedOriginNanos = originNanos
            done.enter()
            let thread = Thread { [self] in
                let result = Result { try engine.run() }
                lock.lock()
                self.results[worker] = result
                finished[worker] = true
                lock.unlock()
                if case .failure = result { cancelInFlight(reason: "worker \(worker) failed") }
                done.leave()
            }
            thread.name = "loadgen worker \(worker)"
            thread.stackSize = 8 << 20
            thread.start()
        }
        done.wait()
        lock.lock()
        let results = self.results
        lock.unlock()
        var outcomes: [RunOutcome] = []
        for result in results {
            switch result {
            case .success(let outcome): outcomes.append(outcome)
            case .failure(let error): throw error
            case nil: preconditionFailure("a worker ended without a result")
            }
        }
        return (RunOutcome.combining(outcomes), outcomes)
    }

    /// Keeps worker `worker`'s progress; call under ``lock``.
    /// - Returns: the workers' progress combined when `worker` is the first one still running (so
    ///   the display ticks once per period, whichever workers remain); nil otherwise.
    func progress(_ progress: RunProgress, from worker: Int) -> RunProgress? {
        latest[worker] = progress
        guard finished.firstIndex(of: false) == worker else { return nil }
        return combinedProgress
    }

    /// Every worker's last progress as one: counts added, the longest elapsed time, stopping when
    /// every worker is, loop times added (so the display shows the loops' mean busy fraction).
    /// Call under ``lock`` or after ``run()``.
    var combinedProgress: RunProgress? {
        let known = latest.compactMap { $0 }
        guard var total = known.first else { return nil }
        for other in known.dropFirst() {
            total.elapsedNanos = max(total.elapsedNanos, other.elapsedNanos)
            total.started += other.started
            total.completed += other.completed
            total.inFlight += other.inFlight
            total.queued += other.queued
            total.stopping = total.stopping && other.stopping
            total.users = total.users.map { $0 + (other.users ?? 0) } ?? other.users
            total.interrupted = total.interrupted || other.interrupted
            total.loopNanos += other.loopNanos
            total.loopIdleNanos = total.loopIdleNanos.flatMap { idle in other.loopIdleNanos.map { idle + $0 } }
        }
        if known.count < latest.count { total.stopping = false }
        return total
    }
}

extension RunOutcome {
    /// The outcome of workers that ran slices of one run: counts added, the latest end, the first
    /// stop reason and signal, the busiest loop's busy fraction. `peakInFlight` is the sum of the
    /// workers' peaks (an upper bound: they need not peak at once).
    static func combining(_ outcomes: [RunOutcome]) -> RunOutcome {
        guard outcomes.count > 1, var total = outcomes.first else { return outcomes.first ?? RunOutcome() }
        for other in outcomes.dropFirst() {
            total.addCounts(of: other)
            total.peakInFlight += other.peakInFlight
            total.elapsedNanos = max(total.elapsedNanos, other.elapsedNanos)
        }
        return total
    }
}
