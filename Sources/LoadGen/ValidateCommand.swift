import ArgumentParser
import LoadCore

/// `loadgen validate`: checks a profile and prints the plan, sending nothing.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a profile and print a short plan with a cost estimate; sends nothing.",
        discussion: """
            Takes the same profile overrides as run (--rate, --users, --duration,
            --set, --model, --base-url, --prompts, --grace), so that a command line
            can be checked before it runs. --resolved prints the profile as it
            would run, every default filled in (profile.resolved.yaml).

            Exit codes: 0 valid, 2 invalid (every problem is listed with
            file:line:column and field), 64 bad command line.

            Examples:
              loadgen validate profiles/ramp.yaml
              loadgen validate profiles/constant.yaml --rate 50 --duration 10m
              loadgen validate profiles/ramp.yaml --resolved
              for p in profiles/*.yaml; do loadgen validate "$p" >/dev/null; done
            """
    )

    @Argument(help: "The profile (YAML) to check.", completion: .file(extensions: ["yaml", "yml"]))
    var profile: String

    @OptionGroup(title: "Profile overrides")
    var overrides: ProfileOverrideOptions

    @Flag(help: "Also print the resolved profile (YAML, every default filled in).")
    var resolved = false

    @Option(name: .customLong("models"), help: ArgumentHelp(
        "A models catalog (YAML) that replaces the built-in prices.", valueName: "file"),
        completion: .file(extensions: ["yaml", "yml"]))
    var modelsFile: String?

    func run() throws {
        let loaded: Profile
        let mix: PromptMix
        let bodyBytes: Int
        let pricing: RunPricing
        do {
            loaded = try ProfileLoader.load(path: profile, options: overrides)
            _ = try PlanFactory.plan(loaded)
            if loaded.target.provider != .mock, let problem = TargetURLCheck.problem(
                loaded.target.baseURL ?? Profile.Target.openAIBaseURL) {
                throw CLIError("target.base_url: \(problem)", exitCode: ExitStatus.invalidInput)
            }
            mix = PromptMix(sets: loaded.prompts)
            bodyBytes = RequestFactory.bodies(mix: mix, profile: loaded).reduce(0) { $0 + $1.count }
            pricing = try RunPricing(profile: loaded, modelsFile: modelsFile)
        } catch let error as CLIError {
            printError("loadgen: " + error.description)
            throw ExitCode(error.exitCode)
        }
        print("\(profile): valid")
        if let sweep = loaded.sweep {
            SweepPlanText.lines(sweep, profile: loaded, price: pricing.price).forEach { print($0) }
        }
        if loaded.sweep == nil || loaded.load != SweepSettings.placeholderLoad {
            printLoad(loaded)
        }
        if let limit = loaded.limits.maxRequests {
            print("  max requests: \(limit)")
        }
        print("  max in flight: \(loaded.limits.maxInFlight)")
        TransportDescription.lines(for: loaded).forEach { print($0) }
        PromptDescription.lines(for: loaded, mix: mix, bodyBytes: bodyBytes).forEach { print($0) }
        let target = loaded.target
        print("  target: \(target.provider.rawValue) \(target.model), \(target.dialect.rawValue) format, "
            + (target.baseURL ?? "the embedded mock") + (target.apiKeyEnv.map { ", key from \($0)" } ?? ""))
        print("  " + pricing.description)
        // A sweep's plan above gives its own worst-case cost.
        if loaded.sweep == nil, let estimate = CostEstimate.line(profile: loaded, mix: mix, price: pricing.price) {
            print("  " + estimate)
        }
        if resolved {
            print("\n" + loaded.resolvedYAML())
        } else {
            print("(--resolved prints the profile with every default filled in)")
        }
    }

    /// The load of `loadgen run`: mode, arrivals, stages, duration, expected requests.
    private func printLoad(_ loaded: Profile) {
        print("  mode: \(loaded.load.mode.rawValue), \(loaded.load.stages.count) stage(s)")
        if loaded.load.mode == .open {
            switch loaded.load.arrival {
            case .constant: print("  arrivals: constant")
            case .poisson: print("  arrivals: poisson, seed \(loaded.seed)")
            case .gamma(let burstiness): print("  arrivals: gamma, burstiness \(burstiness), seed \(loaded.seed)")
            case .trace(let path, _): print("  arrivals: replayed from \(path)")
            }
        } else {
            print("  think time: \(DurationFormat.format(nanos: loaded.load.thinkTimeNanos))")
        }
        PlanDescription.lines(for: loaded).forEach { print($0) }
        if let duration = loaded.load.totalDurationNanos {
            print(String(format: "  duration: %.2f s", Double(duration) / 1e9))
        }
        if let planned = loaded.plannedRequests() {
            var estimate = ""
            switch loaded.load.arrival {
            case .poisson, .gamma: estimate = " (on average)"
            case .constant, .trace: break
            }
            print("  expected requests: \(planned)\(estimate)")
        }
    }
}
