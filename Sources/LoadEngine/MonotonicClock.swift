internal import CLibUV

/// The engine's clock: libuv's high-resolution monotonic time (CLOCK_MONOTONIC on Linux), in nanoseconds.
/// Never use the loop's cached `uv_now` (milliseconds, updated once per tick) for measurements.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point; comparable across threads of one process.
    @inline(__always)
    public static func nowNanos() -> UInt64 { uv_hrtime() }
}
