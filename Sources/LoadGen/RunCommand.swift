import ArgumentParser
import Foundation
import LoadCore
import LoadEngine
import MockProvider

/// `loadgen run` (the default command): runs a profile and writes a run directory.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a load profile and record every attempt (the default command).",
        discussion: """
            Writes runs/<UTC stamp>-<profile>/ with events.ndjson, run.json,
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
              loadgen --profile profiles/ramp.yaml
              loadgen -p profiles/constant.yaml --rate 20 --duration 1m --quiet
              loadgen -p profiles/closed-loop.yaml --users 16 --grace 5s
              loadgen -p profiles/ramp.yaml --set thresholds.ttft_p99=800ms
              loadgen -p profiles/ramp.yaml --verbose 2> attempts.log
              loadgen -p profiles/ramp.yaml --model llama-3.1-8b \\
                  --base-url http://127.0.0.1:8000/v1
            """
    )

    @Option(name: .shortAndLong, help: "The profile (YAML) to run.", completion: .file(extensions: ["yaml", "yml"]))
    var profile: String

    @Option(help: "Directory that receives the run directory.")
    var output = "runs"

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

    func validate() throws {
        guard warmupConnections >= 0 else { throw ValidationError("Please give --warmup-connections as 0 or more.") }
        if quiet && verbose { throw ValidationError("Please give either --quiet or --verbose, not both.") }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ValidationError("Please give --ca-file as a readable PEM file of CA certificates; cannot read \(caFile).")
        }
    }

    func run() throws {
        do {
            try execute()
        } catch let error as CLIError {
            printError("loadgen: " + error.description)
            throw ExitCode(error.exitCode)
        }
    }

    private func execute() throws {
        // A peer closing a socket must be an error result, never a signal that kills the run.
        signal(SIGPIPE, SIG_IGN)
        let loaded = try ProfileLoader.load(path: profile, options: overrides)
        var plan = try PlanFactory.plan(loaded)
        plan.warmupConnections = warmupConnections
        let environment = try environmentWithDotEnv()
        let apiKey = try RequestFactory.apiKey(for: loaded.target, environment: environment)
        let pricing = try RunPricing(profile: loaded, modelsFile: modelsFile)

        var mockServer: MockServer?
        defer { mockServer?.shutdown() }
        let baseURL: String
        if loaded.target.provider == .mock {
            let started = try EmbeddedMock.start(loaded.target.mock ?? Profile.MockSettings(), seed: loaded.seed)
            mockServer = started.server
            baseURL = started.baseURL
        } else {
            baseURL = loaded.target.baseURL ?? Profile.Target.openAIBaseURL
        }
        let promptMix = PromptMix(sets: loaded.prompts)
        var template = try RequestFactory.template(
            profile: loaded, mix: promptMix, baseURL: baseURL, apiKey: apiKey, insecure: insecure, environment: environment)
        if let caFile { template.caFile = URL(fileURLWithPath: caFile).standardized.path }

        // Everything that can fail before the first request fails before the run directory exists.
        let engine = try Engine(template: template, plan: plan)
        engine.drainGraceMillis = loaded.limits.graceNanos / 1_000_000
        let startedAt = Date()
        let directory = try RunDirectory.create(parent: output, profileName: loaded.name, startedAt: startedAt)
        try directory.write("profile.resolved.yaml", loaded.resolvedYAML())
        var header = RunHeader(
            profile: loaded.name, startedAt: startedAt, loadgenVersion: LoadGenVersion.current,
            curlVersion: EngineVersions.curl, uvVersion: EngineVersions.uv, seed: loaded.seed,
            command: CommandLine.arguments, mode: loaded.load.mode.rawValue)
        let stageTimeline = StageTimeline(load: loaded.load)
        header.provider = loaded.target.provider.rawValue
        header.model = loaded.target.model
        header.host = ProcessInfo.processInfo.hostName
        header.stages = stageTimeline.stages
        header.promptSets = zip(loaded.prompts, promptMix.setRanges).map { set, range in
            RunHeader.PromptSetRange(name: set.name, first: range.lowerBound, count: range.count)
        }
        let eventLog = try EventLogWriter(path: directory.file("events.ndjson"), header: header)
        try directory.write("run.json", RunMetadata.render(header: header, profilePath: profile, outcome: nil,
                                                           endedAt: nil, files: []))
        let recorder = RunRecorder()
        var eventLogFailure: Error?
        let display = RunDisplay(mode: DisplayMode.detect(quiet: quiet), verbose: verbose, profile: loaded,
                                 secrets: [apiKey].compactMap { $0 })
        let monitor = RunMonitor(engine: engine, recorder: recorder, display: display,
                                 thresholds: loaded.thresholds.isEmpty ? nil : ThresholdTracker(
                                     thresholds: loaded.thresholds, maxRequests: loaded.requestBound),
                                 graceNanos: loaded.limits.graceNanos)

        engine.handlesSignals = true
        var budget = pricing.budget
        var budgetReached = false
        let quiet = self.quiet
        engine.onAttempt = { [unowned engine] finished in
            var attempt = finished
            attempt.stage = stageTimeline.stageIndex(atNanos: attempt.intendedStartNanos)
            attempt.costUSD = pricing.calculator.costUSD(of: attempt)
            if var spend = budget {
                // max_cost_usd: spent so far plus an estimate for what is in flight (CostBudget).
                spend.add(costUSD: attempt.costUSD)
                if !budgetReached, spend.isReached(inFlight: engine.inFlightCount) {
                    budgetReached = true
                    let reason = spend.stopReason(inFlight: engine.inFlightCount)
                    if !quiet { printError("\nloadgen: stopping new requests: \(reason)") }
                    engine.stopArrivals(reason: reason)
                }
                budget = spend
            }
            recorder.record(attempt)
            monitor.attempt(attempt)
            guard eventLogFailure == nil else { return }
            do { try eventLog.append(attempt) } catch { eventLogFailure = error }
        }
        engine.onDropped = { drops in
            monitor.droppedArrivals(drops.count)
            guard eventLogFailure == nil else { return }
            do { try eventLog.appendDropped(drops) } catch { eventLogFailure = error }
        }
        engine.tickIntervalMillis = 500
        engine.onTick = { monitor.tick($0) }
        if !quiet {
            printError("loadgen: running \(loaded.name) against \(loaded.target.provider == .mock ? "the embedded mock (\(baseURL))" : baseURL)")
            printError("loadgen: " + pricing.description)
        }

        let usageBefore = ResourceUsage.now()
        let outcome = try engine.run()
        let usageAfter = ResourceUsage.now()
        display.finish(monitor.lastProgress, recorder: recorder)

        try eventLog.appendEnd(endNanos: outcome.elapsedNanos)
        try eventLog.close()
        if let eventLogFailure {
            throw CLIError("writing \(directory.file("events.ndjson")) failed: \(eventLogFailure)")
        }
        let summary = Summary(recorder: recorder)
        let table = SummaryTable.render(recorder)
        try directory.write("summary.txt", table)
        try directory.write(
            "summary.json",
            SummaryJSON.render(
                summary: summary, outcome: outcome, recorder: recorder, profileName: loaded.name,
                cpuSeconds: usageAfter.cpuSeconds - usageBefore.cpuSeconds,
                startRSSKiB: usageBefore.currentRSSKiB, peakRSSKiB: usageAfter.peakRSSKiB))
        let histogramFiles = recorder.hgrmFiles()
        for (name, text) in histogramFiles {
            try directory.write(name, text)
        }
        try directory.write("histograms.hlog", recorder.histogramLog(
            startedAt: startedAt, runName: (directory.path as NSString).lastPathComponent))
        try directory.write("run.json", RunMetadata.render(
            header: header, profilePath: profile, outcome: outcome, endedAt: Date(),
            files: ["events.ndjson", "histograms.hlog", "profile.resolved.yaml", "run.json", "summary.json",
                    "summary.txt"] + (loaded.thresholds.isEmpty ? [] : ["thresholds.json"])
                + histogramFiles.keys.sorted()))

        print(table, terminator: table.hasSuffix("\n") ? "" : "\n")
        if let reason = outcome.stopReason {
            print("stopped early: \(reason)")
        }
        if outcome.dropped > 0 {
            print("dropped arrivals: \(outcome.dropped) (\(plan.maxInFlight) in flight and \(plan.maxQueued) waiting; "
                + "raise limits.max_in_flight or limits.max_queue, or lower the rate)")
        }
        if outcome.retries > 0 {
            print("retries: \(outcome.retries) of the \(outcome.started) attempts were retries (each is its own line in events.ndjson)")
        }
        if let failures = summary.errorsByClass[ErrorClass.tls.rawValue], failures > 0 {
            print("TLS failed for \(failures) attempts: if the server's certificate is private, give its CA with --ca-file FILE "
                + "or target.ca_file (or --insecure for a server you trust)")
        }
        let cpuPerRequest = (usageAfter.cpuSeconds - usageBefore.cpuSeconds) / Double(max(outcome.completed, 1)) * 1e6
        let cpuLabel = mockServer == nil ? "client CPU" : "process CPU (client and embedded mock)"
        print(String(format: "%@: %.2f s (%.0f µs per request), peak RSS %d KiB",
                     cpuLabel, usageAfter.cpuSeconds - usageBefore.cpuSeconds, cpuPerRequest, usageAfter.peakRSSKiB))
        if outcome.loopCloseStatus != 0 {
            printError("loadgen: warning: the event loop closed with handles still open (\(outcome.loopCloseStatus))")
        }
        let verdict = try RunVerdict.report(
            monitor: monitor, recorder: recorder, outcome: outcome, profile: loaded, directory: directory,
            url: template.url)
        if !noHtml { RunHTMLReport.write(in: directory.path) }
        print("run directory: \(directory.path)")
        print("report again:  loadreport \(directory.path)")
        if let signal = outcome.interruptedBySignal {
            print("interrupted by signal \(signal): \(outcome.cancelled) cancelled, \(outcome.neverStarted) never started")
            throw ExitCode(ExitStatus.interrupted)
        }
        if verdict != ExitStatus.success { throw ExitCode(verdict) }
    }
}

