import Foundation

/// Where a run session prints: the end-of-run report on stdout, notes and errors on stderr. The
/// command uses the process's streams; tests capture both. (The live display writes to stderr
/// through its own thread and is off in tests: ``DisplayMode/quiet``.)
struct RunConsole {
    /// Prints a line on stdout.
    var out: (String) -> Void
    /// Prints a line on stderr.
    var err: (String) -> Void

    /// The process's stdout and stderr.
    static let standard = RunConsole(
        out: { line in print(line) },
        err: { line in printError(line) })
}
