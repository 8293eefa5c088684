import ArgumentParser
import LoadCore

/// A duration flag value such as `500ms`, `30s`, `2m`, `1h` or `1.5s`, in nanoseconds.
struct DurationArgument: ExpressibleByArgument, Equatable {
    let nanos: UInt64

    init(nanos: UInt64) {
        self.nanos = nanos
    }

    init?(argument: String) {
        guard let nanos = DurationArgument.parse(argument) else { return nil }
        self.nanos = nanos
    }

    static var defaultCompletionKind: CompletionKind { .default }

    var defaultValueDescription: String { DurationFormat.format(nanos: nanos) }

    /// Parses durations exactly as profiles do (`DurationFormat`).
    static func parse(_ text: String) -> UInt64? {
        DurationFormat.parseNanos(text)
    }
}
