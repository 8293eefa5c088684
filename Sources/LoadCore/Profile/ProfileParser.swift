import Foundation
import Yams

/// Walks the YAML node tree of a profile, validating as it goes and collecting every problem with
/// its position, so that one run of `loadgen` reports all mistakes at once.
struct ProfileParser {
    let file: String
    var problems: [ProfileProblem] = []

    init(file: String) {
        self.file = file
    }

    // MARK: - Document

    /// Parses a profile after applying command-line overrides to its YAML (none by default).
    mutating func parse(yaml: String, overrides: [ProfileOverride] = []) -> Profile? {
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            reportSyntax(error)
            return nil
        } catch {
            report(nil, "", "cannot parse YAML: \(error)")
            return nil
        }
        guard composed != nil || !overrides.isEmpty else {
            report(nil, "", "the profile is empty; it needs at least target: and load:")
            return nil
        }
        let firstProblem = problems.count
        let root = applying(overrides, to: composed)
        guard problems.count == firstProblem else { return nil }
        defer { attributeProblems(from: firstProblem, to: overrides) }
        guard let fields = mapping(root, "", known: ["name", "target", "prompts", "request", "load", "limits", "seed",
                                                     "retries", "thresholds", "pricing"],
                                   hints: ["retry": "the key is retries:, e.g. retries: {max_attempts: 3}",
                                           "slo": "SLO checks are called thresholds:; rename slo: to thresholds:"]) else {
            return nil
        }

