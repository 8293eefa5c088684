import ArgumentParser
import LoadCore

/// Parses a `loadgen mock --fault` value: `KIND[,after=N][,rate=R][,status=S][,stall=DURATION]`,
/// e.g. `disconnect,after=3,rate=0.1`, `http,status=529,rate=0.05` or `stall,after=0,stall=5s`.
enum FaultArgument {
    /// - Throws: `ValidationError` saying what is wrong with the value.
    static func parse(_ argument: String) throws -> Profile.MockFault {
        let parts = argument.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let kinds = Profile.MockFault.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        guard let first = parts.first, let kind = Profile.MockFault.Kind(rawValue: first) else {
            throw ValidationError("--fault \(argument): the kind comes first, one of \(kinds)")
        }
        var fault = Profile.MockFault(kind: kind)
        var sawStatus = false
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            func problem(_ message: String) -> ValidationError { ValidationError("--fault \(argument): \(message)") }
            guard pair.count == 2 else { throw problem("expected key=value after the kind, got \"\(part)\"") }
            switch pair[0] {
            case "after":
                guard kind != .http else { throw problem("after= applies to stream faults, not http") }
                guard let value = Int(pair[1]), value >= 0 else { throw problem("after= takes a number of tokens >= 0") }
                fault.afterTokens = value
            case "rate":
                guard let value = Double(pair[1]), (0...1).contains(value) else { throw problem("rate= takes a fraction from 0 to 1") }
                fault.rate = value
            case "status":
                guard kind == .http else { throw problem("status= applies to http faults only") }
                guard let value = Int(pair[1]), (400...599).contains(value) else { throw problem("status= takes an HTTP status from 400 to 599") }
                fault.status = value
                sawStatus = true
            case "stall":
                guard kind == .stall else { throw problem("stall= applies to stall faults only") }
                guard let nanos = DurationFormat.parseNanos(pair[1]), nanos > 0 else {
                    throw problem("stall= takes a duration like 5s or 500ms")
                }
                fault.stallNanos = nanos
            default:
                throw problem("unknown key \"\(pair[0])\"; keys are after, rate, status, stall")
            }
        }
        if kind == .http && !sawStatus { throw ValidationError("--fault \(argument): an http fault needs status=, e.g. http,status=529") }
        return fault
    }
}
