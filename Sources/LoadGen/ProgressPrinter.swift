import Foundation
import LoadCore
import LoadEngine

/// A one-line progress report on stderr: rewritten in place on a terminal (twice a second),
/// a plain line every 10 s otherwise. Reads only counters: it never slows the engine down.
final class ProgressPrinter {
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private let plannedSeconds: Double?
    private var lastPlainLineNanos: UInt64 = 0
    private var wroteInPlace = false

    init(plannedSeconds: Double?) {
        self.plannedSeconds = plannedSeconds
    }

    /// Tick interval the engine should use.
    var tickIntervalMillis: UInt64 { isTerminal ? 500 : 1_000 }

    func report(_ progress: RunProgress, recorder: RunRecorder) {
        let elapsed = Double(progress.elapsedNanos) / 1e9
        var line = String(format: "%7.1fs", elapsed)
        if let plannedSeconds { line += String(format: " of %.0fs", plannedSeconds) }
        line += "  started \(progress.started)  in flight \(progress.inFlight)"
        if progress.queued > 0 { line += "  queued \(progress.queued)" }
        line += "  ok \(recorder.successes)  errors \(recorder.errors)"
        if progress.stopping { line += "  (draining)" }
        if isTerminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
            wroteInPlace = true
        } else if progress.elapsedNanos >= lastPlainLineNanos + 10_000_000_000 {
            lastPlainLineNanos = progress.elapsedNanos
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// Ends the in-place line so that what follows starts on a fresh line.
    func finish() {
        if wroteInPlace {
            FileHandle.standardError.write(Data("\n".utf8))
        }
    }
}
