import Foundation
import Yams

/// `sweep.json` in a sweep's run directory: the sweep's settings and where each step's warm-up and
/// measured window lie on the run's clock, so that `loadreport --capacity` can redo the analysis
/// from the event log. docs/capacity.md describes the file.
public struct SweepRecord: Sendable, Equatable {
    /// One step as it ran.
    public struct Step: Sendable, Equatable {
        public var step: SweepStep
        /// The step's start (its warm-up's), nanoseconds since the run's origin.
        public var startNanos: UInt64
        /// The measured window, nanoseconds since the run's origin.
        public var windowStartNanos: UInt64
        public var windowEndNanos: UInt64

        public init(step: SweepStep, startNanos: UInt64, windowStartNanos: UInt64, windowEndNanos: UInt64) {
            self.step = step
            self.startNanos = startNanos
            self.windowStartNanos = windowStartNanos
            self.windowEndNanos = windowEndNanos
        }
    }

    public static let schema = 1
    public var settings: SweepSettings
    public var steps: [Step]
    /// Why the sweep stopped (nil while it runs).
    public var stopReason: String?

    public init(settings: SweepSettings, steps: [Step] = [], stopReason: String? = nil) {
        self.settings = settings
        self.steps = steps
        self.stopReason = stopReason
    }

    /// The file's JSON text.
    public func json() throws -> String {
        let slo = settings.slo.checks.map { [$0.name, $0.condition] }
        var settingsObject: [String: Any] = [
            "mode": settings.mode.rawValue, "arrival": settings.arrival.name, "slo": slo,
            "step_s": Double(settings.stepNanos) / 1e9, "min_completions": settings.minCompletions,
            "tolerance": settings.tolerance, "headroom": settings.headroom,
            "max_duration_s": Double(settings.maxDurationNanos) / 1e9, "steps": settings.steps, "growth": settings.growth,
        ]
        if let value = settings.minLoad { settingsObject["min"] = value }
        if let value = settings.maxLoad { settingsObject["max"] = value }
        if let value = settings.maxCostUSD { settingsObject["max_cost_usd"] = value }
        let steps: [[String: Any]] = steps.map { recorded in
            var object: [String: Any] = [
                "index": recorded.step.index, "phase": recorded.step.phase.rawValue, "load": recorded.step.load,
                "closed_loop": recorded.step.closedLoop, "label": recorded.step.label,
                "warmup_us": recorded.step.warmupNanos / 1000, "window_us": recorded.step.windowNanos / 1000,
                "start_us": recorded.startNanos / 1000, "window_start_us": recorded.windowStartNanos / 1000,
                "window_end_us": recorded.windowEndNanos / 1000,
            ]
            if let max = recorded.step.maxRequests { object["max_requests"] = max }
            return object
        }
        var object: [String: Any] = ["schema": Self.schema, "settings": settingsObject, "steps": steps]
        if let stopReason { object["stop_reason"] = stopReason }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Reads a `sweep.json`.
    /// - Throws: ``SweepRecordError`` naming the file and what is wrong.
    public static func parse(_ data: Data, path: String) throws -> SweepRecord {
        func fail(_ reason: String) -> SweepRecordError { SweepRecordError(path: path, reason: reason) }
        guard let object = try? JSONParser.parse([UInt8](data)), object.isObject else {
            throw fail("not a JSON object")
        }
        guard let schema = object["schema"]?.intValue, schema <= Self.schema else {
            let found = object["schema"].map { "\($0.intValue.map(String.init) ?? "of the wrong type")" } ?? "missing"
            throw fail("schema \(found) is not one this build reads (\(Self.schema))")
        }
        guard let settingsObject = object["settings"], settingsObject.isObject else { throw fail("no settings") }
        var settings = SweepSettings()
        if let text = settingsObject["mode"]?.stringValue {
            guard let mode = SweepSettings.Mode(rawValue: text) else { throw fail("settings.mode \"\(text)\"") }
            settings.mode = mode
        }
        settings.arrival = settingsObject["arrival"]?.stringValue == "poisson" ? .poisson : .constant
        if let slo = settingsObject["slo"]?.arrayValue {
            let pairs = slo.compactMap { pair in pair.arrayValue?.compactMap(\.stringValue) }
            guard pairs.count == slo.count, pairs.allSatisfy({ $0.count == 2 }) else {
                throw fail("settings.slo: expected [name, condition] pairs")
            }
            settings.slo = try SLOList.parse(pairs.map { ($0[0], $0[1]) }, source: path)
        }
        settings.minLoad = settingsObject["min"]?.doubleValue
        settings.maxLoad = settingsObject["max"]?.doubleValue
        settings.maxCostUSD = settingsObject["max_cost_usd"]?.doubleValue
        if let value = settingsObject["tolerance"]?.doubleValue { settings.tolerance = value }
        if let value = settingsObject["headroom"]?.doubleValue { settings.headroom = value }
        if let value = settingsObject["step_s"]?.doubleValue { settings.stepNanos = UInt64(value * 1e9) }
        if let value = settingsObject["max_duration_s"]?.doubleValue { settings.maxDurationNanos = UInt64(value * 1e9) }
        if let value = settingsObject["min_completions"]?.intValue { settings.minCompletions = value }
        if let value = settingsObject["steps"]?.intValue { settings.steps = value }
        if let value = settingsObject["growth"]?.doubleValue { settings.growth = value }

        var steps: [Step] = []
        for (i, item) in (object["steps"]?.arrayValue ?? []).enumerated() {
            func micros(_ key: String) throws -> UInt64 {
                guard let value = item[key]?.doubleValue, value >= 0, value < 1.8e13 else { throw fail("steps[\(i)].\(key)") }
                return UInt64(value) * 1000
            }
            guard let index = item["index"]?.intValue, let phaseText = item["phase"]?.stringValue,
                  let phase = SweepStep.Phase(rawValue: phaseText), let load = item["load"]?.doubleValue,
                  let closedLoop = item["closed_loop"]?.boolValue else {
                throw fail("steps[\(i)]: expected index, phase, load and closed_loop")
            }
            let step = SweepStep(index: index, phase: phase, load: load, closedLoop: closedLoop,
                                 warmupNanos: try micros("warmup_us"), windowNanos: try micros("window_us"),
                                 maxRequests: item["max_requests"]?.intValue)
            let recorded = Step(step: step, startNanos: try micros("start_us"),
                                windowStartNanos: try micros("window_start_us"), windowEndNanos: try micros("window_end_us"))
            guard recorded.windowEndNanos > recorded.windowStartNanos else { throw fail("steps[\(i)]: an empty window") }
            steps.append(recorded)
        }
        return SweepRecord(settings: settings, steps: steps, stopReason: object["stop_reason"]?.stringValue)
    }
}

/// A `sweep.json` that cannot be read.
public struct SweepRecordError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): not a sweep record: \(reason)" }
}

