import LoadCore
import Foundation
import NIOCore

/// The mock's generation slots at run time (`Profile.MockCapacitySettings`), shared by every event loop: a count of
/// completions under way and a FIFO of requests waiting for one. A lock guards them; a slot handed
/// to a waiter is announced on the waiter's own event loop.
final class MockCapacityGate: @unchecked Sendable {
    /// What a request gets when it asks for a slot.
    enum Admission {
        /// A slot: generate now, and `release()` when done.
        case granted
        /// In the queue: `onGranted` will run on the request's loop; `cancel(ticket)` if it goes away first.
        case queued(ticket: UInt64)
        /// The queue is full: refuse with the configured status.
        case refused
    }

    private struct Waiter {
        var ticket: UInt64
        var eventLoop: EventLoop
        var onGranted: @Sendable () -> Void
    }

    let capacity: Profile.MockCapacitySettings
    private let lock = NSLock()
    private var busy = 0
    private var waiting: [Waiter] = []
    private var waitingHead = 0
    private var nextTicket: UInt64 = 0
    private var peakBusy = 0
    private var peakWaiting = 0

    init(capacity: Profile.MockCapacitySettings) {
        self.capacity = capacity
    }

    /// Asks for a slot.
    /// - Parameters:
    ///   - eventLoop: where `onGranted` must run.
    ///   - onGranted: runs, on `eventLoop`, when a slot is handed over after a wait.
    func acquire(on eventLoop: EventLoop, onGranted: @escaping @Sendable () -> Void) -> Admission {
        lock.lock()
        defer { lock.unlock() }
        if busy < capacity.streams {
            busy += 1
            peakBusy = max(peakBusy, busy)
            return .granted
        }
        let queued = waiting.count - waitingHead
        if let limit = capacity.queue, queued >= limit { return .refused }
        nextTicket += 1
        waiting.append(Waiter(ticket: nextTicket, eventLoop: eventLoop, onGranted: onGranted))
        peakWaiting = max(peakWaiting, queued + 1)
        return .queued(ticket: nextTicket)
    }

    /// Gives a slot back: the first waiter gets it, or it becomes free.
    func release() {
        lock.lock()
        guard waitingHead < waiting.count else {
            busy -= 1
            lock.unlock()
            return
        }
        let next = waiting[waitingHead]
        waitingHead += 1
        if waitingHead > 1024 && waitingHead * 2 > waiting.count {
            waiting.removeFirst(waitingHead)
            waitingHead = 0
        }
        lock.unlock()
        next.eventLoop.execute(next.onGranted)
    }

    /// Removes a waiter that went away. Returns false when its slot was already handed over (its
    /// `onGranted` is on its way and must give the slot back).
    func cancel(ticket: UInt64) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let index = waiting[waitingHead...].firstIndex(where: { $0.ticket == ticket }) else { return false }
        waiting.remove(at: index)
        return true
    }

    /// The most completions generated at once, and the most requests waiting at once.
    var peaks: (busy: Int, waiting: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (peakBusy, peakWaiting)
    }
}