        let defaultName = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        var name = defaultName.isEmpty ? "profile" : defaultName
        if let node = fields["name"], let text = string(node, "name") {
            if !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
                name = text
            } else {
                report(node, "name", "expected letters, digits, \"-\", \"_\" or \".\" (it names the run directory), got \(describe(node))")
            }
        }
        let thresholds = fields["thresholds"].map { parseThresholds($0) } ?? Thresholds()
        let target = parseTarget(fields["target"], parent: root)
        var seed: UInt64 = 1
        if let node = fields["seed"] {
            if let text = scalarText(node), let value = UInt64(text.replacingOccurrences(of: "_", with: "")) {
                seed = value
            } else {
                report(node, "seed", "expected a non-negative whole number, got \(describe(node))")
            }
        }
        let prompts = fields["prompts"].map { parsePrompts($0, seed: seed) } ?? Profile.defaultPrompts
        let request = fields["request"].map { parseRequest($0) } ?? Profile.RequestSettings()
        var limits = fields["limits"].map { parseLimits($0) } ?? Profile.Limits()
        let load = parseLoad(fields["load"], parent: root, limits: &limits)
        let retries = fields["retries"].flatMap { parseRetries($0) }
        let pricing = fields["pricing"].map { parsePricing($0) } ?? Profile.Pricing()
        if let target { checkRequest(request, node: fields["request"], against: target) }
        guard let target, let load else { return nil }
        var profile = Profile(name: name, target: target, prompts: prompts, request: request, load: load, limits: limits,
                              seed: seed)
        profile.retries = retries
        profile.pricing = pricing
        profile.thresholds = thresholds
        return profile
    }

    // MARK: - Sections

    private mutating func parseTarget(_ node: Node?, parent: Node) -> Profile.Target? {
        guard let node else {
            report(parent, "target", "missing required field; add e.g. target: {provider: mock, model: mock-small}")
            return nil
        }
        guard let fields = mapping(node, "target", known: ["provider", "model", "base_url", "api_key_env", "mock",
                                                           "anthropic_version", "ca_file", "http"]) else {
            return nil
        }
        let providers = Profile.Provider.allCases.map(\.rawValue).joined(separator: " | ")
        guard let providerNode = fields["provider"] else {
            report(node, "target.provider", "missing required field; expected \(providers)")
            return nil
        }
        guard let text = string(providerNode, "target.provider") else { return nil }
        guard let provider = Profile.Provider(rawValue: text) else {
            report(providerNode, "target.provider", "expected \(providers), got \(describe(providerNode))")
            return nil
        }
        var target = Profile.Target(provider: provider, model: "mock-small")
        if let modelNode = fields["model"], let model = string(modelNode, "target.model") {
            if model.isEmpty {
                report(modelNode, "target.model", "expected a model name, got an empty string")
            }
            target.model = model
        } else if fields["model"] == nil, provider != .mock {
            report(node, "target.model", "missing required field for provider \(provider.rawValue); e.g. model: \(provider.exampleModel)")
        }
        if let urlNode = fields["base_url"], let url = string(urlNode, "target.base_url") {
            if !(url.hasPrefix("http://") || url.hasPrefix("https://")) || URL(string: url)?.host == nil {
                report(urlNode, "target.base_url", "expected an http:// or https:// URL like http://127.0.0.1:8000/v1, got \(describe(urlNode))")
            }
            if provider != .mock { target.baseURL = url }
        } else if fields["base_url"] == nil {
            if provider == .openaiCompatible {
                report(node, "target.base_url", "missing required field for provider openai-compatible; "
                    + "give the server's API root, e.g. base_url: http://127.0.0.1:8000/v1")
            }
            target.baseURL = provider.defaultBaseURL
        }
        if let keyNode = fields["api_key_env"], let name = string(keyNode, "target.api_key_env") {
            if name.hasPrefix("sk-") {
                report(keyNode, "target.api_key_env", "expected the NAME of an environment variable holding the key "
                    + "(e.g. OPENAI_API_KEY), not the key itself; remove the key from this file")
            } else if name.isEmpty || name.first?.isNumber == true
                        || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
                report(keyNode, "target.api_key_env", "expected an environment variable name like OPENAI_API_KEY, got \(describe(keyNode))")
            }
            target.apiKeyEnv = name
        } else if fields["api_key_env"] == nil {
            target.apiKeyEnv = provider.defaultKeyEnv
        }
        if let versionNode = fields["anthropic_version"], let version = string(versionNode, "target.anthropic_version") {
            if provider != .anthropic {
                report(versionNode, "target.anthropic_version", "anthropic_version applies only to provider anthropic; remove it")
            } else if version.isEmpty || !version.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
                report(versionNode, "target.anthropic_version", "expected a version date like 2023-06-01, got \(describe(versionNode))")
            } else {
                target.anthropicVersion = version
            }
        }
        if let mockNode = fields["mock"] {
            if provider == .mock {
                target.mock = parseMock(mockNode)
            } else {
                report(mockNode, "target.mock", "mock settings apply only to provider mock; remove them or set provider: mock")
            }
        } else if provider == .mock {
            target.mock = Profile.MockSettings()
        }
        parseTransport(fields, into: &target)
        return target
    }

    private mutating func parseMock(_ node: Node) -> Profile.MockSettings {
        var mock = Profile.MockSettings()
        guard let fields = mapping(node, "target.mock",
                                   known: ["ttft", "inter_token", "output_tokens", "error_rate", "error_status", "dialect",
                                           "faults", "rate_limit", "capacity"]) else {
            return mock
        }
        if let n = fields["dialect"] {
            let dialects = APIDialect.allCases.map(\.rawValue).joined(separator: " | ")
            if let text = scalarText(n), let dialect = APIDialect(rawValue: text) {
                mock.dialect = dialect
            } else {
                report(n, "target.mock.dialect", "expected \(dialects), got \(describe(n))")
            }
        }
        if let n = fields["faults"] { mock.faults = parseMockFaults(n) }
        if let n = fields["ttft"], let delay = delaySpec(n, "target.mock.ttft") { mock.ttft = delay }
        if let n = fields["inter_token"], let nanos = duration(n, "target.mock.inter_token", allowZero: true) {
            mock.interTokenNanos = nanos
        }
        if let n = fields["output_tokens"], let value = integer(n, "target.mock.output_tokens", minimum: 0) {
            mock.outputTokens = value
        }
        if let n = fields["error_rate"] {
            if let value = number(n), (0...1).contains(value) {
                mock.errorRate = value
            } else {
                report(n, "target.mock.error_rate", "expected a fraction from 0 to 1 (0.05 = 5 %), got \(describe(n))")
            }
        }
        if let n = fields["error_status"] {
            if let text = scalarText(n), let value = Int(text), (400...599).contains(value) {
                mock.errorStatus = value
            } else {
                report(n, "target.mock.error_status", "expected an HTTP error status from 400 to 599, got \(describe(n))")
            }
        }
        parseMockLimits(fields, into: &mock)
        return mock
    }

    private mutating func parseRequest(_ node: Node) -> Profile.RequestSettings {
        var request = Profile.RequestSettings()
        guard let fields = mapping(node, "request", known: ["max_tokens", "temperature", "stream"]) else { return request }
        if let n = fields["max_tokens"] { request.maxTokens = integer(n, "request.max_tokens", minimum: 1) }
        if let n = fields["temperature"] {
            if let value = number(n), (0...2).contains(value) {
                request.temperature = value
            } else {
                report(n, "request.temperature", "expected a number from 0 to 2, got \(describe(n))")
            }
        }
        if let n = fields["stream"] {
            switch scalarText(n)?.lowercased() {
            case "true", "yes", "on": request.stream = true
            case "false", "no", "off": request.stream = false
            default: report(n, "request.stream", "expected true or false, got \(describe(n))")
            }
        }
        return request
    }

    private mutating func parseLimits(_ node: Node) -> Profile.Limits {
        var limits = Profile.Limits()
        guard let fields = mapping(node, "limits", known: ["max_requests", "max_in_flight", "max_queue", "timeout",
                                                           "connect_timeout", "ttft_timeout", "idle_timeout",
                                                           "max_connections", "grace", "max_cost_usd"]) else {
            return limits
        }
        if let n = fields["max_requests"] { limits.maxRequests = integer(n, "limits.max_requests", minimum: 1) }
        if let n = fields["max_in_flight"], let value = integer(n, "limits.max_in_flight", minimum: 1) {
            limits.maxInFlight = value
        }
        if let n = fields["max_queue"], let value = integer(n, "limits.max_queue", minimum: 0) {
            limits.maxQueued = value
        }
        if let n = fields["timeout"], let value = duration(n, "limits.timeout") { limits.timeoutNanos = value }
        if let n = fields["connect_timeout"], let value = duration(n, "limits.connect_timeout") {
            limits.connectTimeoutNanos = value
        }
        if let n = fields["max_cost_usd"] {
            if let value = number(n), value > 0 {
                limits.maxCostUSD = value
            } else {
                report(n, "limits.max_cost_usd", "expected a positive number of US dollars like 5 or 0.50, got \(describe(n))")
            }
        }
        parseTransportLimits(fields, into: &limits)
        if let n = fields["grace"], let value = duration(n, "limits.grace", allowZero: true) { limits.graceNanos = value }
        return limits
    }

    private mutating func parseLoad(_ node: Node?, parent: Node, limits: inout Profile.Limits) -> Profile.LoadSettings? {
        guard let node else {
            report(parent, "load", "missing required field; add e.g. load: {mode: open, rate: 5, duration: 30s}")
            return nil
        }
        guard let fields = mapping(node, "load", known: ["mode", "stages", "rate", "users", "duration", "requests",
                                                         "arrival", "burstiness", "think_time", "trace"],
                                   hints: ["max_in_flight": "max_in_flight belongs under limits:"]) else {
            return nil
        }
        let modes = LoadMode.allCases.map(\.rawValue).joined(separator: " | ")
        guard let modeNode = fields["mode"] else {
            report(node, "load.mode", "missing required field; expected \(modes)")
            return nil
        }
        guard let modeText = scalarText(modeNode), let mode = LoadMode(rawValue: modeText) else {
            report(modeNode, "load.mode", "expected \(modes), got \(describe(modeNode))")
            return nil
        }
        if mode == .open, let arrivalNode = fields["arrival"], scalarText(arrivalNode) == "trace" {
            return parseTraceLoad(fields, load: node, arrivalNode: arrivalNode)
        }
        let levelKey = mode == .open ? "rate" : "users"
        let otherKey = mode == .open ? "users" : "rate"

        if let n = fields["requests"], let requests = integer(n, "load.requests", minimum: 1) {
            if let existing = limits.maxRequests, existing != requests {
                report(n, "load.requests", "conflicts with limits.max_requests: \(existing); give one of them")
            }
            limits.maxRequests = requests
        }
        if let other = fields[otherKey] {
            report(other, "load.\(otherKey)", "\(otherKey) is for \(mode == .open ? "closed" : "open") mode; "
                + "with mode: \(mode.rawValue) use \(levelKey)")
        }

        var stages: [Stage] = []
        if let stagesNode = fields["stages"] {
            for key in [levelKey, "duration"] where fields[key] != nil {
                report(fields[key], "load.\(key)", "give either stages: or the \(levelKey)/duration shorthand, not both")
            }
            guard let list = sequence(stagesNode, "load.stages",
                                      expected: "a list of stages like [{duration: 30s, \(levelKey): \(mode == .open ? "5" : "10")}]") else {
                return nil
            }
            if list.isEmpty {
                report(stagesNode, "load.stages", "expected at least one stage, like {duration: 30s, \(levelKey): \(mode == .open ? "5" : "10")}")
            }
            for (i, stageNode) in list.enumerated() {
                let path = "load.stages[\(i)]"
                guard let stageFields = mapping(stageNode, path, known: ["duration", levelKey],
                                                hints: [otherKey: "\(otherKey) is for \(mode == .open ? "closed" : "open") mode; with mode: \(mode.rawValue) use \(levelKey)"]) else {
                    continue
                }
                let level: Stage.Level?
                if let levelNode = stageFields[levelKey] {
                    level = self.level(levelNode, "\(path).\(levelKey)", mode: mode)
                } else {
                    report(stageNode, "\(path).\(levelKey)", "missing required field; "
                        + (mode == .open ? "arrivals per second, a number or a ramp like \"1..50\""
                                         : "concurrent users, a number or a ramp like \"1..64\""))
                    level = nil
                }
                var durationNanos: UInt64?
                if let d = stageFields["duration"] {
                    durationNanos = duration(d, "\(path).duration")
                } else {
                    let isLast = i == list.count - 1
                    if !(mode == .closed && isLast && limits.maxRequests != nil) {
                        report(stageNode, "\(path).duration", "missing required field; e.g. duration: 30s"
                            + (mode == .closed && isLast ? " (the last closed-loop stage may omit it when requests: is set)" : ""))
                    }
                }
                if let level { stages.append(Stage(durationNanos: durationNanos, level: level)) }
            }
        } else {
            guard let levelNode = fields[levelKey] else {
                report(node, "load.stages", "missing: give stages: [...] or the shorthand "
                    + (mode == .open ? "rate: 5, duration: 30s" : "users: 10 with duration: 30s and/or requests: 500"))
                return nil
            }
            let level = self.level(levelNode, "load.\(levelKey)", mode: mode)
            var durationNanos: UInt64?
            if let d = fields["duration"] {
                durationNanos = duration(d, "load.duration")
            } else if mode == .open {
                report(node, "load.duration", "missing required field for open mode; e.g. duration: 30s")
            } else if limits.maxRequests == nil {
                report(node, "load.duration", "missing: closed mode needs duration: or requests: to know when to stop")
            }
            if let level { stages.append(Stage(durationNanos: durationNanos, level: level)) }
        }
        let arrival = parseArrival(fields, load: node, mode: mode)
        var thinkTimeNanos: UInt64 = 0
        if let n = fields["think_time"] {
            if mode == .open {
                report(n, "load.think_time", "think_time applies only to mode: closed (open-loop arrivals do not "
                    + "wait for responses); remove think_time: or set mode: closed")
            } else if let nanos = duration(n, "load.think_time", allowZero: true) {
                thinkTimeNanos = nanos
            }
        }
        return Profile.LoadSettings(mode: mode, stages: stages, arrival: arrival, thinkTimeNanos: thinkTimeNanos)
    }

    /// `load.arrival: constant | poisson | gamma` (open mode only) and `load.burstiness` (gamma only).
    private mutating func parseArrival(_ fields: [String: Node], load: Node, mode: LoadMode) -> ArrivalProcess {
        let arrivals = ArrivalProcess.names.joined(separator: " | ")
        if mode == .closed {
            for key in ["arrival", "burstiness", "trace"] {
                if let n = fields[key] {
                    report(n, "load.\(key)", "\(key) applies only to mode: open (closed-loop users pace themselves); "
                        + "remove \(key): or set mode: open")
                }
            }
            return .constant
        }
        var name = "constant"
        if let n = fields["arrival"] {
            guard let text = scalarText(n), ArrivalProcess.names.contains(text) else {
                report(n, "load.arrival", "expected \(arrivals), got \(describe(n))")
                return .constant
            }
            name = text
        }
        if let n = fields["trace"] {
            report(n, "load.trace", "trace applies only to arrival: trace; remove trace: or set arrival: trace")
        }
        var burstiness: Double?
        if let n = fields["burstiness"] {
            if name != "gamma" {
                report(n, "load.burstiness", "burstiness applies only to arrival: gamma; "
                    + "remove burstiness: or set arrival: gamma (arrival is \(name))")
            } else if let value = number(n), value > 0 {
                burstiness = value
            } else {
                report(n, "load.burstiness", "expected a positive number (the gamma shape: 1 = Poisson, "
                    + "0.5 = burstier, 4 = more regular), got \(describe(n))")
            }
        }
        switch name {
        case "poisson": return .poisson
        case "gamma":
            if let burstiness { return .gamma(burstiness: burstiness) }
            if fields["burstiness"] == nil {
                report(fields["arrival"] ?? load, "load.burstiness", "missing required field for arrival: gamma; "
                    + "a positive number, e.g. burstiness: 0.5 (1 = Poisson, below 1 burstier, above 1 more regular)")
            }
            return .constant
        default: return .constant
        }
    }

    /// `load: {mode: open, arrival: trace, trace: FILE}`: the trace file sets every arrival time, so
    /// stages, rate and duration are not given; one stage spanning the trace stands for them (its
    /// rate is the trace's average, so planned requests and duration come out right).
    private mutating func parseTraceLoad(_ fields: [String: Node], load: Node, arrivalNode: Node) -> Profile.LoadSettings? {
        for key in ["stages", "rate", "duration", "burstiness"] where fields[key] != nil {
            report(fields[key], "load.\(key)", "with arrival: trace the trace file sets the arrival times; remove \(key):")
        }
        guard let traceNode = fields["trace"] else {
            report(arrivalNode, "load.trace", "missing required field for arrival: trace; "
                + "the path of a file with one arrival time in seconds per line, e.g. trace: traces/bursty.txt")
            return nil
        }
        guard let relative = scalarText(traceNode), !relative.isEmpty else {
            report(traceNode, "load.trace", "expected the path of a trace file, got \(describe(traceNode))")
            return nil
        }
        let path = relative.hasPrefix("/")
            ? relative
            : URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(relative).standardized.path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            report(traceNode, "load.trace", "cannot read the trace file \(path)")
            return nil
        }
        let offsets: [UInt64]
        do {
            offsets = try TraceFile.parse(text, file: path)
        } catch {
            report(traceNode, "load.trace", "\(error)")
            return nil
        }
        let durationNanos = offsets[offsets.count - 1] + 1_000_000
        let rate = Double(offsets.count) / (Double(durationNanos) / 1e9)
        return Profile.LoadSettings(
            mode: .open, stages: [Stage(durationNanos: durationNanos, level: .constant(rate))],
            arrival: .trace(path: path, offsetsNanos: offsets))
    }

    // MARK: - Values

    /// Rate (open) or users (closed): a positive number, or a ramp "a..b" with a ≥ 0 and b > 0.
    mutating func level(_ node: Node, _ path: String, mode: LoadMode) -> Stage.Level? {
        let expected = mode == .open
            ? "expected a positive number or a ramp like \"1..50\""
            : "expected a positive whole number of users or a ramp like \"1..64\""
        guard var text = scalarText(node)?.trimmingCharacters(in: .whitespaces) else {
            report(node, path, "\(expected), got \(describe(node))")
            return nil
        }
        if mode == .open, text.hasSuffix("/s") { text = String(text.dropLast(2)).trimmingCharacters(in: .whitespaces) }
        func value(_ part: String) -> Double? {
            guard let v = Double(part.trimmingCharacters(in: .whitespaces)), v.isFinite else { return nil }
            if mode == .closed, v.rounded() != v { return nil }
            return v
        }
        let parts = text.components(separatedBy: "..")
        if parts.count == 2 {
            guard let from = value(parts[0]), let to = value(parts[1]), from >= 0, to > 0 else {
                report(node, path, "\(expected) (the start may be 0, the end must be positive), got \(describe(node))")
                return nil
            }
            return .ramp(from: from, to: to)
        }
        guard parts.count == 1, let v = value(text), v > 0 else {
            report(node, path, "\(expected), got \(describe(node))")
            return nil
        }
        return .constant(v)
    }

    mutating func duration(_ node: Node, _ path: String, allowZero: Bool = false) -> UInt64? {
        let expected = "expected a duration with a unit like 500ms, 30s, 2m or 1h"
        guard let text = scalarText(node) else {
            report(node, path, "\(expected), got \(describe(node))")
            return nil
        }
        if Double(text) != nil {
            report(node, path, "\(expected), got the plain number \(text); add a unit, e.g. \(text)s or \(text)ms")
            return nil
        }
        guard let nanos = DurationFormat.parseNanos(text) else {
            report(node, path, "\(expected), got \(describe(node))")
            return nil
        }
        if nanos == 0 && !allowZero {
            report(node, path, "expected a positive duration, got \(describe(node))")
            return nil
        }
        return nanos
    }

    mutating func delaySpec(_ node: Node, _ path: String) -> DelaySpec? {
        let expected = "expected a duration like 200ms, or {uniform: [100ms, 300ms]}, {normal: {mean: 200ms, stddev: 20ms}} or {exponential: 200ms}"
        if scalarText(node) != nil {
            return duration(node, path, allowZero: true).map { .fixed(nanos: $0) }
        }
        guard let fields = mapping(node, path, known: ["uniform", "normal", "exponential"]) else { return nil }
        guard fields.count == 1, let (kind, value) = fields.first else {
            report(node, path, "\(expected); give exactly one distribution")
            return nil
        }
        switch kind {
        case "uniform":
            guard let bounds = sequence(value, "\(path).uniform", expected: "[min, max] like [100ms, 300ms]") else { return nil }
            guard bounds.count == 2 else {
                report(value, "\(path).uniform", "expected [min, max] like [100ms, 300ms], got \(bounds.count) values")
                return nil
            }
            guard let low = duration(bounds[0], "\(path).uniform[0]", allowZero: true),
                  let high = duration(bounds[1], "\(path).uniform[1]", allowZero: true) else { return nil }
            guard low <= high else {
                report(value, "\(path).uniform", "expected min <= max, got [\(DurationFormat.format(nanos: low)), \(DurationFormat.format(nanos: high))]")
                return nil
            }
            return .uniform(minNanos: low, maxNanos: high)
        case "normal":
            guard let parts = mapping(value, "\(path).normal", known: ["mean", "stddev"]) else { return nil }
            guard let meanNode = parts["mean"], let stddevNode = parts["stddev"] else {
                report(value, "\(path).normal", "expected both mean and stddev, like {mean: 200ms, stddev: 20ms}")
                return nil
            }
            guard let mean = duration(meanNode, "\(path).normal.mean", allowZero: true),
                  let stddev = duration(stddevNode, "\(path).normal.stddev", allowZero: true) else { return nil }
            return .normal(meanNanos: mean, stddevNanos: stddev)
        default:
            return duration(value, "\(path).exponential").map { .exponential(meanNanos: $0) }
        }
    }

    mutating func integer(_ node: Node, _ path: String, minimum: Int) -> Int? {
        if let text = scalarText(node)?.replacingOccurrences(of: "_", with: ""), let value = Int(text), value >= minimum {
            return value
        }
        let what = minimum == 1 ? "a positive whole number" : "a whole number >= \(minimum)"
        report(node, path, "expected \(what), got \(describe(node))")
        return nil
    }

    func number(_ node: Node) -> Double? {
        guard let text = scalarText(node), let value = Double(text), value.isFinite else { return nil }
        return value
    }

    mutating func string(_ node: Node, _ path: String) -> String? {
        guard let text = scalarText(node) else {
            report(node, path, "expected text, got \(describe(node))")
            return nil
        }
        return text
    }

    // MARK: - Nodes

    /// The text of a non-null scalar.
    func scalarText(_ node: Node) -> String? {
        guard let scalar = node.scalar, !isNull(node) else { return nil }
        return scalar.string
    }

    func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if isNull(node) { return "nothing" }
            let escaped = scalar.string.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(escaped)\""
        }
    }

    mutating func sequence(_ node: Node, _ path: String, expected: String) -> [Node]? {
        guard case .sequence(let list) = node else {
            report(node, path, "expected \(expected), got \(describe(node))")
            return nil
        }
        return Array(list)
    }

    /// The entries of a mapping by key, after checking the keys: unknown ones are reported with the
    /// nearest known key as a suggestion, or with a dedicated hint.
    mutating func mapping(_ node: Node, _ path: String, known: [String],
                                  hints: [String: String] = [:]) -> [String: Node]? {
        guard case .mapping(let mapping) = node else {
            report(node, path, "expected a mapping with keys \(known.joined(separator: ", ")), got \(describe(node))")
            return nil
        }
        var fields: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = scalarText(keyNode) else {
                report(keyNode, path, "expected a text key, got \(describe(keyNode))")
                continue
            }
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            if known.contains(key) {
                fields[key] = value
            } else if let hint = hints[key] {
                report(keyNode, keyPath, hint)
            } else {
                var message = "unknown key \"\(key)\""
                if let suggestion = KeySuggestion.nearest(to: key, in: known) { message += "; did you mean \"\(suggestion)\"?" }
                message += " Valid keys: \(known.joined(separator: ", "))"
                report(keyNode, keyPath, message)
            }
        }
        return fields
    }

    // MARK: - Problems

    mutating func report(_ node: Node?, _ path: String, _ message: String) {
        let mark = node?.mark
        problems.append(ProfileProblem(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1,
                                       fieldPath: path, message: message))
    }

    mutating func reportSyntax(_ error: YamlError) {
        func add(_ mark: Mark?, _ message: String) {
            problems.append(ProfileProblem(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, fieldPath: "",
                                           message: "YAML syntax error: \(message)"))
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            add(mark, problem + (context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""))
        case let .duplicatedKeysInMapping(duplicates, context):
            add(context.mark, "duplicate key\(duplicates.count > 1 ? "s" : "") \(duplicates.sorted().joined(separator: ", ")) in a mapping")
        case let .reader(problem, _, _, _):
            add(nil, problem)
        default:
            add(nil, "\(error)")
        }
    }
}

