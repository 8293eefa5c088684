internal import CLibUV
import LoadCore

/// libcurl and libuv versions, for run metadata and `loadgen version`.
public enum EngineVersions {
    public static var curl: String { String(cString: curl_version()) }
    public static var uv: String { String(cString: uv_version_string()) }
    /// libcurl's version as 0xXXYYZZ (7.88.1 is 0x075801).
    public static var curlVersionNumber: UInt32 { curl_version_info(CURLVERSION_FIRST).pointee.version_num }
}

/// Runs one load plan on one libuv loop, on the calling thread, until the plan ends or is interrupted.
///
/// Every attempt ends in exactly one call of `onAttempt` (success, failure or cancellation), on the loop's
/// thread, in completion order. State lives in this instance: one engine per thread, never shared.
public final class Engine {
    /// Receives each finished attempt.
    public var onAttempt: (AttemptRecord) -> Void = { _ in }
    /// Receives the intended start (ns since the origin) of each arrival dropped because the wait queue was full.
    public var onDropped: ((UInt64) -> Void)?
    /// Receives a progress snapshot every `tickIntervalMillis`.
    public var onTick: ((RunProgress) -> Void)?
    public var tickIntervalMillis: UInt64 = 500
    /// Handle SIGINT/SIGTERM: the first stops new arrivals and lets requests in flight finish, the second
    /// cancels them (recorded as `cancelled`).
    public var handlesSignals = false
    /// After arrivals stop early (a first interrupt, or ``stopArrivals(reason:)``), attempts still in
    /// flight this long afterwards are cancelled, as a second interrupt would. Nil: wait for them.
    public var drainGraceMillis: UInt64?

    private let template: RequestTemplate
    private let plan: LoadPlan
    private let loop: UVLoop
    /// Several multi handles share the loop when concurrency is high: libcurl 7.88 walks every
    /// connection of a multi handle when it looks for one to reuse and when it removes a handle, so
    /// each attempt costs O(connections). Capping a multi handle at `connectionsPerMulti` keeps that
    /// walk short (measured: ~360 µs of CPU per request with 10,000 connections in one handle).
    private var multis: [CurlMulti] = []
    private static let connectionsPerMulti = 1_024
    private var transfersCreated = 0
    private var startTimer: PreciseTimer!
    private var tickTimer: UVTimer!
    private var finishTimer: UVTimer!
    private var graceTimer: UVTimer!
    private var signalWatcher: SignalWatcher?

    /// The monotonic time all record timestamps are relative to.
    public private(set) var originNanos: UInt64 = 0
    /// Attempts in flight now (in `onAttempt`: not counting the attempt being reported).
    public var inFlightCount: Int { activeTransfers.count }

    private struct PendingStart {
        var userID: Int?
        var intendedStartNanos: UInt64
        /// Set for a retry: the request it belongs to.
        var requestID: UInt64?
        var attemptNumber = 1
    }

    private var nextArrivalNanos: UInt64?
    private var waitingForSlot = FIFOQueue<PendingStart>()
    private var thinking = FIFOQueue<PendingStart>()
    private var idleTransfers: [Transfer] = []
    private var activeTransfers: [ObjectIdentifier: Transfer] = [:]
    private var requestsIssued = 0
    private var outcome = RunOutcome()
    private var arrivalsEnded = false
    private var finishing = false
    private var interruptions = 0
    private var graceStarted = false
    /// Closed loop: users sending or thinking, users to retire as their requests end, the next id.
    private var liveUsers = 0
    private var usersToRetire = 0
    private var nextUserID = 0
    /// Closed loop with a user target: follows it every 10 ms.
    private var userTimer: UVTimer?
    /// Warm-up transfers still open; the run proper starts when this reaches 0.
    private var warmupTransfers: [ObjectIdentifier: Transfer] = [:]
    /// Attempts in flight at most: the plan's, capped by its connection limit under HTTP/1.1.
    private let maxInFlight: Int
    /// TTFT and idle timeouts, and streams left open after their end event.
    private var timeoutWatch: TimeoutWatch!
    /// Retries waiting for their backoff to end, by intended start.
    private var retryQueue = DeadlineQueue<PendingStart>()
    /// Draws the retry backoff's jitter.
    private var random: SplitMix64
    private var nextRequestID: UInt64 = 0
    /// Set by a first interrupt or `stopArrivals`: nothing new starts, retries included.
    private var draining = false

