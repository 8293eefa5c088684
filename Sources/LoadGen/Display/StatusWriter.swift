import Foundation

/// Writes the progress display to stderr from a thread of its own, so that a slow or paused
/// terminal (Ctrl-S, a stalled ssh session) never blocks the engine's loop thread.
///
/// Two kinds of output: lines (notes, `--verbose` attempt lines), printed in order above the live
/// block; and the live block itself, of which only the latest matters: a frame not yet drawn is
/// replaced by a newer one. Frames (and plain progress lines) arrive as closures that render on
/// this thread, so that the loop thread only copies a few values per tick. The writer knows how many lines it drew last, so it can move the
/// cursor back up and redraw in place. Pending lines are bounded (`maxPendingLines`); beyond that,
/// lines are dropped and counted, and the count is printed.
final class StatusWriter {
    static let maxPendingLines = 20_000

    private let fd: Int32
    private let live: Bool
    private let condition = NSCondition()
    private var pendingLines: [() -> String] = []
    private var pendingFrame: (() -> [String])?
    private var droppedLines = 0
    private var closing = false
    private let finished = DispatchSemaphore(value: 0)

    // Owned by the writer thread.
    private var drawnLines = 0
    private var lastFrame: [String]?

    /// - Parameters:
    ///   - fd: where to write (stderr).
    ///   - live: redraw a block in place (a terminal); otherwise frames are never sent.
    init(fd: Int32 = STDERR_FILENO, live: Bool) {
        self.fd = fd
        self.live = live
        let thread = Thread { [self] in self.run() }
        thread.name = "loadgen-display"
        thread.start()
    }

    /// Queues a line (without its newline) to print above the live block.
    func printLine(_ line: String) {
        printLine { line }
    }

    /// Queues a line rendered on the writer thread.
    func printLine(rendering render: @escaping () -> String) {
        condition.lock()
        // The writer waits only when nothing is pending: wake it for the first item only.
        let idle = pendingLines.isEmpty && pendingFrame == nil && droppedLines == 0
        if pendingLines.count < Self.maxPendingLines {
            pendingLines.append(render)
        } else {
            droppedLines += 1
        }
        if idle { condition.signal() }
        condition.unlock()
    }

    /// Replaces the live block with the lines `render` returns (called on the writer thread) at the next write.
    func showFrame(rendering render: @escaping () -> [String]) {
        guard live else { return }
        condition.lock()
        let idle = pendingLines.isEmpty && pendingFrame == nil && droppedLines == 0
        pendingFrame = render
        if idle { condition.signal() }
        condition.unlock()
    }

    /// Writes what is pending, leaves the cursor on a fresh line below the block, and stops the
    /// thread. Blocks until everything is written.
    func finish() {
        condition.lock()
        closing = true
        condition.signal()
        condition.unlock()
        finished.wait()
    }

    private func run() {
        while true {
            condition.lock()
            while pendingLines.isEmpty && pendingFrame == nil && droppedLines == 0 && !closing {
                condition.wait()
            }
            let renderLines = pendingLines
            let renderFrame = pendingFrame
            let dropped = droppedLines
            let stopping = closing
            pendingLines.removeAll(keepingCapacity: true)
            pendingFrame = nil
            droppedLines = 0
            condition.unlock()

            var lines = renderLines.map { $0() }
            // A frame equal to the one on screen needs no redraw.
            var frame = renderFrame?()
            if frame == lastFrame { frame = nil }

            if dropped > 0 {
                lines.append("loadgen: \(dropped) progress lines dropped: the terminal could not keep up")
            }
            var output = ""
            if live && drawnLines > 0 && (frame != nil || !lines.isEmpty || stopping) {
                // Back to the first line of the block, and clear to the end of the screen.
                output += "\r" + (drawnLines > 1 ? "\u{1B}[\(drawnLines - 1)A" : "") + "\u{1B}[J"
                drawnLines = 0
            }
            for line in lines { output += line + "\n" }
            if live, let redraw = frame ?? lastFrame, frame != nil || !lines.isEmpty || stopping {
                output += redraw.joined(separator: "\n")
                drawnLines = redraw.count
                lastFrame = redraw
                if stopping { output += "\n" }
            }
            write(output)
            if stopping {
                finished.signal()
                return
            }
        }
    }

    private func write(_ text: String) {
        guard !text.isEmpty else { return }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return  // stderr closed: nothing more to show
            }
            offset += written
        }
    }
}
