import LoadCore

/// The engine's transfers: those carrying an attempt, the idle ones kept for reuse (an easy
/// handle keeps its options, so the next attempt only changes the body when prompts rotate), and
/// the warm-up transfers (a GET each, answer ignored, discarded after).
final class TransferPool {
    private let template: RequestTemplate
    private let multis: MultiHandleGroup
    private let timeoutWatch: TimeoutWatch
    private var idle: [Transfer] = []
    private var active: [ObjectIdentifier: Transfer] = [:]
    private var warmup: [ObjectIdentifier: Transfer] = [:]

    init(template: RequestTemplate, multis: MultiHandleGroup, timeoutWatch: TimeoutWatch) {
        self.template = template
        self.multis = multis
        self.timeoutWatch = timeoutWatch
    }

    /// Opens `count` warm-up connections at once.
    func openWarmup(_ count: Int) throws {
        for _ in 0..<count {
            let transfer = try Transfer(template: template, multi: multis.multiForNewTransfer(), originNanos: 0,
                                        timeoutWatch: nil, warmup: true)
            try transfer.prepare(requestID: 0, userID: nil, intendedStartNanos: 0)
            transfer.markStarted(atNanos: MonotonicClock.nowNanos())
            try transfer.multi.add(transfer.easy)
            warmup[ObjectIdentifier(transfer)] = transfer
        }
    }

    /// True when `transfer` was a warm-up transfer (now ended and discarded).
    func endWarmup(_ transfer: Transfer) -> Bool {
        warmup.removeValue(forKey: ObjectIdentifier(transfer)) != nil
    }

    /// Hands an attempt to libcurl on an idle transfer (or a new one).
    /// - Returns: the attempt's record when libcurl refused it (out of memory), nil when it started.
    func start(_ attempt: AttemptStart, originNanos: UInt64) -> AttemptRecord? {
        do {
            let transfer = try idle.popLast()
                ?? Transfer(template: template, multi: multis.multiForNewTransfer(), originNanos: originNanos,
                            timeoutWatch: timeoutWatch)
            try transfer.prepare(requestID: attempt.requestID, userID: attempt.userID,
                                 intendedStartNanos: attempt.intendedStartNanos, attemptNumber: attempt.attemptNumber)
            transfer.isInFlight = true
            transfer.markStarted(atNanos: MonotonicClock.nowNanos())
            do {
                try transfer.multi.add(transfer.easy)
            } catch {
                transfer.isInFlight = false
                idle.append(transfer)
                throw error
            }
            active[ObjectIdentifier(transfer)] = transfer
            return nil
        } catch {
            let now = MonotonicClock.nowNanos()
            let runNow = now > originNanos ? now - originNanos : 0
            var record = AttemptRecord(requestID: attempt.requestID, intendedStartNanos: attempt.intendedStartNanos,
                                       startNanos: runNow, endNanos: runNow)
            record.userID = attempt.userID
            record.attemptNumber = attempt.attemptNumber
            record.errorClass = .connect
            record.errorMessage = "\(error)"
            return record
        }
    }

    /// Moves a transfer whose attempt ended back to the idle list.
    /// - Returns: false when it was not carrying an attempt (already recorded, e.g. cancelled).
    func release(_ transfer: Transfer) -> Bool {
        guard active.removeValue(forKey: ObjectIdentifier(transfer)) != nil else { return false }
        transfer.isInFlight = false
        idle.append(transfer)
        return true
    }

    /// True while `transfer` carries an attempt.
    func isActive(_ transfer: Transfer) -> Bool {
        active[ObjectIdentifier(transfer)] != nil
    }

    /// Takes every attempt out of libcurl, in request order, and returns their transfers (now idle).
    func removeAllActive() -> [Transfer] {
        let transfers = active.values.sorted { $0.record.requestID < $1.record.requestID }
        for transfer in transfers {
            transfer.multi.remove(transfer.easy)
            _ = release(transfer)
        }
        return transfers
    }

    /// Frees the idle transfers (every attempt must have ended), then the multi handles.
    func close() {
        idle.removeAll()
        multis.close()
    }
}
