internal import CLibUV
import Foundation

/// Stops an engine from another thread: requests go into a list under a lock and a libuv async
/// handle (`uv_async_send`, the one libuv call that is safe from any thread) wakes the loop, whose
/// callback hands them to the controller. `--workers N` uses it to broadcast a stop (cost budget,
/// disk space, threshold, refusal, failed event log) to every worker's engine.
///
/// Requests made before the engine runs wait in the list and are delivered when it starts;
/// requests made after it ended are ignored.
final class CrossThreadStops {
    /// What another thread asks of the engine.
    enum Request {
        case stopArrivals(reason: String)
        case cancelInFlight(reason: String)
    }

    private let lock = NSLock()
    private var pending: [Request] = []
    /// The async handle while the loop runs; nil before and after.
    private var handle: UnsafeMutablePointer<uv_async_t>?
    private var deliver: (([Request]) -> Void)?

    /// Queues `request` and wakes the loop (from any thread).
    func post(_ request: Request) {
        lock.lock()
        defer { lock.unlock() }
        pending.append(request)
        if let handle { uv_async_send(handle) }
    }

    /// Opens the async handle on `loop` (the loop's thread, before it runs) and delivers what was
    /// posted before.
    func open(loop: UVLoop, deliver: @escaping ([Request]) -> Void) {
        let async = UnsafeMutablePointer<uv_async_t>.allocate(capacity: 1)
        uv_async_init(loop.raw, async, asyncFired)
        async.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        lock.lock()
        self.deliver = deliver
        handle = async
        if !pending.isEmpty { uv_async_send(async) }
        lock.unlock()
    }

    /// Closes the handle (the loop's thread); later posts are kept but never delivered.
    func close() {
        lock.lock()
        let async = handle
        handle = nil
        deliver = nil
        lock.unlock()
        if let async { closeAndFree(async) }
    }

    fileprivate func fire() {
        lock.lock()
        let requests = pending
        pending.removeAll()
        let deliver = self.deliver
        lock.unlock()
        if !requests.isEmpty { deliver?(requests) }
    }
}

private let asyncFired: @convention(c) (UnsafeMutablePointer<uv_async_t>?) -> Void = { handle in
    guard let context = handle?.pointee.data else { return }
    Unmanaged<CrossThreadStops>.fromOpaque(context).takeUnretainedValue().fire()
}