    /// - Throws: `EngineError` when libuv or libcurl cannot be set up.
    public init(template: RequestTemplate, plan: LoadPlan) throws {
        precondition(!template.bodies.isEmpty, "a request template needs at least one body")
        precondition(plan.maxInFlight > 0, "maxInFlight must be positive")
        CurlGlobal.initializeOnce()
        if template.httpVersion == .http2, !template.url.lowercased().hasPrefix("https://"),
           EngineVersions.curlVersionNumber < 0x08_00_00 {
            throw EngineError("HTTP/2 over plain http (prior knowledge) needs libcurl 8.0 or later: libcurl "
                + "\(EngineVersions.curl) breaks reused h2c connections (\"Error in the HTTP2 framing layer\", curl "
                + "issue 10634); use an https URL (HTTP/2 by ALPN) or http: 1.1")
        }
        self.template = template
        self.plan = plan
        if let connections = plan.maxConnections, template.httpVersion == .http1_1 {
            maxInFlight = max(1, min(plan.maxInFlight, connections))
        } else {
            maxInFlight = plan.maxInFlight
        }
        random = SplitMix64(seed: plan.seed)
        loop = try UVLoop()
    }

    /// Runs the plan to its end. Blocks the calling thread.
    public func run() throws -> RunOutcome {
        startTimer = try PreciseTimer(loop: loop) { [unowned self] in self.startDueRequests() }
        finishTimer = UVTimer(loop: loop) { [unowned self] in self.shutDown() }
        tickTimer = UVTimer(loop: loop) { [unowned self] in self.reportProgress() }
        graceTimer = UVTimer(loop: loop) { [unowned self] in self.graceExpired() }
        timeoutWatch = TimeoutWatch(
            loop: loop, ttftTimeoutNanos: template.ttftTimeoutNanos, idleTimeoutNanos: template.idleTimeoutNanos
        ) { [unowned self] transfer, expiry in
            self.expired(transfer, expiry)
        }
        if onTick != nil {
            tickTimer.start(delayMillis: tickIntervalMillis, repeatMillis: tickIntervalMillis)
        }
        if handlesSignals {
            signalWatcher = SignalWatcher(loop: loop, signals: [SIGINT, SIGTERM]) { [unowned self] signal in
                self.interrupt(signal: signal)
            }
        }

        if plan.warmupConnections > 0 {
            try startWarmup()
        } else {
            beginArrivals()
        }
        loop.run()
        outcome.loopCloseStatus = loop.close()
        return outcome
    }

    // MARK: - Warm-up

    /// Opens `warmupConnections` connections at once; `beginArrivals` runs when all have answered.
    private func startWarmup() throws {
        for _ in 0..<plan.warmupConnections {
            let transfer = try makeTransfer(warmup: true)
            try transfer.prepare(requestID: 0, userID: nil, intendedStartNanos: 0)
            transfer.markStarted(atNanos: MonotonicClock.nowNanos())
            try transfer.multi.add(transfer.easy)
            warmupTransfers[ObjectIdentifier(transfer)] = transfer
        }
    }

    private func finishWarmup(_ transfer: Transfer) {
        warmupTransfers[ObjectIdentifier(transfer)] = nil
        if warmupTransfers.isEmpty && !arrivalsEnded {
            beginArrivals()
        } else if warmupTransfers.isEmpty {
            finishIfDone()
        }
    }

    // MARK: - Arrivals

    /// Sets the run's origin and admits the first requests.
    private func beginArrivals() {
        originNanos = MonotonicClock.nowNanos()
        switch plan.mode {
        case .open(let nextArrival):
            nextArrivalNanos = nextArrival()
            startDueRequests()
        case .closed(let users, _):
            addUsers(plan.userTarget?(0) ?? users, intendedStartNanos: 0)
            if let target = plan.userTarget {
                let timer = UVTimer(loop: loop) { [unowned self] in self.followUserTarget(target) }
                timer.start(delayMillis: 10, repeatMillis: 10)
                userTimer = timer
            } else if requestsIssued == 0 {
                endArrivals()
            }
        }
        finishIfDone()
    }

    // MARK: - Closed-loop users

    private func addUsers(_ count: Int, intendedStartNanos: UInt64) {
        for _ in 0..<max(count, 0) where !arrivalsEnded {
            let user = nextUserID
            nextUserID += 1
            liveUsers += 1
            issue(PendingStart(userID: user, intendedStartNanos: intendedStartNanos))
        }
    }

