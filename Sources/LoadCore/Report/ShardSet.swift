import Foundation

/// Checks the shards given to one report (`loadreport SHARD...`) before they are merged: one run's
/// shards, each once, all of them. Runs that are not shards are not checked here (merging them is
/// the user's choice); a mix of shards and other runs is refused.
public enum ShardSet {
    /// One input: the argument as given and its log's header.
    public struct Input {
        public var argument: String
        public var header: RunHeader

        public init(argument: String, header: RunHeader) {
            self.argument = argument
            self.header = header
        }
    }

    /// - Parameters:
    ///   - inputs: the logs' headers, in argument order.
    ///   - allowPartial: go on when shards are missing (`--allow-partial`).
    /// - Returns: warnings for the report: with `allowPartial`, which shards are missing.
    /// - Throws: ``ShardSetError`` for shards of different profiles, sizes or starts, a shard
    ///   given twice, a missing shard (without `allowPartial`), or shards mixed with other runs.
    public static func check(_ inputs: [Input], allowPartial: Bool) throws -> [String] {
        let shards = inputs.filter { $0.header.shard != nil }
        guard let first = shards.first, let stamp = first.header.shard else { return [] }
        if let other = inputs.first(where: { $0.header.shard == nil }) {
            throw ShardSetError(description: "\(first.argument) is shard \(stamp.slice) of a distributed run and "
                + "\(other.argument) is not a shard: merge the shards of one run only (or use --compare)")
        }
        var seen: [Int: String] = [:]
        for shard in shards {
            let other = shard.header.shard!
            if other.count != stamp.count {
                throw ShardSetError(description: "\(first.argument) is shard \(stamp.slice) and \(shard.argument) is "
                    + "shard \(other.slice): they are shards of different runs (\(stamp.count) and \(other.count) shards)")
            }
            if shard.header.profileHash != first.header.profileHash {
                throw ShardSetError(description: "\(first.argument) and \(shard.argument) ran different profiles "
                    + "(profile hash \(first.header.profileHash ?? "none") and \(shard.header.profileHash ?? "none")): "
                    + "merge the shards of one run only")
            }
            if other.startAt != stamp.startAt {
                throw ShardSetError(description: "\(first.argument) and \(shard.argument) had different start times "
                    + "(\(stamp.startAt.map(ShardStamp.format) ?? "none") and \(other.startAt.map(ShardStamp.format) ?? "none")): "
                    + "they are shards of different runs")
            }
            if let earlier = seen[other.index] {
                throw ShardSetError(description: "\(earlier) and \(shard.argument) are both shard \(other.slice): "
                    + "give each shard once")
            }
            seen[other.index] = shard.argument
        }
        let missing = (0..<stamp.count).filter { seen[$0] == nil }
        guard !missing.isEmpty else { return [] }
        let names = missing.prefix(10).map { "\($0)/\(stamp.count)" }.joined(separator: ", ")
            + (missing.count > 10 ? " and \(missing.count - 10) more" : "")
        if allowPartial {
            return ["partial run: \(seen.count) of \(stamp.count) shards (missing \(names)); counts, rates and "
                + "percentiles cover only the shards given"]
        }
        throw ShardSetError(description: "\(missing.count == 1 ? "shard" : "shards") \(names) of the run "
            + "\(missing.count == 1 ? "is" : "are") missing (\(seen.count) of \(stamp.count) given): give every shard's "
            + "run directory, or --allow-partial to report on the shards given")
    }
}

/// The shards given cannot be merged as one run.
public struct ShardSetError: Error, CustomStringConvertible {
    public let description: String
}
