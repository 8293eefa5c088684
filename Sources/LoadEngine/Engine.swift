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
/// The engine is an adapter: libuv and libcurl callbacks become events of its ``RunController``
/// (which decides what starts, waits, is dropped, retried, stopped or cancelled), and the
/// controller's commands become libcurl calls (through a ``TransferPool``) and timer settings.
///
/// Every attempt ends in exactly one call of `onAttempt` (success, failure or cancellation), on the loop's
/// thread, in completion order. State lives in this instance: one engine per thread, never shared.
public final class Engine {
    /// Receives each finished attempt.
    public var onAttempt: (AttemptRecord) -> Void = { _ in }
    /// Receives the arrivals dropped because the wait queue was full, counted together (at most one
    /// call per 100 ms, and one when arrivals end).
    public var onDropped: ((DroppedArrivals) -> Void)?
    /// Receives a progress snapshot every `tickIntervalMillis`.
    public var onTick: ((RunProgress) -> Void)?
    public var tickIntervalMillis: UInt64 = 500
    /// Handle SIGINT/SIGTERM: the first stops new arrivals and lets requests in flight finish, the second
    /// cancels them (recorded as `cancelled`).
    public var handlesSignals = false
    /// After arrivals stop early (a first interrupt, or ``stopArrivals(reason:)``), attempts still in
    /// flight this long afterwards are cancelled, as a second interrupt would. Nil: wait for them.
    public var drainGraceMillis: UInt64?
    /// Bounds on the controller's work per wake (tests lower them).
    var tuning = RunController.Tuning()
    /// A test knob: keeps the loop thread deliberately busy (``LoopStall``), to check that the
    /// client self-check calls a starved client saturated. Nil (the default) in every real run.
    public var loopStall: LoopStall?
    /// Lets other threads stop this engine (``postStopArrivals(reason:)``,
    /// ``postCancelInFlight(reason:)``) through a libuv async handle; off (no handle) by default.
    /// `--workers N` turns it on for each worker's engine.
    public var acceptsCrossThreadStops = false
    /// The origin shared with other engines (``LoadPlan/sharedOriginNanos``), set just before
    /// ``run()``; nil keeps the plan's.
    public var sharedOriginNanos: UInt64?
    private let crossThreadStops = CrossThreadStops()

    private let template: RequestTemplate
    private let plan: LoadPlan
    private let loop: UVLoop
    /// Attempts in flight at most: the plan's, capped by its connection limit under HTTP/1.1.
    private let maxInFlight: Int
    private var controller: RunController?
    private var pool: TransferPool!
    private var wakeTimer: PreciseTimer!
    private var tickTimer: UVTimer!
    private var finishTimer: UVTimer!
    /// TTFT and idle timeouts, and streams left open after their end event.
    private var timeoutWatch: TimeoutWatch!
    private var signalWatcher: SignalWatcher?
    private var stallTimer: UVTimer?
    private var setupError: Error?
    /// When the loop started running (monotonic), for its busy fraction.
    private var loopStartNanos: UInt64 = 0