    /// Adds users up to the target now, or marks the excess to retire when their requests end.
    private func followUserTarget(_ target: (UInt64) -> Int) {
        let now = MonotonicClock.nowNanos() - originNanos
        if let duration = plan.durationNanos, now >= duration {
            endArrivals()
            finishIfDone()
            return
        }
        let wanted = target(now)
        let staying = liveUsers - usersToRetire
        if wanted > staying {
            let reprieved = min(usersToRetire, wanted - staying)
            usersToRetire -= reprieved
            addUsers(wanted - staying - reprieved, intendedStartNanos: now)
        } else if wanted < staying {
            usersToRetire += staying - wanted
        }
    }

    /// Starts every request whose intended time has come, then sleeps until the next one.
    private func startDueRequests() {
        let now = MonotonicClock.nowNanos() - originNanos
        while let retry = retryQueue.popDue(atNanos: now) {
            admit(retry)
        }
        if case .closed = plan.mode {
            while let next = thinking.first, next.intendedStartNanos <= now {
                _ = thinking.popFirst()
                issue(next)
            }
        } else if case .open(let nextArrival) = plan.mode {
            while !arrivalsEnded, let intended = nextArrivalNanos, intended <= now {
                issue(PendingStart(userID: nil, intendedStartNanos: intended))
                nextArrivalNanos = nextArrival()
            }
            if nextArrivalNanos == nil { endArrivals() }
        }
        armStartTimer()
        finishIfDone()
    }

    private func armStartTimer() {
        var due: UInt64?
        if case .open = plan.mode, !arrivalsEnded { due = nextArrivalNanos }
        if let thinker = thinking.first { due = min(due ?? .max, thinker.intendedStartNanos) }
        if let retry = retryQueue.firstDueNanos { due = min(due ?? .max, retry) }
        if let due {
            startTimer.arm(atMonotonicNanos: originNanos + due)
        } else {
            startTimer.disarm()
        }
    }

    /// Admits one request: starts it when a slot is free, queues it otherwise.
    private func issue(_ pending: PendingStart) {
        guard !arrivalsEnded else { return }
        if let limit = plan.maxRequests, requestsIssued >= limit {
            endArrivals()
            return
        }
        if let duration = plan.durationNanos, pending.intendedStartNanos >= duration {
            endArrivals()
            return
        }
        requestsIssued += 1
        if activeTransfers.count < maxInFlight {
            start(pending)
        } else if waitingForSlot.count < plan.maxQueued || pending.userID != nil {
            // Closed-loop users are never dropped: there are at most `users` of them.
            waitingForSlot.append(pending)
        } else {
            outcome.dropped += 1
            onDropped?(pending.intendedStartNanos)
        }
    }

    /// Starts a retry whose backoff ended when a slot is free, or queues it (never dropped: its
    /// request was admitted already).
    private func admit(_ retry: PendingStart) {
        if activeTransfers.count < maxInFlight {
            start(retry)
        } else {
            waitingForSlot.append(retry)
        }
    }

    private func start(_ pending: PendingStart) {
        let requestID: UInt64
        if let id = pending.requestID {
            requestID = id
        } else {
            requestID = nextRequestID
            nextRequestID += 1
        }
        do {
            let transfer = try idleTransfers.popLast() ?? makeTransfer(warmup: false)
            try transfer.prepare(requestID: requestID, userID: pending.userID, intendedStartNanos: pending.intendedStartNanos,
                                 attemptNumber: pending.attemptNumber)
            transfer.isInFlight = true
            transfer.markStarted(atNanos: MonotonicClock.nowNanos())
            try transfer.multi.add(transfer.easy)
            activeTransfers[ObjectIdentifier(transfer)] = transfer
            outcome.started += 1
            if pending.attemptNumber > 1 { outcome.retries += 1 }
            outcome.peakInFlight = max(outcome.peakInFlight, activeTransfers.count)
        } catch {
            // libcurl refused the handle (out of memory): record the attempt as failed and go on.
            let now = MonotonicClock.nowNanos() - originNanos
            var record = AttemptRecord(
                requestID: requestID, intendedStartNanos: pending.intendedStartNanos, startNanos: now, endNanos: now)
            record.userID = pending.userID
            record.attemptNumber = pending.attemptNumber
            record.errorClass = .connect
            record.errorMessage = "\(error)"
            outcome.started += 1
            outcome.completed += 1
            onAttempt(record)
        }
    }

