import ArgumentParser
import LoadCore
import MockProvider

/// A `loadgen mock --fault` value: `KIND[,after=N][,rate=R][,status=S][,stall=DURATION]`, e.g.
/// `disconnect,after=3,rate=0.1`, `http,status=529,rate=0.05` or `stall,after=0,stall=5s`.
struct FaultArgument: ExpressibleByArgument {
    let fault: MockFault

    init?(argument: String) {
        let parts = argument.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first, let kind = MockFault.Kind(rawValue: first) else { return nil }
        var fault = MockFault(kind: kind)
        var sawStatus = false
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { return nil }
            switch pair[0] {
            case "after":
                guard kind != .http, let value = Int(pair[1]), value >= 0 else { return nil }
                fault.afterTokens = value
            case "rate":
                guard let value = Double(pair[1]), (0...1).contains(value) else { return nil }
                fault.rate = value
            case "status":
                guard kind == .http, let value = Int(pair[1]), (400...599).contains(value) else { return nil }
                fault.status = value
                sawStatus = true
            case "stall":
                guard kind == .stall, let nanos = DurationFormat.parseNanos(pair[1]), nanos > 0 else { return nil }
                fault.stallNanos = nanos
            default:
                return nil
            }
        }
        if kind == .http && !sawStatus { return nil }
        self.fault = fault
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
