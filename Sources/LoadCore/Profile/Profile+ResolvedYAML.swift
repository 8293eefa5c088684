import Foundation

extension Profile {
    /// The fully resolved profile as YAML, every default filled in, for `profile.resolved.yaml` in
    /// the run directory. Parsing it again yields an equal profile.
    public func resolvedYAML() -> String {
        var lines: [String] = ["# Resolved by loadgen: every default filled in.", "name: \(Self.quote(name))", "target:"]
        lines.append("  provider: \(target.provider.rawValue)")
        lines.append("  model: \(Self.quote(target.model))")
        if let baseURL = target.baseURL { lines.append("  base_url: \(Self.quote(baseURL))") }
        if let apiKeyEnv = target.apiKeyEnv { lines.append("  api_key_env: \(Self.quote(apiKeyEnv))") }
        if target.provider == .anthropic { lines.append("  anthropic_version: \(Self.quote(target.anthropicVersion))") }
        if let caFile = target.caFile { lines.append("  ca_file: \(Self.quote(caFile))") }
        lines.append("  http: \"\(target.http.rawValue)\"")
        lines += headerLines()
        if let mock = target.mock {
            lines.append("  mock:")
            lines.append("    dialect: \(mock.dialect.rawValue)")
            lines.append("    ttft: \(Self.yaml(mock.ttft))")
            lines.append("    inter_token: \(DurationFormat.format(nanos: mock.interTokenNanos))")
            lines.append("    output_tokens: \(mock.outputTokens)")
            lines.append("    error_rate: \(Self.number(mock.errorRate))")
            lines.append("    error_status: \(mock.errorStatus)")
            if !mock.faults.isEmpty {
                lines.append("    faults:")
                for fault in mock.faults { lines.append("      - " + Self.yaml(fault)) }
            }
            lines += Self.yamlLines(mock.rateLimit, mock.capacity)
            if mock.stamp { lines.append("    stamp: true") }
        }
        lines += promptLines()
        lines.append("request:")
        if let maxTokens = request.maxTokens { lines.append("  max_tokens: \(maxTokens)") }
        if let temperature = request.temperature { lines.append("  temperature: \(Self.number(temperature))") }
        lines.append("  stream: \(request.stream)")
        lines += extraRequestLines()
        lines.append("load:")
        lines.append("  mode: \(load.mode.rawValue)")
        if load.mode == .open {
            lines.append("  arrival: \(load.arrival.name)")
            if case .gamma(let burstiness) = load.arrival { lines.append("  burstiness: \(Self.number(burstiness))") }
            if case .trace(let path, _) = load.arrival { lines.append("  trace: \(Self.quote(path))") }
        } else {
            lines.append("  think_time: \(DurationFormat.format(nanos: load.thinkTimeNanos))")
        }
        if case .trace = load.arrival {
            // The trace sets the times; its stage is derived, not written.
        } else {
            lines.append("  stages:")
        }
        let levelKey = load.mode == .open ? "rate" : "users"
        for stage in load.stages where load.arrival.name != "trace" {
            var fields: [String] = []
            if let duration = stage.durationNanos { fields.append("duration: \(DurationFormat.format(nanos: duration))") }
            switch stage.level {
            case .constant(let value): fields.append("\(levelKey): \(Self.number(value))")
            case let .ramp(from, to): fields.append("\(levelKey): \"\(Self.number(from))..\(Self.number(to))\"")
            }
            lines.append("    - {" + fields.joined(separator: ", ") + "}")
        }
        lines.append("limits:")
        if let maxRequests = limits.maxRequests { lines.append("  max_requests: \(maxRequests)") }
        lines.append("  max_in_flight: \(limits.maxInFlight)")
        lines.append("  max_queue: \(limits.maxQueued)")
        lines.append("  timeout: \(DurationFormat.format(nanos: limits.timeoutNanos))")
        lines.append("  connect_timeout: \(DurationFormat.format(nanos: limits.connectTimeoutNanos))")
        if let maxCostUSD = limits.maxCostUSD { lines.append("  max_cost_usd: \(Self.number(maxCostUSD))") }
        if let ttft = limits.ttftTimeoutNanos { lines.append("  ttft_timeout: \(DurationFormat.format(nanos: ttft))") }
        if let idle = limits.idleTimeoutNanos { lines.append("  idle_timeout: \(DurationFormat.format(nanos: idle))") }
        if let connections = limits.maxConnections { lines.append("  max_connections: \(connections)") }
        lines.append("  grace: \(DurationFormat.format(nanos: limits.graceNanos))")
        if let retries { lines += Self.yamlLines(retries) }
        lines.append("seed: \(seed)")
        if pricing.catalogPath != nil || !pricing.models.isEmpty {
            lines.append("pricing:")
            if let path = pricing.catalogPath { lines.append("  catalog: \(Self.quote(path))") }
            if !pricing.models.isEmpty {
                lines.append("  models:")
                for price in pricing.models { lines.append("    - " + Self.yaml(price)) }
            }
        }
        lines += thresholdLines()
        lines += sweep?.yamlLines() ?? []
        return lines.joined(separator: "\n") + "\n"
    }

