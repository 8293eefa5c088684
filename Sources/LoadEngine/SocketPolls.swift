internal import CLibUV

/// One uv_poll per curl socket, kept for the life of the connection rather than of a transfer.
///
/// curl forgets a connection's socket when a transfer ends (CURL_POLL_REMOVE) and asks for it again
/// when the next transfer reuses the connection. Closing and re-creating the uv_poll each time cost
/// an ioctl and several epoll_ctl calls per request (libuv re-registers a descriptor on every
/// uv_poll_start). Here the poll stays armed with the same interest; when curl asks for what is
/// already armed nothing happens. An event curl no longer wants (an idle connection closed by the
/// server) stops the poll lazily. The poll is closed when curl closes the socket, which it tells us
/// through CURLOPT_CLOSESOCKETFUNCTION.
///
/// Single-threaded: every method runs on the loop's thread.
final class SocketPolls {
    private let loop: UVLoop
    private let onReady: (curl_socket_t, Int32) -> Void
    /// Per descriptor: its poll handle, or nil.
    private var polls: [UnsafeMutablePointer<uv_poll_t>?] = []
    /// Per descriptor: what curl wants (UV_READABLE | UV_WRITABLE bits); 0 when nothing.
    private var wanted: [Int32] = []
    /// Per descriptor: what the poll is started with; 0 when stopped.
    private var armed: [Int32] = []

    /// - Parameter onReady: receives a ready descriptor and curl's CURL_CSELECT_* flags.
    init(loop: UVLoop, onReady: @escaping (curl_socket_t, Int32) -> Void) {
        self.loop = loop
        self.onReady = onReady
    }

    /// What curl's socket callback asked for (CURL_POLL_IN, _OUT, _INOUT or _REMOVE).
    func want(_ fd: curl_socket_t, what: Int32) {
        guard fd >= 0 else { return }
        let index = Int(fd)
        grow(to: index)
        var events: Int32 = 0
        if what == CURL_POLL_IN || what == CURL_POLL_INOUT { events |= Int32(UV_READABLE.rawValue) }
        if what == CURL_POLL_OUT || what == CURL_POLL_INOUT { events |= Int32(UV_WRITABLE.rawValue) }
        wanted[index] = events
        guard events != 0, armed[index] != events else { return }  // REMOVE: stopped lazily
        guard let poll = polls[index] ?? makePoll(fd) else { return }
        uv_poll_start(poll, events, socketPollReady)
        armed[index] = events
    }

    /// curl is about to close `fd`: close its poll first (libuv must stop watching a descriptor
    /// before it is closed and its number reused).
    func closing(_ fd: curl_socket_t) {
        guard fd >= 0, Int(fd) < polls.count, let poll = polls[Int(fd)] else { return }
        uv_poll_stop(poll)
        closeAndFree(poll)
        polls[Int(fd)] = nil
        wanted[Int(fd)] = 0
        armed[Int(fd)] = 0
    }

    /// Closes every poll still open (after curl_multi_cleanup has closed its sockets, none should be).
    func close() {
        for fd in polls.indices where polls[fd] != nil {
            closing(curl_socket_t(fd))
        }
    }

    fileprivate func ready(_ poll: UnsafeMutablePointer<uv_poll_t>, status: Int32, events: Int32) {
        var fd: uv_os_fd_t = -1
        _ = uv_fileno(UnsafeMutableRawPointer(poll).assumingMemoryBound(to: uv_handle_t.self), &fd)
        guard fd >= 0, Int(fd) < wanted.count else { return }
        guard wanted[Int(fd)] != 0 else {
            // curl no longer watches this connection (idle in its cache): stop until it asks again.
            uv_poll_stop(poll)
            armed[Int(fd)] = 0
            return
        }
        // On a socket error libuv gives an error status and no events. Hand curl the readiness it was
        // waiting for, so that it does the read or write itself and reports the real cause ("Connection
        // reset by peer"); a bare CURL_CSELECT_ERR makes libcurl 7.88 report a generic send failure.
        let ready = status < 0 ? wanted[Int(fd)] : events
        var flags: Int32 = 0
        if ready & Int32(UV_READABLE.rawValue) != 0 { flags |= CURL_CSELECT_IN }
        if ready & Int32(UV_WRITABLE.rawValue) != 0 { flags |= CURL_CSELECT_OUT }
        // Do not touch `poll` after this call: curl may close the socket, and with it the poll.
        onReady(fd, flags)
    }

    private func makePoll(_ fd: curl_socket_t) -> UnsafeMutablePointer<uv_poll_t>? {
        let poll = UnsafeMutablePointer<uv_poll_t>.allocate(capacity: 1)
        guard uv_poll_init_socket(loop.raw, poll, fd) == 0 else {
            // The descriptor cannot be watched (should not happen); curl will time the transfer out.
            poll.deallocate()
            return nil
        }
        poll.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        polls[Int(fd)] = poll
        return poll
    }

    private func grow(to fd: Int) {
        guard fd >= polls.count else { return }
        let newCount = max(fd + 1, polls.count * 2, 1024)
        polls += repeatElement(nil, count: newCount - polls.count)
        wanted += repeatElement(0, count: newCount - wanted.count)
        armed += repeatElement(0, count: newCount - armed.count)
    }
}

private let socketPollReady: @convention(c) (UnsafeMutablePointer<uv_poll_t>?, Int32, Int32) -> Void = {
    poll, status, events in
    guard let poll, let context = poll.pointee.data else { return }
    // Borrowed, not retained: the poll is closed before its owner goes away.
    Unmanaged<SocketPolls>.fromOpaque(context)._withUnsafeGuaranteedRef { $0.ready(poll, status: status, events: events) }
}
