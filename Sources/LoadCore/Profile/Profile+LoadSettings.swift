/// Open loop: requests arrive at a rate regardless of responses. Closed loop: a number of users
/// each wait for their response before sending the next request.
public enum LoadMode: String, Sendable, Equatable, CaseIterable {
    case open
    case closed
}

extension Profile {
    /// `load:` — the load shape.
    public struct LoadSettings: Sendable, Equatable {
        public var mode: LoadMode
        /// Non-empty. Levels are arrivals per second (open) or users (closed). Every stage has a
        /// duration, except possibly the last closed-loop stage when `limits.maxRequests` is set.
        public var stages: [Stage]
        /// How open-loop arrivals are spaced (`load.arrival`, default constant). Always
        /// `.constant` in closed mode, where users pace themselves.
        public var arrival: ArrivalProcess
        /// Closed loop: each user's pause between the end of a response and its next request
        /// (`load.think_time`, default 0). Always 0 in open mode.
        public var thinkTimeNanos: UInt64

        public init(mode: LoadMode, stages: [Stage], arrival: ArrivalProcess = .constant, thinkTimeNanos: UInt64 = 0) {
            self.mode = mode
            self.stages = stages
            self.arrival = arrival
            self.thinkTimeNanos = thinkTimeNanos
        }

        /// A fresh open-loop schedule of intended start times for these stages and ``arrival``.
        ///
        /// Call once per run; equal seeds give identical schedules.
        /// - Parameter seed: the profile's `seed` (used by the poisson and gamma processes).
        /// - Returns: an ``OpenLoopSchedule``, ``PoissonSchedule`` or ``GammaSchedule``.
        /// - Precondition: `mode == .open` (closed-loop load uses ``ClosedLoopPlan``).
        public func makeArrivalSchedule(seed: UInt64) -> any ArrivalSchedule {
            precondition(mode == .open, "arrival schedules are for open mode; closed mode uses ClosedLoopPlan")
            return arrival.makeSchedule(stages: stages, seed: seed)
        }

        /// Sum of the stage durations, or nil when the last stage has none.
        public var totalDurationNanos: UInt64? {
            var total: UInt64 = 0
            for stage in stages {
                guard let duration = stage.durationNanos else { return nil }
                total += duration
            }
            return total
        }
    }
}
