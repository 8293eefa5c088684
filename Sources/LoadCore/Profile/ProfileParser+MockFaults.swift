import Yams

/// `target.mock.faults`: a list of `{kind, rate, after_tokens, status, duration}`.
extension ProfileParser {
    mutating func parseMockFaults(_ node: Node) -> [Profile.MockFault] {
        let example = "[{kind: disconnect, after_tokens: 3, rate: 0.1}]"
        guard let list = sequence(node, "target.mock.faults", expected: "a list of faults like \(example)") else { return [] }
        let kinds = Profile.MockFault.Kind.allCases.map(\.rawValue).joined(separator: " | ")
        var faults: [Profile.MockFault] = []
        for (i, faultNode) in list.enumerated() {
            let path = "target.mock.faults[\(i)]"
            guard let fields = mapping(faultNode, path, known: ["kind", "rate", "after_tokens", "status", "duration"]) else {
                continue
            }
            guard let kindNode = fields["kind"] else {
                report(faultNode, path + ".kind", "missing required field; expected \(kinds)")
                continue
            }
            guard let text = scalarText(kindNode), let kind = Profile.MockFault.Kind(rawValue: text) else {
                report(kindNode, path + ".kind", "expected \(kinds), got \(describe(kindNode))")
                continue
            }
            var fault = Profile.MockFault(kind: kind)
            if let n = fields["rate"] {
                if let value = number(n), (0...1).contains(value) {
                    fault.rate = value
                } else {
                    report(n, path + ".rate", "expected the fraction of requests from 0 to 1 (0.05 = 5 %), got \(describe(n))")
                }
            }
            if let n = fields["after_tokens"] {
                if kind == .http {
                    report(n, path + ".after_tokens", "an http fault replaces the whole response; after_tokens applies "
                        + "to the stream faults (error_event, overloaded_event, disconnect, malformed, stall)")
                } else if let value = integer(n, path + ".after_tokens", minimum: 0) {
                    fault.afterTokens = value
                }
            }
            if let n = fields["status"] {
                if kind != .http {
                    report(n, path + ".status", "status applies only to kind: http")
                } else if let text = scalarText(n), let value = Int(text), (400...599).contains(value) {
                    fault.status = value
                } else {
                    report(n, path + ".status", "expected an HTTP error status from 400 to 599 (529: overloaded), got \(describe(n))")
                }
            } else if kind == .http {
                report(faultNode, path + ".status", "missing required field for kind: http; e.g. status: 529")
            }
            if let n = fields["duration"] {
                if kind != .stall {
                    report(n, path + ".duration", "duration applies only to kind: stall")
                } else if let nanos = duration(n, path + ".duration") {
                    fault.stallNanos = nanos
                }
            }
            faults.append(fault)
        }
        let total = faults.reduce(0) { $0 + $1.rate }
        if total > 1 + 1e-9 {
            report(node, "target.mock.faults", "the rates add up to \(total); a request gets at most one fault, "
                + "so they must add up to 1 or less")
        }
        return faults
    }
}
