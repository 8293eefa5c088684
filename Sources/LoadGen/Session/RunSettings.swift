import Foundation
import LoadCore
import LoadEngine

/// What a run session needs besides the profile: the command line's run flags and the process's
/// environment, gathered so that tests can start a session without the binary.
struct RunSettings {
    /// The profile's file, as given (recorded in run.json).
    var profilePath: String
    /// The directory that receives the run directory (`--output`).
    var outputParent = "runs"
    /// The run directory itself (`--run-dir`), instead of a new one under ``outputParent``.
    var exactRunDirectory: String?
    var quiet = false
    /// A line per finished attempt on stderr.
    var verbose = false
    /// TLS verification off.
    var insecure = false
    /// CA certificates replacing target.ca_file.
    var caFile: String?
    /// Connections opened before the run.
    var warmupConnections = 0
    /// A models catalog replacing the built-in prices (`--models`).
    var modelsFile: String?
    /// report.html in the run directory (off with `--no-html`).
    var writesHTML = true
    /// SIGINT and SIGTERM stop the run (off in tests that run in the test process).
    var handlesSignals = true
    /// The environment the API key is read from (the process's plus `./.env`).
    var environment: [String: String] = [:]
    /// The progress display; nil picks one from the terminal (``DisplayMode/detect``).
    var displayMode: DisplayMode?
    /// The slice of the schedule this process runs (`--shard`); nil for the whole run.
    var shard: ScheduleSlice?
    /// Engines on threads of their own (`--workers`, resolved: ``WorkerCount``); 1 runs on the
    /// calling thread, exactly as before workers existed.
    var workers = 1
    /// The common wall-clock start (`--start-at`), already checked against the clock; nil: at once.
    var startAt: Date?
    /// The length of one interval of histograms.hlog (`--hlog-interval`).
    var histogramIntervalNanos: UInt64 = 1_000_000_000
    /// A test knob: keeps the engine's loop busy on purpose (``LoopStall``), for the tests of the
    /// client self-check. Never set by a command.
    var loopStall: LoopStall?
    /// The command line, recorded in the event log's header and run.json.
    var command: [String] = CommandLine.arguments

    init(profilePath: String) {
        self.profilePath = profilePath
    }
}
