import Foundation
import LoadCore

/// The inputs loadgen reads from outside, each as a function of arbitrary bytes: what libFuzzer
/// (`scripts/fuzz.sh`) and the seeded mutation test (`Tests/FuzzTests`) run.
///
/// A target must never crash or hang, whatever the bytes. It returns nil, or a description of a
/// broken property (the input it checks against itself, e.g. the same events whatever the
/// chunking): libFuzzer's entry turns that into a crash so the input is kept.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `SSEDecoder`: the same events whether the bytes come at once or in three chunks.
    case sse
    /// The OpenAI stream parser behind the SSE decoder, and the non-streamed body parser.
    case openai
    /// The Anthropic stream parser behind the SSE decoder, and the non-streamed body parser.
    case anthropic
    /// `Profile.parse` on the bytes as YAML.
    case profile
    /// `EventLogReader` on the bytes as an event log file.
    case eventlog

    /// Runs the target on one input.
    /// - Returns: nil, or what property the input broke.
    public func run(_ bytes: [UInt8]) -> String? {
        switch self {
        case .sse: return Self.sse(bytes)
        case .openai: return Self.stream(bytes, dialect: .openAI)
        case .anthropic: return Self.stream(bytes, dialect: .anthropic)
        case .profile: return Self.profile(bytes)
        case .eventlog: return Self.eventLog(bytes)
        }
    }

    // MARK: - Targets

    /// Cut points for chunked feeding, taken from the input's first bytes so the fuzzer steers them.
    static func cuts(_ bytes: [UInt8]) -> (Int, Int) {
        guard bytes.count > 2 else { return (0, 0) }
        let first = Int(bytes[0]) % bytes.count
        let second = first + Int(bytes[1]) % (bytes.count - first)
        return (first, second)
    }

    /// The events an `SSEDecoder` makes of `chunks` fed in order, and whether `finish` dropped a partial event.
    public static func events(_ chunks: [ArraySlice<UInt8>]) -> (events: [SSEEvent], dropped: Bool) {
        var decoder = SSEDecoder(initialCapacity: 16)
        var events: [SSEEvent] = []
        for chunk in chunks {
            decoder.feed(chunk) { events.append($0) }
        }
        return (events, decoder.finish())
    }

    private static func sse(_ bytes: [UInt8]) -> String? {
        let whole = events([bytes[...]])
        let (a, b) = cuts(bytes)
        let chunked = events([bytes[..<a], bytes[a..<b], bytes[b...]])
        guard whole.events == chunked.events, whole.dropped == chunked.dropped else {
            return "SSEDecoder: \(whole.events.count) events at once, \(chunked.events.count) in chunks cut at \(a) and \(b)"
        }
        // Byte by byte, the slowest feeding, must agree too.
        let single = events(bytes.indices.map { bytes[$0...$0] })
        guard whole.events == single.events, whole.dropped == single.dropped else {
            return "SSEDecoder: \(whole.events.count) events at once, \(single.events.count) byte by byte"
        }
        return nil
    }

    private static func stream(_ bytes: [UInt8], dialect: APIDialect) -> String? {
        var parser = ProviderStreamParser(dialect: dialect)
        var tokens = 0
        for event in events([bytes[...]]).events {
            let update = parser.parse(event)
            guard update.tokens >= 0 else { return "\(dialect): a negative token count" }
            tokens += update.tokens
        }
        parser.reset()
        _ = ProviderStreamParser.parseBody(bytes, dialect: dialect)
        return nil
    }

    private static func profile(_ bytes: [UInt8]) -> String? {
        // Errors are the expected answer to most inputs; only a crash or a hang is a finding.
        _ = try? Profile.parse(yaml: String(decoding: bytes, as: UTF8.self), file: "fuzz.yaml")
        return nil
    }

    private static func eventLog(_ bytes: [UInt8]) -> String? {
        let path = Self.scratchFile
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            return "could not write the scratch file \(path)"
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let reader = try? EventLogReader(path: path) else { return nil }
        var entries = 0
        do {
            while try reader.next() != nil {
                entries += 1
                guard entries <= bytes.count else { return "EventLogReader: more entries than bytes" }
            }
        } catch {
            // A malformed line is refused with a message: the expected answer.
        }
        return nil
    }

    /// A file of this process's own in the temporary directory.
    private static let scratchFile: String = {
        let directory = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        return "\(directory)/loadgen-fuzz-\(getpid()).ndjson"
    }()
}
