import LoadCore
import LoadEngine

/// How a run session ended: the exit status it calls for, where it wrote, and what it measured.
struct RunResult {
    /// ``ExitStatus``: 0, 3 (a threshold failed), 4 (the target refused the run) or 130 (interrupted).
    var exitStatus: Int32
    /// The run directory.
    var directory: String
    var outcome: RunOutcome
    var summary: Summary
}