    /// A new transfer, bound for life to one multi handle so that it keeps reusing the connections
    /// of that handle's cache. Handles fill up in turn, each with `connectionsPerMulti` transfers;
    /// the next is created when the last is full.
    ///
    /// With a connection limit L the shards are made up front instead: ⌈L / 1,024⌉ multi handles
    /// that split L between them exactly (each enforces its share with
    /// CURLMOPT_MAX_TOTAL_CONNECTIONS), and transfers are dealt to them in turn.
    private func makeTransfer(warmup: Bool) throws -> Transfer {
        let multi: CurlMulti
        if let limit = plan.maxConnections {
            if multis.isEmpty {
                let shards = (limit + Self.connectionsPerMulti - 1) / Self.connectionsPerMulti
                for shard in 0..<shards {
                    let share = limit / shards + (shard < limit % shards ? 1 : 0)
                    try addMulti(maxConnections: share, enforced: true)
                }
            }
            multi = multis[transfersCreated % multis.count]
        } else {
            let index = transfersCreated / Self.connectionsPerMulti
            if index == multis.count {
                try addMulti(maxConnections: Self.connectionsPerMulti, enforced: false)
            }
            multi = multis[index]
        }
        transfersCreated += 1
        return try Transfer(template: template, multi: multi, originNanos: originNanos,
                            timeoutWatch: warmup ? nil : timeoutWatch, warmup: warmup)
    }

    private func addMulti(maxConnections: Int, enforced: Bool) throws {
        let multi = try CurlMulti(loop: loop, maxConnections: maxConnections, enforceLimit: enforced,
                                  multiplex: template.httpVersion == .http2)
        multi.onCompleted = { [unowned self] completed in self.handleCompleted(completed) }
        multis.append(multi)
    }

    private func endArrivals() {
        guard !arrivalsEnded else { return }
        arrivalsEnded = true
        thinking.removeAll()
        userTimer?.stop()
        armStartTimer()
    }

    // MARK: - Completions

    private func handleCompleted(_ completed: [(easy: UnsafeMutableRawPointer, result: CURLcode)]) {
        let nowAbsolute = MonotonicClock.nowNanos()
        for (easy, result) in completed {
            var context: UnsafeMutableRawPointer?
            CLibUV_easy_getinfo_ptr(easy, CURLINFO_PRIVATE, &context)
            let finished = transfer(from: context)
            if warmupTransfers[ObjectIdentifier(finished)] != nil {
                finishWarmup(finished)
                continue
            }
            // Already recorded when a callback earlier in this batch cancelled the requests in flight.
            guard activeTransfers[ObjectIdentifier(finished)] != nil else { continue }
            finish(finished, record: finished.complete(result: result, atNanos: nowAbsolute), nowAbsolute: nowAbsolute)
        }
        afterCompletions()
    }

    /// The timeout watch gave up on an attempt (from its timer's callback, outside libcurl's calls).
    private func expired(_ transfer: Transfer, _ expiry: TimeoutWatch.Expiry) {
        guard activeTransfers[ObjectIdentifier(transfer)] != nil else { return }
        let nowAbsolute = MonotonicClock.nowNanos()
        transfer.multi.remove(transfer.easy)
        finish(transfer, record: transfer.expire(expiry, atNanos: nowAbsolute), nowAbsolute: nowAbsolute)
        afterCompletions()
    }

    /// Hands a finished attempt's record on, schedules its retry, and lets a closed-loop user go on.
    private func finish(_ transfer: Transfer, record finished: AttemptRecord, nowAbsolute: UInt64) {
        activeTransfers[ObjectIdentifier(transfer)] = nil
        transfer.isInFlight = false
        idleTransfers.append(transfer)
        var record = finished
        if let policy = plan.retry, !draining, policy.shouldRetry(record) {
            record.willRetry = true
            let delay = policy.delayNanos(
                afterAttempt: record.attemptNumber, retryAfterMillis: record.rateLimit?.retryAfterMillis, random: &random)
            let retry = PendingStart(
                userID: record.userID, intendedStartNanos: nowAbsolute - originNanos + delay,
                requestID: record.requestID, attemptNumber: record.attemptNumber + 1)
            retryQueue.push(retry, dueNanos: retry.intendedStartNanos)
        }
        outcome.completed += 1
        outcome.elapsedNanos = max(outcome.elapsedNanos, record.endNanos)
        onAttempt(record)
        guard !record.willRetry else { return }  // the user waits for its request's last attempt
        if case .closed = plan.mode, record.userID != nil, usersToRetire > 0 {
            usersToRetire -= 1
            liveUsers -= 1
        } else if case .closed(_, let thinkTimeNanos) = plan.mode, let user = record.userID, !arrivalsEnded {
            let readyNanos = nowAbsolute - originNanos + thinkTimeNanos
            if thinkTimeNanos == 0 {
                issue(PendingStart(userID: user, intendedStartNanos: readyNanos))
            } else {
                thinking.append(PendingStart(userID: user, intendedStartNanos: readyNanos))
            }
        }
    }

