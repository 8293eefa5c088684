internal import CLibUV

/// libcurl's multi interface driven by a libuv loop (the pattern of curl's docs/examples/multi-uv.c):
/// curl tells us which sockets to watch and when to wake it; uv_poll and a uv_timer do the watching,
/// and we hand readiness back with `curl_multi_socket_action`.
///
/// Single-threaded: every method runs on the loop's thread.
final class CurlMulti {
    let handle: UnsafeMutableRawPointer
    private let loop: UVLoop
    private let timeoutTimer: UnsafeMutablePointer<uv_timer_t>
    /// Called after every socket action with the transfers curl reported done (already removed from the multi).
    var onCompleted: ([(easy: UnsafeMutableRawPointer, result: CURLcode)]) -> Void = { _ in }
    private var completedScratch: [(easy: UnsafeMutableRawPointer, result: CURLcode)] = []
    private var isClosed = false
    /// One uv_poll per socket, kept while curl keeps the connection.
    private var sockets: SocketPolls!

    /// - Parameters:
    ///   - maxConnections: connections kept in the cache (and, with `enforceLimit`, open at most).
    ///   - enforceLimit: make `maxConnections` a hard limit (CURLMOPT_MAX_TOTAL_CONNECTIONS): transfers
    ///     beyond it wait inside libcurl for a connection.
    ///   - multiplex: let HTTP/2 transfers share connections as streams (CURLPIPE_MULTIPLEX).
    init(loop: UVLoop, maxConnections: Int, enforceLimit: Bool = false, multiplex: Bool = false) throws {
        guard let multi = curl_multi_init() else { throw EngineError("curl_multi_init failed") }
        self.handle = multi
        self.loop = loop
        timeoutTimer = UnsafeMutablePointer<uv_timer_t>.allocate(capacity: 1)
        uv_timer_init(loop.raw, timeoutTimer)

        let context = Unmanaged.passUnretained(self).toOpaque()
        timeoutTimer.pointee.data = context
        CLibUV_multi_setopt_socket_callback(multi, curlSocketCallback)
        CLibUV_multi_setopt_ptr(multi, CURLMOPT_SOCKETDATA, context)
        CLibUV_multi_setopt_timer_callback(multi, curlTimerCallback)
        CLibUV_multi_setopt_ptr(multi, CURLMOPT_TIMERDATA, context)
        // Keep every connection we opened: the default cache (4 x handles added) shrinks after bursts
        // and forces new connections mid-run.
        CLibUV_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, enforceLimit ? maxConnections : max(maxConnections, 16))
        if enforceLimit {
            CLibUV_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, maxConnections)
            CLibUV_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnections)
        }
        CLibUV_multi_setopt_long(multi, CURLMOPT_PIPELINING, multiplex ? Int(CURLPIPE_MULTIPLEX) : Int(CURLPIPE_NOTHING))
        // unowned(unsafe): the polls are this object's and closed with it; no reference counting per event.
        sockets = SocketPolls(loop: loop) { [unowned(unsafe) self] fd, flags in
            self.socketAction(fd, events: flags)
        }
    }

    /// Prepares an easy handle for this multi: curl tells us before it closes one of its sockets.
    func adopt(_ easy: UnsafeMutableRawPointer) {
        CLibUV_easy_setopt_closesocket_callback(easy, curlCloseSocketCallback)
        CLibUV_easy_setopt_ptr(easy, CURLOPT_CLOSESOCKETDATA, Unmanaged.passUnretained(self).toOpaque())
    }

    fileprivate func closeSocket(_ fd: curl_socket_t) -> Int32 {
        sockets.closing(fd)
        return CLibUV_close_socket(fd)
    }

    /// Adds a configured easy handle. curl answers with a 0 ms timeout, so the transfer starts on the
    /// loop's next iteration; never from inside a completion callback (no recursion into curl).
    func add(_ easy: UnsafeMutableRawPointer) throws {
        let code = curl_multi_add_handle(handle, easy)
        guard code == CURLM_OK else { throw EngineError("curl_multi_add_handle: \(Self.text(code))") }
    }

    /// Removes an easy handle (finished or cancelled).
    func remove(_ easy: UnsafeMutableRawPointer) {
        curl_multi_remove_handle(handle, easy)
    }

    /// Cleans up the multi handle (curl reports REMOVE for cached connections, which closes their polls)
    /// and closes the timeout timer. Easy handles must have been removed before.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        curl_multi_cleanup(handle)
        uv_timer_stop(timeoutTimer)
        closeAndFree(timeoutTimer)
        sockets.close()
    }

    // MARK: - curl → libuv

    fileprivate func watchSocket(_ fd: curl_socket_t, what: Int32) {
        sockets.want(fd, what: what)
    }

    fileprivate func scheduleTimeout(milliseconds: Int) {
        if milliseconds < 0 {
            uv_timer_stop(timeoutTimer)
        } else {
            // 0 fires on the loop's next iteration: never call curl from inside curl's own callback.
            uv_timer_start(timeoutTimer, uvTimeoutCallback, UInt64(milliseconds), 0)
        }
    }

    // MARK: - libuv → curl

    fileprivate func socketAction(_ fd: curl_socket_t, events: Int32) {
        var running: Int32 = 0
        curl_multi_socket_action(handle, fd, events, &running)
        collectCompletions()
    }

    private func collectCompletions() {
        var pending: Int32 = 0
        // Most socket actions complete nothing: the scratch list is touched only when one did.
        guard var message = curl_multi_info_read(handle, &pending) else { return }
        completedScratch.removeAll(keepingCapacity: true)
        // Read every message before removing handles: curl_multi_remove_handle invalidates them.
        while true {
            if message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle {
                completedScratch.append((easy, CLibUV_msg_result(message)))
            }
            guard let next = curl_multi_info_read(handle, &pending) else { break }
            message = next
        }
        guard !completedScratch.isEmpty else { return }
        for item in completedScratch {
            curl_multi_remove_handle(handle, item.easy)
        }
        let completed = completedScratch
        onCompleted(completed)
    }

    static func text(_ code: CURLMcode) -> String {
        String(cString: curl_multi_strerror(code))
    }
}

