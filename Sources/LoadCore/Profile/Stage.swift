/// One stage of a load profile: a level (arrivals per second in open loop, concurrent users in
/// closed loop) held constant or ramped linearly for a duration.
public struct Stage: Sendable, Equatable {
    /// How the level evolves during the stage.
    public enum Level: Sendable, Equatable {
        /// The same level for the whole stage.
        case constant(Double)
        /// A linear ramp from `from` at the stage start to `to` at its end (written `"1..50"`).
        case ramp(from: Double, to: Double)

        /// The level at the stage start.
        public var start: Double {
            switch self {
            case .constant(let value): return value
            case .ramp(let from, _): return from
            }
        }

        /// The level at the stage end.
        public var end: Double {
            switch self {
            case .constant(let value): return value
            case .ramp(_, let to): return to
            }
        }

        /// The level `fraction` (0...1) of the way through the stage.
        public func value(atFraction fraction: Double) -> Double {
            start + (end - start) * min(max(fraction, 0), 1)
        }
    }

    /// The stage length in nanoseconds; nil only for the last closed-loop stage of a profile that
    /// ends on a request count (`requests:`), which then runs until that count is reached.
    public var durationNanos: UInt64?
    /// Rate per second (open loop) or users (closed loop).
    public var level: Level

    public init(durationNanos: UInt64?, level: Level) {
        self.durationNanos = durationNanos
        self.level = level
    }
}
