import ArgumentParser
import Foundation
import LoadCore

/// `--set key.path=value`: one profile field changed on the command line.
struct OverrideArgument: ExpressibleByArgument {
    let override: ProfileOverride

    init?(argument: String) {
        guard let override = ProfileOverride.parseAssignment(argument) else { return nil }
        self.override = override
    }
}

/// The flags of `loadgen run` that change the profile before it runs. Field values (`--set`,
/// `--model`, `--base-url`, `--prompts`) are applied to the YAML before validation, so that a bad
/// value is reported like one in the file, naming the flag it came from. The load flags
/// (`--rate`, `--users`, `--duration`) and `--grace` replace parts of the validated profile.
struct ProfileOverrideOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Open loop at this many requests per second: replaces the profile's stages with one stage.",
        discussion: "The run keeps the profile's total duration unless --duration is given.",
        valueName: "per-second"))
    var rate: Double?

    @Option(name: [.customLong("users"), .customLong("concurrent")], help: ArgumentHelp(
        "Closed loop with this many concurrent users: replaces the profile's stages with one stage.",
        valueName: "count"))
    var users: Int?

    @Option(help: ArgumentHelp(
        "Run this long: sets the single stage's duration, or stretches several stages in proportion.",
        valueName: "duration"), transform: DurationArgument.parsing)
    var duration: DurationArgument?

    @Option(help: ArgumentHelp(
        "Use these prompts: a prompt-set file or folder (replaces the profile's prompts:).", valueName: "path"),
        completion: .file())
    var prompts: String?

    @Option(name: .customLong("base-url"), help: ArgumentHelp(
        "Send requests to this API root, e.g. http://127.0.0.1:8000/v1 (a mock profile becomes openai-compatible, or anthropic or groq after its mock dialect).",
        valueName: "url"))
    var baseURL: String?

    @Option(help: ArgumentHelp("The model to request (target.model).", valueName: "name"))
    var model: String?

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Change any profile field: --set load.rate=50 --set limits.max_in_flight=500 (repeatable).",
        discussion: "The value is YAML (50, 30s, \"1..50\", [..], {..}); an empty value removes the field so that its default applies. Lists take an index: --set load.stages[1].duration=1m.",
        valueName: "key.path=value"))
    var assignments: [OverrideArgument] = []

    @Option(help: ArgumentHelp(
        "After the first Ctrl-C (or an early stop), cancel requests still in flight after this long (limits.grace, default 30s).",
        valueName: "duration"), transform: DurationArgument.parsing)
    var grace: DurationArgument?

    func validate() throws {
        if rate != nil && users != nil {
            throw ValidationError("Please give either --rate (open loop) or --users (closed loop), not both.")
        }
        if let rate, !(rate > 0 && rate.isFinite) { throw ValidationError("Please give --rate as a positive number.") }
        if let users, users < 1 { throw ValidationError("Please give --users as 1 or more.") }
        if let rate, let problem = ProfileBounds.levelProblem(.constant(rate), mode: .open) {
            throw ValidationError("--rate: \(problem).")
        }
        if let users, let problem = ProfileBounds.levelProblem(.constant(Double(users)), mode: .closed) {
            throw ValidationError("--users: \(problem).")
        }
        if let duration, let problem = ProfileBounds.stageDurationProblem(duration.nanos) {
            throw ValidationError("--duration: \(problem).")
        }
        if let duration, duration.nanos == 0 { throw ValidationError("Please give --duration as a positive duration.") }
        if let baseURL, !(baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://")) {
            throw ValidationError("Please give --base-url as an http:// or https:// URL, e.g. http://127.0.0.1:8000/v1.")
        }
        if let baseURL, let problem = TargetURLCheck.problem(baseURL) {
            throw ValidationError("Please give --base-url as a usable API root: \(problem).")
        }
    }

    /// The YAML-level overrides, in the order they apply: `--set` first, then the named flags.
    /// - Parameter switchingFromMockDialect: the profile's provider is mock and `--base-url` is given:
    ///   the target becomes the provider that speaks the mock's dialect (openai-compatible for
    ///   openai, anthropic, groq) and loses its mock settings.
    func yamlOverrides(switchingFromMockDialect: APIDialect? = nil) -> [ProfileOverride] {
        var overrides = assignments.map(\.override)
        if let prompts {
            // A path on the command line is relative to the current directory, not to the profile.
            let absolute = prompts.hasPrefix("/")
                ? prompts : FileManager.default.currentDirectoryPath + "/" + prompts
            overrides.append(ProfileOverride(path: [.key("prompts")], value: .string(absolute),
                                             source: "--prompts \(prompts)"))
        }
        if let baseURL {
            if let dialect = switchingFromMockDialect {
                let provider = dialect == .openAI ? "openai-compatible" : dialect.rawValue
                overrides.append(ProfileOverride(path: [.key("target"), .key("provider")],
                                                 value: .string(provider), source: "--base-url \(baseURL)"))
                overrides.append(ProfileOverride(path: [.key("target"), .key("mock")], value: .remove,
                                                 source: "--base-url \(baseURL)"))
            }
            overrides.append(ProfileOverride(path: [.key("target"), .key("base_url")], value: .string(baseURL),
                                             source: "--base-url \(baseURL)"))
        }
        if let model {
            overrides.append(ProfileOverride(path: [.key("target"), .key("model")], value: .string(model),
                                             source: "--model \(model)"))
        }
        return overrides
    }

    /// Applies `--rate`, `--users`, `--duration` and `--grace` to a validated profile.
    /// - Throws: ``CLIError`` (exit code 2) when a flag cannot apply to this profile.
    func applyLoad(to profile: Profile) throws -> Profile {
        var result = profile
        let load = profile.load
        let isTrace: Bool
        if case .trace = load.arrival { isTrace = true } else { isTrace = false }
        if isTrace, rate != nil || users != nil || duration != nil {
            throw CLIError("--rate, --users and --duration cannot change a trace replay (load.arrival: trace): "
                + "the trace file sets every arrival time", exitCode: ExitStatus.invalidInput)
        }
        if let rate {
            guard let total = duration?.nanos ?? load.totalDurationNanos else {
                throw CLIError("--rate needs --duration: the profile's load has no total duration",
                               exitCode: ExitStatus.invalidInput)
            }
            result.load = Profile.LoadSettings(
                mode: .open, stages: [Stage(durationNanos: total, level: .constant(rate))],
                arrival: load.mode == .open ? load.arrival : .constant)
        } else if let users {
            let total = duration?.nanos ?? load.totalDurationNanos
            if total == nil && profile.limits.maxRequests == nil {
                throw CLIError("--users needs --duration: the profile has neither a duration nor a request count",
                               exitCode: ExitStatus.invalidInput)
            }
            result.load = Profile.LoadSettings(
                mode: .closed, stages: [Stage(durationNanos: total, level: .constant(Double(users)))],
                thinkTimeNanos: load.mode == .closed ? load.thinkTimeNanos : 0)
        } else if let duration {
            guard let total = load.totalDurationNanos, total > 0 else {
                throw CLIError("--duration cannot stretch this profile: its last stage runs until "
                    + "limits.max_requests; give it a duration with --set load.stages[\(load.stages.count - 1)].duration=..",
                               exitCode: ExitStatus.invalidInput)
            }
            let scale = Double(duration.nanos) / Double(total)
            var assigned: UInt64 = 0
            result.load.stages = load.stages.enumerated().map { index, stage in
                var scaled = stage
                // The last stage takes the rounding remainder, so the stages add up to the duration exactly.
                let nanos = index == load.stages.count - 1
                    ? duration.nanos - assigned : UInt64((Double(stage.durationNanos ?? 0) * scale).rounded())
                scaled.durationNanos = max(nanos, 1)
                assigned += nanos
                return scaled
            }
        }
        if let grace { result.limits.graceNanos = grace.nanos }
        if rate != nil || users != nil || duration != nil {
            let flags = [rate.map { "--rate \($0)" }, users.map { "--users \($0)" },
                         duration.map { "--duration \(DurationFormat.format(nanos: $0.nanos))" }].compactMap { $0 }
            let problem = result.load.stages.lazy.compactMap { $0.durationNanos.flatMap(ProfileBounds.stageDurationProblem) }.first
                ?? (result.load.mode == .open
                    ? ProfileBounds.plannedRequestsProblem(stages: result.load.stages, maxRequests: result.limits.maxRequests)
                    : nil)
            if let problem {
                throw CLIError("\(flags.joined(separator: " ")): \(problem)", exitCode: ExitStatus.invalidInput)
            }
        }
        return result
    }
}