/// CURL_SOCKET_TIMEOUT is a macro of a macro; Swift does not import it.
let CURL_SOCKET_TIMEOUT_VALUE: curl_socket_t = -1

/// The multi handle behind a libcurl or libuv context pointer, borrowed (no reference counting:
/// the engine keeps it alive while its callbacks can fire).
@inline(__always)
private func withMulti<Result>(_ context: UnsafeMutableRawPointer?, _ body: (CurlMulti) -> Result) -> Result {
    Unmanaged<CurlMulti>.fromOpaque(context!)._withUnsafeGuaranteedRef(body)
}

private let curlSocketCallback: @convention(c) (
    UnsafeMutableRawPointer?, curl_socket_t, Int32, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?
) -> Int32 = { _, fd, what, userp, _ in
    withMulti(userp) { $0.watchSocket(fd, what: what) }
    return 0
}

private let curlTimerCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Int32 = {
    _, milliseconds, userp in
    withMulti(userp) { $0.scheduleTimeout(milliseconds: milliseconds) }
    return 0
}

private let curlCloseSocketCallback: @convention(c) (UnsafeMutableRawPointer?, curl_socket_t) -> Int32 = {
    context, fd in
    withMulti(context) { $0.closeSocket(fd) }
}

private let uvTimeoutCallback: @convention(c) (UnsafeMutablePointer<uv_timer_t>?) -> Void = { timer in
    guard let timer else { return }
    withMulti(timer.pointee.data) { $0.socketAction(CURL_SOCKET_TIMEOUT_VALUE, events: 0) }
}