/// SLOs written as `name=limit` pairs (`--slo ttft_p99=800ms,error_rate=1%`) or as the conditions of
/// `sweep.json`, in the syntax of a profile's `thresholds:`.
public enum SLOList {
    /// Parses `ttft_p99=800ms,itl_p99=<50ms,error_rate=1%`.
    /// - Throws: ``ProfileError`` naming the pair that is wrong, with the valid names.
    public static func parse(_ text: String, source: String = "--slo") throws -> Thresholds {
        var pairs: [(String, String)] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: true) {
            let halves = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard halves.count == 2, !halves[0].isEmpty else {
                throw ProfileError(problems: [ProfileProblem(
                    file: source, line: 0, column: 0, fieldPath: String(part),
                    message: "expected name=limit, like ttft_p99=800ms or error_rate=1%")])
            }
            pairs.append((halves[0], halves[1]))
        }
        return try parse(pairs, source: source)
    }

    /// Parses (name, limit) pairs in order.
    public static func parse(_ pairs: [(String, String)], source: String) throws -> Thresholds {
        var parser = ProfileParser(file: source)
        var slo = Thresholds()
        for (name, value) in pairs {
            let node = Node.scalar(Node.Scalar(value, .implicit, .doubleQuoted))
            guard let metric = ProfileParser.thresholdMetric(named: name), metric != .costUSD,
                  metric != .requestsPerSecond, metric != .outputTokensPerSecond else {
                parser.problems.append(ProfileProblem(
                    file: source, line: 0, column: 0, fieldPath: name,
                    message: "unknown SLO \"\(name)\"; valid: ttft_pNN, itl_pNN, tpot_pNN, total_pNN, "
                        + "ttft_from_intended_pNN, total_from_intended_pNN, schedule_lag_pNN, error_rate, http_429_rate"))
                continue
            }
            if let threshold = parser.parseThreshold(node, name, name: name, metric: metric) {
                slo.checks.append(threshold)
            }
        }
        guard parser.problems.isEmpty else {
            throw ProfileError(problems: parser.problems.map { problem in
                var located = problem
                located.line = 0
                located.column = 0
                return located
            })
        }
        return slo
    }
}
