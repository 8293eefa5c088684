import Foundation

/// Traces that carry token lengths with each arrival, as public LLM serving traces do:
///
/// - CSV with a header row (Azure LLM inference traces: `TIMESTAMP,ContextTokens,GeneratedTokens`):
///   the time column is one of ``timeColumns`` (seconds, or a date-time `2023-11-16 18:15:46.68`),
///   the lengths are in one of ``inputColumns`` and ``outputColumns`` (names ignore case).
/// - JSON lines (Mooncake traces: `{"timestamp": 27482, "input_length": 6955, "output_length": 52}`):
///   `timestamp` in milliseconds, lengths in the same fields as the CSV's.
///
/// Times are taken relative to the first row. A file of bare numbers (seconds from the start, one
/// per line) is read by ``TraceFile/parse(_:file:)`` as before and has no lengths.
extension TraceFile {
    /// One arrival's token lengths: its prompt's input and its `max_tokens`.
    public struct Lengths: Sendable, Equatable {
        public var inputTokens: Int
        public var outputTokens: Int

        public init(inputTokens: Int, outputTokens: Int) {
            self.inputTokens = inputTokens
            self.outputTokens = outputTokens
        }
    }

    /// A parsed trace: arrival offsets (non-decreasing nanoseconds) and, when the file has them,
    /// the token lengths of each arrival (same count).
    public struct Trace: Sendable, Equatable {
        public var offsetsNanos: [UInt64]
        public var lengths: [Lengths]?
    }

    /// At most this many input tokens in all (about 200 MB of prompt text held in memory).
    public static let maxTotalInputTokens = 50_000_000.0

    public static let timeColumns = ["timestamp", "time", "arrival", "arrival_s", "time_s"]
    public static let inputColumns = ["contexttokens", "input_tokens", "input_length", "prompt_tokens"]
    public static let outputColumns = ["generatedtokens", "output_tokens", "output_length", "completion_tokens"]

