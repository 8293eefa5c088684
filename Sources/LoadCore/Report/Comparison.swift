/// The compact comparison: one row per compared run (`--compare`), stage or group (`--group-by`),
/// with the figures that decide between them and each row's change against a baseline row.
///
/// Runs are named by their profile and offered load (`ramp @ 20/s`), never by their time stamp.
public struct Comparison: Sendable, Equatable, Encodable {
    /// The figures of one row; nil where the row has none (no successful attempt).
    public struct Figures: Sendable, Equatable, Encodable {
        /// Arrivals offered (first attempts and dropped) per second of the row's time.
        public var offeredPerSecond: Double
        public var requestsPerSecond: Double
        public var ttftP50Millis: Double?
        public var ttftP99Millis: Double?
        public var interTokenP99Millis: Double?
        public var outputTokensPerSecond: Double
        /// Failed requests ÷ requests that ended (``GroupReport/requestErrorRate``), 0-1.
        public var requestErrorRate: Double

        // The compact CSV's column names.
        enum CodingKeys: String, CodingKey {
            case offeredPerSecond = "offered_per_s", requestsPerSecond = "requests_per_s"
            case ttftP50Millis = "ttft_p50_ms", ttftP99Millis = "ttft_p99_ms", interTokenP99Millis = "inter_token_p99_ms"
            case outputTokensPerSecond = "output_tokens_per_s", requestErrorRate = "request_error_rate"
        }

        init(_ group: GroupReport) {
            func stat(_ metric: LatencyMetric, _ value: (MetricStats) -> Double) -> Double? {
                guard let stats = group.stats(metric), stats.count > 0 else { return nil }
                return value(stats)
            }
            offeredPerSecond = group.elapsedSeconds > 0 ? Double(group.offered) / group.elapsedSeconds : 0
            requestsPerSecond = group.requestsPerSecond
            ttftP50Millis = stat(.ttft, \.p50)
            ttftP99Millis = stat(.ttft, \.p99)
            interTokenP99Millis = stat(.interToken, \.p99)
            outputTokensPerSecond = group.outputTokensPerSecond
            requestErrorRate = group.requestErrorRate
        }

        /// Every figure with its CSV name, in column order.
        var named: [(String, Double?)] {
            [("offered_per_s", offeredPerSecond), ("requests_per_s", requestsPerSecond), ("ttft_p50_ms", ttftP50Millis),
             ("ttft_p99_ms", ttftP99Millis), ("inter_token_p99_ms", interTokenP99Millis),
             ("output_tokens_per_s", outputTokensPerSecond), ("request_error_rate", requestErrorRate)]
        }
    }

    /// One row.
    public struct Row: Sendable, Equatable, Encodable {
        /// `profile @ load` for a run, the group's name otherwise.
        public var name: String
        public var figures: Figures
        /// Against the baseline, by the figure's CSV name: the change in percent of the baseline's
        /// value (nil where the baseline's is 0 or either is missing), except `request_error_rate`,
        /// the difference in percentage points. Empty for the baseline itself.
        public var deltas: [String: Double?]

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: NamedKey.self)
            try container.encode(name, forKey: NamedKey("name"))
            try figures.encode(to: encoder)
            if !deltas.isEmpty {
                var nested = container.nestedContainer(keyedBy: NamedKey.self, forKey: NamedKey("deltas"))
                for (key, value) in deltas.sorted(by: { $0.key < $1.key }) {
                    try nested.encode(value, forKey: NamedKey(key))
                }
            }
        }
    }

    /// The baseline row's name.
    public var baseline: String
    public var rows: [Row]

    /// The rows of a report: its runs with `--compare`, its groups with `--group-by`, else all.
    /// - Parameter baseline: the run (argument or name) or group to compare against; nil: the first.
    /// - Throws: ``ComparisonError`` when `baseline` names no row.
    public init(_ report: Report, baseline: String? = nil) throws {
        let groups = report.groups.isEmpty ? [report.overall] : report.groups
        var names = groups.map(\.name)
        if report.groupBy == .run, report.runs.count == groups.count {
            names = Self.distinct(report.runs.map(\.label))
        }
        var baselineIndex = 0
        if let baseline {
            let wanted = RunInfo.name(forEventsPath: ReportInputs.eventsPath(for: baseline))
            let runNames = report.groupBy == .run ? groups.map(\.name) : []
            guard let index = names.firstIndex(of: baseline) ?? runNames.firstIndex(of: wanted)
                ?? runNames.firstIndex(of: baseline)
            else {
                throw ComparisonError(description: "--baseline \(baseline) is none of the compared rows: "
                    + (names + runNames.filter { !names.contains($0) }).joined(separator: ", "))
            }
            baselineIndex = index
        }
        let base = Figures(groups[baselineIndex])
        rows = zip(names, groups).enumerated().map { index, pair in
            let figures = Figures(pair.1)
            return Row(name: pair.0, figures: figures, deltas: index == baselineIndex ? [:] : Self.deltas(figures, base))
        }
        self.baseline = names[baselineIndex]
    }

    private static func deltas(_ figures: Figures, _ base: Figures) -> [String: Double?] {
        var deltas: [String: Double?] = [:]
        for ((name, value), (_, baseValue)) in zip(figures.named, base.named) {
            guard let value, let baseValue else {
                deltas[name] = .some(nil)
                continue
            }
            if name == "request_error_rate" {
                deltas[name] = (value - baseValue) * 100
            } else {
                deltas[name] = baseValue != 0 ? (value - baseValue) / baseValue * 100 : .some(nil)
            }
        }
        return deltas
    }

    /// Names made unique: a second `ramp @ 20/s` becomes `ramp @ 20/s #2`.
    private static func distinct(_ names: [String]) -> [String] {
        var seen: [String: Int] = [:]
        return names.map { name in
            seen[name, default: 0] += 1
            return seen[name]! > 1 ? "\(name) #\(seen[name]!)" : name
        }
    }
}

/// A `--baseline` that names no compared row.
public struct ComparisonError: Error, CustomStringConvertible {
    public let description: String
}
