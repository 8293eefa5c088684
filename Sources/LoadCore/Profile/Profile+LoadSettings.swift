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

        public init(mode: LoadMode, stages: [Stage]) {
            self.mode = mode
            self.stages = stages
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