    /// After a batch of completions: fill the free slots from the queue, re-arm the start timer.
    private func afterCompletions() {
        while activeTransfers.count < maxInFlight, let next = waitingForSlot.popFirst() {
            start(next)
        }
        armStartTimer()
        finishIfDone()
    }

    // MARK: - Ending

    private func finishIfDone() {
        guard arrivalsEnded, activeTransfers.isEmpty, waitingForSlot.isEmpty, retryQueue.isEmpty, warmupTransfers.isEmpty,
              !finishing
        else { return }
        finishing = true
        // Shut down from a timer callback of our own, never from inside a curl callback chain.
        finishTimer.start(delayMillis: 0)
    }

    private func shutDown() {
        reportProgress()
        startTimer.close()
        timeoutWatch.close()
        tickTimer.close()
        finishTimer.close()
        graceTimer.close()
        userTimer?.close()
        signalWatcher?.close()
        idleTransfers.removeAll()
        for multi in multis { multi.close() }
    }

    // MARK: - Stopping from callbacks

    /// Ends the run early as a first interrupt would, without a signal: no new arrivals, arrivals
    /// waiting for a slot are never started (`RunOutcome.neverStarted`), requests in flight finish.
    /// Call it from `onAttempt`, `onTick` or `onDropped` (the loop's thread) only.
    /// - Parameter reason: why, reported in `RunOutcome.stopReason` (the first reason wins).
    public func stopArrivals(reason: String) {
        if outcome.stopReason == nil { outcome.stopReason = reason }
        drain()
        startGraceTimer()
        finishIfDone()
    }

    /// Stops arrivals and retries: what waits for a slot or for its backoff never starts.
    private func drain() {
        draining = true
        endArrivals()
        outcome.neverStarted += waitingForSlot.count + retryQueue.count
        waitingForSlot.removeAll()
        retryQueue.removeAll()
        armStartTimer()
    }

    /// Cancels every request in flight (each recorded as `cancelled`) after stopping arrivals.
    /// Call it from the loop's thread only, like ``stopArrivals(reason:)``.
    public func cancelInFlight(reason: String) {
        stopArrivals(reason: reason)
        cancelActiveTransfers()
        finishIfDone()
    }

    private func cancelActiveTransfers() {
        let now = MonotonicClock.nowNanos()
        for transfer in activeTransfers.values.sorted(by: { $0.record.requestID < $1.record.requestID }) {
            transfer.multi.remove(transfer.easy)
            transfer.isInFlight = false
            let record = transfer.cancel(atNanos: now)
            outcome.completed += 1
            outcome.cancelled += 1
            onAttempt(record)
            idleTransfers.append(transfer)
        }
        activeTransfers.removeAll()
    }

    private func interrupt(signal: Int32) {
        interruptions += 1
        outcome.interruptedBySignal = signal
        if interruptions == 1 {
            drain()
            startGraceTimer()
        } else {
            cancelActiveTransfers()
        }
        finishIfDone()
    }

    /// Starts the drain grace period once, when arrivals stop early.
    private func startGraceTimer() {
        guard let grace = drainGraceMillis, !graceStarted, !finishing else { return }
        graceStarted = true
        graceTimer.start(delayMillis: grace)
    }

    private func graceExpired() {
        guard !activeTransfers.isEmpty else { return }
        outcome.graceExpired = true
        cancelActiveTransfers()
        finishIfDone()
    }

    private func reportProgress() {
        var users: Int?
        if case .closed = plan.mode { users = liveUsers - usersToRetire }
        onTick?(
            RunProgress(
                elapsedNanos: MonotonicClock.nowNanos() - originNanos,
                started: outcome.started,
                completed: outcome.completed,
                inFlight: activeTransfers.count,
                queued: waitingForSlot.count,
                stopping: arrivalsEnded,
                users: users,
                interrupted: interruptions > 0))
    }
}

/// curl_global_init must run once per process before any other libcurl call, and it is not thread-safe.
enum CurlGlobal {
    private static let initialized: Bool = {
        curl_global_init(Int(CURL_GLOBAL_ALL))
        return true
    }()

    static func initializeOnce() {
        _ = initialized
    }
}
