import ArgumentParser

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

    /// Parses `<number><unit>` with unit one of us, ms, s, m, h. Returns nil for anything else.
    static func parse(_ text: String) -> UInt64? {
        let units: [(suffix: String, nanos: Double)] = [
            ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
        ]
        for unit in units where text.hasSuffix(unit.suffix) {
            let number = text.dropLast(unit.suffix.count)
            guard let value = Double(number), value >= 0, value.isFinite else { return nil }
            return UInt64((value * unit.nanos).rounded())
        }
        return nil
    }
}
