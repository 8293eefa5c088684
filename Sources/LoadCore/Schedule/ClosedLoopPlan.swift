/// How many closed-loop users should be active over time, and when the run ends.
///
/// Each user sends a request, waits for its response, and sends the next. Constant stages hold
/// a fixed number of users; a ramp `"1..64"` interpolates linearly, rounded to the nearest user.
public struct ClosedLoopPlan: Sendable, Equatable {
    /// The stages; levels are users.
    public let stages: [Stage]
    /// Stop after this many requests in total (nil: stop at the end of the last stage).
    public let maxRequests: Int?

    /// - Parameters:
    ///   - stages: closed-loop stages; only the last may lack a duration.
    ///   - maxRequests: total request budget, if any.
    public init(stages: [Stage], maxRequests: Int? = nil) {
        self.stages = stages
        self.maxRequests = maxRequests
    }

    /// The end of the last stage in nanoseconds since the run origin, or nil when the last stage
    /// has no duration (the run ends on ``maxRequests``).
    public var endNanos: UInt64? {
        var total: UInt64 = 0
        for stage in stages {
            guard let duration = stage.durationNanos else { return nil }
            total += duration
        }
        return total
    }

    /// The largest number of users any stage asks for (to size pools up front).
    public var maxUsers: Int {
        stages.map { Int(max($0.level.start, $0.level.end).rounded()) }.max() ?? 0
    }

    /// The number of users that should be active at `nanos` since the run origin; 0 after the end.
    public func users(atNanos nanos: UInt64) -> Int {
        var stageStart: UInt64 = 0
        for stage in stages {
            guard let duration = stage.durationNanos else {
                return Int(stage.level.end.rounded())
            }
            if nanos < stageStart + duration {
                let fraction = Double(nanos - stageStart) / Double(duration)
                return Int(stage.level.value(atFraction: fraction).rounded())
            }
            stageStart += duration
        }
        return 0
    }
}
