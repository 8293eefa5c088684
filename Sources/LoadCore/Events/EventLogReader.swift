import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an event log line by line, streaming: memory stays bounded by the longest line, not the
/// file. The header is read on open; ``next()`` returns the following events.
///
/// Lines are decoded in place by ``EventLineScanner`` (no JSON tree, no copy); a line it does not
/// handle goes through `JSONParser` (the general decoder), which decodes it the same way or names
/// what is wrong.
/// A torn last line (a run killed mid-write) is skipped and noted in ``warnings``, as are fields and
/// line types this build does not know; a malformed line anywhere else is an error. Logs with a
/// schema major version above ``RunHeader/currentSchema`` are refused.
public final class EventLogReader {
    /// The file being read.
    public let path: String
    /// The run header (line 1).
    public private(set) var header: RunHeader
    /// Problems tolerated while reading: a torn last line, a missing end line, unknown fields or
    /// line types. Complete once ``next()`` has returned nil.
    public private(set) var warnings: [String] = []
    /// Lines that needed the general decoder (the fast path declined them).
    public private(set) var generalDecoderLines = 0

    private var fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var atEOF = false
    private var lineNumber = 0
    private var sawEnd = false
    private var finished = false
    /// Unknown field names (as `type.field`) with the first line they appeared on, in order of appearance.
    private var unknownFields: [(name: String, line: Int)] = []
    private var unknownFieldNames: Set<String> = []
    /// Unknown line types with how many lines had them and the first line.
    private var unknownTypes: [(type: String, count: Int, line: Int)] = []
    private static let chunkBytes = 1 << 20

