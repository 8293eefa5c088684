import Foundation

/// The judgement of one step: which saturation signals fired, whether the SLOs held, and so whether
/// the step's load is sustained (knee search) and within the SLO (capacity search).
///
/// Signals (docs/capacity.md, "Signals"), each with its rule:
/// - `throughput`: rate mode, attempts ended per second below 95 % of the offered rate;
/// - `in_flight_growth`: rate mode, requests outstanding grew across the window by more than
///   max(10, 5 % of the requests offered in it): a queue is building;
/// - `ttft_trend`: the median TTFT (from the intended start) of the window's last quarter is at
///   least 1.25 × its first quarter's and 20 ms above it;
/// - `efficiency`: users mode, successes per second below 90 % of users × the baseline's (one
///   user's) rate: each added user waits instead of being served;
/// - `rate_limit`: the share of 429 answers above the SLO's `http_429_rate` (else `error_rate`, else 1 %);
/// - `errors`: the share of other failures above the SLO's `error_rate` (else 1 %);
/// - `client`: the client verdict is `saturated`;
/// - `slo`: an SLO failed over the window's requests.
public struct StepVerdict: Sendable, Equatable {
    /// A saturation signal or limit.
    public enum Signal: String, Sendable, Equatable, CaseIterable {
        case throughput
        case inFlightGrowth = "in_flight_growth"
        case ttftTrend = "ttft_trend"
        case efficiency
        case rateLimit = "rate_limit"
        case errors
        case client
        case slo
    }

    /// One fired signal with what was measured.
    public struct Finding: Sendable, Equatable {
        public var signal: Signal
        public var detail: String
    }

    /// Every fired signal, in the order of ``Signal/allCases``.
    public var findings: [Finding]

    /// True when the target kept up: no throughput, growth, trend or efficiency signal.
    public var sustained: Bool {
        !findings.contains { [.throughput, .inFlightGrowth, .ttftTrend, .efficiency].contains($0.signal) }
    }

    /// True when the load is sustained and no limit (429s, errors, the client) was hit: the knee's criterion.
    public var withinLimits: Bool {
        sustained && !findings.contains { [.rateLimit, .errors, .client].contains($0.signal) }
    }

    /// True when within limits and every SLO held: the SLO capacity's criterion.
    public var meetsSLO: Bool { withinLimits && !fired(.slo) }

    /// True when `signal` fired.
    public func fired(_ signal: Signal) -> Bool { findings.contains { $0.signal == signal } }

    /// Judges a step.
    /// - Parameters:
    ///   - step: what the step measured.
    ///   - settings: the sweep (mode, SLOs).
    ///   - baseline: the one-user step, for the users-mode efficiency rule (nil: not applied).
    ///   - closedLoop: whether the step ran closed-loop users (default: users mode); the throughput
    ///     and growth rules apply to open-loop steps only (users send as fast as they are answered).
    public init(_ step: StepStatistics, settings: SweepSettings, baseline: StepStatistics?, closedLoop: Bool? = nil) {
        var findings: [Finding] = []
        func add(_ signal: Signal, _ detail: String) { findings.append(Finding(signal: signal, detail: detail)) }
        let isRate = !(closedLoop ?? (settings.mode == .users))
        if isRate, step.offeredPerSecond > 0, step.achievedPerSecond < 0.95 * step.offeredPerSecond {
            add(.throughput, "achieved \(Self.rate(step.achievedPerSecond)) of \(Self.rate(step.offeredPerSecond)) offered")
        }
        let growth = step.outstandingAtEnd - step.outstandingAtStart
        let allowedGrowth = max(10, 0.05 * step.offeredPerSecond * step.windowSeconds)
        if isRate, Double(growth) > allowedGrowth {
            add(.inFlightGrowth, "requests outstanding grew from \(step.outstandingAtStart) to \(step.outstandingAtEnd)")
        }
        if let first = step.ttftFirstQuarterMillis, let last = step.ttftLastQuarterMillis,
           last >= 1.25 * first, last - first >= 20 {
            add(.ttftTrend, "TTFT median rose from \(Self.millis(first)) to \(Self.millis(last)) within the step")
        }
        if settings.mode == .users, let baseline, baseline.okPerSecond > 0 {
            let expected = step.load * baseline.okPerSecond
            if step.okPerSecond < 0.9 * expected {
                add(.efficiency, "\(Self.rate(step.okPerSecond)) ok with \(Int(step.load)) users, "
                    + "\(Int((100 * step.okPerSecond / expected).rounded())) % of \(Int(step.load)) × one user's rate")
            }
        }
        let limits = Self.errorLimits(settings.slo)
        if step.share429 > limits.http429 {
            add(.rateLimit, "\(Self.percent(step.share429)) of attempts answered 429")
        }
        if step.errorShare > limits.errors {
            add(.errors, "\(Self.percent(step.errorShare)) of attempts failed (not 429)")
        }
        if step.clientVerdict == .saturated {
            add(.client, "client saturated" + (step.clientReason.map { " (\($0))" } ?? ""))
        }
        for result in step.slo where !result.passed {
            add(.slo, result.summary)
        }
        self.findings = findings
    }

    /// The shares of 429s and of other errors a step may have: the SLO's `http_429_rate` (else its
    /// `error_rate`) and `error_rate`, else 1 % each.
    static func errorLimits(_ slo: Thresholds) -> (http429: Double, errors: Double) {
        let errorRate = slo.checks.first { $0.metric == .errorRate }?.limit
        let http429Rate = slo.checks.first { $0.metric == .http429Rate }?.limit
        return (http429Rate ?? errorRate ?? 0.01, errorRate ?? 0.01)
    }

    static func rate(_ value: Double) -> String { String(format: "%.1f/s", value) }
    static func millis(_ value: Double) -> String { String(format: "%.0fms", value) }
    static func percent(_ value: Double) -> String { String(format: "%.1f %%", 100 * value) }
}
