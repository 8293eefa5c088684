import ArgumentParser
import Foundation
import LoadCore

/// `loadgen run` (the default command): runs a profile and writes a run directory.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a load profile and record every attempt (the default command).",
        discussion: """
            The profile is given by path, with or without -p/--profile.

            Writes runs/<UTC stamp>-<profile>/ (or exactly --run-dir) with
            events.ndjson, run.json,
            summary.json, summary.txt, profile.resolved.yaml, histograms.hlog, one
            .hgrm histogram per metric, thresholds.json when the profile has
            thresholds, and report.html (charts and tables, one self-contained
            page) unless --no-html.

            The first Ctrl-C (or SIGTERM) stops new requests and lets those in
            flight finish within the grace period (--grace, limits.grace, 30s);
            a second cancels them. Either way the event log and the summary are
            complete.

            On a terminal (stderr) a live display is redrawn twice a second
            (NO_COLOR turns colors off); otherwise a plain progress line is
            printed every 10 s.

            \(ExitStatus.help)

            Examples:
              loadgen profiles/ramp.yaml
              loadgen --profile profiles/ramp.yaml --run-dir /tmp/ramp-run
              loadgen -p profiles/constant.yaml --rate 20 --duration 1m --quiet
              loadgen -p profiles/closed-loop.yaml --users 16 --grace 5s
              loadgen -p profiles/ramp.yaml --set thresholds.ttft_p99=800ms
              loadgen -p profiles/ramp.yaml --verbose 2> attempts.log
              loadgen -p profiles/ramp.yaml --rate 2000 --workers 2
              loadgen -p profiles/ramp.yaml --shard 1/4 --start-at 2026-12-02T10:00:00Z
              JOB_COMPLETION_INDEX=1 LOADGEN_SHARDS=4 loadgen -p profiles/ramp.yaml --shard auto
              loadgen -p profiles/ramp.yaml --model llama-3.1-8b \\
                  --base-url http://127.0.0.1:8000/v1
            """
    )

    @Argument(help: ArgumentHelp("The profile (YAML) to run (or give it with --profile).", valueName: "profile"),
              completion: .file(extensions: ["yaml", "yml"]))
    var profileArgument: String?

    @Option(name: .shortAndLong, help: "The profile (YAML) to run.", completion: .file(extensions: ["yaml", "yml"]))
    var profile: String?

    @Option(help: "Directory that receives the run directory.")
    var output = "runs"

    @Option(name: .customLong("run-dir"), help: ArgumentHelp(
        "Write the run directory exactly here (created; if it exists it must be empty) instead of a new one under --output.",
        valueName: "dir"))
    var runDir: String?

    @Flag(help: "Print nothing while running; the summary still prints at the end.")
    var quiet = false

    @Flag(help: "Print a line per finished attempt on stderr (status, error class, TTFT, tokens; keys redacted).")
    var verbose = false

    @OptionGroup(title: "Profile overrides")
    var overrides: ProfileOverrideOptions

    @Flag(help: "Turn TLS certificate verification off (only for servers you trust).")
    var insecure = false

    @Option(help: ArgumentHelp("Verify TLS with the CA certificates in this PEM file (replaces target.ca_file).",
                               valueName: "file"),
            completion: .file(extensions: ["pem", "crt"]))
    var caFile: String?

    @Option(help: "Open this many connections (a GET to the target URL each) before the run, so the first requests do not pay for connection setup.")
    var warmupConnections = 0

    @Option(name: .customLong("models"), help: ArgumentHelp(
        "A models catalog (YAML, the format of catalog/models.yaml) that replaces the built-in prices.",
        valueName: "file"), completion: .file(extensions: ["yaml", "yml"]))
    var modelsFile: String?

    @Flag(help: "Do not write report.html (the charts) into the run directory; loadreport RUN --html FILE writes it later.")
    var noHtml = false

    @Option(help: ArgumentHelp(
        "Run slice i of N of the schedule (arrival k goes to shard k mod N; users and max_requests are split); auto reads "
            + "i from JOB_COMPLETION_INDEX and N from LOADGEN_SHARDS, auto/N gives N (docs/distributed.md).",
        valueName: "i/N|auto|auto/N"))
    var shard: String?

    @Option(help: ArgumentHelp(
        "Wait until this wall-clock time, RFC 3339 (e.g. 2026-12-02T10:00:00Z), and start the run's clock there: "
            + "the common start of shards. Refused more than 1 s in the past or 24 h ahead.",
        valueName: "time"))
    var startAt: String?

    @Option(help: ArgumentHelp(
        "Engines on threads of their own, each with its own event loop, running slice w of N of the schedule; one event "
            + "log and summary. auto: 1 for a peak of 500 arrivals/s (or users) or less, else one per 500, up to the "
            + "machine's cores (docs/engine.md, \"Workers\").",
        valueName: "N|auto"))
    var workers = "auto"

    @Option(name: .customLong("hlog-interval"), help: ArgumentHelp(
        "The interval of histograms.hlog: one histogram per metric per interval, by the attempts' ends (100ms or more).",
        valueName: "duration"), transform: DurationArgument.parsing)
    var hlogInterval = DurationArgument(nanos: 1_000_000_000)

    /// The profile's path, given positionally or with --profile.
    private var profilePath: String { profileArgument ?? profile ?? "" }

    func validate() throws {
        switch (profileArgument, profile) {
        case (nil, nil): throw ValidationError("Please give a profile: loadgen PROFILE.yaml (or --profile PROFILE.yaml).")
        case (.some, .some): throw ValidationError("Please give the profile once: as an argument or with --profile.")
        default: break
        }
        do {
            try RunDirectory.checkParent(output, flag: "--output")
            if let runDir { try RunDirectory.checkExact(runDir) }
        } catch let error as CLIError {
            throw ValidationError(error.description)
        }
        guard hlogInterval.nanos >= 100_000_000 else {
            throw ValidationError("Please give --hlog-interval as 100ms or more (got \(hlogInterval.defaultValueDescription)).")
        }
        guard warmupConnections >= 0 else { throw ValidationError("Please give --warmup-connections as 0 or more.") }
        if quiet && verbose { throw ValidationError("Please give either --quiet or --verbose, not both.") }
        if let startAt, StartTime.parse(startAt) == nil {
            throw ValidationError("Please give --start-at as an RFC 3339 time with a zone, like 2026-12-02T10:00:00Z "
                + "(got \"\(startAt)\").")
        }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ValidationError("Please give --ca-file as a readable PEM file of CA certificates; cannot read \(caFile).")
        }
    }

    func run() throws {
        do {
            let loaded = try ProfileLoader.load(path: profilePath, options: overrides)
            var settings = try settings()
            settings.workers = try WorkerCount.resolve(workers, profile: loaded, shards: settings.shard?.count ?? 1,
                                                       warmupConnections: warmupConnections)
            let result = try RunSession(profile: loaded, settings: settings).run()
            if result.exitStatus != ExitStatus.success { throw ExitCode(result.exitStatus) }
        } catch let error as CLIError {
            printError("loadgen: " + error.description)
            throw ExitCode(error.exitCode)
        }
    }

    /// The session's settings from the flags and the environment (with `./.env`).
    private func settings() throws -> RunSettings {
        var settings = RunSettings(profilePath: profilePath)
        settings.outputParent = output
        settings.exactRunDirectory = runDir
        settings.quiet = quiet
        settings.verbose = verbose
        settings.insecure = insecure
        settings.caFile = caFile
        settings.warmupConnections = warmupConnections
        settings.modelsFile = modelsFile
        settings.writesHTML = !noHtml
        settings.histogramIntervalNanos = hlogInterval.nanos
        settings.environment = try environmentWithDotEnv()
        if let shard {
            settings.shard = try ShardArgument.resolve(shard, environment: settings.environment)
        }
        if let startAt { settings.startAt = try StartTime.check(startAt, now: Date()) }
        return settings
    }
}
