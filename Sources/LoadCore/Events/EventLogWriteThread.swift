import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes the event log's filled buffers to its file on a thread of its own, so that the engine's
/// loop thread never waits for `write(2)`: on this machine a 256 KiB write to the page cache takes
/// 0.5 ms at the median and several milliseconds at the 99th percentile (docs/PERFORMANCE.md).
///
/// At most ``maxPending`` buffers wait; a producer that fills more waits for the disk (the log
/// never drops lines). The first write error is kept and reported by the next ``enqueue(_:)`` or
/// ``drain()``.
final class EventLogWriteThread {
    /// Buffers that may wait for the thread before `enqueue` blocks.
    static let maxPending = 8

    private let fd: Int32
    private let path: String
    private let condition = NSCondition()
    private var pending: [[UInt8]] = []
    private var spare: [[UInt8]] = []
    private var writing = false
    private var stopping = false
    private var failure: String?
    private var thread: Thread?

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "loadgen event log"
        self.thread = thread
        thread.start()
    }

    /// Hands a filled buffer to the thread; returns an emptied one to fill next (same capacity
    /// when one is free). Blocks while ``maxPending`` buffers wait.
    /// - Throws: ``EventLogError/io(path:reason:)`` when an earlier write failed.
    func enqueue(_ bytes: [UInt8]) throws -> [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw EventLogError.io(path: path, reason: "write failed: \(failure)") }
        while pending.count >= Self.maxPending { condition.wait() }
        pending.append(bytes)
        condition.broadcast()
        return spare.popLast() ?? []
    }

    /// Waits until every buffer handed over is written.
    /// - Throws: ``EventLogError/io(path:reason:)`` when a write failed.
    func drain() throws {
        condition.lock()
        defer { condition.unlock() }
        while !pending.isEmpty || writing { condition.wait() }
        if let failure { throw EventLogError.io(path: path, reason: "write failed: \(failure)") }
    }

    /// Writes what waits, then ends the thread. Call once, before closing the file.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while thread != nil { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        condition.lock()
        while true {
            while pending.isEmpty && !stopping { condition.wait() }
            if pending.isEmpty && stopping { break }
            var bytes = pending.removeFirst()
            writing = true
            condition.broadcast()
            condition.unlock()
            let error = Self.writeAll(fd, bytes)
            bytes.removeAll(keepingCapacity: true)
            condition.lock()
            writing = false
            if let error, failure == nil { failure = error }
            if spare.count < 2 { spare.append(bytes) }
            condition.broadcast()
        }
        thread = nil
        condition.broadcast()
        condition.unlock()
    }

    /// Writes every byte (retrying short writes and EINTR). - Returns: the error text, or nil.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { raw -> String? in
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                offset += written
            }
            return nil
        }
    }
}
