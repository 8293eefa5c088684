import LoadCore
import LoadEngine

/// Turns a profile's load settings into the engine's plan.
enum PlanFactory {
    static func plan(_ profile: Profile) throws -> LoadPlan {
        var plan = try loadPlan(profile)
        plan.maxConnections = profile.limits.maxConnections
        plan.retry = profile.retries
        plan.seed = profile.seed
        return plan
    }

    private static func loadPlan(_ profile: Profile) throws -> LoadPlan {
        let load = profile.load
        switch load.mode {
        case .open:
            var schedule = load.makeArrivalSchedule(seed: profile.seed)
            return LoadPlan(
                mode: .open(nextArrivalNanos: { schedule.next() }),
                durationNanos: load.totalDurationNanos,
                maxRequests: profile.limits.maxRequests,
                maxInFlight: profile.limits.maxInFlight,
                maxQueued: profile.limits.maxQueued)
        case .closed:
            let users = ClosedLoopPlan(stages: load.stages, maxRequests: profile.limits.maxRequests)
            var plan = LoadPlan(
                mode: .closed(users: users.maxUsers, thinkTimeNanos: load.thinkTimeNanos),
                durationNanos: users.endNanos,
                maxRequests: profile.limits.maxRequests,
                maxInFlight: profile.limits.maxInFlight,
                maxQueued: profile.limits.maxQueued)
            let levels = Set(load.stages.flatMap { [$0.level.start, $0.level.end] })
            if levels.count > 1 {
                // Users ramp or step between stages: the engine follows the plan's count over time.
                plan.userTarget = { users.users(atNanos: $0) }
            }
            return plan
        }
    }
}
