import LoadCore

/// What a shard should be told before it runs: that its slice holds nothing to do (fewer users or
/// requests than shards), so its empty run directory is no surprise.
enum ShardNote {
    /// - Returns: the note, or nil when the slice has work (or the run is not sharded).
    static func emptySlice(_ profile: Profile, slice: ScheduleSlice?) -> String? {
        guard let slice, !slice.isWhole else { return nil }
        if let maxRequests = profile.limits.maxRequests, slice.share(of: maxRequests) == 0 {
            return "shard \(slice) has no request to send (max_requests \(maxRequests) over \(slice.count) shards); "
                + "it writes an empty run directory"
        }
        if profile.load.mode == .closed {
            let plan = ClosedLoopPlan(stages: profile.load.stages, maxRequests: profile.limits.maxRequests)
            if plan.maxUsers(in: slice) == 0 {
                return "shard \(slice) has no user (at most \(plan.maxUsers) users over \(slice.count) shards); it "
                    + "writes an empty run directory: give at least as many users as shards"
            }
        }
        return nil
    }
}
