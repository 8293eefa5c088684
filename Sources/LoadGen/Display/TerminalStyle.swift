import Foundation

/// How the run's progress is shown on stderr, decided once at start:
/// - `live`: stderr is a terminal (isatty) and TERM is not `dumb`: a block of lines redrawn in place
///   twice a second, with ANSI colors unless NO_COLOR is set (to any non-empty value, no-color.org);
/// - `plain`: anything else (a file, a pipe, TERM=dumb): one plain line every 10 s, no escape codes;
/// - `quiet`: `--quiet`, nothing while running.
///
/// stderr, not stdout, is the one checked: the display goes to stderr, so `loadgen ... > out.txt`
/// still shows it while the summary table goes to the file.
enum DisplayMode: Equatable {
    case live(colors: Bool)
    case plain
    case quiet

    static func detect(quiet: Bool, environment: [String: String] = ProcessInfo.processInfo.environment,
                       stderrIsTerminal: Bool = isatty(STDERR_FILENO) != 0) -> DisplayMode {
        if quiet { return .quiet }
        guard stderrIsTerminal, environment["TERM"] != "dumb" else { return .plain }
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        return .live(colors: !noColor)
    }
}

/// ANSI styles for the live display; with colors off every style is empty text.
struct TerminalStyle {
    let colors: Bool

    enum Color: String {
        case dim = "2"
        case bold = "1"
        case green = "32"
        case yellow = "33"
        case red = "31"
        case cyan = "36"
    }

    /// `text` wrapped in the color's escape codes (or as is without colors).
    func paint(_ text: String, _ color: Color) -> String {
        colors && !text.isEmpty ? "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// The terminal's width in columns (80 when unknown).
    static func columns(of fd: Int32 = STDERR_FILENO) -> Int {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// Cuts `line` to `width` visible characters, keeping escape sequences intact (and closing
    /// any color left open).
    static func truncate(_ line: String, toWidth width: Int) -> String {
        var visible = 0
        var result = ""
        var inEscape = false
        var cut = false
        for character in line {
            if inEscape {
                result.append(character)
                if character.isLetter { inEscape = false }
                continue
            }
            if character == "\u{1B}" {
                inEscape = true
                result.append(character)
                continue
            }
            if visible >= width {
                cut = true
                continue
            }
            result.append(character)
            visible += 1
        }
        return cut && result.contains("\u{1B}[") ? result + "\u{1B}[0m" : result
    }
}
