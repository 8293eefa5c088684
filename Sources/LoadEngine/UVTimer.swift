internal import CLibUV

/// A libuv timer with a Swift closure. Millisecond resolution: for housekeeping (ticks, deferred work),
/// never for request start times (see `PreciseTimer`).
final class UVTimer {
    private let handle: UnsafeMutablePointer<uv_timer_t>
    private let action: () -> Void
    private var isClosed = false

    init(loop: UVLoop, action: @escaping () -> Void) {
        self.action = action
        handle = UnsafeMutablePointer<uv_timer_t>.allocate(capacity: 1)
        uv_timer_init(loop.raw, handle)
        handle.pointee.data = Unmanaged.passUnretained(self).toOpaque()
    }

    /// Fires after `delayMillis`, then every `repeatMillis` (0: once).
    func start(delayMillis: UInt64, repeatMillis: UInt64 = 0) {
        guard !isClosed else { return }
        uv_timer_start(handle, uvTimerFired, delayMillis, repeatMillis)
    }

    func stop() {
        guard !isClosed else { return }
        uv_timer_stop(handle)
    }

    /// Closes the handle; the memory is freed by libuv's close callback. The owner must keep this object
    /// alive until the loop has run once more.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        uv_timer_stop(handle)
        closeAndFree(handle)
    }

    fileprivate func fire() {
        action()
    }
}

private let uvTimerFired: @convention(c) (UnsafeMutablePointer<uv_timer_t>?) -> Void = { handle in
    guard let context = handle?.pointee.data else { return }
    Unmanaged<UVTimer>.fromOpaque(context).takeUnretainedValue().fire()
}