    private static func yamlLines(_ rateLimit: MockRateLimitSettings?, _ capacity: MockCapacitySettings?) -> [String] {
        var lines: [String] = []
        if let rateLimit {
            var fields: [String] = []
            if let value = rateLimit.requestsPerMinute { fields.append("requests_per_minute: \(value)") }
            if let value = rateLimit.tokensPerMinute { fields.append("tokens_per_minute: \(value)") }
            if let value = rateLimit.inputTokensPerMinute { fields.append("input_tokens_per_minute: \(value)") }
            if let value = rateLimit.outputTokensPerMinute { fields.append("output_tokens_per_minute: \(value)") }
            fields.append("burst: \(DurationFormat.format(nanos: rateLimit.burstNanos))")
            if let headers = rateLimit.headers { fields.append("headers: \(headers.rawValue)") }
            lines.append("    rate_limit: {" + fields.joined(separator: ", ") + "}")
        }
        if let capacity {
            var fields = ["streams: \(capacity.streams)"]
            if let queue = capacity.queue { fields.append("queue: \(queue)") }
            fields.append("reject_status: \(capacity.rejectStatus)")
            lines.append("    capacity: {" + fields.joined(separator: ", ") + "}")
        }
        return lines
    }

    /// `prompts:` as the sources it was read from (files by absolute path, synthetic parameters),
    /// with counts and shares in comments; only inline prompts are written out.
    private func promptLines() -> [String] {
        let mix = PromptMix(sets: prompts)
        let selection = mix.selector(seed: seed).isRoundRobin
            ? "in turn (round-robin)" : "by weight, drawn from seed \(seed)"
        var lines = ["prompts:", "  # \(prompts.count) set(s), \(mix.prompts.count) prompt(s); each request's prompt is chosen \(selection)"]
        for (index, set) in prompts.enumerated() {
            let share = String(format: "%.1f %%", mix.share(ofSet: index) * 100)
            let comment = "  # set \(set.name): \(set.prompts.count) prompt(s), \(share) of requests"
            let weight = set.weight.map { ", weight: \(Self.number($0))" } ?? ""
            switch set.source {
            case .file(let path):
                lines.append("  - {path: \(Self.quote(path))\(weight)}" + comment)
            case .synthetic(let spec):
                var fields = ["name: \(Self.quote(spec.name))", "count: \(spec.count)",
                              "input_tokens: {mean: \(Self.number(spec.meanInputTokens)), stddev: \(Self.number(spec.stddevInputTokens))}"]
                if let maxTokens = spec.maxTokens { fields.append("max_tokens: \(maxTokens)") }
                lines.append("  - {synthetic: {\(fields.joined(separator: ", "))}\(weight)}" + comment)
            case .trace(let path):
                lines = ["# prompts: made from the token lengths of the trace \(path) (load.trace)" + comment]
                return lines
            case .inline:
                for (position, prompt) in set.prompts.enumerated() {
                    let messages = "[" + prompt.messages.map {
                        "{role: \($0.role.rawValue), content: \(Self.quote($0.content))}"
                    }.joined(separator: ", ") + "]"
                    var line: String
                    if prompt.name == nil && prompt.weight == 1 && prompt.maxTokens == nil {
                        line = "  - " + messages
                    } else {
                        var fields = ["messages: " + messages]
                        if prompt.weight != 1 { fields.append("weight: \(Self.number(prompt.weight))") }
                        if let maxTokens = prompt.maxTokens { fields.append("max_tokens: \(maxTokens)") }
                        if let name = prompt.name { fields.append("name: \(Self.quote(name))") }
                        line = "  - {" + fields.joined(separator: ", ") + "}"
                    }
                    lines.append(position == 0 ? line + comment : line)
                }
            }
        }
        return lines
    }

