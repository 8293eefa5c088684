import LoadCore

/// Early stops: signals, stops asked for by callbacks, and the end of arrivals.
extension RunController {
    /// SIGINT or SIGTERM: the first stops arrivals, the second cancels what is in flight.
    func interrupt(_ signal: Int32, at now: UInt64) {
        outcome.interruptedBySignal = signal
        if case .stopping(var stopping) = phase {
            stopping.interrupts += 1
            phase = .stopping(stopping)
            if stopping.interrupts >= 2 && inFlight > 0 { emit(.cancelInFlight(.secondInterrupt)) }
        } else {
            enterStopping(at: now)
            if case .stopping(var stopping) = phase {
                stopping.interrupts = 1
                phase = .stopping(stopping)
            }
        }
        settle(at: now)
    }

    /// A stop asked for by a callback; the first reason wins.
    func stop(reason: String, at now: UInt64) {
        if outcome.stopReason == nil { outcome.stopReason = reason }
        enterStopping(at: now)
    }

    /// Nothing starts any more: what waits for a slot or for its backoff never starts.
    private func enterStopping(at now: UInt64) {
        switch phase {
        case .notStarted, .warmingUp, .running, .arrivalsEnded:
            break
        case .stopping, .finished:
            return
        }
        outcome.neverStarted += waiting.count + retries.count
        waiting.removeAll()
        retries.removeAll()
        clearUsers()
        nextArrivalNanos = nil
        phase = .stopping(.init(interrupts: 0, graceDeadlineNanos: graceNanos.map { now + $0 }))
    }

    /// The schedule is over: nothing new arrives; what was admitted goes on.
    func endArrivals() {
        guard phase == .running else { return }
        clearUsers()
        nextArrivalNanos = nil
        phase = .arrivalsEnded
    }
}
