import ArgumentParser
import Foundation
import LoadCore
import LoadEngine
import MockProvider

/// `loadgen sweep`: searches for the knee and the SLO capacity of a target (docs/capacity.md).
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Find where a target saturates and the most load it carries within an SLO.",
        discussion: """
            Runs the profile's sweep: section: a one-user baseline, a ceiling search
            (load growing geometrically until a saturation signal), evenly spaced
            steps up to the ceiling, then bisection of the SLO boundary. Each step is a
            stage of one run directory (events.ndjson, sweep.json, summary.json with
            capacity.*), so every loadreport view works on it, and
            `loadreport RUN --capacity --slo ...` redoes the analysis with other SLOs.

            sweep.max_duration and sweep.max_cost_usd (or limits.max_cost_usd) bound
            every sweep; `loadgen validate` prints the plan and its worst case.

            \(ExitStatus.help)

            Examples:
              loadgen sweep --profile profiles/capacity.yaml
              loadgen sweep -p profiles/capacity.yaml --set sweep.slo.ttft_p99=800ms
              loadgen sweep -p profiles/capacity.yaml --model llama-3.1-8b \\
                  --base-url http://127.0.0.1:8000/v1
            """
    )

    @Option(name: .shortAndLong, help: "The profile (YAML) with a sweep: section.",
            completion: .file(extensions: ["yaml", "yml"]))
    var profile: String

    @Option(help: "Directory that receives the run directory.")
    var output = "runs"

    @Flag(help: "Print no line per step; the capacity view still prints at the end.")
    var quiet = false

    @OptionGroup(title: "Profile overrides")
    var overrides: ProfileOverrideOptions

    @Flag(help: "Turn TLS certificate verification off (only for servers you trust).")
    var insecure = false

    @Option(name: .customLong("models"), help: ArgumentHelp(
        "A models catalog (YAML, the format of catalog/models.yaml) that replaces the built-in prices.",
        valueName: "file"), completion: .file(extensions: ["yaml", "yml"]))
    var modelsFile: String?

    func run() throws {
        do {
            try execute()
        } catch let error as CLIError {
            printError("loadgen: " + error.description)
            throw ExitCode(error.exitCode)
        }
    }

    private func execute() throws {
        signal(SIGPIPE, SIG_IGN)
        let loaded = try ProfileLoader.load(path: profile, options: overrides)
        guard var settings = loaded.sweep else {
            throw CLIError("\(profile) has no sweep: section; add one, e.g. sweep: {slo: {ttft_p99: 800ms}} "
                + "(docs/capacity.md), or run it with loadgen run", exitCode: ExitStatus.invalidInput)
        }
        if let limit = loaded.limits.maxCostUSD { settings.maxCostUSD = min(settings.maxCostUSD ?? limit, limit) }
        let apiKey = try RequestFactory.apiKey(for: loaded.target, environment: try environmentWithDotEnv())
        let pricing = try RunPricing(profile: loaded, modelsFile: modelsFile)
        if settings.maxCostUSD != nil, pricing.price == nil {
            throw CLIError("sweep.max_cost_usd needs a price for model \(loaded.target.model); add one under "
                + "pricing.models", exitCode: ExitStatus.invalidInput)
        }

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
        let template = try RequestFactory.template(
            profile: loaded, mix: promptMix, baseURL: baseURL, apiKey: apiKey, insecure: insecure)

        let startedAt = Date()
        let directory = try RunDirectory.create(parent: output, profileName: loaded.name, startedAt: startedAt)
        try directory.write("profile.resolved.yaml", loaded.resolvedYAML())
        var header = RunHeader(
            profile: loaded.name, startedAt: startedAt, loadgenVersion: LoadGenVersion.current,
            curlVersion: EngineVersions.curl, uvVersion: EngineVersions.uv, seed: loaded.seed,
            command: CommandLine.arguments, mode: settings.mode == .rate ? "open" : "closed")
        header.provider = loaded.target.provider.rawValue
        header.model = loaded.target.model
        header.host = ProcessInfo.processInfo.hostName
        header.promptSets = zip(loaded.prompts, promptMix.setRanges).map { set, range in
            RunHeader.PromptSetRange(name: set.name, first: range.lowerBound, count: range.count)
        }
        let eventsPath = directory.file("events.ndjson")
        let eventLog = try EventLogWriter(path: eventsPath, header: header)
        try directory.write("run.json", RunMetadata.render(header: header, profilePath: profile, outcome: nil,
                                                           endedAt: nil, files: []))
        let quiet = self.quiet
        if !quiet {
            printError("loadgen: sweeping \(loaded.name) against "
                + (mockServer == nil ? baseURL : "the embedded mock (\(baseURL))"))
            SweepPlanText.lines(settings, profile: loaded, price: pricing.price)
                .forEach { printError("loadgen:" + $0) }
        }

        let session = SweepSession(SweepSession.Inputs(
            profile: loaded, settings: settings, template: template, pricing: pricing, eventLog: eventLog,
            directory: directory, progress: { line in if !quiet { printError("loadgen: " + line) } }))
        let usageBefore = ResourceUsage.now()
        let swept = try session.run()
        let usageAfter = ResourceUsage.now()
        let recorder = session.recorder
        let client = ClientCheckFigures.check(
            recorder: recorder, loopBusyFraction: swept.engineOutcome?.loopBusyFraction,
            peakRSSKiB: usageAfter.peakRSSKiB, openFileLimit: nil, descriptorsNeeded: nil)
        try eventLog.appendEnd(endNanos: swept.endNanos, client: client)
        try eventLog.close()
        header.stages = swept.stages
        try EventLogHeaderRewrite.replaceHeader(of: eventsPath, with: header)

        let capacityText = try CapacityText.render(swept.result, format: .table)
        // The report's JSON document as loadreport reads the finished log (its header now has the steps).
        let document = try SummaryJSON.report(eventsPath: eventsPath)
        let table = SummaryTable.render(recorder, throttling: document.throttling, client: document.client)
        try directory.write("summary.txt", table + "\n" + capacityText)
        if let outcome = swept.engineOutcome {
            try directory.write("summary.json", SummaryJSON.render(
                report: document, outcome: outcome, cpuSeconds: usageAfter.cpuSeconds - usageBefore.cpuSeconds,
                startRSSKiB: usageBefore.currentRSSKiB, peakRSSKiB: usageAfter.peakRSSKiB,
                capacity: CapacityText.object(swept.result)))
        }
        let histogramFiles = recorder.hgrmFiles()
        for (name, text) in histogramFiles { try directory.write(name, text) }
        try directory.write("histograms.hlog", recorder.histogramLog(
            startedAt: startedAt, runName: (directory.path as NSString).lastPathComponent))
        try directory.write("run.json", RunMetadata.render(
            header: header, profilePath: profile, outcome: swept.engineOutcome, endedAt: Date(),
            files: ["events.ndjson", "histograms.hlog", "profile.resolved.yaml", "run.json", "summary.json",
                    "summary.txt", "sweep.json"] + histogramFiles.keys.sorted()))

        print(capacityText, terminator: "")
        print("run directory: \(directory.path)")
        print("report again:  loadreport \(directory.path) --capacity [--slo ttft_p99=800ms,...]")
        if swept.interrupted != nil { throw ExitCode(ExitStatus.interrupted) }
    }
}
