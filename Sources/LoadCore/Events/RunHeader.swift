import Foundation

/// The first line of an event log: `{"type":"run","schema":1,...}`. Describes the run that wrote it.
public struct RunHeader: Sendable, Equatable {
    /// The event-log schema this build writes. Readers refuse a larger major version.
    public static let currentSchema = 1

    /// Schema version of the log (``currentSchema`` when writing).
    public var schema: Int = RunHeader.currentSchema
    /// The profile's name.
    public var profile: String
    /// Wall-clock time of the run origin (whole seconds in the log, ISO 8601 UTC).
    public var startedAt: Date
    /// Version of loadgen that wrote the log.
    public var loadgenVersion: String
    /// libcurl version string, if known.
    public var curlVersion: String?
    /// libuv version string, if known.
    public var uvVersion: String?
    /// The profile's seed.
    public var seed: UInt64
    /// The command line, one element per argument.
    public var command: [String]
    /// `open` or `closed`, when known.
    public var mode: String?

    /// The target's provider (`openai`, `anthropic`, `groq`, `openai-compatible`, `mock`), when known.
    public var provider: String?
    /// The model under test, when known.
    public var model: String?
    /// The machine that ran the load (its host name).
    public var host: String?
    /// The profile's stages on the run's clock, for grouping attempts by stage.
    public var stages: [Stage] = []
    /// The prompt sets, in order: attempts' `prompt` indices `first ..< first + count` belong to a set.
    public var promptSets: [PromptSetRange] = []
    /// The resolved profile's hash (``ProfileHash``), when known (logs of earlier builds have none).
    public var profileHash: String?
    /// The shard this run is of a distributed run (`--shard`); nil for a run of its own.
    public var shard: ShardStamp?

    /// Where one prompt set's prompts sit in the run's prompt list.
    public struct PromptSetRange: Sendable, Equatable {
        public var name: String
        public var first: Int
        public var count: Int

        public init(name: String, first: Int, count: Int) {
            self.name = name
            self.first = first
            self.count = count
        }
    }

    /// One load stage: where it starts and how long it lasts, nanoseconds since the origin.
    public struct Stage: Sendable, Equatable {
        public var startNanos: UInt64
        /// Nil for a last stage that lasts until the run ends (closed loop ending on a request count).
        public var durationNanos: UInt64?
        /// What the stage does, e.g. `rate 5..50` or `users 64`.
        public var label: String

        public init(startNanos: UInt64, durationNanos: UInt64?, label: String) {
            self.startNanos = startNanos
            self.durationNanos = durationNanos
            self.label = label
        }
    }

    public init(profile: String, startedAt: Date, loadgenVersion: String, curlVersion: String? = nil,
                uvVersion: String? = nil, seed: UInt64, command: [String], mode: String? = nil) {
        self.profile = profile
        self.startedAt = startedAt
        self.loadgenVersion = loadgenVersion
        self.curlVersion = curlVersion
        self.uvVersion = uvVersion
        self.seed = seed
        self.command = command
        self.mode = mode
    }

    static func formatDate(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func parseDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
