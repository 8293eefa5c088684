import LoadCore

/// Watches the attempts in flight for the time-to-first-token and idle timeouts, and ends streams
/// that said `[DONE]` (or `message_stop`) but never closed their body.
///
/// One min-heap of transfers ordered by the next moment each needs a look, and one uv timer armed
/// for the earliest. Nothing happens per byte except storing the byte's time, which the write
/// callback reads anyway: a transfer is looked at only when its check time comes. The check then
/// works out the real deadlines from the attempt's own timestamps:
/// - TTFT: start + `ttftTimeoutNanos`, while no content token has arrived;
/// - idle: last byte + `idleTimeoutNanos`, once the response has begun;
/// - done: `[DONE]` + `doneGraceNanos`;
/// and either expires the attempt or moves the transfer to its next deadline. A transfer keeps its
/// heap entry across attempts (handles are reused), so a short request usually costs no heap
/// operation for its timeouts at all; the heap never holds more entries than there are transfers.
/// The deadlines are met within the uv timer's millisecond resolution.
///
/// Single-threaded: every method runs on the loop's thread.
final class TimeoutWatch {
    /// Why a watched attempt ends.
    enum Expiry {
        /// No content token within the TTFT timeout.
        case ttft
        /// No byte within the idle timeout.
        case idle
        /// The stream said it was done and then kept its body open past the grace time.
        case doneButOpen
    }

    /// How long a stream may stay open after `[DONE]` before the engine ends it. The end marker and
    /// the end of the body normally arrive in the same read; a pause this long is a broken server.
    static let doneGraceNanos: UInt64 = 200_000_000

    let ttftTimeoutNanos: UInt64?
    let idleTimeoutNanos: UInt64?
    private let onExpired: (Transfer, Expiry) -> Void
    private var timer: UVTimer!
    /// The monotonic time the timer is armed for (nil: stopped).
    private var armedAtNanos: UInt64?
    private var heap: [Transfer] = []

    init(loop: UVLoop, ttftTimeoutNanos: UInt64?, idleTimeoutNanos: UInt64?,
         onExpired: @escaping (Transfer, Expiry) -> Void) {
        self.ttftTimeoutNanos = ttftTimeoutNanos
        self.idleTimeoutNanos = idleTimeoutNanos
        self.onExpired = onExpired
        timer = UVTimer(loop: loop) { [unowned self] in self.timerFired() }
    }

    /// An attempt started on `transfer` (its start time is set).
    func attemptStarted(_ transfer: Transfer) {
        var first = UInt64.max
        if let ttft = ttftTimeoutNanos { first = transfer.absoluteStartNanos + ttft }
        // No byte yet: the idle deadline is at least a whole idle period away.
        if let idle = idleTimeoutNanos { first = min(first, transfer.absoluteStartNanos + idle) }
        if first != .max { schedule(transfer, atNanos: first) }
    }

    /// The attempt on `transfer` received its end-of-stream event at `nowNanos`.
    func streamDone(_ transfer: Transfer, atNanos nowNanos: UInt64) {
        schedule(transfer, atNanos: nowNanos + Self.doneGraceNanos)
    }

    func close() {
        timer.close()
        for transfer in heap { transfer.timeoutHeapIndex = -1 }
        heap.removeAll()
    }

    // MARK: - Checking

    private func timerFired() {
        armedAtNanos = nil
        let now = MonotonicClock.nowNanos()
        while let top = heap.first, top.timeoutCheckNanos <= now {
            removeTop()
            guard top.isInFlight else { continue }
            switch evaluate(top, nowNanos: now) {
            case .expired(let expiry):
                onExpired(top, expiry)
            case .checkAgain(let nanos):
                schedule(top, atNanos: nanos)
            case .nothingToWatch:
                break
            }
        }
        armTimer()
    }

    private enum Verdict {
        case expired(Expiry)
        case checkAgain(atNanos: UInt64)
        case nothingToWatch
    }

    private func evaluate(_ transfer: Transfer, nowNanos now: UInt64) -> Verdict {
        if let done = transfer.streamDoneNanos {
            let deadline = done + Self.doneGraceNanos
            return now >= deadline ? .expired(.doneButOpen) : .checkAgain(atNanos: deadline)
        }
        var next = UInt64.max
        if let ttft = ttftTimeoutNanos, transfer.awaitsFirstToken {
            let deadline = transfer.absoluteStartNanos + ttft
            if now >= deadline { return .expired(.ttft) }
            next = deadline
        }
        if let idle = idleTimeoutNanos {
            if let last = transfer.lastByteNanos {
                let deadline = last + idle
                if now >= deadline { return .expired(.idle) }
                next = min(next, deadline)
            } else {
                next = min(next, now + idle)
            }
        }
        return next == .max ? .nothingToWatch : .checkAgain(atNanos: next)
    }

    // MARK: - Heap (indexed: each transfer knows its slot, so moving it earlier is O(log n))

    /// Makes sure `transfer` is looked at no later than `nanos`.
    private func schedule(_ transfer: Transfer, atNanos nanos: UInt64) {
        if transfer.timeoutHeapIndex >= 0 {
            guard nanos < transfer.timeoutCheckNanos else { return }
            transfer.timeoutCheckNanos = nanos
            siftUp(transfer.timeoutHeapIndex)
        } else {
            transfer.timeoutCheckNanos = nanos
            transfer.timeoutHeapIndex = heap.count
            heap.append(transfer)
            siftUp(heap.count - 1)
        }
        if heap[0] === transfer { armTimer() }
    }

    private func armTimer() {
        guard let top = heap.first else {
            if armedAtNanos != nil { timer.stop() }
            armedAtNanos = nil
            return
        }
        if let armed = armedAtNanos, armed <= top.timeoutCheckNanos { return }
        let now = MonotonicClock.nowNanos()
        let delayNanos = top.timeoutCheckNanos > now ? top.timeoutCheckNanos - now : 0
        // Whole milliseconds, rounded up: libuv's loop time can lag, so a timer may fire a little
        // early; an early firing finds nothing due and re-arms.
        timer.start(delayMillis: (delayNanos + 999_999) / 1_000_000)
        armedAtNanos = top.timeoutCheckNanos
    }

    private func removeTop() {
        let top = heap[0]
        top.timeoutHeapIndex = -1
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        last.timeoutHeapIndex = 0
        siftDown(0)
    }

    private func siftUp(_ start: Int) {
        var index = start
        let item = heap[index]
        while index > 0 {
            let parent = (index - 1) / 2
            guard heap[parent].timeoutCheckNanos > item.timeoutCheckNanos else { break }
            heap[index] = heap[parent]
            heap[index].timeoutHeapIndex = index
            index = parent
        }
        heap[index] = item
        item.timeoutHeapIndex = index
    }

    private func siftDown(_ start: Int) {
        var index = start
        let item = heap[index]
        let count = heap.count
        while true {
            let left = 2 * index + 1
            guard left < count else { break }
            let right = left + 1
            let child = right < count && heap[right].timeoutCheckNanos < heap[left].timeoutCheckNanos ? right : left
            guard heap[child].timeoutCheckNanos < item.timeoutCheckNanos else { break }
            heap[index] = heap[child]
            heap[index].timeoutHeapIndex = index
            index = child
        }
        heap[index] = item
        item.timeoutHeapIndex = index
    }
}
