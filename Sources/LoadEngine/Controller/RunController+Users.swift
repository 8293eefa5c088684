import LoadCore

/// Closed loop: users that send a request, wait for its end (and its retries), think, and repeat;
/// ramps that add and retire users; the backoff after a client-side error.
extension RunController {
    /// Creates users; each sends its first request as soon as the wake's budget allows.
    func addUsers(_ count: Int, atRunNanos runNanos: UInt64) {
        guard count > 0 else { return }
        liveUsers += count
        usersToAdd += count
        usersAddedAtNanos = runNanos
    }

    /// Follows the user target, then lets users whose thinking (or backoff) is over, and new users,
    /// send their next request, within the wake's budget.
    func followUsers(at now: UInt64) {
        guard plan.isClosedLoop else { return }
        let runNow = runTime(now)
        if let target = plan.userTarget, let check = nextTargetCheckNanos, runNow >= check {
            let next = check + tuning.userTargetIntervalNanos
            nextTargetCheckNanos = next > runNow ? next : runNow + tuning.userTargetIntervalNanos
            follow(target(runNow), atRunNanos: runNow)
        }
        while admissionsLeft > 0, phase == .running, let next = thinking.first, next.intendedStartNanos <= runNow {
            admissionsLeft -= 1
            _ = thinking.popFirst()
            issue(next)
        }
        while admissionsLeft > 0, phase == .running, let next = backingOff.popDue(atNanos: runNow) {
            admissionsLeft -= 1
            issue(next)
        }
        while admissionsLeft > 0, phase == .running, usersToAdd > 0 {
            admissionsLeft -= 1
            usersToAdd -= 1
            let user = plan.slice.globalNumber(local: nextUserID)
            nextUserID += 1
            issue(AttemptStart(requestID: 0, userID: user, intendedStartNanos: usersAddedAtNanos, attemptNumber: 1))
        }
        if phase == .running, plan.userTarget == nil, liveUsers == 0 { endArrivals() }
    }

    /// Adds users up to `wanted` now, or marks the excess to retire as their requests end (users not
    /// yet started go first).
    private func follow(_ wanted: Int, atRunNanos runNanos: UInt64) {
        let staying = liveUsers - usersToRetire
        if wanted > staying {
            let reprieved = min(usersToRetire, wanted - staying)
            usersToRetire -= reprieved
            addUsers(wanted - staying - reprieved, atRunNanos: runNanos)
        } else if wanted < staying {
            var excess = staying - wanted
            let unstarted = min(usersToAdd, excess)
            usersToAdd -= unstarted
            liveUsers -= unstarted
            excess -= unstarted
            usersToRetire += excess
        }
    }

    /// A user's request ended (its last attempt): the user retires, or thinks and goes on, after a
    /// backoff when the attempt failed on the client's side.
    func userFinishedRequest(_ user: Int, lastAttempt record: AttemptRecord, at now: UInt64) {
        guard case .closed(_, let thinkTimeNanos) = plan.mode else { return }
        var streak = 0
        if ClientErrorBackoff.isClientSide(record) {
            streak = (clientErrorStreaks[user] ?? 0) + 1
            clientErrorStreaks[user] = streak
        } else if !clientErrorStreaks.isEmpty {
            clientErrorStreaks[user] = nil
        }
        if usersToRetire > 0 {
            usersToRetire -= 1
            liveUsers -= 1
            if streak > 0 { clientErrorStreaks[user] = nil }
            return
        }
        guard phase == .running else { return }
        let ready = runTime(now) + thinkTimeNanos
        if streak > 0 {
            let due = ready + tuning.clientErrorBackoff.delayNanos(streak: streak, random: &backoffRandom)
            backingOff.push(AttemptStart(requestID: 0, userID: user, intendedStartNanos: due, attemptNumber: 1), dueNanos: due)
        } else {
            thinking.append(AttemptStart(requestID: 0, userID: user, intendedStartNanos: ready, attemptNumber: 1))
        }
    }

    /// Arrivals are over: no user sends again.
    func clearUsers() {
        thinking.removeAll()
        backingOff.removeAll()
        liveUsers -= usersToAdd
        usersToAdd = 0
        nextTargetCheckNanos = nil
    }
}
