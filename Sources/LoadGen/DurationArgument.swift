import ArgumentParser
import Foundation
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

    /// Parses a flag's value for `@Option(transform:)`, so that a bad value says what is wrong:
    /// `--duration 10` is told that a unit is needed.
    static func parsing(_ text: String) throws -> DurationArgument {
        guard let nanos = parse(text) else { throw DurationArgumentError(text: text) }
        return DurationArgument(nanos: nanos)
    }

    /// Parses durations exactly as profiles do (`DurationFormat`).
    static func parse(_ text: String) -> UInt64? {
        DurationFormat.parseNanos(text)
    }
}

/// A flag value that is not a duration; the message shows the forms that are.
struct DurationArgumentError: Error, CustomStringConvertible {
    let text: String

    var description: String {
        let number = text.trimmingCharacters(in: .whitespaces)
        if Double(number) != nil {
            return "a duration needs a unit: \(number)s, \(number)ms, \(number)m or \(number)h"
        }
        return "expected a duration with a unit like 500ms, 30s, 2m or 1h"
    }
}
