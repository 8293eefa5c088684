internal import CLibUV

/// curl's sockets in a private epoll set, watched by a single uv_poll on the set's own descriptor
/// (Linux). libuv's uv_poll removes and re-adds a descriptor in the kernel on every change of
/// interest, and curl changes interest on every request (watch for the response, then forget the
/// connection until it is reused): measured, six epoll_ctl calls and an ioctl per short request.
/// Here a descriptor is added once per connection, changed only when curl wants something else,
/// and removed lazily: when an event arrives that curl no longer wants, or when curl closes it.
///
/// Single-threaded: every method runs on the loop's thread.
final class EpollSocketSet {
    private let epollFD: Int32
    private let poll: UnsafeMutablePointer<uv_poll_t>
    /// Per descriptor: what curl wants (bit 0 readable, bit 1 writable); 0 when nothing.
    private var wanted: [UInt8] = []
    /// Per descriptor: what the kernel set watches; 0 when the descriptor is not in the set.
    private var registered: [UInt8] = []
    private var readyFDs = [Int32](repeating: 0, count: 256)
    private var readyEvents = [UInt32](repeating: 0, count: 256)
    private let onReady: (curl_socket_t, Int32) -> Void
    private var isClosed = false

    /// Returns nil where epoll does not exist (the caller then falls back to one uv_poll per socket).
    /// - Parameter onReady: receives a ready descriptor and curl's CURL_CSELECT_* flags.
    init?(loop: UVLoop, onReady: @escaping (curl_socket_t, Int32) -> Void) {
        let epollFD = CLibUV_epoll_create()
        guard epollFD >= 0 else { return nil }
        let poll = UnsafeMutablePointer<uv_poll_t>.allocate(capacity: 1)
        guard uv_poll_init(loop.raw, poll, epollFD) == 0 else {
            poll.deallocate()
            CLibUV_close_fd(epollFD)
            return nil
        }
        self.epollFD = epollFD
        self.poll = poll
        self.onReady = onReady
        poll.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        uv_poll_start(poll, Int32(UV_READABLE.rawValue), epollSetReadable)
    }

    /// What curl's socket callback asked for (CURL_POLL_IN, _OUT, _INOUT or _REMOVE).
    func want(_ fd: curl_socket_t, what: Int32) {
        guard fd >= 0 else { return }
        grow(to: Int(fd))
        var mask: UInt8 = 0
        if what == CURL_POLL_IN || what == CURL_POLL_INOUT { mask |= 1 }
        if what == CURL_POLL_OUT || what == CURL_POLL_INOUT { mask |= 2 }
        wanted[Int(fd)] = mask
        guard mask != 0, registered[Int(fd)] != mask else { return }  // REMOVE: dropped lazily
        let operation: Int32 = registered[Int(fd)] == 0 ? 0 : 1
        var status = CLibUV_epoll_control(epollFD, operation, fd, UInt32(mask))
        if status == -EEXIST { status = CLibUV_epoll_control(epollFD, 1, fd, UInt32(mask)) }
        if status == -ENOENT { status = CLibUV_epoll_control(epollFD, 0, fd, UInt32(mask)) }
        registered[Int(fd)] = status == 0 ? mask : 0
    }

    /// curl is about to close `fd`: forget it (and take it out of the set first, so that a new socket
    /// that reuses the number starts clean).
    func closing(_ fd: curl_socket_t) {
        guard fd >= 0, Int(fd) < registered.count else { return }
        if registered[Int(fd)] != 0 {
            _ = CLibUV_epoll_control(epollFD, 2, fd, 0)
        }
        registered[Int(fd)] = 0
        wanted[Int(fd)] = 0
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        uv_poll_stop(poll)
        closeAndFree(poll)
        CLibUV_close_fd(epollFD)
    }

    fileprivate func dispatchReady() {
        while !isClosed {
            let count = readyFDs.withUnsafeMutableBufferPointer { fds in
                readyEvents.withUnsafeMutableBufferPointer { events in
                    CLibUV_epoll_ready(epollFD, fds.baseAddress, events.baseAddress, Int32(fds.count))
                }
            }
            guard count > 0 else { return }
            for index in 0..<Int(count) {
                let fd = readyFDs[index]
                let events = readyEvents[index]
                guard Int(fd) < wanted.count, wanted[Int(fd)] != 0 else {
                    // curl no longer watches this connection (idle in its cache): drop it now.
                    _ = CLibUV_epoll_control(epollFD, 2, fd, 0)
                    if Int(fd) < registered.count { registered[Int(fd)] = 0 }
                    continue
                }
                var flags: Int32 = 0
                if events & 1 != 0 { flags |= CURL_CSELECT_IN }
                if events & 2 != 0 { flags |= CURL_CSELECT_OUT }
                if events & 4 != 0 { flags |= CURL_CSELECT_ERR }
                onReady(fd, flags)
            }
            if Int(count) < readyFDs.count { return }
        }
    }

    private func grow(to fd: Int) {
        guard fd >= wanted.count else { return }
        let newCount = max(fd + 1, wanted.count * 2, 1024)
        wanted += repeatElement(0, count: newCount - wanted.count)
        registered += repeatElement(0, count: newCount - registered.count)
    }
}

private let epollSetReadable: @convention(c) (UnsafeMutablePointer<uv_poll_t>?, Int32, Int32) -> Void = {
    poll, _, _ in
    guard let context = poll?.pointee.data else { return }
    Unmanaged<EpollSocketSet>.fromOpaque(context).takeUnretainedValue().dispatchReady()
}
