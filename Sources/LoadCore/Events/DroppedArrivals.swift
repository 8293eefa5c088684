/// Open-loop arrivals that found every in-flight slot and the wait queue full, so they were never
/// sent: how many, and the intended starts of the first and the last of them (nanoseconds since
/// the origin). The engine counts drops that come in floods into one value, reported at most
/// every 100 ms, instead of one report (and one event-log line) per drop.
public struct DroppedArrivals: Sendable, Equatable {
    /// Arrivals dropped, at least 1.
    public var count: Int
    public var firstIntendedNanos: UInt64
    public var lastIntendedNanos: UInt64

    public init(count: Int, firstIntendedNanos: UInt64, lastIntendedNanos: UInt64) {
        self.count = count
        self.firstIntendedNanos = firstIntendedNanos
        self.lastIntendedNanos = lastIntendedNanos
    }

    /// One dropped arrival.
    public init(intendedNanos: UInt64) {
        self.init(count: 1, firstIntendedNanos: intendedNanos, lastIntendedNanos: intendedNanos)
    }

    /// Counts one more drop (intended starts come in non-decreasing order).
    public mutating func add(intendedNanos: UInt64) {
        count += 1
        lastIntendedNanos = max(lastIntendedNanos, intendedNanos)
    }

    /// One intended start per dropped arrival, spread evenly from the first to the last (the log
    /// keeps only those two): for callers that count drops one by one. O(count).
    public func spreadIntendedNanos() -> [UInt64] {
        guard count > 1 else { return [firstIntendedNanos] }
        let width = Double(lastIntendedNanos - firstIntendedNanos)
        return (0..<count).map { index in
            index == count - 1
                ? lastIntendedNanos
                : firstIntendedNanos + UInt64((width * Double(index) / Double(count - 1)).rounded(.down))
        }
    }

    /// The count spread evenly over the span, cut at multiples of `intervalNanos`: one piece per
    /// interval the span touches, `(index of the interval, drops in it)`, in order. A span of one
    /// instant is one piece. The pieces' counts add up to `count`.
    public func pieces(intervalNanos: UInt64) -> [(interval: Int, count: Int)] {
        precondition(intervalNanos > 0)
        let first = Int(firstIntendedNanos / intervalNanos)
        let last = Int(lastIntendedNanos / intervalNanos)
        guard last > first, count > 1 else { return [(first, count)] }
        let width = Double(lastIntendedNanos - firstIntendedNanos)
        var pieces: [(interval: Int, count: Int)] = []
        var assigned = 0
        for interval in first...last {
            let end = min(UInt64(interval + 1) * intervalNanos, lastIntendedNanos)
            // Drops up to `end`, rounded; the last piece takes what is left.
            let upTo = interval == last ? count : Int((Double(count) * Double(end - firstIntendedNanos) / width).rounded())
            let share = max(0, min(upTo, count) - assigned)
            assigned += share
            if share > 0 { pieces.append((interval, share)) }
        }
        return pieces
    }
}
