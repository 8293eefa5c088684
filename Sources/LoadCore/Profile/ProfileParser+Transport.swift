import Foundation
import Yams

/// The transport, timeout, retry and mock-limit parts of a profile (`target.ca_file`, `target.http`,
/// `limits.*_timeout`, `limits.max_connections`, `retries:`, `mock.rate_limit`, `mock.capacity`).
extension ProfileParser {
    /// `target.ca_file` (resolved against the profile's folder, and checked to be readable) and `target.http`.
    mutating func parseTransport(_ fields: [String: Node], into target: inout Profile.Target) {
        if let n = fields["ca_file"], let relative = string(n, "target.ca_file") {
            let path = relative.hasPrefix("/")
                ? relative
                : PromptPath.absolute(PromptPath.resolve(relative, profileFile: file))
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
    mutating func parseTransportLimits(_ fields: [String: Node], into limits: inout Profile.Limits) {
        if let n = fields["ttft_timeout"], let value = duration(n, "limits.ttft_timeout") {
            limits.ttftTimeoutNanos = value
        }
        if let n = fields["idle_timeout"], let value = duration(n, "limits.idle_timeout") {
            limits.idleTimeoutNanos = value
        }
        if let n = fields["max_connections"], let value = boundedInteger(n, "limits.max_connections", minimum: 1,
                                                                          bound: ProfileBounds.maxInFlight,
                                                                          what: "connections") {
            limits.maxConnections = value
        }
    }

    /// `retries:`; nil when the section is malformed (its problems are reported).
    mutating func parseRetries(_ node: Node) -> RetryPolicy? {
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
    mutating func parseMockLimits(_ fields: [String: Node], into mock: inout Profile.MockSettings) {
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

    mutating func boolean(_ node: Node, _ path: String) -> Bool? {
        switch scalarText(node)?.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report(node, path, "expected true or false, got \(describe(node))")
            return nil
        }
    }
}
