extension ClosedLoopPlan {
    /// The users slice `slice` runs at `nanos` since the origin: its share (``ScheduleSlice/share(of:)``)
    /// of ``users(atNanos:)``. At every instant the slices' users add up to the whole plan's, ramps
    /// and steps included; they differ by at most one user.
    public func users(atNanos nanos: UInt64, in slice: ScheduleSlice) -> Int {
        slice.share(of: users(atNanos: nanos))
    }

    /// The most users slice `slice` runs at once: its share of ``maxUsers``.
    public func maxUsers(in slice: ScheduleSlice) -> Int {
        slice.share(of: maxUsers)
    }

    /// The slice's part of ``maxRequests`` (nil when the plan has none).
    public func maxRequests(in slice: ScheduleSlice) -> Int? {
        maxRequests.map(slice.share(of:))
    }
}
