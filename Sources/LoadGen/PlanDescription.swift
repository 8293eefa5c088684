import Foundation
import LoadCore

/// The human-readable plan `loadgen validate` prints: one line per stage, then the totals.
enum PlanDescription {
    static func lines(for profile: Profile) -> [String] {
        let load = profile.load
        let unit = load.mode == .open ? "/s" : " users"
        var lines: [String] = []
        if case .trace = load.arrival {
            return lines  // the trace sets the times; its one stage is derived
        }
        lines.append("  stages:")
        var startNanos: UInt64 = 0
        var peak = 0.0
        for (index, stage) in load.stages.enumerated() {
            let level: String
            switch stage.level {
            case .constant(let value): level = "\(format(value))\(unit)"
            case let .ramp(from, to): level = "\(format(from)) → \(format(to))\(unit)"
            }
            peak = max(peak, stage.level.start, stage.level.end)
            var line = "    \(index + 1). "
            if let duration = stage.durationNanos {
                line += String(format: "%7.1f s – %7.1f s  ", Double(startNanos) / 1e9, Double(startNanos + duration) / 1e9)
                if load.mode == .open {
                    let expected = (stage.level.start + stage.level.end) / 2 * Double(duration) / 1e9
                    line += level + String(format: ", about %.0f requests", expected)
                } else {
                    line += level
                }
                startNanos += duration
            } else {
                line += String(format: "%7.1f s – until max_requests  ", Double(startNanos) / 1e9) + level
            }
            lines.append(line)
        }
        lines.append("  peak: \(format(peak))\(unit)")
        return lines
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }
}
