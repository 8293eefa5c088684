import Foundation
import Yams

/// Walks the YAML node tree of a profile, validating as it goes and collecting every problem with
/// its position, so that one run of `loadgen` reports all mistakes at once.
struct ProfileParser {
    let file: String
    var problems: [ProfileProblem] = []
    /// Unknown keys that an override created (they have no position in any text), by field path,
    /// with the known key they were probably meant to be.
    var unknownOverrideKeys: [String: String?] = [:]
    /// The profile's seed, for datasets whose rows become synthetic prompts.
    var datasetSeed: UInt64 = 1
    /// Token lengths read from a trace (`load.trace` with input and output columns): they make the
    /// prompts, one per arrival.
    var traceLengths: (path: String, rows: [TraceFile.Lengths])?

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
                                                     "retries", "thresholds", "pricing", "sweep"],
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
        datasetSeed = seed
        var prompts = fields["prompts"].map { parsePrompts($0, seed: seed) } ?? Profile.defaultPrompts
        let request = fields["request"].map { parseRequest($0) } ?? Profile.RequestSettings()
        var limits = fields["limits"].map { parseLimits($0) } ?? Profile.Limits()
        let sweep = fields["sweep"].flatMap { parseSweep($0) }
        // A sweep plans its own steps: `load:` may be left out (``SweepSettings/placeholderLoad``).
        let load = fields["load"] == nil && fields["sweep"] != nil
            ? SweepSettings.placeholderLoad : parseLoad(fields["load"], parent: root, limits: &limits)
        if let traceLengths { prompts = tracePrompts(traceLengths, promptsNode: fields["prompts"], seed: seed) ?? prompts }
        let retries = fields["retries"].flatMap { parseRetries($0) }
        let pricing = fields["pricing"].map { parsePricing($0) } ?? Profile.Pricing()
        if let target { checkRequest(request, node: fields["request"], against: target) }
        guard let target, let load else { return nil }
        var profile = Profile(name: name, target: target, prompts: prompts, request: request, load: load, limits: limits,
                              seed: seed)
        profile.retries = retries
        profile.pricing = pricing
        profile.thresholds = thresholds
        profile.sweep = sweep
        return profile
    }

    // MARK: - Sections

    mutating func parseTarget(_ node: Node?, parent: Node) -> Profile.Target? {
        guard let node else {
            report(parent, "target", "missing required field; add e.g. target: {provider: mock, model: mock-small}")
            return nil
        }
        guard let fields = mapping(node, "target", known: ["provider", "model", "base_url", "api_key_env", "mock",
                                                           "anthropic_version", "ca_file", "http", "headers"]) else {
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
        if let n = fields["headers"] { target.headers = parseHeaders(n, target: target) }
        return target
    }

    mutating func parseMock(_ node: Node) -> Profile.MockSettings {
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

    mutating func parseLimits(_ node: Node) -> Profile.Limits {
        var limits = Profile.Limits()
        guard let fields = mapping(node, "limits", known: ["max_requests", "max_in_flight", "max_queue", "timeout",
                                                           "connect_timeout", "ttft_timeout", "idle_timeout",
                                                           "max_connections", "grace", "max_cost_usd"]) else {
            return limits
        }
        if let n = fields["max_requests"] {
            limits.maxRequests = boundedInteger(n, "limits.max_requests", minimum: 1, bound: ProfileBounds.maxRequests,
                                                what: "requests")
        }
        if let n = fields["max_in_flight"], let value = boundedInteger(n, "limits.max_in_flight", minimum: 1,
                                                                         bound: ProfileBounds.maxInFlight,
                                                                         what: "requests in flight") {
            limits.maxInFlight = value
        }
        if let n = fields["max_queue"], let value = boundedInteger(n, "limits.max_queue", minimum: 0,
                                                                     bound: ProfileBounds.maxQueued,
                                                                     what: "queued arrivals") {
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
}
