import Foundation

/// Refuses the same run given twice to one report (`loadreport RUN RUN`, a run directory and its
/// events.ndjson, a symbolic link, a copy): merged, it would count every attempt twice.
public enum DistinctRuns {
    /// Bytes compared to tell a copy of a log from a shard with the same header.
    static let comparedBytes = 1 << 20

    /// - Parameters:
    ///   - paths: the events files, as given (after ``ReportInputs/eventsPath(for:)``).
    ///   - arguments: the arguments they came from, for the message (same order).
    /// - Throws: ``DuplicateRunError`` naming both arguments and why they are one run.
    public static func check(paths: [String], arguments: [String]) throws {
        var seen: [(argument: String, identity: FileIdentity)] = []
        for (path, argument) in zip(paths, arguments) {
            guard let identity = FileIdentity(path: path) else { continue }  // unreadable: the reader says so
            if let earlier = seen.first(where: { $0.identity.sameFile(as: identity) }) {
                throw DuplicateRunError(description: "\(earlier.argument) and \(argument) are the same run (one "
                    + "file: \(identity.canonicalPath)); give each run once")
            }
            if let earlier = seen.first(where: { $0.identity.sameContent(as: identity) }) {
                throw DuplicateRunError(description: "\(earlier.argument) and \(argument) are the same run (a copy: "
                    + "the same header and events); give each run once")
            }
            seen.append((argument, identity))
        }
    }

    /// What tells two event files apart.
    struct FileIdentity {
        var canonicalPath: String
        var device: UInt64
        var inode: UInt64
        var size: UInt64
        /// The first ``DistinctRuns/comparedBytes`` of the file.
        var head: Data

        init?(path: String) {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                let handle = FileHandle(forReadingAtPath: path)
            else { return nil }
            defer { try? handle.close() }
            canonicalPath = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
            device = (attributes[.systemNumber] as? NSNumber)?.uint64Value ?? 0
            inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
            size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
            head = (try? handle.read(upToCount: DistinctRuns.comparedBytes)) ?? Data()
        }

        func sameFile(as other: FileIdentity) -> Bool {
            canonicalPath == other.canonicalPath || (inode != 0 && device == other.device && inode == other.inode)
        }

        /// The same size and the same first megabyte (header and first events): a copy. Shards of
        /// one run share a header at most, never their events.
        func sameContent(as other: FileIdentity) -> Bool {
            size == other.size && !head.isEmpty && head == other.head
        }
    }
}

/// The same run was given twice.
public struct DuplicateRunError: Error, CustomStringConvertible {
    public let description: String
}