/// The process environment plus `./.env` (the environment wins; keys never get printed).
func environmentWithDotEnv() throws -> [String: String] {
    let path = ".env"
    let contents = FileManager.default.fileExists(atPath: path) ? try? String(contentsOfFile: path, encoding: .utf8) : nil
    do {
        return try DotEnv.merged(environment: ProcessInfo.processInfo.environment, dotEnvPath: path, contents: contents)
    } catch {
        throw CLIError("\(error)", exitCode: 2)
    }
}

/// Loads a profile, turning validation problems into exit code 2 with every problem listed.
enum ProfileLoader {
    /// - Parameter options: the command line's overrides (`run` only).
    static func load(path: String, options: ProfileOverrideOptions? = nil) throws -> Profile {
        do {
            guard let options else { return try Profile.load(path: path) }
            var profile = try Profile.load(path: path, overrides: options.yamlOverrides())
            if options.baseURL != nil && profile.target.provider == .mock {
                // --base-url aims a mock profile at a real server: read it again as the provider that
                // speaks the mock's dialect (openai-compatible, anthropic or groq).
                let dialect = profile.target.mock?.dialect ?? .openAI
                profile = try Profile.load(path: path, overrides: options.yamlOverrides(switchingFromMockDialect: dialect))
            }
            return try options.applyLoad(to: profile)
        } catch let error as ProfileError {
            throw CLIError("invalid profile:\n" + error.description, exitCode: 2)
        } catch {
            throw CLIError("cannot read profile \(path): \(error)", exitCode: 2)
        }
    }
}

/// Writes a line to stderr.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
