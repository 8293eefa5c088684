internal import CLibUV

/// Wakes the loop at an absolute monotonic time with microsecond precision: a Linux timerfd watched by
/// a uv_poll. libuv's own timers round to whole milliseconds, which would add up to 1 ms of start lag.
/// Elsewhere it falls back to a uv_timer.
final class PreciseTimer {
    private let fd: Int32
    private var poll: UnsafeMutablePointer<uv_poll_t>?
    private var fallback: UVTimer?
    private let action: () -> Void
    private var isClosed = false
    /// The time the timer is armed for, nil when disarmed: re-arming for the same time or disarming
    /// twice costs no system call.
    private var armedAtNanos: UInt64?

    init(loop: UVLoop, action: @escaping () -> Void) throws {
        self.action = action
        fd = CLibUV_timerfd_create()
        if fd >= 0 {
            let poll = UnsafeMutablePointer<uv_poll_t>.allocate(capacity: 1)
            let status = uv_poll_init(loop.raw, poll, fd)
            guard status == 0 else {
                poll.deallocate()
                CLibUV_close_fd(fd)
                throw EngineError.uv("uv_poll_init(timerfd)", status)
            }
            poll.pointee.data = Unmanaged.passUnretained(self).toOpaque()
            self.poll = poll
        } else {
            fallback = UVTimer(loop: loop) { [unowned self] in
                self.armedAtNanos = nil
                self.action()
            }
        }
    }

    /// Fires once at `monotonicNanos` (MonotonicClock time), replacing any earlier setting.
    func arm(atMonotonicNanos monotonicNanos: UInt64) {
        guard !isClosed, armedAtNanos != monotonicNanos else { return }
        armedAtNanos = monotonicNanos
        if let poll {
            CLibUV_timerfd_arm_absolute(fd, monotonicNanos)
            uv_poll_start(poll, Int32(UV_READABLE.rawValue), preciseTimerFired)
        } else if let fallback {
            let now = MonotonicClock.nowNanos()
            let delayNanos = monotonicNanos > now ? monotonicNanos - now : 0
            fallback.start(delayMillis: (delayNanos + 999_999) / 1_000_000)
        }
    }

    /// Cancels a pending firing.
    func disarm() {
        guard !isClosed, armedAtNanos != nil else { return }
        armedAtNanos = nil
        if let poll {
            CLibUV_timerfd_arm_absolute(fd, UInt64.max / 2)
            uv_poll_stop(poll)
        } else {
            fallback?.stop()
        }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        if let poll {
            uv_poll_stop(poll)
            closeAndFree(poll)
            CLibUV_close_fd(fd)
            self.poll = nil
        }
        fallback?.close()
    }

    fileprivate func fire() {
        armedAtNanos = nil
        CLibUV_timerfd_drain(fd)
        uv_poll_stop(poll)
        action()
    }
}

private let preciseTimerFired: @convention(c) (UnsafeMutablePointer<uv_poll_t>?, Int32, Int32) -> Void = {
    poll, _, _ in
    guard let context = poll?.pointee.data else { return }
    Unmanaged<PreciseTimer>.fromOpaque(context).takeUnretainedValue().fire()
}
