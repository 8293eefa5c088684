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
/// never drops lines). The first write error is kept and reported by the next ``enqueue(_:lines:)``
/// or ``drain()``, and by ``failure`` at any time; nothing is written after it, so the file holds
/// an unbroken prefix of the log (its last line possibly torn). ``linesWritten`` counts the whole
/// lines on disk.
final class EventLogWriteThread {
    /// Buffers that may wait for the thread before `enqueue` blocks.
    static let maxPending = 8

    private let fd: Int32
    private let path: String
    private let condition = NSCondition()
    private var pending: [(bytes: [UInt8], lines: Int)] = []
    private var spare: [[UInt8]] = []
    private var writing = false
    private var stopping = false
    private var firstFailure: String?
    private var written = 0
    private var thread: Thread?

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "loadgen event log"
        self.thread = thread
        thread.start()
    }

    /// The first write error (the system's text), if a write failed.
    var failure: String? {
        condition.lock()
        defer { condition.unlock() }
        return firstFailure
    }

    /// Whole lines written to the file so far.
    var linesWritten: Int {
        condition.lock()
        defer { condition.unlock() }
        return written
    }

    /// Hands a filled buffer of `lines` whole lines to the thread; returns an emptied one to fill
    /// next (same capacity when one is free). Blocks while ``maxPending`` buffers wait.
    /// - Throws: ``EventLogError/io(path:reason:)`` when an earlier write failed.
    func enqueue(_ bytes: [UInt8], lines: Int) throws -> [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        if let failure = firstFailure { throw EventLogError.io(path: path, reason: "write failed: \(failure)") }
        while pending.count >= Self.maxPending && firstFailure == nil { condition.wait() }
        if let failure = firstFailure { throw EventLogError.io(path: path, reason: "write failed: \(failure)") }
        pending.append((bytes, lines))
        condition.broadcast()
        return spare.popLast() ?? []
    }

    /// Waits until every buffer handed over is written.
    /// - Throws: ``EventLogError/io(path:reason:)`` when a write failed.
    func drain() throws {
        condition.lock()
        defer { condition.unlock() }
        while !pending.isEmpty || writing { condition.wait() }
        if let failure = firstFailure { throw EventLogError.io(path: path, reason: "write failed: \(failure)") }
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
            var (bytes, lines) = pending.removeFirst()
            if firstFailure != nil {
                // After a failed write nothing more is written: the file stays a prefix of the log.
                condition.broadcast()
                continue
            }
            writing = true
            condition.broadcast()
            condition.unlock()
            let result = Self.writeAll(fd, bytes)
            let wholeLines = result.error == nil ? lines : Self.newlines(in: bytes, upTo: result.bytesWritten)
            bytes.removeAll(keepingCapacity: true)
            condition.lock()
            writing = false
            written += wholeLines
            if let error = result.error, firstFailure == nil { firstFailure = error }
            if spare.count < 2 { spare.append(bytes) }
            condition.broadcast()
        }
        thread = nil
        condition.broadcast()
        condition.unlock()
    }

    /// Writes every byte (retrying short writes and EINTR).
    /// - Returns: the error text (nil when all was written) and the bytes written before it.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> (error: String?, bytesWritten: Int) {
        bytes.withUnsafeBytes { raw -> (error: String?, bytesWritten: Int) in
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return (String(cString: strerror(errno)), offset)
                }
                offset += written
            }
            return (nil, offset)
        }
    }

    /// The newlines among the first `count` bytes: the whole lines of a partly written buffer.
    static func newlines(in bytes: [UInt8], upTo count: Int) -> Int {
        bytes[..<count].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }
}
