/// A test knob that keeps the engine's loop thread busy on purpose: a timer every `everyMillis`
/// whose callback spins for `spinMillis`. With `spinMillis` above `everyMillis` the loop never
/// waits for events (it is close to 100 % busy whatever the machine's load), which is how the
/// tests make a starved client without depending on the scheduler. Never set in a real run.
public struct LoopStall: Sendable, Equatable {
    public var everyMillis: UInt64
    public var spinMillis: UInt64

    public init(everyMillis: UInt64, spinMillis: UInt64) {
        self.everyMillis = everyMillis
        self.spinMillis = spinMillis
    }

    /// Spins on the monotonic clock for `spinMillis`.
    func spin() {
        let end = MonotonicClock.nowNanos() + spinMillis * 1_000_000
        while MonotonicClock.nowNanos() < end {}
    }
}

/// The loop's busy fraction from libuv's idle-time metric.
public enum LoopBusy {
    /// 1 − idle ÷ wall, clamped to 0...1 (nil for an empty span).
    public static func fraction(idleNanos: UInt64, wallNanos: UInt64) -> Double? {
        guard wallNanos > 0 else { return nil }
        return min(max(1 - Double(idleNanos) / Double(wallNanos), 0), 1)
    }
}
