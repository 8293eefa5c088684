/// A bucket that holds up to `capacity` units and refills continuously at `unitsPerSecond`
/// (starting full). Times are monotonic nanoseconds supplied by the caller.
struct TokenBucket {
    let capacity: Double
    let unitsPerSecond: Double
    private(set) var level: Double
    private var updatedNanos: UInt64

    init(capacity: Double, unitsPerSecond: Double, nowNanos: UInt64) {
        self.capacity = max(capacity, 1)
        self.unitsPerSecond = unitsPerSecond
        level = self.capacity
        updatedNanos = nowNanos
    }

    /// Adds what flowed in since the last update.
    mutating func refill(nowNanos: UInt64) {
        guard nowNanos > updatedNanos else { return }
        level = min(capacity, level + Double(nowNanos - updatedNanos) / 1e9 * unitsPerSecond)
        updatedNanos = nowNanos
    }

    /// Nanoseconds until the bucket holds `amount` (0 when it does now). `amount` is capped at the
    /// capacity, so every request can eventually pass.
    func nanosUntil(_ amount: Double) -> UInt64 {
        let missing = min(amount, capacity) - level
        guard missing > 0, unitsPerSecond > 0 else { return 0 }
        return UInt64((missing / unitsPerSecond * 1e9).rounded(.up))
    }

    /// Nanoseconds until the bucket is full again.
    var nanosUntilFull: UInt64 { nanosUntil(capacity) }

    /// Takes `amount` (capped at the capacity); the caller checked `nanosUntil(amount) == 0`.
    mutating func take(_ amount: Double) {
        level = max(0, level - min(amount, capacity))
    }
}
