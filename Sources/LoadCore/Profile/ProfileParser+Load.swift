import Foundation
import Yams

/// `load:` in a profile: the mode, the stages or shorthands, the arrival process and trace replays.
extension ProfileParser {
    mutating func parseLoad(_ node: Node?, parent: Node, limits: inout Profile.Limits) -> Profile.LoadSettings? {
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

        if let n = fields["requests"],
           let requests = boundedInteger(n, "load.requests", minimum: 1, bound: ProfileBounds.maxRequests, what: "requests") {
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
                    durationNanos = stageDuration(d, "\(path).duration")
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
                durationNanos = stageDuration(d, "load.duration")
            } else if mode == .open {
                report(node, "load.duration", "missing required field for open mode; e.g. duration: 30s")
            } else if limits.maxRequests == nil {
                report(node, "load.duration", "missing: closed mode needs duration: or requests: to know when to stop")
            }
            if let level { stages.append(Stage(durationNanos: durationNanos, level: level)) }
        }
        if mode == .open, let problem = ProfileBounds.plannedRequestsProblem(stages: stages, maxRequests: limits.maxRequests) {
            report(node, "load", problem)
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
    mutating func parseArrival(_ fields: [String: Node], load: Node, mode: LoadMode) -> ArrivalProcess {
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
    mutating func parseTraceLoad(_ fields: [String: Node], load: Node, arrivalNode: Node) -> Profile.LoadSettings? {
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
            : PromptPath.absolute(PromptPath.resolve(relative, profileFile: file))
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            report(traceNode, "load.trace", "cannot read the trace file \(path)")
            return nil
        }
        let offsets: [UInt64]
        do {
            let trace = try TraceFile.parseTrace(text, file: path)
            offsets = trace.offsetsNanos
            if let lengths = trace.lengths { traceLengths = (path, lengths) }
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
}
