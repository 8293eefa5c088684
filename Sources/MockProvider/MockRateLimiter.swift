import LoadCore
import Foundation

/// The mock's rate limits at run time: the token buckets of `Profile.MockRateLimitSettings`, shared by every event
/// loop of the server (a lock guards them; it is taken once per request, only when limits are set).
final class MockRateLimiter: @unchecked Sendable {
    /// What one request gets.
    struct Decision {
        /// False: answer 429.
        var allowed: Bool
        /// The rate-limit headers to send (with `retry-after` when refused).
        var headers: [(String, String)]
        /// The bucket that refused the request (`requests`, `tokens`, `input tokens`, `output tokens`).
        var limitedBy: String?
        /// When refused: how long until the request would pass.
        var retryAfterNanos: UInt64
    }

    private enum Window: CaseIterable {
        case requests, tokens, inputTokens, outputTokens

        var openAIName: String? {
            switch self {
            case .requests: return "requests"
            case .tokens: return "tokens"
            case .inputTokens, .outputTokens: return nil  // enforced, not announced, in this family
            }
        }

        var anthropicName: String {
            switch self {
            case .requests: return "requests"
            case .tokens: return "tokens"
            case .inputTokens: return "input-tokens"
            case .outputTokens: return "output-tokens"
            }
        }

        var description: String {
            switch self {
            case .requests: return "requests"
            case .tokens: return "tokens"
            case .inputTokens: return "input tokens"
            case .outputTokens: return "output tokens"
            }
        }
    }

    private struct Limit {
        var window: Window
        var perMinute: Int
        var bucket: TokenBucket
    }

    let config: Profile.MockRateLimitSettings
    private let lock = NSLock()
    private var limits: [Limit] = []

    init(config: Profile.MockRateLimitSettings, nowNanos: UInt64) {
        self.config = config
        let perMinute: [(Window, Int?)] = [
            (.requests, config.requestsPerMinute), (.tokens, config.tokensPerMinute),
            (.inputTokens, config.inputTokensPerMinute), (.outputTokens, config.outputTokensPerMinute),
        ]
        for case let (window, limit?) in perMinute where limit > 0 {
            let perSecond = Double(limit) / 60
            let bucket = TokenBucket(
                capacity: (perSecond * Double(config.burstNanos) / 1e9).rounded(.down), unitsPerSecond: perSecond,
                nowNanos: nowNanos)
            limits.append(Limit(window: window, perMinute: limit, bucket: bucket))
        }
    }

    /// Takes what one request needs from every bucket, or nothing when any bucket is short.
    /// - Parameters:
    ///   - promptTokens: the request's input tokens.
    ///   - completionTokens: the tokens the completion will produce.
    ///   - family: the header family to announce the limits in (see ``family(for:)``).
    ///   - nowNanos: monotonic time.
    ///   - unixSeconds: wall-clock time, for the Anthropic family's reset times.
    func admit(promptTokens: Int, completionTokens: Int, family: Profile.MockRateLimitSettings.HeaderFamily, nowNanos: UInt64,
               unixSeconds: Double = Date().timeIntervalSince1970) -> Decision {
        lock.lock()
        defer { lock.unlock() }
        var waitNanos: UInt64 = 0
        var limitedBy: String?
        for index in limits.indices {
            limits[index].bucket.refill(nowNanos: nowNanos)
            let need = Self.need(limits[index].window, promptTokens: promptTokens, completionTokens: completionTokens)
            let wait = limits[index].bucket.nanosUntil(need)
            if wait > waitNanos {
                waitNanos = wait
                limitedBy = limits[index].window.description
            }
        }
        let allowed = waitNanos == 0
        if allowed {
            for index in limits.indices {
                let need = Self.need(limits[index].window, promptTokens: promptTokens, completionTokens: completionTokens)
                limits[index].bucket.take(need)
            }
        }
        var headers = announce(family: family, unixSeconds: unixSeconds)
        if !allowed {
            let seconds = (Double(waitNanos) / 1e9).rounded(.up)
            headers.append(("retry-after", String(Int(max(seconds, 1)))))
            if family == .openai {
                headers.append(("retry-after-ms", String(Int((Double(waitNanos) / 1e6).rounded(.up)))))
            }
        }
        return Decision(allowed: allowed, headers: headers, limitedBy: limitedBy, retryAfterNanos: waitNanos)
    }

    private static func need(_ window: Window, promptTokens: Int, completionTokens: Int) -> Double {
        switch window {
        case .requests: return 1
        case .tokens: return Double(promptTokens + completionTokens)
        case .inputTokens: return Double(promptTokens)
        case .outputTokens: return Double(completionTokens)
        }
    }

    /// The header family of a request in `dialect`: the configured one, else the dialect's own
    /// (Anthropic's for `/v1/messages`, OpenAI's for the OpenAI and Groq routes).
    func family(for dialect: APIDialect) -> Profile.MockRateLimitSettings.HeaderFamily {
        if let family = config.headers { return family }
        return dialect == .anthropic ? .anthropic : .openai
    }

    /// The limit, remaining and reset of every bucket in `family`.
    private func announce(family: Profile.MockRateLimitSettings.HeaderFamily, unixSeconds: Double) -> [(String, String)] {
        var headers: [(String, String)] = []
        for limit in limits {
            let remaining = String(Int(limit.bucket.level.rounded(.down)))
            let untilFull = limit.bucket.nanosUntilFull
            switch family {
            case .openai:
                guard let name = limit.window.openAIName else { continue }
                headers.append(("x-ratelimit-limit-\(name)", String(limit.perMinute)))
                headers.append(("x-ratelimit-remaining-\(name)", remaining))
                headers.append(("x-ratelimit-reset-\(name)", Self.goDuration(nanos: untilFull)))
            case .anthropic:
                let name = limit.window.anthropicName
                headers.append(("anthropic-ratelimit-\(name)-limit", String(limit.perMinute)))
                headers.append(("anthropic-ratelimit-\(name)-remaining", remaining))
                let reset = (unixSeconds + Double(untilFull) / 1e9).rounded(.up)
                headers.append(("anthropic-ratelimit-\(name)-reset", Self.rfc3339(unixSeconds: Int(reset))))
            }
        }
        return headers
    }

    /// A duration as Go prints one, which is what OpenAI's reset headers look like: `120ms`, `6s`,
    /// `1m0s`, `2m59.56s`, `1h0m0s` (below a second: whole milliseconds, rounded up).
    static func goDuration(nanos: UInt64) -> String {
        if nanos == 0 { return "0s" }
        let millis = (nanos + 999_999) / 1_000_000
        if millis < 1_000 { return "\(millis)ms" }
        let hours = millis / 3_600_000
        let minutes = millis % 3_600_000 / 60_000
        let secondMillis = millis % 60_000
        var seconds = String(secondMillis / 1_000)
        if secondMillis % 1_000 != 0 {
            var fraction = String(secondMillis % 1_000)
            fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            seconds += "." + fraction
        }
        if hours > 0 { return "\(hours)h\(minutes)m\(seconds)s" }
        if minutes > 0 { return "\(minutes)m\(seconds)s" }
        return "\(seconds)s"
    }

    /// `2024-05-01T12:00:30Z` for a Unix time in whole seconds (Howard Hinnant's civil_from_days).
    static func rfc3339(unixSeconds: Int) -> String {
        let days = unixSeconds >= 0 ? unixSeconds / 86_400 : (unixSeconds - 86_399) / 86_400
        let secondOfDay = unixSeconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):"
            + "\(two(secondOfDay % 60))Z"
    }
}
