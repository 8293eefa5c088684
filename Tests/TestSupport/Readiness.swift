import Foundation

/// Waiting for a readiness signal instead of sleeping for a guessed time: tests poll the condition
/// that says the next step may go (a record in a file, a line of output, a counter on a server).
public enum Readiness {
    /// Polls `condition` every `pollMillis` until it holds or `timeout` seconds pass.
    /// - Returns: whether the condition held (the caller asserts on it with its own message).
    @discardableResult
    public static func waitUntil(timeout: TimeInterval = 30, pollMillis: UInt32 = 5, _ condition: () throws -> Bool) rethrows
        -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if try condition() { return true }
            if Date() >= deadline { return false }
            usleep(pollMillis * 1_000)
        }
    }
}

/// Everything a pipe delivers, read on a background thread as it arrives, so that a test can wait
/// for a line (a readiness signal) while the process runs and still have all the text at the end.
public final class PipeReader: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var ended = false
    private let done = DispatchSemaphore(value: 0)

    public init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                lock.lock()
                if chunk.isEmpty { ended = true } else { data.append(chunk) }
                lock.unlock()
                if chunk.isEmpty { break }
            }
            done.signal()
        }
    }

    /// The text so far.
    public var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    /// Waits until the text contains `needle` (or the pipe ends, or `timeout` passes).
    @discardableResult
    public func waitFor(_ needle: String, timeout: TimeInterval = 30) -> Bool {
        Readiness.waitUntil(timeout: timeout) {
            lock.lock()
            let isEnded = ended
            lock.unlock()
            return text.contains(needle) || isEnded
        } && text.contains(needle)
    }

    /// All the text, once the writer closed the pipe.
    public func finish() -> String {
        done.wait()
        done.signal()
        return text
    }
}
