import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an event log line by line, streaming: memory stays bounded by the longest line, not the
/// file. The header is read on open; ``next()`` returns the following events.
///
/// A torn last line (a run killed mid-write) is skipped and noted in ``warnings``; a malformed line
/// anywhere else is an error. Logs with a schema major version above ``RunHeader/currentSchema``
/// are refused.
public final class EventLogReader {
    /// The file being read.
    public let path: String
    /// The run header (line 1).
    public private(set) var header: RunHeader
    /// Problems tolerated while reading, e.g. a torn last line.
    public private(set) var warnings: [String] = []

    private var fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var atEOF = false
    private var lineNumber = 0
    private var sawEnd = false
    private var finished = false
    private static let chunkBytes = 256 * 1024

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
        guard let (first, _) = try readLine() else {
            throw EventLogError.notAnEventLog(path: path, reason: "the file is empty")
        }
        guard let object = Self.parseObject(first), object["type"] as? String == "run" else {
            throw EventLogError.notAnEventLog(path: path, reason: "line 1 is not a {\"type\":\"run\"} header")
        }
        header = try Self.decodeHeader(object, path: path)
    }

    deinit {
        if fd >= 0 { _ = closeDescriptor(fd) }
    }

    /// The next event, or nil at the end of the file.
    /// - Throws: ``EventLogError`` on a read error or a malformed line that is not the last.
    public func next() throws -> EventLogEntry? {
        while let (bytes, terminated) = try readLine() {
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            do {
                guard let object = Self.parseObject(bytes) else { throw EventDecodingProblem("not a JSON object") }
                let entry = try Self.decodeEntry(object)
                if case .end = entry { sawEnd = true }
                return entry
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
        finish()
        return nil
    }

    /// Notes, once, a log without its end line (a run that did not finish; its attempts are valid).
    private func finish() {
        guard !finished else { return }
        finished = true
        if !sawEnd {
            warnings.append("\(path): no end line; the run did not finish, the attempts logged so far are used")
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

    /// The next line without its newline, and whether a newline terminated it.
    private func readLine() throws -> ([UInt8], Bool)? {
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                scanned = start
                lineNumber += 1
                return (line, true)
            }
            scanned = buffer.count
            if atEOF {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                scanned = start
                lineNumber += 1
                return (line, false)
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

    // MARK: - Decoding

    private static func parseObject(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }

    private static func decodeHeader(_ object: [String: Any], path: String) throws -> RunHeader {
        guard let schemaNumber = object["schema"] as? NSNumber else {
            throw EventLogError.notAnEventLog(path: path, reason: "the run header has no schema version")
        }
        let schema = Int(schemaNumber.doubleValue.rounded(.down))
        guard schema <= RunHeader.currentSchema else {
            throw EventLogError.unsupportedSchema(path: path, schema: schema)
        }
        var header = RunHeader(
            profile: object["profile"] as? String ?? "",
            startedAt: (object["started_at"] as? String).flatMap(RunHeader.parseDate) ?? Date(timeIntervalSince1970: 0),
            loadgenVersion: object["loadgen_version"] as? String ?? "",
            curlVersion: object["curl_version"] as? String,
            uvVersion: object["uv_version"] as? String,
            seed: (object["seed"] as? NSNumber)?.uint64Value ?? 0,
            command: object["command"] as? [String] ?? [],
            mode: object["mode"] as? String)
        header.schema = schema
        header.provider = object["provider"] as? String
        header.model = object["model"] as? String
        header.host = object["host"] as? String
        if let stages = object["stages"] as? [[String: Any]] {
            header.stages = stages.compactMap { stage in
                guard let start = Self.nanos(stage["start_us"]) else { return nil }
                return RunHeader.Stage(
                    startNanos: start, durationNanos: Self.nanos(stage["duration_us"]),
                    label: stage["label"] as? String ?? "")
            }
        }
        return header
    }

    /// A microsecond value as nanoseconds; nil when absent, negative, or too large for the clock.
    private static func nanos(_ value: Any?) -> UInt64? {
        guard let number = value as? NSNumber else { return nil }
        let nanos = (number.doubleValue * 1000).rounded()
        guard nanos >= 0, nanos < 1.8e19 else { return nil }
        return UInt64(nanos)
    }

    private static func decodeEntry(_ object: [String: Any]) throws -> EventLogEntry {
        guard let type = object["type"] as? String else { throw EventDecodingProblem("missing \"type\"") }
        switch type {
        case "attempt":
            return .attempt(try AttemptRecord(eventObject: object))
        case "end":
            let endNanos = nanos(object["end_us"])
            return .end(RunEnd(attempts: (object["attempts"] as? NSNumber)?.intValue ?? 0,
                               successes: (object["successes"] as? NSNumber)?.intValue ?? 0, endNanos: endNanos))
        case "dropped":
            guard let intended = nanos(object["intended_us"]) else {
                throw EventDecodingProblem("dropped: missing or bad intended_us")
            }
            return .dropped(intendedNanos: intended)
        default:
            return .other(type: type)
        }
    }
}

/// POSIX `close`, kept outside the class for symmetry with the writer.
private func closeDescriptor(_ fd: Int32) -> Int32 {
    close(fd)
}
