import DequeModule
import LoadCore

/// The engine's control logic, without I/O: which attempt starts when, what waits, what is
/// dropped, retried, stopped or cancelled, and when the run is over. One explicit state machine
/// (``RunPhase``) driven by events (``ControllerEvent``) that carry the clock's time; each event
/// returns the commands the engine carries out (``ControllerCommand``). `Engine` is the adapter
/// that turns libuv and libcurl callbacks into events and commands into libcurl calls; tests drive
/// the controller with a fake clock.
///
/// Times in events and in wake commands are absolute (the clock's); times in records and starts
/// are nanoseconds since the origin, which ``ControllerEvent/begin`` (or the end of warm-up) sets.
final class RunController {
    /// Bounds on the work of one event, and the pace of the periodic checks.
    struct Tuning: Equatable {
        /// Arrivals, retries and users admitted per wake at most; more due re-arm the wake at once,
        /// so that the loop polls for I/O and signals between batches.
        var maxAdmissionsPerWake = 1_024
        /// Closed loop with a user target: how often the target is compared with the users running.
        var userTargetIntervalNanos: UInt64 = 10_000_000
        /// Dropped arrivals are reported together, at most this often.
        var dropReportIntervalNanos: UInt64 = 100_000_000
        /// Closed loop: how long a user waits after a client-side error.
        var clientErrorBackoff = ClientErrorBackoff()
    }

    let plan: LoadPlan
    /// Attempts in flight at most (the plan's, capped by its connection limit under HTTP/1.1).
    let maxInFlight: Int
    /// After an early stop, attempts still in flight this long afterwards are cancelled (nil: wait).
    let graceNanos: UInt64?
    let tuning: Tuning

    /// The phase; only the controller (its extensions included) changes it.
    var phase = RunPhase.notStarted
    /// Counters of the run so far (`loopCloseStatus` is the engine's).
    var outcome = RunOutcome()
    /// The absolute clock time the run's times are relative to (0 before it is set).
    private(set) var originNanos: UInt64 = 0
    /// Attempts started and not yet ended.
    var inFlight = 0
    var warmupOpen = 0

    // Admission state (RunController+Admission).
    var waiting = Deque<AttemptStart>()
    var retries = DeadlineQueue<AttemptStart>()
    var retryRandom: SplitMix64
    var nextArrivalNanos: UInt64?
    var requestsIssued = 0
    var nextRequestID: UInt64 = 0
    var admissionsLeft = 0
    var drops: DroppedArrivals?
    var dropsSinceNanos: UInt64 = 0

    // Closed-loop users (RunController+Users).
    var liveUsers = 0
    var usersToRetire = 0
    var usersToAdd = 0
    var usersAddedAtNanos: UInt64 = 0
    var nextUserID = 0
    var thinking = Deque<AttemptStart>()
    var backingOff = DeadlineQueue<AttemptStart>()
    var clientErrorStreaks: [Int: Int] = [:]
    var backoffRandom: SplitMix64
    var nextTargetCheckNanos: UInt64?

    /// The time of the event being handled (absolute clock).
    private(set) var now: UInt64 = 0
    private var armedWakeNanos: UInt64?
    private var commands: [ControllerCommand] = []

    init(plan: LoadPlan, maxInFlight: Int, graceNanos: UInt64?, tuning: Tuning = Tuning()) {
        precondition(maxInFlight > 0, "maxInFlight must be positive")
        self.plan = plan
        self.maxInFlight = maxInFlight
        self.graceNanos = graceNanos
        self.tuning = tuning
        let seed = plan.slice.seed(from: plan.seed)
        retryRandom = SplitMix64(seed: seed)
        backoffRandom = SplitMix64(seed: Self.backoffSeed(seed))
    }

    /// Seeds the client-error backoff's draws, apart from the retries' draws.
    static func backoffSeed(_ seed: UInt64) -> UInt64 { seed ^ 0x5DEE_CE66_D1CE_B00C }

    /// Requests waiting for a slot.
    var queued: Int { waiting.count }
    /// Closed loop: users sending or thinking (nil in open loop).
    var users: Int? { plan.isClosedLoop ? liveUsers - usersToRetire : nil }

    /// Handles one event at `now` (absolute clock) and returns what to do, in order.
    func handle(_ event: ControllerEvent, at now: UInt64) -> [ControllerCommand] {
        commands.removeAll(keepingCapacity: true)
        self.now = now
        switch event {
        case .begin:
            begin(at: now)
        case .warmupEnded:
            warmupOpen -= 1
            if warmupOpen == 0 && phase == .warmingUp { beginArrivals(at: now) }
            settle(at: now)
        case .attemptEnded(let record):
            attemptEnded(record, at: now)
        case .settle:
            settle(at: now)
        case .wake:
            armedWakeNanos = nil
            settle(at: now)
        case .signal(let signal):
            interrupt(signal, at: now)
        case .stopArrivals(let reason):
            stop(reason: reason, at: now)
            settle(at: now)
        case .cancelInFlight(let reason):
            stop(reason: reason, at: now)
            if inFlight > 0 { commands.append(.cancelInFlight(.requested(reason))) }
            settle(at: now)
        }
        return commands
    }

