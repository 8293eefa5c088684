import Foundation

/// `loadreport --csv FILE`: one CSV row per attempt, for spreadsheets and notebooks. Times are
/// milliseconds (timestamps since the run origin, with four decimals: the log's 0.1 µs); empty
/// cells are values the attempt does not have. docs/report.md explains every column of ``header``.
public enum AttemptCSV {
    public static let header = [
        "run", "request", "attempt", "will_retry", "user", "stage", "provider", "model", "status", "error",
        "intended_ms", "start_ms", "end_ms", "schedule_lag_ms", "ttft_ms", "total_ms", "total_from_intended_ms",
        "time_per_output_token_ms", "output_tokens", "output_tokens_estimated", "output_tokens_per_s", "input_tokens",
        "cached_input_tokens", "cost_usd", "ratelimit_remaining_requests", "ratelimit_remaining_tokens",
        "retry_after_ms", "error_message",
    ]

    /// The header line.
    public static var headerLine: String { CSV.line(header) }

    /// One attempt's row.
    /// - Parameters:
    ///   - attempt: the attempt.
    ///   - run: the run's short name (``RunInfo/name``).
    ///   - header: its run header (provider and model).
    public static func line(_ attempt: AttemptRecord, run: String, header: RunHeader?) -> String {
        func ms(_ nanos: UInt64) -> String { Format.millis(nanos: nanos) }
        func span(_ from: UInt64, _ to: UInt64?) -> String {
            guard let to else { return "" }
            return to >= from ? ms(to - from) : "-" + ms(from - to)
        }
        let tokens = attempt.outputTokens
        var perToken = ""
        if let firstToken = attempt.firstTokenNanos, tokens >= 2, attempt.endNanos > firstToken {
            perToken = Format.fixed(Double(attempt.endNanos - firstToken) / 1e6 / Double(tokens - 1), 4)
        }
        var tokensPerSecond = ""
        if tokens >= 1, attempt.endNanos > attempt.startNanos {
            tokensPerSecond = Format.fixed(Double(tokens) * 1e9 / Double(attempt.endNanos - attempt.startNanos), 3)
        }
        let fields: [String] = [
            run, String(attempt.requestID), String(attempt.attemptNumber), attempt.willRetry ? "true" : "false",
            attempt.userID.map(String.init) ?? "", attempt.stage.map(String.init) ?? "", header?.provider ?? "",
            header?.model ?? "", String(attempt.status), attempt.errorClass?.rawValue ?? "",
            ms(attempt.intendedStartNanos), ms(attempt.startNanos), ms(attempt.endNanos),
            span(attempt.intendedStartNanos, attempt.startNanos), span(attempt.startNanos, attempt.firstTokenNanos),
            span(attempt.startNanos, attempt.endNanos), span(attempt.intendedStartNanos, attempt.endNanos),
            perToken, String(tokens), attempt.outputTokensEstimated ? "true" : "false", tokensPerSecond,
            attempt.usageInputTokens.map(String.init) ?? "", attempt.usageCachedInputTokens.map(String.init) ?? "",
            attempt.costUSD.map { Format.fixed($0, 8) } ?? "",
            Format.csv(attempt.rateLimit?.requests?.remaining, 0), Format.csv(attempt.rateLimit?.tokens?.remaining, 0),
            Format.csv(attempt.rateLimit?.retryAfterMillis, 0), attempt.errorMessage ?? "",
        ]
        return CSV.line(fields)
    }
}

/// Writes ``AttemptCSV`` rows to a file through a buffer.
public final class AttemptCSVWriter {
    public let path: String
    private let handle: FileHandle
    private var buffer = ""
    private static let flushBytes = 1 << 20

    /// Creates (or truncates) the file and writes the header.
    /// - Throws: when the file cannot be created (the message names it).
    public init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CSVWriteError(description: "\(path): cannot create the file")
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CSVWriteError(description: "\(path): cannot open the file for writing")
        }
        self.handle = handle
        buffer = AttemptCSV.headerLine
    }

    /// Buffers one attempt's row.
    public func append(_ attempt: AttemptRecord, run: String, header: RunHeader?) throws {
        buffer += AttemptCSV.line(attempt, run: run, header: header)
        if buffer.utf8.count >= Self.flushBytes { try flush() }
    }

    /// Writes what is buffered.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: Data(buffer.utf8))
        } catch {
            throw CSVWriteError(description: "\(path): write failed: \(error.localizedDescription)")
        }
        buffer = ""
    }

    /// Flushes and closes the file.
    public func close() throws {
        try flush()
        try? handle.close()
    }
}

/// A CSV file could not be written.
public struct CSVWriteError: Error, CustomStringConvertible {
    public let description: String
}
