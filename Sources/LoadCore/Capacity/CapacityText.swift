import Foundation

/// The capacity view: a table per step, then the knee, the SLO capacity, the limit, the rate limit
/// and the recommendation. `loadgen sweep` prints it at the end; `loadreport --capacity` prints it
/// from the event log.
public enum CapacityText {
    static let columns = [
        "step", "phase", "load", "offered/s", "achieved/s", "ok/s", "out tok/s", "ttft p50", "ttft p99", "itl p99",
        "total p99", "429 %", "errors %", "goodput", "verdict",
    ]

    /// The view as text, markdown, CSV (the table only) or JSON (``json(_:)``).
    public static func render(_ result: CapacityResult, format: ReportFormat) throws -> String {
        if format == .json { return try json(result) }
        var table = TextTable(columns: columns)
        for item in result.steps {
            let s = item.statistics
            func ms(_ value: Double?) -> String { value.map { Format.fixed($0, 1) } ?? "-" }
            table.rows.append([
                String(item.step.index), item.step.phase.rawValue,
                item.step.loadText,
                Format.fixed(s.offeredPerSecond, 1), Format.fixed(s.achievedPerSecond, 1), Format.fixed(s.okPerSecond, 1),
                Format.fixed(s.outputTokensPerSecond, 0), ms(s.ttftP50Millis), ms(s.ttftP99Millis), ms(s.itlP99Millis),
                ms(s.totalP99Millis), Format.fixed(100 * s.share429, 1), Format.fixed(100 * s.errorShare, 1),
                s.goodput.map { Format.fixed(100 * $0, 1) + " %" } ?? "-", verdict(item.verdict),
            ])
        }
        switch format {
        case .csv: return table.csv()
        case .markdown:
            return "## Capacity\n\n" + table.markdown() + "\n" + lines(result).map { "- \($0)\n" }.joined()
        default:
            return "capacity (latencies in ms, from each step's measured window)\n" + table.text() + "\n"
                + lines(result).map { $0 + "\n" }.joined()
        }
    }

    /// `ok`, or the signals that fired: `saturated (ttft_trend, in_flight_growth)`, `slo fail`, `rate_limit`.
    public static func verdict(_ verdict: StepVerdict) -> String {
        if verdict.meetsSLO { return "ok" }
        let signals = verdict.findings.map(\.signal.rawValue)
        return signals.joined(separator: ",")
    }

    /// The conclusions, one sentence a line.
    public static func lines(_ result: CapacityResult) -> [String] {
        var lines: [String] = []
        let unit = result.mode == .rate ? "/s" : " users"
        if let rps = result.kneeRPS, let load = result.kneeLoad {
            lines.append("knee: \(Format.fixed(rps, 1)) requests/s sustained (at \(SweepStep.format(load))\(unit))"
                + (result.kneeReached ? "" : "; no step saturated, the knee lies higher"))
        } else {
            lines.append("knee: none (no step stayed within limits)")
        }
        let bracket = result.sloBracket
        func bound(_ value: Double?) -> String { value.map { SweepStep.format($0) + unit } ?? "-" }
        if let sloLoad = result.sloLoad {
            var line = "SLO capacity: \(SweepStep.format(sloLoad))\(unit)"
            if result.mode == .users, let rps = result.sloRPS { line += " (\(Format.fixed(rps, 1)) requests/s)" }
            line += ", bracket [\(bound(bracket.low)), \(bound(bracket.high))]"
            if let width = bracket.relativeWidth { line += " (\(Format.fixed(100 * width, 1)) % wide)" }
            if let low = bracket.low, sloLoad < low, result.limitedBy == .rateLimit {
                line += "; capped at the rate limit: a short step passes above it on the bucket's burst"
            }
            lines.append(line)
        } else {
            lines.append("SLO capacity: none: the SLO failed at every load tried (lowest failing: \(bound(bracket.high)))")
        }
        if let limit = result.limitedBy {
            lines.append("limited by: \(limit.rawValue); beyond it first: " + result.firstFailures.joined(separator: "; "))
        } else {
            lines.append("limited by: nothing seen up to the highest load tried")
        }
        if let rateLimit = result.rateLimit {
            let perMinute = rateLimit.requestsPerSecond * 60
            var line = "rate limit reached at about \(Format.fixed(rateLimit.requestsPerSecond, 1)) requests/s = "
                + "\(grouped(perMinute))/min"
            if let announced = rateLimit.announcedRequests {
                line += "; announced \(grouped(announced)) RPM (per the provider's window)"
            } else {
                line += "; no limit announced in the headers"
            }
            lines.append(line)
        }
        if let recommendation = result.recommendation {
            lines.append("recommendation (\(Format.fixed(100 * recommendation.headroom, 0)) % headroom): "
                + "\(Format.fixed(recommendation.requestsPerSecond, 1)) requests/s, "
                + "\(Format.fixed(recommendation.outputTokensPerSecond, 0)) output tokens/s, "
                + "\(recommendation.concurrentStreams) concurrent streams (Little's law)")
        }
        lines.append("stopped: \(result.stopReason)")
        return lines
    }