    /// The monotonic time all record timestamps are relative to.
    public var originNanos: UInt64 { controller?.originNanos ?? 0 }
    /// Attempts in flight now (in `onAttempt`: not counting the attempt being reported).
    public var inFlightCount: Int { controller?.inFlight ?? 0 }

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
        loop = try UVLoop()
        loop.enableIdleTime()
    }

    /// The loop's busy fraction since it started: 1 − idle time ÷ wall time (0...1), from libuv's
    /// idle-time metric; nil before the run or where libuv lacks the metric.
    public func loopBusyFraction(atNanos now: UInt64 = MonotonicClock.nowNanos()) -> Double? {
        guard loopStartNanos > 0, now > loopStartNanos, let idle = loop.idleNanos else { return nil }
        return LoopBusy.fraction(idleNanos: idle, wallNanos: now - loopStartNanos)
    }

    /// Runs the plan to its end. Blocks the calling thread.
    public func run() throws -> RunOutcome {
        var plan = self.plan
        if let sharedOriginNanos { plan.sharedOriginNanos = sharedOriginNanos }
        let controller = RunController(plan: plan, maxInFlight: maxInFlight,
                                       graceNanos: drainGraceMillis.map { $0 * 1_000_000 }, tuning: tuning)
        self.controller = controller
        wakeTimer = try PreciseTimer(loop: loop) { [unowned self] in self.send(.wake) }
        finishTimer = UVTimer(loop: loop) { [unowned self] in self.shutDown() }
        tickTimer = UVTimer(loop: loop) { [unowned self] in self.reportProgress() }
        timeoutWatch = TimeoutWatch(
            loop: loop, ttftTimeoutNanos: template.ttftTimeoutNanos, idleTimeoutNanos: template.idleTimeoutNanos
        ) { [unowned self] transfer, expiry in
            self.expired(transfer, expiry)
        }
        let multis = MultiHandleGroup(loop: loop, maxConnections: plan.maxConnections,
                                      multiplex: template.httpVersion == .http2) { [unowned self] completed in
            self.handleCompleted(completed)
        }
        pool = TransferPool(template: template, multis: multis, timeoutWatch: timeoutWatch)
        if onTick != nil {
            tickTimer.start(delayMillis: tickIntervalMillis, repeatMillis: tickIntervalMillis)
        }
        if handlesSignals {
            signalWatcher = SignalWatcher(loop: loop, signals: [SIGINT, SIGTERM]) { [unowned self] signal in
                self.send(.signal(signal))
            }
        }
        if let loopStall {
            let stall = UVTimer(loop: loop) { loopStall.spin() }
            stall.start(delayMillis: loopStall.everyMillis, repeatMillis: loopStall.everyMillis)
            stallTimer = stall
        }
        if acceptsCrossThreadStops {
            crossThreadStops.open(loop: loop) { [unowned self] requests in
                for request in requests {
                    switch request {
                    case .stopArrivals(let reason): self.send(.stopArrivals(reason: reason))
                    case .cancelInFlight(let reason): self.send(.cancelInFlight(reason: reason))
                    }
                }
            }
        }
        loopStartNanos = MonotonicClock.nowNanos()
        send(.begin)
        if let setupError { throw setupError }
        loop.run()
        var outcome = controller.outcome
        outcome.loopBusyFraction = loopBusyFraction()
        outcome.loopCloseStatus = loop.close()
        return outcome
    }

    // MARK: - Stopping from callbacks

    /// Ends the run early as a first interrupt would, without a signal: no new arrivals, arrivals
    /// waiting for a slot are never started (`RunOutcome.neverStarted`), requests in flight finish.
    /// Call it from `onAttempt`, `onTick` or `onDropped` (the loop's thread) only.
    /// - Parameter reason: why, reported in `RunOutcome.stopReason` (the first reason wins).
    public func stopArrivals(reason: String) {
        send(.stopArrivals(reason: reason))
    }

    /// Cancels every request in flight (each recorded as `cancelled`, with `reason` as its
    /// `cancelReason`) after stopping arrivals. Call it from the loop's thread only, like
    /// ``stopArrivals(reason:)``.
    public func cancelInFlight(reason: String) {
        send(.cancelInFlight(reason: reason))
    }

    /// ``stopArrivals(reason:)`` from any thread: delivered on the loop's next iteration (or when
    /// the run starts); ignored once it has ended. Needs ``acceptsCrossThreadStops``.
    public func postStopArrivals(reason: String) {
        precondition(acceptsCrossThreadStops, "postStopArrivals needs acceptsCrossThreadStops")
        crossThreadStops.post(.stopArrivals(reason: reason))
    }

    /// ``cancelInFlight(reason:)`` from any thread, delivered like ``postStopArrivals(reason:)``.
    public func postCancelInFlight(reason: String) {
        precondition(acceptsCrossThreadStops, "postCancelInFlight needs acceptsCrossThreadStops")
        crossThreadStops.post(.cancelInFlight(reason: reason))
    }

    // MARK: - Events in, commands out

    private func send(_ event: ControllerEvent) {
        guard let controller else { return }
        execute(controller.handle(event, at: MonotonicClock.nowNanos()))
    }

    private func execute(_ commands: [ControllerCommand]) {
        guard let controller else { return }
        var ended = false
        for command in commands {
            switch command {
            case .openWarmup(let connections):
                do { try pool.openWarmup(connections) } catch { setupError = error }
            case .start(let attempt):
                if let refused = pool.start(attempt, originNanos: controller.originNanos) {
                    execute(controller.handle(.attemptEnded(refused), at: MonotonicClock.nowNanos()))
                    ended = true
                }
            case .report(let record):
                onAttempt(record)
            case .cancelInFlight(let reason):
                cancelInFlightTransfers(reason)
                ended = true
            case .dropped(let drops):
                onDropped?(drops)
            case .armWake(let nanos):
                wakeTimer.arm(atMonotonicNanos: nanos)
            case .disarmWake:
                wakeTimer.disarm()
            case .finish:
                // Shut down from a timer callback of our own, never from inside a curl callback chain.
                finishTimer.start(delayMillis: 0)
            }
        }
        if ended { send(.settle) }
    }

    // MARK: - Completions

    private func handleCompleted(_ completed: [(easy: UnsafeMutableRawPointer, result: CURLcode)]) {
        guard let controller else { return }
        let now = MonotonicClock.nowNanos()
        for (easy, result) in completed {
            var context: UnsafeMutableRawPointer?
            CLibUV_easy_getinfo_ptr(easy, CURLINFO_PRIVATE, &context)
            let finished = transfer(from: context)
            if pool.endWarmup(finished) {
                execute(controller.handle(.warmupEnded, at: now))
                continue
            }
            // Already recorded when a callback earlier in this batch cancelled the requests in flight.
            guard pool.release(finished) else { continue }
            execute(controller.handle(.attemptEnded(finished.complete(result: result, atNanos: now)), at: now))
        }
        send(.settle)
    }

    /// The timeout watch gave up on an attempt (from its timer's callback, outside libcurl's calls).
    private func expired(_ transfer: Transfer, _ expiry: TimeoutWatch.Expiry) {
        guard let controller, pool.isActive(transfer) else { return }
        let now = MonotonicClock.nowNanos()
        transfer.multi.remove(transfer.easy)
        _ = pool.release(transfer)
        execute(controller.handle(.attemptEnded(transfer.expire(expiry, atNanos: now)), at: now))
        send(.settle)
    }

    private func cancelInFlightTransfers(_ reason: CancelReason) {
        guard let controller else { return }
        let now = MonotonicClock.nowNanos()
        for transfer in pool.removeAllActive() {
            var record = transfer.cancel(atNanos: now, reason: "cancelled: \(reason.text)")
            record.cancelReason = reason.text
            execute(controller.handle(.attemptEnded(record), at: now))
        }
    }

    // MARK: - Ending

    private func shutDown() {
        reportProgress()
        wakeTimer.close()
        timeoutWatch.close()
        tickTimer.close()
        finishTimer.close()
        signalWatcher?.close()
        stallTimer?.close()
        crossThreadStops.close()
        pool.close()
    }

    private func reportProgress() {
        guard let controller, let onTick else { return }
        let now = MonotonicClock.nowNanos()
        var progress = controller.progress(at: now)
        progress.loopNanos = now - min(loopStartNanos, now)
        progress.loopIdleNanos = loop.idleNanos
        onTick(progress)
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