    /// Opens the log and reads its header.
    /// - Throws: ``EventLogError`` when the file cannot be opened, is not an event log, or has a
    ///   newer schema.
    public init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw EventLogError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        header = RunHeader(profile: "", startedAt: Date(timeIntervalSince1970: 0), loadgenVersion: "", seed: 0,
                           command: [])
        guard let (range, _) = try nextLineRange() else {
            throw EventLogError.notAnEventLog(path: path, reason: "the file is empty")
        }
        guard let object = try? Self.parseObject(Array(buffer[range])), object["type"]?.stringValue == "run" else {
            throw EventLogError.notAnEventLog(path: path, reason: "line 1 is not a {\"type\":\"run\"} header")
        }
        header = try Self.decodeHeader(object, path: path)
        noteUnknownFields(of: object, known: Self.headerKeys, type: "run")
    }

    deinit {
        if fd >= 0 { _ = closeDescriptor(fd) }
    }

    /// The next event, or nil at the end of the file.
    /// - Throws: ``EventLogError`` on a read error or a malformed line that is not the last.
    public func next() throws -> EventLogEntry? {
        while let (range, terminated) = try nextLineRange() {
            enum Decoded {
                case entry(EventLogEntry)
                case general([UInt8])
            }
            let decoded = buffer.withUnsafeBufferPointer { all -> Decoded in
                let line = UnsafeBufferPointer(rebasing: all[range])
                if let entry = EventLineScanner.decode(line) { return .entry(entry) }
                return .general(Array(line))
            }
            let entry: EventLogEntry
            switch decoded {
            case .entry(let fast):
                entry = fast
            case .general(let bytes):
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                generalDecoderLines += 1
                do {
                    entry = try decodeEntry(try Self.parseObject(bytes))
                } catch let problem as EventDecodingProblem {
                    if !terminated {
                        warnings.append("\(path):\(lineNumber): skipped a torn last line (\(bytes.count) bytes); "
                            + "the run was probably interrupted")
                        finish()
                        return nil
                    }
                    throw EventLogError.malformedLine(path: path, line: lineNumber, reason: problem.reason)
                }
            }
            switch entry {
            case .end: sawEnd = true
            case .other(let type): noteUnknownType(type)
            default: break
            }
            return entry
        }
        finish()
        return nil
    }

    /// Adds the warnings that need the whole file: a missing end line (a run that did not finish;
    /// its attempts are valid), unknown fields and line types.
    private func finish() {
        guard !finished else { return }
        finished = true
        if !sawEnd {
            warnings.append("\(path): no end line; the run did not finish, the attempts logged so far are used")
        }
        if !unknownFields.isEmpty {
            let list = unknownFields.map { "\($0.name) (first on line \($0.line))" }.joined(separator: ", ")
            warnings.append("\(path): ignored fields this build does not know: \(list); a newer loadgen may have "
                + "written them, a newer loadreport may read them")
        }
        for unknown in unknownTypes {
            warnings.append("\(path): skipped \(unknown.count) line(s) of type \"\(unknown.type)\" that this build "
                + "does not know (first on line \(unknown.line))")
        }
    }

    /// Feeds every attempt to `recorder`.
    /// - Returns: the number of attempts read.
    @discardableResult
    public func readAll(into recorder: RunRecorder) throws -> Int {
        var count = 0
        while let entry = try next() {
            if case .attempt(let attempt) = entry {
                recorder.record(attempt)
                count += 1
            }
        }
        return count
    }

    // MARK: - Lines

    /// The next line's byte range in `buffer` (without its newline; valid until the next call), and
    /// whether a newline terminated it.
    private func nextLineRange() throws -> (Range<Int>, Bool)? {
        while true {
            let count = buffer.count
            if scanned < count {
                let from = scanned
                let newline: Int? = buffer.withUnsafeBufferPointer { all in
                    guard let base = all.baseAddress, let hit = memchr(base + from, 0x0A, count - from) else {
                        return nil
                    }
                    return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                }
                if let newline {
                    let range = start..<newline
                    start = newline + 1
                    scanned = start
                    lineNumber += 1
                    return (range, true)
                }
                scanned = count
            }
            if atEOF {
                guard start < count else { return nil }
                let range = start..<count
                start = count
                scanned = count
                lineNumber += 1
                return (range, false)
            }
            try fill()
        }
    }

    private func fill() throws {
        if start > 0 {
            buffer.removeFirst(start)
            scanned -= start
            start = 0
        }
        let oldCount = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: Self.chunkBytes))
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in
                read(fd, raw.baseAddress! + oldCount, Self.chunkBytes)
            }
            if count < 0 {
                if errno == EINTR { continue }
                buffer.removeLast(Self.chunkBytes)
                throw EventLogError.io(path: path, reason: "read failed: \(String(cString: strerror(errno)))")
            }
            buffer.removeLast(Self.chunkBytes - count)
            if count == 0 { atEOF = true }
            return
        }
    }

    // MARK: - Unknown fields and types

    private static let headerKeys: Set<String> = [
        "type", "schema", "profile", "started_at", "loadgen_version", "curl_version", "uv_version", "seed", "command",
        "mode", "provider", "model", "host", "stages", "prompt_sets", "profile_hash", "shard",
    ]
    private static let droppedKeys: Set<String> = ["type", "intended_us", "count", "last_intended_us"]
    private static let endKeys: Set<String> = ["type", "attempts", "successes", "dropped", "end_us", "client"]

    private func noteUnknownFields(of object: JSONValue, known: Set<String>, type: String) {
        let keys = Set((object.objectMembers ?? []).map(\.key))
        for key in keys.sorted() where !known.contains(key) {
            let name = "\(type).\(key)"
            if unknownFieldNames.insert(name).inserted { unknownFields.append((name, max(lineNumber, 1))) }
        }
    }

    private func noteUnknownType(_ type: String) {
        if let index = unknownTypes.firstIndex(where: { $0.type == type }) {
            unknownTypes[index].count += 1
        } else {
            unknownTypes.append((type, 1, lineNumber))
        }
    }

    // MARK: - Decoding

    /// The line as a JSON object. - Throws: ``EventDecodingProblem`` saying what is wrong.
    private static func parseObject(_ bytes: [UInt8]) throws -> JSONValue {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw EventDecodingProblem(error.description)
        }
        guard value.isObject else { throw EventDecodingProblem("not a JSON object") }
        return value
    }

    /// A microsecond value as nanoseconds; nil when absent, negative, or too large for the clock.
    static func nanos(_ value: JSONValue?) -> UInt64? {
        guard let number = value?.doubleValue else { return nil }
        let nanos = (number * 1000).rounded()
        guard nanos >= 0, nanos < 1.8e19 else { return nil }
        return UInt64(nanos)
    }

    private func decodeEntry(_ object: JSONValue) throws -> EventLogEntry {
        guard let type = object["type"]?.stringValue else { throw EventDecodingProblem("missing \"type\"") }
        switch type {
        case "attempt":
            let attempt = try AttemptRecord(eventObject: object)
            noteUnknownFields(of: object, known: AttemptRecord.eventLogKeys, type: type)
            return .attempt(attempt)
        case "end":
            noteUnknownFields(of: object, known: Self.endKeys, type: type)
            var end = RunEnd(attempts: object["attempts"]?.intValue ?? 0,
                             successes: object["successes"]?.intValue ?? 0,
                             endNanos: Self.nanos(object["end_us"]),
                             dropped: object["dropped"]?.intValue ?? 0)
            if let client = object["client"], !client.isNull {
                guard client.isObject else { throw EventDecodingProblem("client must be an object") }
                end.client = try ClientCheck(eventObject: client)
            }
            return .end(end)
        case "dropped":
            guard let intended = Self.nanos(object["intended_us"]) else {
                throw EventDecodingProblem("dropped: missing or bad intended_us")
            }
            noteUnknownFields(of: object, known: Self.droppedKeys, type: type)
            guard let countValue = object["count"], !countValue.isNull else { return .dropped(intendedNanos: intended) }
            guard let count = countValue.intValue, count >= 1 else {
                throw EventDecodingProblem("dropped: count must be a positive integer")
            }
            guard let last = Self.nanos(object["last_intended_us"]), last >= intended else {
                throw EventDecodingProblem("dropped: missing or bad last_intended_us (at or after intended_us)")
            }
            return .droppedArrivals(DroppedArrivals(count: count, firstIntendedNanos: intended, lastIntendedNanos: last))
        default:
            return .other(type: type)
        }
    }
}

/// POSIX `close`, kept outside the class for symmetry with the writer.
private func closeDescriptor(_ fd: Int32) -> Int32 {
    close(fd)
}
