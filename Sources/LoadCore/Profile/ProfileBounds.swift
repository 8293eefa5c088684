/// Upper bounds on the values that size a run. Beyond them a profile is a typo or a unit slip
/// (`rate: 1e12` for `1e2`, `users: 2147483648`), and the run would spin, exhaust descriptors or
/// fill the disk instead of measuring anything. Each bound is well above what one machine can use
/// (docs/profiles.md, "Upper bounds", gives the reasoning).
public enum ProfileBounds {
    /// Arrivals per second (`rate`, each end of a ramp): 1,000,000. One loadgen process sends
    /// about 50,000 requests/s against a zero-delay mock (docs/PERFORMANCE.md), so this is 20
    /// times more than it can start.
    public static let maxRate: Double = 1_000_000
    /// Closed-loop users (`users`, each end of a ramp): 1,000,000. Each user holds a connection,
    /// hence a file descriptor, and Linux caps a process at 1,048,576 descriptors (`fs.nr_open`).
    public static let maxUsers: Double = 1_000_000
    /// `limits.max_in_flight` and `limits.max_connections`: 1,000,000, for the same reason.
    public static let maxInFlight = 1_000_000
    /// `limits.max_queue`: 10,000,000 waiting arrivals (10 s at the largest rate).
    public static let maxQueued = 10_000_000
    /// Requests in one run (`limits.max_requests`, `load.requests`, and the open-loop plan, rate
    /// times duration): 1,000,000,000. Each request writes a record of about 300 bytes to
    /// events.ndjson, so a billion already makes a 300 GB log.
    public static let maxRequests = 1_000_000_000
    /// One stage's duration: 7 days (`168h`), a long soak test. Longer is a unit slip.
    public static let maxStageNanos: UInt64 = 7 * 24 * 3_600 * 1_000_000_000

    /// The bound on a level in `mode`, with the word for it.
    public static func maxLevel(mode: LoadMode) -> (value: Double, unit: String) {
        mode == .open ? (maxRate, "arrivals per second") : (maxUsers, "users")
    }

    /// A problem with a level (rate or users) beyond its bound; nil when within.
    public static func levelProblem(_ level: Stage.Level, mode: LoadMode) -> String? {
        let (bound, unit) = maxLevel(mode: mode)
        let highest = max(level.start, level.end)
        guard highest > bound else { return nil }
        return "\(describe(highest)) \(unit) is beyond the limit of \(describe(bound)) (docs/profiles.md, "
            + "\"Upper bounds\"); check the value for a typo or a unit slip"
    }

    /// A problem with a stage duration beyond its bound; nil when within.
    public static func stageDurationProblem(_ nanos: UInt64) -> String? {
        guard nanos > maxStageNanos else { return nil }
        return "\(DurationFormat.format(nanos: nanos)) is longer than the limit of 168h (7 days) for one stage; "
            + "check the unit (e.g. 30s, not 30h)"
    }

    /// A problem with an open-loop plan of more than ``maxRequests`` arrivals; nil when within.
    /// - Parameters:
    ///   - stages: open-loop stages (rates per second).
    ///   - maxRequests: `limits.max_requests`, which caps the plan when given.
    public static func plannedRequestsProblem(stages: [Stage], maxRequests: Int?) -> String? {
        if let maxRequests, maxRequests <= Self.maxRequests { return nil }
        var arrivals = 0.0
        for stage in stages {
            guard let nanos = stage.durationNanos else { return nil }
            arrivals += (stage.level.start + stage.level.end) / 2 * Double(nanos) / 1e9
        }
        guard arrivals > Double(Self.maxRequests) else { return nil }
        return "the load plans about \(describe(arrivals.rounded())) requests, beyond the limit of "
            + "\(describe(Double(Self.maxRequests))) for one run; lower the rate or the duration, or cap the run "
            + "with limits.max_requests"
    }

    /// A count beyond `bound`, e.g. for `limits.max_in_flight`; nil when within.
    public static func countProblem(_ value: Int, bound: Int, what: String) -> String? {
        guard value > bound else { return nil }
        return "\(describe(Double(value))) \(what) is beyond the limit of \(describe(Double(bound))) "
            + "(docs/profiles.md, \"Upper bounds\"); check the value for a typo"
    }

    /// `1,000,000`, or the shortest exact form (`2.5`, `1e+12`) for other values.
    static func describe(_ value: Double) -> String {
        guard value.rounded() == value, abs(value) < 1e15 else { return "\(value)" }
        var digits = String(Int64(abs(value)))
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        return (value < 0 ? "-" : "") + digits + grouped
    }
}
