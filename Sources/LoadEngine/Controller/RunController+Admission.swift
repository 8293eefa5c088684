import LoadCore

/// Admission: open-loop arrivals, retries, the wait queue, drops and starts.
extension RunController {
    /// Starts queued requests while slots are free (FIFO, intended starts kept).
    func fillFreeSlots() {
        while inFlightBelowLimit, let next = waiting.popFirst() {
            start(next)
        }
    }

    /// Retries whose backoff has ended start when a slot is free and queue otherwise; they were
    /// admitted as requests already, so they are never dropped and do not count toward `max_requests`.
    func admitDueRetries(at now: UInt64) {
        while admissionsLeft > 0, let retry = retries.popDue(atNanos: runTime(now)) {
            admissionsLeft -= 1
            if inFlightBelowLimit && waiting.isEmpty {
                start(retry)
            } else {
                waiting.append(retry)
            }
        }
    }

    /// Open loop: admits the arrivals whose intended start has come, at most the wake's budget.
    func admitDueArrivals(at now: UInt64) {
        guard case .open(let nextArrival) = plan.mode else { return }
        let runNow = runTime(now)
        while admissionsLeft > 0, phase == .running, let intended = nextArrivalNanos, intended <= runNow {
            admissionsLeft -= 1
            issue(AttemptStart(requestID: 0, userID: nil, intendedStartNanos: intended, attemptNumber: 1))
            nextArrivalNanos = nextArrival()
        }
        if phase == .running && nextArrivalNanos == nil { endArrivals() }
    }

    /// Ends arrivals at the duration. An open loop still behind its schedule then goes on admitting
    /// the arrivals intended before the duration, late (their lag shows), while they can start or
    /// wait; once the next would be dropped anyway (every slot and the queue full: a flood), the
    /// rest of the schedule is not offered, and the run says so.
    func endArrivalsIfOver(at now: UInt64) {
        guard phase == .running, let duration = plan.durationNanos, runTime(now) >= duration else { return }
        if case .open = plan.mode, let next = nextArrivalNanos, next < duration {
            guard inFlight >= maxInFlight && waiting.count >= plan.maxQueued else { return }
            if outcome.stopReason == nil {
                outcome.stopReason = "the open-loop schedule could not be kept: at the end of the duration every "
                    + "slot and the queue were full, and the arrivals from \(DurationFormat.format(nanos: next)) on "
                    + "were never offered (lower the rate, or raise limits.max_in_flight)"
            }
        }
        endArrivals()
    }

    /// Admits one request: starts it when a slot is free, queues it, or drops it (open loop) when
    /// the queue is full too.
    func issue(_ pending: AttemptStart) {
        guard phase == .running else { return }
        if let limit = plan.maxRequests, requestsIssued >= limit {
            endArrivals()
            return
        }
        if let duration = plan.durationNanos, pending.intendedStartNanos >= duration {
            endArrivals()
            return
        }
        requestsIssued += 1
        if inFlightBelowLimit && waiting.isEmpty {
            start(pending)
        } else if waiting.count < plan.maxQueued || pending.userID != nil {
            // Closed-loop users are never dropped: there are at most `users` of them.
            waiting.append(pending)
        } else {
            drop(intendedNanos: pending.intendedStartNanos)
        }
    }

    private var inFlightBelowLimit: Bool { inFlight < maxInFlight }

    /// Starts an attempt: a first attempt gets the next request id (numbered run-wide when the plan
    /// is a slice: the slice's j-th request is j·N + i).
    func start(_ pending: AttemptStart) {
        var attempt = pending
        if attempt.attemptNumber == 1 {
            attempt.requestID = plan.slice.globalNumber(local: nextRequestID)
            nextRequestID += 1
        } else {
            outcome.retries += 1
        }
        inFlight += 1
        outcome.started += 1
        outcome.peakInFlight = max(outcome.peakInFlight, inFlight)
        emit(.start(attempt))
    }

    private func drop(intendedNanos: UInt64) {
        outcome.dropped += 1
        if drops == nil {
            drops = DroppedArrivals(count: 0, firstIntendedNanos: intendedNanos, lastIntendedNanos: intendedNanos)
            dropsSinceNanos = now
        }
        drops?.add(intendedNanos: intendedNanos)
    }

    /// Reports the drops counted since the last report when it is due (or `force`).
    func reportDrops(at now: UInt64, force: Bool) {
        guard let pending = drops else { return }
        guard force || now >= dropsSinceNanos + tuning.dropReportIntervalNanos else { return }
        drops = nil
        emit(.dropped(pending))
    }
}