    /// A snapshot for the progress callback.
    func progress(at now: UInt64) -> RunProgress {
        var interrupted = false
        if case .stopping(let stopping) = phase { interrupted = stopping.interrupts > 0 }
        return RunProgress(
            elapsedNanos: originNanos == 0 ? 0 : now - originNanos, started: outcome.started,
            completed: outcome.completed, inFlight: inFlight, queued: waiting.count,
            stopping: phase != .running && phase != .warmingUp, users: users, interrupted: interrupted)
    }

    /// Nanoseconds since the origin.
    func runTime(_ now: UInt64) -> UInt64 { now > originNanos ? now - originNanos : 0 }

    func emit(_ command: ControllerCommand) {
        commands.append(command)
    }

    // MARK: - Beginning

    private func begin(at now: UInt64) {
        guard phase == .notStarted else { return }
        if plan.warmupConnections > 0 {
            phase = .warmingUp
            warmupOpen = plan.warmupConnections
            emit(.openWarmup(connections: plan.warmupConnections))
        } else {
            beginArrivals(at: now)
            settle(at: now)
        }
    }

    private func beginArrivals(at now: UInt64) {
        originNanos = min(plan.sharedOriginNanos ?? now, now)
        phase = .running
        switch plan.mode {
        case .open(let nextArrival):
            nextArrivalNanos = nextArrival()
        case .closed(let users, _):
            addUsers(plan.userTarget?(0) ?? users, atRunNanos: 0)
            if plan.userTarget != nil { nextTargetCheckNanos = tuning.userTargetIntervalNanos }
        }
    }

    // MARK: - Attempts ending

    private func attemptEnded(_ ended: AttemptRecord, at now: UInt64) {
        var record = ended
        inFlight -= 1
        outcome.completed += 1
        if record.errorClass == .cancelled { outcome.cancelled += 1 }
        outcome.elapsedNanos = max(outcome.elapsedNanos, record.endNanos)
        if let policy = plan.retry, phase.startsAdmitted, policy.shouldRetry(record) {
            record.willRetry = true
            let delay = policy.delayNanos(
                afterAttempt: record.attemptNumber, retryAfterMillis: record.rateLimit?.retryAfterMillis,
                random: &retryRandom)
            let due = runTime(now) + delay
            retries.push(
                AttemptStart(requestID: record.requestID, userID: record.userID, intendedStartNanos: due,
                             attemptNumber: record.attemptNumber + 1),
                dueNanos: due)
        }
        if !record.willRetry, let user = record.userID {
            userFinishedRequest(user, lastAttempt: record, at: now)
        }
        emit(.report(record))
    }

    // MARK: - Settling: starts, ends, the wake timer

    /// Starts what may start now, ends the phase when its condition holds, and re-arms the wake.
    func settle(at now: UInt64) {
        admissionsLeft = tuning.maxAdmissionsPerWake
        if case .stopping(let stopping) = phase, let deadline = stopping.graceDeadlineNanos, deadline <= now {
            phase = .stopping(.init(interrupts: stopping.interrupts, graceDeadlineNanos: nil))
            if inFlight > 0 {
                outcome.graceExpired = true
                emit(.cancelInFlight(.graceExpired(graceNanos: graceNanos ?? 0, stopReason: outcome.stopReason)))
            }
        }
        if phase.startsAdmitted {
            fillFreeSlots()
            admitDueRetries(at: now)
        }
        if phase == .running {
            followUsers(at: now)
            admitDueArrivals(at: now)
            endArrivalsIfOver(at: now)
        }
        reportDrops(at: now, force: phase != .running)
        let finished = finishIfDone(at: now)
        armWake(at: now)
        if finished { emit(.finish) }
    }

    /// Moves to `finished` when nothing runs, waits or will start any more.
    private func finishIfDone(at now: UInt64) -> Bool {
        switch phase {
        case .arrivalsEnded, .stopping:
            break
        default:
            return false
        }
        guard inFlight == 0, waiting.isEmpty, retries.isEmpty, warmupOpen == 0 else { return false }
        // A run whose attempts were all cancelled or dropped still took its time.
        if outcome.elapsedNanos == 0 && originNanos != 0 { outcome.elapsedNanos = runTime(now) }
        phase = .finished
        return true
    }

    private func armWake(at now: UInt64) {
        var due: UInt64?
        func consider(_ runNanos: UInt64?) {
            guard let runNanos else { return }
            due = min(due ?? .max, originNanos &+ runNanos)
        }
        switch phase {
        case .running:
            if admissionsLeft == 0 { due = now }
            if case .open = plan.mode { consider(nextArrivalNanos) }
            consider(thinking.first?.intendedStartNanos)
            consider(backingOff.firstDueNanos)
            if usersToAdd > 0 { due = now }
            consider(nextTargetCheckNanos)
            consider(plan.durationNanos)
            consider(retries.firstDueNanos)
        case .arrivalsEnded:
            consider(retries.firstDueNanos)
        case .stopping(let stopping):
            if let deadline = stopping.graceDeadlineNanos { due = min(due ?? .max, deadline) }
        case .notStarted, .warmingUp, .finished:
            break
        }
        if drops != nil { due = min(due ?? .max, dropsSinceNanos + tuning.dropReportIntervalNanos) }
        if let due {
            if armedWakeNanos != due {
                armedWakeNanos = due
                emit(.armWake(atNanos: due))
            }
        } else if armedWakeNanos != nil {
            armedWakeNanos = nil
            emit(.disarmWake)
        }
    }
}

extension LoadPlan {
    var isClosedLoop: Bool {
        if case .closed = mode { return true }
        return false
    }
}
