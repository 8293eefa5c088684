/// The profile's stages laid out on the run's clock: where each starts, how long it lasts, and a
/// label. Attempts are assigned to the stage their intended start falls in.
public struct StageTimeline: Sendable, Equatable {
    public let stages: [RunHeader.Stage]

    /// - Parameter load: the profile's load settings; a last stage without a duration (closed loop
    ///   ending on a request count) is open-ended.
    public init(load: Profile.LoadSettings) {
        let unit = load.mode == .open ? "/s" : ""
        var start: UInt64 = 0
        var stages: [RunHeader.Stage] = []
        for stage in load.stages {
            let label: String
            switch stage.level {
            case .constant(let value): label = "\(load.mode == .open ? "rate" : "users") \(Self.format(value))\(unit)"
            case let .ramp(from, to):
                label = "\(load.mode == .open ? "rate" : "users") \(Self.format(from))..\(Self.format(to))\(unit)"
            }
            stages.append(RunHeader.Stage(startNanos: start, durationNanos: stage.durationNanos, label: label))
            start += stage.durationNanos ?? 0
        }
        self.stages = stages
    }

    public init(stages: [RunHeader.Stage]) {
        self.stages = stages
    }

    /// The index of the stage containing `nanos` (since the origin); the last stage for later times,
    /// nil when there are no stages.
    public func stageIndex(atNanos nanos: UInt64) -> Int? {
        guard !stages.isEmpty else { return nil }
        // Few stages: a linear scan from the end is as fast as a search.
        for index in stride(from: stages.count - 1, through: 0, by: -1) where stages[index].startNanos <= nanos {
            return index
        }
        return 0
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
