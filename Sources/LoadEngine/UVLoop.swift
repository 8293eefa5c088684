internal import CLibUV

/// One libuv event loop, owned by one engine and driven from one thread.
final class UVLoop {
    let raw: UnsafeMutablePointer<uv_loop_t>

    init() throws {
        raw = UnsafeMutablePointer<uv_loop_t>.allocate(capacity: 1)
        let status = uv_loop_init(raw)
        guard status == 0 else {
            raw.deallocate()
            throw EngineError.uv("uv_loop_init", status)
        }
    }

    /// True when libuv measures the time the loop spends waiting for events (``idleNanos``).
    private(set) var measuresIdleTime = false

    /// Turns on libuv's idle-time metric (UV_METRICS_IDLE_TIME); call before ``run()``. On a libuv
    /// older than 1.39 it stays off and ``idleNanos`` is nil.
    func enableIdleTime() {
        measuresIdleTime = CLibUV_loop_enable_idle_time(raw) == 0
    }

    /// Nanoseconds the loop has spent blocked in its poll for events (its idle time), since it
    /// started; nil when the metric is off. The rest of the loop's wall time is its own work.
    var idleNanos: UInt64? {
        measuresIdleTime ? CLibUV_loop_idle_time(raw) : nil
    }

    /// Runs until no active handles remain (the engine closes its handles when the run ends).
    func run() {
        uv_run(raw, UV_RUN_DEFAULT)
    }

    /// Runs the loop until every closing handle has finished closing, then closes the loop.
    /// Returns libuv's status: 0 when every handle was closed (anything else is a leak).
    func close() -> Int32 {
        uv_run(raw, UV_RUN_DEFAULT)
        let status = uv_loop_close(raw)
        if status == 0 {
            raw.deallocate()
        }
        return status
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: uv_strerror(code))
    }
}

/// Closes a libuv handle allocated with `UnsafeMutablePointer<T>.allocate` and frees it in the close callback,
/// the only safe moment (uv_close is asynchronous).
func closeAndFree<Handle>(_ handle: UnsafeMutablePointer<Handle>) {
    let raw = UnsafeMutableRawPointer(handle).assumingMemoryBound(to: uv_handle_t.self)
    uv_close(raw) { closed in
        closed?.deallocate()
    }
}
