import LoadCore
import LoadEngine

/// Turns a profile's load settings into the engine's plan, for the whole run or one slice of it
/// (`--shard i/N`; see ``ScheduleSlice``).
enum PlanFactory {
    /// - Parameters:
    ///   - profile: the validated profile.
    ///   - slice: the part of the schedule to run (``ScheduleSlice/whole`` unless sharded).
    static func plan(_ profile: Profile, slice: ScheduleSlice = .whole) throws -> LoadPlan {
        var plan = try loadPlan(profile, slice: slice)
        plan.maxConnections = profile.limits.maxConnections
        plan.retry = profile.retries
        plan.seed = profile.seed
        plan.slice = slice
        return plan
    }

    private static func loadPlan(_ profile: Profile, slice: ScheduleSlice) throws -> LoadPlan {
        let load = profile.load
        let maxRequests = profile.limits.maxRequests.map(slice.share(of:))
        switch load.mode {
        case .open:
            var schedule: any ArrivalSchedule = load.makeArrivalSchedule(seed: profile.seed)
            if !slice.isWhole { schedule = SlicedArrivalSchedule(schedule, slice: slice) }
            return LoadPlan(
                mode: .open(nextArrivalNanos: { schedule.next() }),
                durationNanos: load.totalDurationNanos,
                maxRequests: maxRequests,
                maxInFlight: profile.limits.maxInFlight,
                maxQueued: profile.limits.maxQueued)
        case .closed:
            let users = ClosedLoopPlan(stages: load.stages, maxRequests: profile.limits.maxRequests)
            var plan = LoadPlan(
                mode: .closed(users: users.maxUsers(in: slice), thinkTimeNanos: load.thinkTimeNanos),
                durationNanos: users.endNanos,
                maxRequests: maxRequests,
                maxInFlight: profile.limits.maxInFlight,
                maxQueued: profile.limits.maxQueued)
            let levels = Set(load.stages.flatMap { [$0.level.start, $0.level.end] })
            if levels.count > 1 {
                // Users ramp or step between stages: the engine follows the plan's count over time.
                plan.userTarget = { users.users(atNanos: $0, in: slice) }
            }
            return plan
        }
    }
}
