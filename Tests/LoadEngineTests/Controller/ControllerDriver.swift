@testable import LoadEngine
import LoadCore
import XCTest

/// Drives a ``RunController`` on a fake clock: every event at an exact time, no I/O, no sleeping.
/// Keeps the attempts it was told to start, so tests can end them by request id.
final class ControllerDriver {
    let controller: RunController
    /// The fake clock's time of the last event (absolute); the run's origin is at `t0` unless warm-up moves it.
    private(set) var now: UInt64
    static let t0: UInt64 = 5_000_000_000
    /// Attempts started and not yet ended, by request id (the latest attempt).
    private(set) var running: [UInt64: AttemptStart] = [:]
    /// Every command so far, with the time of the event that produced it.
    private(set) var history: [(at: UInt64, command: ControllerCommand)] = []

    init(_ plan: LoadPlan, maxInFlight: Int? = nil, graceNanos: UInt64? = nil,
         tuning: RunController.Tuning = RunController.Tuning()) {
        controller = RunController(plan: plan, maxInFlight: maxInFlight ?? plan.maxInFlight, graceNanos: graceNanos,
                                   tuning: tuning)
        now = Self.t0
    }

    var origin: UInt64 { controller.originNanos }
    var phase: RunPhase { controller.phase }
    var outcome: RunOutcome { controller.outcome }

    /// Sends `event` at `runNanos` after the origin (`t0` before the origin is set) and returns its commands.
    @discardableResult
    func send(_ event: ControllerEvent, atRun runNanos: UInt64, file: StaticString = #filePath, line: UInt = #line)
        -> [ControllerCommand]
    {
        let base = origin == 0 ? Self.t0 : origin
        let at = base + runNanos
        XCTAssertGreaterThanOrEqual(at, now, "the fake clock never goes back", file: file, line: line)
        now = at
        let commands = controller.handle(event, at: at)
        for command in commands {
            history.append((at, command))
            if case .start(let attempt) = command { running[attempt.requestID] = attempt }
        }
        return commands
    }

    /// The record of a started attempt ending at `runNanos`, with an error class when given.
    func record(of requestID: UInt64, endingAtRun runNanos: UInt64, error: ErrorClass? = nil,
                startedAtRun startNanos: UInt64? = nil, retryAfterMillis: Double? = nil) -> AttemptRecord {
        let attempt = running[requestID]!
        var record = AttemptRecord(requestID: requestID, intendedStartNanos: attempt.intendedStartNanos,
                                   startNanos: startNanos ?? attempt.intendedStartNanos, endNanos: runNanos)
        record.userID = attempt.userID
        record.attemptNumber = attempt.attemptNumber
        record.errorClass = error
        record.status = error == nil ? 200 : (error == .http5xx ? 500 : (error == .http429 ? 429 : 0))
        if let retryAfterMillis { record.rateLimit = RateLimitSnapshot(retryAfterMillis: retryAfterMillis) }
        return record
    }

    /// Ends a started attempt (as the engine does: the attempt's end, then a settle at the same time)
    /// and returns both events' commands.
    @discardableResult
    func end(_ requestID: UInt64, atRun runNanos: UInt64, error: ErrorClass? = nil, startedAtRun: UInt64? = nil,
             retryAfterMillis: Double? = nil) -> [ControllerCommand] {
        let ended = record(of: requestID, endingAtRun: runNanos, error: error, startedAtRun: startedAtRun,
                           retryAfterMillis: retryAfterMillis)
        running[requestID] = nil
        return send(.attemptEnded(ended), atRun: runNanos) + send(.settle, atRun: runNanos)
    }

    /// Carries out a `cancelInFlight` command as the engine does: every running attempt ends
    /// cancelled at `runNanos` with the reason, in request order, then a settle.
    func cancelRunning(_ reason: CancelReason, atRun runNanos: UInt64) -> [ControllerCommand] {
        var commands: [ControllerCommand] = []
        for id in running.keys.sorted() {
            var cancelled = record(of: id, endingAtRun: runNanos, error: .cancelled)
            cancelled.status = 0
            cancelled.cancelReason = reason.text
            running[id] = nil
            commands += send(.attemptEnded(cancelled), atRun: runNanos)
        }
        return commands + send(.settle, atRun: runNanos)
    }

    /// The records reported in `commands`.
    static func reports(_ commands: [ControllerCommand]) -> [AttemptRecord] {
        commands.compactMap { if case .report(let record) = $0 { return record } else { return nil } }
    }

    /// The starts in `commands`.
    static func starts(_ commands: [ControllerCommand]) -> [AttemptStart] {
        commands.compactMap { if case .start(let attempt) = $0 { return attempt } else { return nil } }
    }
}

/// Milliseconds as nanoseconds.
func ms(_ value: UInt64) -> UInt64 { value * 1_000_000 }
/// Microseconds as nanoseconds.
func us(_ value: UInt64) -> UInt64 { value * 1_000 }

/// An open-loop schedule from a list of intended starts (nil after the last).
func arrivals(_ times: [UInt64]) -> () -> UInt64? {
    var index = 0
    return {
        defer { index += 1 }
        return index < times.count ? times[index] : nil
    }
}

/// A first attempt as the controller starts it.
func first(_ requestID: UInt64, at intended: UInt64, user: Int? = nil) -> ControllerCommand {
    .start(AttemptStart(requestID: requestID, userID: user, intendedStartNanos: intended, attemptNumber: 1))
}