    /// A whole number with thousands separators: 1800 → `1,800`.
    static func grouped(_ value: Double) -> String {
        let digits = String(Int(value.rounded()))
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0, i % 3 == 0, c != "-" { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }

    /// `{"capacity": {...}}` (``object(_:)``), pretty-printed with sorted keys.
    public static func json(_ result: CapacityResult) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: ["capacity": object(result)],
                                              options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The `capacity` object of `summary.json`: `knee_rps`, `slo_rps`, `slo_bracket` [low, high],
    /// `limited_by`, `first_failures`, `rate_limit`, `recommendation`, `stop_reason`, `steps`.
    public static func object(_ result: CapacityResult) -> [String: Any] {
        func value(_ number: Double?) -> Any { number.map { $0 as Any } ?? NSNull() }
        var object: [String: Any] = [
            "mode": result.mode.rawValue,
            "knee_rps": value(result.kneeRPS),
            "knee_load": value(result.kneeLoad),
            "knee_reached": result.kneeReached,
            "slo_rps": value(result.sloRPS),
            "slo_load": value(result.sloLoad),
            "slo_bracket": [value(result.sloBracket.low), value(result.sloBracket.high)],
            "limited_by": result.limitedBy.map { $0.rawValue as Any } ?? NSNull(),
            "first_failures": result.firstFailures,
            "stop_reason": result.stopReason,
        ]
        if let rateLimit = result.rateLimit {
            object["rate_limit"] = [
                "requests_per_s": rateLimit.requestsPerSecond, "requests_per_min": rateLimit.requestsPerSecond * 60,
                "announced_requests": value(rateLimit.announcedRequests),
            ]
        }
        if let recommendation = result.recommendation {
            object["recommendation"] = [
                "headroom": recommendation.headroom, "requests_per_s": recommendation.requestsPerSecond,
                "output_tokens_per_s": recommendation.outputTokensPerSecond,
                "concurrent_streams": recommendation.concurrentStreams,
            ]
        }
        object["steps"] = result.steps.map { item -> [String: Any] in
            let s = item.statistics
            return [
                "index": item.step.index, "phase": item.step.phase.rawValue, "load": item.step.load,
                "closed_loop": item.step.closedLoop, "window_s": s.windowSeconds,
                "offered_per_s": s.offeredPerSecond, "achieved_per_s": s.achievedPerSecond, "ok_per_s": s.okPerSecond,
                "output_tokens_per_s": s.outputTokensPerSecond, "completions": s.completions, "requests": s.requests,
                "ttft_p50_ms": value(s.ttftP50Millis), "ttft_p99_ms": value(s.ttftP99Millis),
                "itl_p99_ms": value(s.itlP99Millis), "total_p99_ms": value(s.totalP99Millis),
                "start_lag_p99_ms": value(s.startLagP99Millis),
                "ttft_first_quarter_ms": value(s.ttftFirstQuarterMillis),
                "ttft_last_quarter_ms": value(s.ttftLastQuarterMillis),
                "accepted_after_429_per_s": value(s.acceptedAfter429PerSecond),
                "outstanding_start": s.outstandingAtStart, "outstanding_end": s.outstandingAtEnd,
                "share_429": s.share429, "error_share": s.errorShare, "goodput": value(s.goodput),
                "client": s.clientVerdict.rawValue, "sustained": item.verdict.sustained,
                "within_limits": item.verdict.withinLimits, "meets_slo": item.verdict.meetsSLO,
                "signals": item.verdict.findings.map { ["signal": $0.signal.rawValue, "detail": $0.detail] },
            ]
        }
        return object
    }
}
