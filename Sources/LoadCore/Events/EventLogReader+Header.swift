import Foundation

extension EventLogReader {
    /// Line 1: the run header. - Throws: ``EventLogError`` when it has no schema or a newer one.
    static func decodeHeader(_ object: JSONValue, path: String) throws -> RunHeader {
        guard let schemaNumber = object["schema"]?.doubleValue else {
            throw EventLogError.notAnEventLog(path: path, reason: "the run header has no schema version")
        }
        let schema = Int(exactly: schemaNumber.rounded(.down)) ?? (schemaNumber > 0 ? Int.max : Int.min)
        guard schema <= RunHeader.currentSchema else {
            throw EventLogError.unsupportedSchema(path: path, schema: schema)
        }
        var header = RunHeader(
            profile: object["profile"]?.stringValue ?? "",
            startedAt: object["started_at"]?.stringValue.flatMap(RunHeader.parseDate) ?? Date(timeIntervalSince1970: 0),
            loadgenVersion: object["loadgen_version"]?.stringValue ?? "",
            curlVersion: object["curl_version"]?.stringValue,
            uvVersion: object["uv_version"]?.stringValue,
            seed: object["seed"]?.uint64Value ?? 0,
            command: object["command"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            mode: object["mode"]?.stringValue)
        header.schema = schema
        header.provider = object["provider"]?.stringValue
        header.model = object["model"]?.stringValue
        header.host = object["host"]?.stringValue
        header.profileHash = object["profile_hash"]?.stringValue
        if let shard = object["shard"], let index = shard["index"]?.intValue, let count = shard["count"]?.intValue {
            header.shard = ShardStamp(
                index: index, count: count, startAt: shard["start_at"]?.stringValue.flatMap(RunHeader.parseDate),
                startLagNanos: Self.nanos(shard["start_lag_us"]) ?? 0)
        }
        if let sets = object["prompt_sets"]?.arrayValue {
            header.promptSets = sets.compactMap { set in
                guard let name = set["name"]?.stringValue, let first = set["first"]?.intValue,
                      let count = set["count"]?.intValue, first >= 0, count >= 0 else { return nil }
                return RunHeader.PromptSetRange(name: name, first: first, count: count)
            }
        }
        if let stages = object["stages"]?.arrayValue {
            header.stages = stages.compactMap { stage in
                guard let start = Self.nanos(stage["start_us"]) else { return nil }
                return RunHeader.Stage(
                    startNanos: start, durationNanos: Self.nanos(stage["duration_us"]),
                    label: stage["label"]?.stringValue ?? "")
            }
        }
        return header
    }
}
