import LoadCore
import LoadEngine

/// Turns a profile's load settings into the engine's plan.
enum PlanFactory {
    static func plan(_ profile: Profile) throws -> LoadPlan {
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
            let levels = Set(load.stages.flatMap { [$0.level.start, $0.level.end] })
            guard levels.count == 1 else {
                throw CLIError(
                    "closed-loop stages with changing user counts are not supported yet; use one user count",
                    exitCode: 2)
            }
            return LoadPlan(
                mode: .closed(users: users.maxUsers, thinkTimeNanos: load.thinkTimeNanos),
                durationNanos: users.endNanos,
                maxRequests: profile.limits.maxRequests,
                maxInFlight: profile.limits.maxInFlight,
                maxQueued: profile.limits.maxQueued)
        }
    }
}