// MARK: - Transport, timeouts, retries and the mock's limits

extension ProfileParser {
    /// `target.ca_file` (resolved against the profile's folder, and checked to be readable) and `target.http`.
    fileprivate mutating func parseTransport(_ fields: [String: Node], into target: inout Profile.Target) {
        if let n = fields["ca_file"], let relative = string(n, "target.ca_file") {
            let path = relative.hasPrefix("/")
                ? relative
                : URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(relative).standardized.path
            if relative.isEmpty || !FileManager.default.isReadableFile(atPath: path) {
                report(n, "target.ca_file", "cannot read the CA file \(path); give a PEM file of CA certificates "
                    + "(relative to the profile)")
            } else {
                target.caFile = path
            }
        }
        if let n = fields["http"] {
            let versions = HTTPVersion.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " | ")
            if let text = scalarText(n), let version = HTTPVersion(rawValue: text) {
                target.http = version
            } else {
                report(n, "target.http", "expected \(versions), got \(describe(n))")
            }
        }
    }

    /// `limits.ttft_timeout`, `limits.idle_timeout`, `limits.max_connections`.
    fileprivate mutating func parseTransportLimits(_ fields: [String: Node], into limits: inout Profile.Limits) {
        if let n = fields["ttft_timeout"], let value = duration(n, "limits.ttft_timeout") {
            limits.ttftTimeoutNanos = value
        }
        if let n = fields["idle_timeout"], let value = duration(n, "limits.idle_timeout") {
            limits.idleTimeoutNanos = value
        }
        if let n = fields["max_connections"], let value = integer(n, "limits.max_connections", minimum: 1) {
            limits.maxConnections = value
        }
    }

    /// `retries:`; nil when the section is malformed (its problems are reported).
    fileprivate mutating func parseRetries(_ node: Node) -> RetryPolicy? {
        guard let fields = mapping(node, "retries", known: ["max_attempts", "on", "backoff", "honor_retry_after",
                                                            "max_retry_after"]) else { return nil }
        var policy = RetryPolicy()
        if let n = fields["max_attempts"], let value = integer(n, "retries.max_attempts", minimum: 1) {
            policy.maxAttempts = value
        }
        if let n = fields["on"] {
            let retryable = ErrorClass.allCases.filter { $0 != .cancelled }.map(\.rawValue)
            let expected = "error classes from " + (retryable + ["timeout"]).joined(separator: ", ")
            if let list = sequence(n, "retries.on", expected: "a list of \(expected), like [http_429, http_5xx]") {
                var classes: Set<ErrorClass> = []
                for (index, item) in list.enumerated() {
                    let text = scalarText(item) ?? ""
                    if text == "timeout" {
                        classes.formUnion(ErrorClass.allCases.filter(\.isTimeout))
                    } else if let errorClass = ErrorClass(rawValue: text), errorClass != .cancelled {
                        classes.insert(errorClass)
                    } else {
                        var message = "expected one of \(expected), got \(describe(item))"
                        if let suggestion = KeySuggestion.nearest(to: text, in: retryable) {
                            message += "; did you mean \"\(suggestion)\"?"
                        }
                        report(item, "retries.on[\(index)]", message)
                    }
                }
                policy.retryOn = classes
            }
        }
        if let n = fields["backoff"], let parts = mapping(n, "retries.backoff", known: ["base", "max"]) {
            if let b = parts["base"], let value = duration(b, "retries.backoff.base") { policy.backoffBaseNanos = value }
            if let m = parts["max"], let value = duration(m, "retries.backoff.max") { policy.backoffMaxNanos = value }
            if policy.backoffBaseNanos > policy.backoffMaxNanos {
                report(n, "retries.backoff", "expected base <= max, got base \(DurationFormat.format(nanos: policy.backoffBaseNanos)) "
                    + "and max \(DurationFormat.format(nanos: policy.backoffMaxNanos))")
            }
        }
        if let n = fields["honor_retry_after"], let value = boolean(n, "retries.honor_retry_after") {
            policy.honorRetryAfter = value
        }
        if let n = fields["max_retry_after"], let value = duration(n, "retries.max_retry_after", allowZero: true) {
            policy.maxRetryAfterNanos = value
        }
        return policy
    }

    /// `target.mock.rate_limit` and `target.mock.capacity`.
    fileprivate mutating func parseMockLimits(_ fields: [String: Node], into mock: inout Profile.MockSettings) {
        if let node = fields["rate_limit"] {
            let path = "target.mock.rate_limit"
            let known = ["requests_per_minute", "tokens_per_minute", "input_tokens_per_minute",
                         "output_tokens_per_minute", "burst", "headers"]
            if let parts = mapping(node, path, known: known) {
                var limit = Profile.MockRateLimitSettings()
                func perMinute(_ key: String) -> Int? {
                    parts[key].flatMap { integer($0, "\(path).\(key)", minimum: 1) }
                }
                limit.requestsPerMinute = perMinute("requests_per_minute")
                limit.tokensPerMinute = perMinute("tokens_per_minute")
                limit.inputTokensPerMinute = perMinute("input_tokens_per_minute")
                limit.outputTokensPerMinute = perMinute("output_tokens_per_minute")
                if let n = parts["burst"], let value = duration(n, "\(path).burst") { limit.burstNanos = value }
                if let n = parts["headers"] {
                    let families = Profile.MockRateLimitSettings.HeaderFamily.allCases.map(\.rawValue)
                    if let text = scalarText(n), let family = Profile.MockRateLimitSettings.HeaderFamily(rawValue: text) {
                        limit.headers = family
                    } else {
                        report(n, "\(path).headers", "expected \(families.joined(separator: " | ")), got \(describe(n))")
                    }
                }
                if !known.prefix(4).contains(where: { parts[$0] != nil }) {
                    report(node, path, "expected at least one limit, e.g. {requests_per_minute: 600}")
                }
                mock.rateLimit = limit
            }
        }
        if let node = fields["capacity"] {
            let path = "target.mock.capacity"
            if let parts = mapping(node, path, known: ["streams", "queue", "reject_status"]) {
                var capacity = Profile.MockCapacitySettings(streams: 1)
                if let n = parts["streams"] {
                    if let value = integer(n, "\(path).streams", minimum: 1) { capacity.streams = value }
                } else {
                    report(node, "\(path).streams", "missing required field; the completions generated at once, e.g. streams: 8")
                }
                if let n = parts["queue"] { capacity.queue = integer(n, "\(path).queue", minimum: 0) }
                if let n = parts["reject_status"] {
                    if let text = scalarText(n), let value = Int(text), (400...599).contains(value) {
                        capacity.rejectStatus = value
                    } else {
                        report(n, "\(path).reject_status", "expected an HTTP error status from 400 to 599 (503, or 529 "
                            + "as Anthropic), got \(describe(n))")
                    }
                }
                mock.capacity = capacity
            }
        }
    }

    private mutating func boolean(_ node: Node, _ path: String) -> Bool? {
        switch scalarText(node)?.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report(node, path, "expected true or false, got \(describe(node))")
            return nil
        }
    }
}
