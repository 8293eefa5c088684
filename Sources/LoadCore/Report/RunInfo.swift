import Foundation

/// One event log that went into a report: where it came from and what its header says.
public struct RunInfo: Sendable, Equatable, Codable {
    /// A short name: the run directory's name (or the file's, without a run directory).
    public var name: String
    /// The events file read.
    public var path: String
    public var profile: String
    /// Wall-clock start, ISO 8601 UTC.
    public var startedAt: String
    public var loadgenVersion: String
    public var provider: String?
    public var model: String?
    public var host: String?
    public var mode: String?
    /// The load the profile offered, from the header's stages: `20/s`, `5..50/s`, `16 users`,
    /// `10/s, 20/s` for stages (nil without stages).
    public var load: String?
    public var seed: UInt64
    /// Attempt lines read.
    public var attempts: Int
    /// True when the log had its end line (the run finished).
    public var complete: Bool
    /// `i/N` for a shard of a distributed run (`--shard`), nil otherwise.
    public var shard: String?

    public init(name: String, path: String, header: RunHeader) {
        self.name = name
        self.path = path
        profile = header.profile
        startedAt = RunHeader.formatDate(header.startedAt)
        loadgenVersion = header.loadgenVersion
        provider = header.provider
        model = header.model
        host = header.host
        mode = header.mode
        load = Self.load(header.stages)
        seed = header.seed
        attempts = 0
        complete = false
        shard = header.shard?.slice
    }

    /// The stages' labels (`rate 20/s`, `users 16`) as a load: `20/s`, `16 users`, joined by commas.
    static func load(_ stages: [RunHeader.Stage]) -> String? {
        let loads = stages.map { stage -> String in
            let label = stage.label
            if label.hasPrefix("rate ") { return String(label.dropFirst(5)) }
            if label.hasPrefix("users ") { return String(label.dropFirst(6)) + " users" }
            return label
        }
        var joined: [String] = []
        for load in loads where joined.last != load { joined.append(load) }
        return joined.isEmpty ? nil : joined.joined(separator: ", ")
    }

    /// `profile @ load` (`ramp @ 5..50/s`): how a comparison names the run, rather than by its
    /// time stamp.
    public var label: String {
        load.map { "\(profile) @ \($0)" } ?? profile
    }

    /// The short name of the run an events file belongs to: its directory's name for
    /// `<dir>/events.ndjson`, else the file name.
    public static func name(forEventsPath path: String) -> String {
        let url = URL(fileURLWithPath: path)
        if url.lastPathComponent == "events.ndjson" {
            let directory = url.deletingLastPathComponent().lastPathComponent
            if !directory.isEmpty, directory != "/", directory != "." { return directory }
        }
        return url.lastPathComponent
    }
}
