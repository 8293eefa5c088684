import LoadCore
import LoadEngine
import MockProvider
import XCTest

/// Starts the mock provider on 127.0.0.1 (a free port) and runs engine plans against it.
final class MockHarness {
    let server: MockServer
    let port: Int

    /// - Parameter configure: adjusts the settings, which start from `MockConfig.immediate`.
    init(threads: Int = 0, _ configure: (inout Profile.MockSettings) -> Void) throws {
        var settings = MockConfig.immediate
        configure(&settings)
        server = MockServer(config: MockConfig(settings: settings, threads: threads))
        port = try server.start(host: "127.0.0.1", port: 0)
    }

    deinit {
        server.shutdown()
    }

    var chatURL: String { "http://127.0.0.1:\(port)/v1/chat/completions" }

    /// A chat-completions body as loadgen sends it.
    static func body(stream: Bool = true, maxTokens: Int? = nil) -> [UInt8] {
        var json = #"{"model":"mock-small","messages":[{"role":"user","content":"Say hello"}]"#
        json += stream ? #","stream":true,"stream_options":{"include_usage":true}"# : #","stream":false"#
        if let maxTokens { json += #","max_tokens":\#(maxTokens)"# }
        json += "}"
        return Array(json.utf8)
    }

    func template(stream: Bool = true, maxTokens: Int? = nil) -> RequestTemplate {
        RequestTemplate(
            url: chatURL,
            headers: ["Content-Type: application/json", "Accept: text/event-stream"],
            bodies: [Self.body(stream: stream, maxTokens: maxTokens)])
    }

    /// Runs a plan and returns every record plus the outcome.
    func run(_ plan: LoadPlan, template: RequestTemplate? = nil) throws -> (records: [AttemptRecord], outcome: RunOutcome) {
        let engine = try Engine(template: template ?? self.template(), plan: plan)
        var records: [AttemptRecord] = []
        engine.onAttempt = { records.append($0) }
        let outcome = try engine.run()
        return (records, outcome)
    }
}

/// Open-loop arrivals every `intervalNanos` from 0, for `LoadPlan.Mode.open`.
func constantArrivals(everyNanos intervalNanos: UInt64) -> () -> UInt64? {
    var next: UInt64 = 0
    return {
        defer { next += intervalNanos }
        return next
    }
}

/// The most attempts open at once, from the records' own start and end times (an end at the
/// same instant as a start counts first).
func peakConcurrency(_ records: [AttemptRecord]) -> Int {
    var events: [(UInt64, Int)] = records.flatMap { [($0.startNanos, 1), ($0.endNanos, -1)] }
    events.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
    var open = 0
    var peak = 0
    for (_, delta) in events {
        open += delta
        peak = max(peak, open)
    }
    return peak
}

/// The value at percentile `p` (0-100) of `values`, by sorting (nearest rank).
func exactPercentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
    return sorted[max(0, min(sorted.count - 1, rank - 1))]
}

extension AttemptRecord {
    var ttftMillis: Double? { firstTokenNanos.map { Double($0 - startNanos) / 1e6 } }
    var totalMillis: Double { Double(endNanos - startNanos) / 1e6 }
    var interTokenMillis: [Double] {
        zip(tokenOffsetsMicros.dropFirst(), tokenOffsetsMicros).map { Double($0 - $1) / 1e3 }
    }
}
