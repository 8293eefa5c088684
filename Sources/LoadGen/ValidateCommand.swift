import ArgumentParser
import LoadCore

/// `loadgen validate`: checks a profile and prints the plan, sending nothing.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a profile and print the resolved plan; sends nothing.",
        discussion: "Exit codes: 0 valid, 2 invalid (every problem is listed with file:line:column and field)."
    )

    @Argument(help: "The profile (YAML) to check.", completion: .file(extensions: ["yaml", "yml"]))
    var profile: String

    func run() throws {
        let loaded: Profile
        do {
            loaded = try ProfileLoader.load(path: profile)
            _ = try PlanFactory.plan(loaded)
        } catch let error as CLIError {
            printError("loadgen: " + error.description)
            throw ExitCode(error.exitCode)
        }
        print("\(profile): valid")
        print("  mode: \(loaded.load.mode.rawValue), \(loaded.load.stages.count) stage(s)")
        if loaded.load.mode == .open {
            var arrival = loaded.load.arrival.name
            if case .gamma(let burstiness) = loaded.load.arrival { arrival += ", burstiness \(burstiness)" }
            print("  arrivals: \(arrival), seed \(loaded.seed)")
        } else {
            print("  think time: \(DurationFormat.format(nanos: loaded.load.thinkTimeNanos))")
        }
        if let duration = loaded.load.totalDurationNanos {
            print("  duration: \(DurationFormat.format(nanos: duration))")
        }
        if let planned = loaded.plannedRequests() {
            let estimate = loaded.load.mode == .open && loaded.load.arrival != .constant ? " (on average)" : ""
            print("  expected requests: \(planned)\(estimate)")
        }
        if let limit = loaded.limits.maxRequests {
            print("  max requests: \(limit)")
        }
        print("  max in flight: \(loaded.limits.maxInFlight)")
        print("  prompts: \(loaded.prompts.count)")
        print("\n" + loaded.resolvedYAML())
    }
}
