import Foundation

/// Turns a ``LiveFrame`` into text: the block of lines redrawn on a terminal, or one plain line.
enum LiveFrameRenderer {
    /// The live block (4 to 6 lines), styled, each cut to `width` columns.
    static func terminalLines(_ frame: LiveFrame, style: TerminalStyle, width: Int) -> [String] {
        let label = { (text: String) in style.paint(text.padding(toLength: 9, withPad: " ", startingAt: 0), .dim) }
        var head = style.paint(frame.profileName, .bold) + "  "
        if let progress = frame.progress {
            head += style.paint(bar(progress, width: 24), .cyan) + String(format: " %3.0f%%  ", progress * 100)
        }
        head += time(frame.elapsedNanos) + (frame.totalNanos.map { " / " + time($0) } ?? "")
        if let stage = frame.stage { head += "   stage " + stage }

        var load = label("load")
        load += loadFigures(frame)
        load += "   in flight \(frame.inFlight)"
        if frame.queued > 0 { load += "   queued \(frame.queued)" }
        if frame.dropped > 0 { load += "   " + style.paint("dropped \(frame.dropped)", .yellow) }

        var results = label("results")
        results += style.paint("ok \(frame.successes)", .green)
        results += "   " + (frame.http429 > 0 ? style.paint("429 \(frame.http429)", .yellow) : "429 0")
        let errors = "errors \(frame.otherErrors)" + (frame.topError.map { " (\($0))" } ?? "")
        results += "   " + (frame.otherErrors > 0 ? style.paint(errors, .red) : errors)
        if let cost = frame.costUSD { results += "   cost " + dollars(cost) }

        var recent = label("last 10s")
        recent += "TTFT p50 " + millis(frame.window.ttftP50Millis) + "  p99 " + millis(frame.window.ttftP99Millis)
        recent += String(format: "   %.0f output tok/s", frame.window.outputTokensPerSecond)

        var lines = [head, load, results, recent]
        if let client = frame.client { lines.append(style.paint(client, .yellow)) }
        if let state = frame.state { lines.append(style.paint(state, .yellow)) }
        return lines.map { TerminalStyle.truncate($0, toWidth: max(width - 1, 10)) }
    }

    /// One line without escape codes, for logs and pipes.
    static func plainLine(_ frame: LiveFrame) -> String {
        var parts: [String] = []
        var clock = time(frame.elapsedNanos) + (frame.totalNanos.map { "/" + time($0) } ?? "")
        if let progress = frame.progress { clock += String(format: " %.0f%%", progress * 100) }
        parts.append("[\(clock)]" + (frame.stage.map { " stage \($0)" } ?? ""))
        var load = loadFigures(frame, separator: ", ") + ", in flight \(frame.inFlight)"
        if frame.queued > 0 { load += ", queued \(frame.queued)" }
        if frame.dropped > 0 { load += ", dropped \(frame.dropped)" }
        parts.append(load)
        parts.append("ok \(frame.successes), 429 \(frame.http429), errors \(frame.otherErrors)"
            + (frame.topError.map { " (\($0))" } ?? ""))
        parts.append("last 10s: TTFT p50 \(millis(frame.window.ttftP50Millis)) p99 \(millis(frame.window.ttftP99Millis)), "
            + String(format: "%.0f output tok/s", frame.window.outputTokensPerSecond))
        if let cost = frame.costUSD { parts.append("cost " + dollars(cost)) }
        if let client = frame.client { parts.append(client) }
        if let state = frame.state { parts.append(state) }
        return parts.joined(separator: " | ")
    }

    /// Open loop `target 29.0/s  sent 28.7/s  ok 28.5/s`; closed loop `users 12 of 12  sent ..  ok ..`.
    private static func loadFigures(_ frame: LiveFrame, separator: String = "   ") -> String {
        var text: String
        if frame.isOpenLoop {
            text = "target " + (frame.target.map { rate($0) } ?? "-")
        } else {
            text = "users \(frame.users ?? 0)" + (frame.target.map { " of \(Int($0.rounded()))" } ?? "")
        }
        text += separator + "sent " + (frame.window.startedPerSecond.map { rate($0) } ?? "-")
        text += separator + "ok " + (frame.window.successesPerSecond.map { rate($0) } ?? "-")
        if frame.isFinal { text += " (run averages)" }
        return text
    }

    /// A bar of `width` cells, full cells for the done fraction.
    static func bar(_ fraction: Double, width: Int) -> String {
        let clamped = min(max(fraction, 0), 1)
        let full = Int((clamped * Double(width)).rounded(.down))
        return String(repeating: "█", count: full) + String(repeating: "░", count: width - full)
    }

    static func time(_ nanos: UInt64) -> String {
        let seconds = Double(nanos) / 1e9
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds)
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        return String(format: "%dh%02dm%02ds", whole / 3600, whole % 3600 / 60, whole % 60)
    }

    private static func rate(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f/s", value) : String(format: "%.1f/s", value)
    }

    private static func millis(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value >= 100 ? String(format: "%.0fms", value) : String(format: "%.1fms", value)
    }

    private static func dollars(_ value: Double) -> String {
        value >= 1 ? String(format: "$%.2f", value) : String(format: "$%.4f", value)
    }
}