    private static func yamlLines(_ retries: RetryPolicy) -> [String] {
        // In ErrorClass's declaration order, so the file reads the same every time.
        let classes = ErrorClass.allCases.filter { retries.retryOn.contains($0) }.map(\.rawValue)
        return [
            "retries:",
            "  max_attempts: \(retries.maxAttempts)",
            "  on: [" + classes.joined(separator: ", ") + "]",
            "  backoff: {base: \(DurationFormat.format(nanos: retries.backoffBaseNanos)), "
                + "max: \(DurationFormat.format(nanos: retries.backoffMaxNanos))}",
            "  honor_retry_after: \(retries.honorRetryAfter)",
            "  max_retry_after: \(DurationFormat.format(nanos: retries.maxRetryAfterNanos))",
        ]
    }

    private static func yaml(_ delay: DelaySpec) -> String {
        let f = DurationFormat.format(nanos:)
        switch delay {
        case .fixed(let nanos): return f(nanos)
        case let .uniform(minNanos, maxNanos): return "{uniform: [\(f(minNanos)), \(f(maxNanos))]}"
        case let .normal(meanNanos, stddevNanos): return "{normal: {mean: \(f(meanNanos)), stddev: \(f(stddevNanos))}}"
        case .exponential(let meanNanos): return "{exponential: \(f(meanNanos))}"
        }
    }

    private static func yaml(_ fault: MockFault) -> String {
        var fields = ["kind: \(fault.kind.rawValue)", "rate: \(number(fault.rate))"]
        switch fault.kind {
        case .http: fields.append("status: \(fault.status)")
        case .stall:
            fields.append("after_tokens: \(fault.afterTokens)")
            if let nanos = fault.stallNanos { fields.append("duration: \(DurationFormat.format(nanos: nanos))") }
        default: fields.append("after_tokens: \(fault.afterTokens)")
        }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    private static func yaml(_ price: ModelPrice) -> String {
        var fields = ["provider: \(price.provider)", "model: \(quote(price.model))", "input: \(number(price.inputPerMillion))",
                      "output: \(number(price.outputPerMillion))"]
        if let cached = price.cachedInputPerMillion { fields.append("cached_input: \(number(cached))") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// Integral values without a fraction ("5"), others in Swift's shortest round-trip form.
    private static func number(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A YAML double-quoted scalar (JSON escapes are valid YAML escapes). Written by hand rather than
    /// through Yams's emitter, which cannot write the comments this file carries (prompt counts and
    /// shares); ProfileTests round-trips hostile strings through Yams to keep it honest.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                // Control characters, and the line breaks YAML knows beyond JSON's (NEL, LINE and
                // PARAGRAPH SEPARATOR: folded to a space inside a quoted scalar) and the BOM.
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x85 || scalar.value == 0x2028
                    || scalar.value == 0x2029 || scalar.value == 0xFEFF {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
