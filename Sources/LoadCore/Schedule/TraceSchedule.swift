import Foundation

/// Replays recorded arrival times: a trace file with one arrival per line, in seconds from the
/// start (`0`, `0.125`, `1.5`, ...). Blank lines and lines starting with `#` are skipped; anything
/// after the first comma or space on a line is ignored, so the first column of a CSV works too.
public struct TraceSchedule: ArrivalSchedule, Sendable {
    private let offsetsNanos: [UInt64]
    private var nextIndex = 0

    public init(offsetsNanos: [UInt64]) {
        self.offsetsNanos = offsetsNanos
    }

    public mutating func next() -> UInt64? {
        guard nextIndex < offsetsNanos.count else { return nil }
        defer { nextIndex += 1 }
        return offsetsNanos[nextIndex]
    }
}

/// Reads trace files for ``TraceSchedule``.
public enum TraceFile {
    /// A problem in a trace file, with its line.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var message: String

        public var description: String { "\(file):\(line): \(message)" }
    }

    /// Parses a trace's text into arrival offsets in nanoseconds, non-decreasing.
    /// - Throws: ``Problem`` for the first bad line (not a number of seconds, negative, earlier than
    ///   the line before), or when the file has no arrival at all.
    public static func parse(_ text: String, file: String) throws -> [UInt64] {
        var offsets: [UInt64] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if line.isEmpty || line.hasPrefix("#") { continue }
            let field = line.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
            guard let seconds = Double(field), seconds.isFinite, seconds >= 0, seconds < 1e9 else {
                throw Problem(file: file, line: index + 1,
                              message: "expected an arrival time in seconds from the start, like 0.25, got \"\(field)\"")
            }
            let nanos = UInt64((seconds * 1e9).rounded())
            if let last = offsets.last, nanos < last {
                throw Problem(file: file, line: index + 1,
                              message: "arrival times must not go backwards (\(field) s comes after \(Double(last) / 1e9) s)")
            }
            offsets.append(nanos)
        }
        guard !offsets.isEmpty else { throw Problem(file: file, line: 1, message: "the trace has no arrival times") }
        return offsets
    }
}
