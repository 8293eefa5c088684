import Foundation
import XCTest
@testable import LoadCore

/// The reader's fast path decodes every line the writer writes back to the record written, decodes
/// what the general decoder (`JSONParser` and `AttemptRecord(eventObject:)`) decodes, and
/// declines what it does not handle. Both read numbers correctly rounded; the comparison still
/// allows a few ulps (it was written for Foundation's JSONSerialization, which read some 17-digit
/// numbers a few ulps off on Linux).
final class EventLineScannerTests: XCTestCase {
    /// The general decoder's reading of a line (nil: not an attempt, dropped or end line).
    private func general(_ line: String) throws -> EventLogEntry? {
        let object = try JSONParser.parse(Array(line.utf8))
        switch object["type"]?.stringValue {
        case "attempt": return .attempt(try AttemptRecord(eventObject: object))
        case "dropped": return .dropped(intendedNanos: UInt64((try XCTUnwrap(object["intended_us"]?.doubleValue) * 1000).rounded()))
        case "end":
            return .end(RunEnd(attempts: object["attempts"]?.intValue ?? 0,
                               successes: object["successes"]?.intValue ?? 0,
                               endNanos: object["end_us"]?.doubleValue.map { UInt64(($0 * 1000).rounded()) },
                               dropped: object["dropped"]?.intValue ?? 0))
        default: return nil
        }
    }

    private func fast(_ line: String) -> EventLogEntry? {
        Array(line.utf8).withUnsafeBufferPointer { EventLineScanner.decode($0) }
    }

    /// Lines as the writer writes them, with varied values: costs and rate-limit numbers of every
    /// shape `Double.description` produces (exponents, 17 digits), escaped messages.
    private func writtenLines() throws -> [(String, EventLogEntry)] {
        var generator = SplitMix64(seed: 42)
        var records = ReportFixture.attempts()
        for index in records.indices {
            let random = Double(generator.next() % 1_000_000_007) / 1_000_000_007
            records[index].costUSD = [random * 1e-5, random, 1e-7, 0.1 + 0.2, 123_456.789, 3e-20][index % 6]
            records[index].usageCachedInputTokens = index % 3 == 0 ? index : nil
            records[index].providerQueueNanos = index % 5 == 0 ? UInt64(index) * 1200 : nil
            records[index].userID = index % 7 == 0 ? index : nil
            records[index].dnsNanos = index % 11 == 0 ? 99_900 : nil
            if index % 4 == 0 {
                records[index].rateLimit = RateLimitSnapshot(
                    requests: .init(limit: 600, remaining: random * 600, resetMillis: 0.001),
                    tokens: .init(limit: 1e6, remaining: 149_000.5, resetMillis: 59_999.999),
                    inputTokens: .init(limit: 40_000), outputTokens: .init(remaining: 0), retryAfterMillis: 1_000)
            }
        }
        records[3].errorMessage = "quote \" backslash \\ tab \t newline \n unicode é 🚀 control \u{01}"
        records[4].errorClass = .cancelled
        let directory = try ReportFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/events.ndjson"
        let writer = try EventLogWriter(path: path, header: ReportFixture.header)
        for record in records { try writer.append(record) }
        try writer.appendDropped(intendedNanos: 12_345_678)
        try writer.appendEnd(endNanos: 99_999_999_950)
        try writer.close()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map(String.init)
        let entries = records.map(EventLogEntry.attempt) + [
            .dropped(intendedNanos: 12_345_700),  // at the log's 0.1 µs
            .end(RunEnd(attempts: records.count, successes: records.filter(\.succeeded).count,
                        endNanos: 99_999_999_900 + 100, dropped: 1)),
        ]
        return zip(lines, entries).map { ($0, $1) }
    }

    /// True when the values are equal or a few ulps apart (relative difference below 1e-15).
    private func withinAFewULPs(_ a: Double?, _ b: Double?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a == b || abs(a - b) <= 1e-15 * max(abs(a), abs(b))
    }

    /// `general` with its doubles replaced by `fast`'s where they are a few ulps apart.
    private func aligned(_ general: EventLogEntry?, to fast: EventLogEntry?) -> EventLogEntry? {
        guard case .attempt(var slow)? = general, case .attempt(let quick)? = fast else { return general }
        if withinAFewULPs(slow.costUSD, quick.costUSD) { slow.costUSD = quick.costUSD }
        if var limits = slow.rateLimit, let exact = quick.rateLimit {
            func align(_ window: inout RateLimitSnapshot.Window?, _ exact: RateLimitSnapshot.Window?) {
                guard var value = window, let exact else { return }
                if withinAFewULPs(value.limit, exact.limit) { value.limit = exact.limit }
                if withinAFewULPs(value.remaining, exact.remaining) { value.remaining = exact.remaining }
                if withinAFewULPs(value.resetMillis, exact.resetMillis) { value.resetMillis = exact.resetMillis }
                window = value
            }
            align(&limits.requests, exact.requests)
            align(&limits.tokens, exact.tokens)
            align(&limits.inputTokens, exact.inputTokens)
            align(&limits.outputTokens, exact.outputTokens)
            slow.rateLimit = limits
        }
        return .attempt(slow)
    }

    func testFastPathDecodesEveryWrittenLineBackToWhatWasWritten() throws {
        let lines = try writtenLines()
        XCTAssertEqual(lines.count, 312)
        for (line, written) in lines {
            let decoded = fast(line)
            XCTAssertNotNil(decoded, "the fast path declined a line the writer wrote: \(line)")
            XCTAssertEqual(decoded, written, line)
            XCTAssertEqual(decoded, aligned(try general(line), to: decoded), line)
        }
    }

    func testFastPathDeclinesWhatItDoesNotHandle() throws {
        let base = #""type":"attempt","request":1,"intended_us":1.5,"start_us":2.0,"end_us":3.0"#
        let declined: [(String, String)] = [
            ("{\(base),\"new_field\":1}", "an unknown key"),
            ("{\(base),\"user\":null}", "null"),
            (#"{"request":1,"type":"attempt","intended_us":1.5,"start_us":2.0,"end_us":3.0}"#, "type not first"),
            (#"{"type":"attempt","request":1,"intended_us":1.5001,"start_us":2.0,"end_us":3.0}"#, "a fourth decimal"),
            (#"{"type":"attempt","request":1,"intended_us":1.5e3,"start_us":2.0,"end_us":3.0}"#, "an exponent"),
            (#"{"type":"attempt","request":-1,"intended_us":1.5,"start_us":2.0,"end_us":3.0}"#, "a negative request"),
            (#"{"type":"attempt","request":1,"start_us":2.0,"end_us":3.0}"#, "a missing field"),
            ("{\(base),\"status\":200.0}", "an integer written as a decimal"),
            ("{\(base),\"error\":\"no_such_class\"}", "an unknown error class"),
            ("{\(base)} trailing", "trailing bytes"),
            ("{\(base)", "a torn line"),
            (#"{"type":"tick","in_flight":3}"#, "an unknown line type"),
            ("{\(base),\"ratelimit\":{\"requests\":{\"limit\":1,\"window\":60}}}", "an unknown rate-limit key"),
        ]
        for (line, why) in declined {
            XCTAssertNil(fast(line), why)
        }
        // Integers where decimals are usual are read exactly.
        XCTAssertEqual(fast(#"{"type":"dropped","intended_us":15}"#), .dropped(intendedNanos: 15_000))
    }
}