    /// Parses a trace in any of the supported formats.
    /// - Throws: ``Problem`` for the first bad line.
    public static func parseTrace(_ text: String, file: String) throws -> Trace {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
        }
        guard let first = lines.firstIndex(where: { !$0.isEmpty && !$0.hasPrefix("#") }) else {
            throw Problem(file: file, line: 1, message: "the trace has no arrival times")
        }
        if lines[first].hasPrefix("{") { return try parseJSONLines(lines, file: file) }
        if lines[first].contains(where: { $0.isLetter }) { return try parseCSV(lines, header: first, file: file) }
        return Trace(offsetsNanos: try parse(text, file: file), lengths: nil)
    }

    private static func parseCSV(_ lines: [String], header: Int, file: String) throws -> Trace {
        let names = lines[header].split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard let time = names.firstIndex(where: { timeColumns.contains($0) }) else {
            throw Problem(file: file, line: header + 1, message: "the header has no time column; expected one of "
                + timeColumns.joined(separator: ", "))
        }
        let input = names.firstIndex { inputColumns.contains($0) }
        let output = names.firstIndex { outputColumns.contains($0) }
        if (input == nil) != (output == nil) {
            throw Problem(file: file, line: header + 1, message: "the header has \(input == nil ? "an output" : "an input") "
                + "length column but no \(input == nil ? "input" : "output") one; expected one of "
                + (input == nil ? inputColumns : outputColumns).joined(separator: ", "))
        }
        var builder = Builder(file: file)
        for index in (header + 1)..<lines.count where !lines[index].isEmpty && !lines[index].hasPrefix("#") {
            let cells = lines[index].split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            let width = max(time, input ?? 0, output ?? 0)
            guard cells.count > width else {
                throw Problem(file: file, line: index + 1, message: "expected \(names.count) columns, got \(cells.count)")
            }
            guard let seconds = Double(cells[time]).flatMap({ $0.isFinite ? $0 : nil }) ?? dateTimeSeconds(cells[time]) else {
                throw Problem(file: file, line: index + 1, message: "expected a time in seconds or a date-time like "
                    + "2023-11-16 18:15:46.68 in column \(names[time]), got \"\(cells[time])\"")
            }
            var lengths: Lengths?
            if let input, let output {
                lengths = Lengths(inputTokens: try tokens(cells[input], names[input], line: index + 1, file: file),
                                  outputTokens: try tokens(cells[output], names[output], line: index + 1, file: file))
            }
            try builder.add(seconds: seconds, lengths: lengths, line: index + 1)
        }
        return try builder.trace()
    }

    private static func parseJSONLines(_ lines: [String], file: String) throws -> Trace {
        var builder = Builder(file: file)
        for (index, line) in lines.enumerated() where !line.isEmpty && !line.hasPrefix("#") {
            guard let object = try? JSONParser.parse(Array(line.utf8)), object.isObject else {
                throw Problem(file: file, line: index + 1, message: "expected one JSON object per line")
            }
            guard let millis = object["timestamp"]?.doubleValue, millis.isFinite else {
                throw Problem(file: file, line: index + 1, message: "expected \"timestamp\" in milliseconds (as in Mooncake traces)")
            }
            var lengths: Lengths?
            let inputKey = inputColumns.first { object[$0] != nil }
            let outputKey = outputColumns.first { object[$0] != nil }
            if let inputKey, let outputKey {
                lengths = Lengths(inputTokens: try tokens(Self.cellText(object[inputKey]!), inputKey, line: index + 1, file: file),
                                  outputTokens: try tokens(Self.cellText(object[outputKey]!), outputKey, line: index + 1, file: file))
            } else if inputKey != nil || outputKey != nil {
                throw Problem(file: file, line: index + 1, message: "expected both an input length ("
                    + inputColumns.joined(separator: ", ") + ") and an output length (" + outputColumns.joined(separator: ", ") + ")")
            }
            try builder.add(seconds: millis / 1000, lengths: lengths, line: index + 1)
        }
        return try builder.trace()
    }

    /// A JSON value as the text a CSV cell would hold: integers without a fraction, strings as they are.
    private static func cellText(_ value: JSONValue) -> String {
        switch value {
        case .int(let number): return String(number)
        case .uint(let number): return String(number)
        case .double(let number):
            return number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .string(let text): return text
        case .bool(let flag): return String(flag)
        case .null: return "null"
        case .array, .object: return "(a JSON \(value.isObject ? "object" : "list"))"
        }
    }

    private static func tokens(_ text: String, _ column: String, line: Int, file: String) throws -> Int {
        guard let value = Int(text), value >= 1, value <= 10_000_000 else {
            throw Problem(file: file, line: line, message: "expected a positive whole number of tokens in \(column), got \"\(text)\"")
        }
        return value
    }

    /// `YYYY-MM-DD HH:MM:SS[.fraction]` (or with `T`), read as UTC, in seconds since 1970.
    static func dateTimeSeconds(_ text: String) -> Double? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-").compactMap { Int($0) }
        let time = parts[1].split(separator: ":")
        guard date.count == 3, time.count == 3, let hour = Int(time[0]), let minute = Int(time[1]),
              let second = Double(time[2].hasSuffix("Z") ? time[2].dropLast() : time[2]) else { return nil }
        // Days from 1970-01-01 to the date (Howard Hinnant's days_from_civil).
        let (y, m, d) = (date[1] <= 2 ? date[0] - 1 : date[0], date[1], date[2])
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Double(days * 86_400 + hour * 3_600 + minute * 60) + second
    }

    /// Collects rows, times relative to the first, checking that they do not go backwards.
    private struct Builder {
        let file: String
        var start: Double?
        var offsets: [UInt64] = []
        var lengths: [Lengths] = []
        var withLengths: Bool?

        init(file: String) {
            self.file = file
        }

        mutating func add(seconds: Double, lengths row: Lengths?, line: Int) throws {
            let origin = start ?? seconds
            start = origin
            let relative = seconds - origin
            guard relative >= 0, relative < 1e9 else {
                throw Problem(file: file, line: line, message: "arrival times must not go backwards "
                    + "(\(relative) s after the first row)")
            }
            // Whole microseconds: date-times since 1970 carry about 0.2 µs of floating-point noise.
            let nanos = UInt64((relative * 1e6).rounded()) * 1_000
            if let last = offsets.last, nanos < last {
                throw Problem(file: file, line: line, message: "arrival times must not go backwards "
                    + "(\(relative) s comes after \(Double(last) / 1e9) s)")
            }
            if withLengths == nil { withLengths = row != nil }
            guard withLengths == (row != nil) else {
                throw Problem(file: file, line: line, message: "every row needs token lengths, or none")
            }
            offsets.append(nanos)
            if let row { lengths.append(row) }
        }

        func trace() throws -> Trace {
            guard !offsets.isEmpty else { throw Problem(file: file, line: 1, message: "the trace has no arrival times") }
            return Trace(offsetsNanos: offsets, lengths: withLengths == true ? lengths : nil)
        }
    }
}
