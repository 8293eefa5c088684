import ArgumentParser
import LoadCore

/// A per-request delay for the mock: `200ms` (fixed), `uniform:100ms..300ms`,
/// `normal:200ms,20ms` (mean, standard deviation) or `exponential:200ms` (mean).
struct DelayArgument: ExpressibleByArgument, Equatable {
    let delay: DelaySpec

    init(_ delay: DelaySpec) {
        self.delay = delay
    }

    init?(argument: String) {
        guard let delay = DelayArgument.parse(argument) else { return nil }
        self.delay = delay
    }

    var defaultValueDescription: String {
        switch delay {
        case .fixed(let nanos): return DurationFormat.format(nanos: nanos)
        case let .uniform(low, high): return "uniform:\(DurationFormat.format(nanos: low))..\(DurationFormat.format(nanos: high))"
        case let .normal(mean, deviation): return "normal:\(DurationFormat.format(nanos: mean)),\(DurationFormat.format(nanos: deviation))"
        case .exponential(let mean): return "exponential:\(DurationFormat.format(nanos: mean))"
        }
    }

    static func parse(_ text: String) -> DelaySpec? {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        if parts.count == 1 {
            return DurationFormat.parseNanos(text).map { .fixed(nanos: $0) }
        }
        let (kind, value) = (parts[0], parts[1])
        switch kind {
        case "uniform":
            let bounds = value.components(separatedBy: "..")
            guard bounds.count == 2, let low = DurationFormat.parseNanos(bounds[0]),
                let high = DurationFormat.parseNanos(bounds[1]), low <= high
            else { return nil }
            return .uniform(minNanos: low, maxNanos: high)
        case "normal":
            let numbers = value.split(separator: ",").map(String.init)
            guard numbers.count == 2, let mean = DurationFormat.parseNanos(numbers[0]),
                let deviation = DurationFormat.parseNanos(numbers[1])
            else { return nil }
            return .normal(meanNanos: mean, stddevNanos: deviation)
        case "exponential":
            return DurationFormat.parseNanos(value).map { .exponential(meanNanos: $0) }
        default:
            return nil
        }
    }
}
