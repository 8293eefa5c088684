import Foundation
import LoadCore

/// Reads the response header lines libcurl hands over, one at a time, without allocating for the
/// common ones: the status, whether the body is an event stream, when the headers are complete, and
/// a copy of the headers the rate-limit parser reads (`x-ratelimit-*`, `anthropic-ratelimit-*`,
/// `retry-after*`, `date`).
struct ResponseHeaderScan {
    /// What the `Content-Type` header said.
    enum ContentType: Equatable {
        /// No `Content-Type` header (yet).
        case absent
        case eventStream
        case other
    }

    private(set) var status = 0
    private(set) var contentType = ContentType.absent
    /// True once the blank line after a final (2xx-5xx) status's headers arrived.
    private(set) var isComplete = false
    private var capturedHeaders: [UInt8] = []
    private var sawRateLimitHeader = false
    /// True when the response has the mock's `x-mock-sent-ns` header: its events carry send stamps.
    private(set) var hasSendStamps = false

    var isSuccess: Bool { (200..<300).contains(status) }

    /// Forgets the previous response (keeps the capture buffer's storage).
    mutating func reset() {
        status = 0
        contentType = .absent
        isComplete = false
        capturedHeaders.removeAll(keepingCapacity: true)
        sawRateLimitHeader = false
        hasSendStamps = false
    }

    /// Reads one header line (with its line ending).
    /// - Returns: true when this line completed the headers of a final response.
    mutating func scan(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let first = line.first else { return false }
        if line.count >= 5, first == UInt8(ascii: "H"), line[1] == UInt8(ascii: "T"), line[4] == UInt8(ascii: "/") {
            // A status line; a 1xx response is followed by another one, so everything resets.
            reset()
            status = Self.parseStatus(line)
            return false
        }
        if first == UInt8(ascii: "\r") || first == UInt8(ascii: "\n") {
            guard status >= 200 && !isComplete else { return false }
            isComplete = true
            return true
        }
        switch Self.lowercased(first) {
        case UInt8(ascii: "c"):
            if Self.hasPrefixIgnoringCase(line, "content-type:") {
                contentType = Self.contains(line, "text/event-stream") ? .eventStream : .other
            }
        case UInt8(ascii: "x"), UInt8(ascii: "a"), UInt8(ascii: "r"):
            if Self.hasPrefixIgnoringCase(line, "x-ratelimit-") || Self.hasPrefixIgnoringCase(line, "anthropic-ratelimit-")
                || Self.hasPrefixIgnoringCase(line, "retry-after") {
                sawRateLimitHeader = true
                capturedHeaders.append(contentsOf: line)
            } else if first | 0x20 == UInt8(ascii: "x"), Self.hasPrefixIgnoringCase(line, "x-mock-sent-ns:") {
                hasSendStamps = true
            }
        case UInt8(ascii: "d"):
            if Self.hasPrefixIgnoringCase(line, "date:") { capturedHeaders.append(contentsOf: line) }
        default:
            break
        }
        return false
    }

    /// The captured rate-limit headers parsed (nil when there were none), with absolute times taken
    /// relative to the response's `Date` or, without one, to the wall-clock time the headers arrived.
    /// - Parameter secondsSinceHeaders: how long ago the headers arrived.
    func rateLimitSnapshot(secondsSinceHeaders: Double) -> RateLimitSnapshot? {
        guard sawRateLimitHeader else { return nil }
        let lines = capturedHeaders.split(whereSeparator: { $0 == 13 || $0 == 10 }).map {
            String(decoding: $0, as: UTF8.self)
        }
        let receivedAt = Date().timeIntervalSince1970 - secondsSinceHeaders
        return RateLimitHeaderParser.parse(lines: lines, receivedAtUnixSeconds: receivedAt)
    }

    // MARK: - Bytes

    /// "HTTP/1.1 200 OK" or "HTTP/2 200": the three digits after the first space.
    static func parseStatus(_ line: UnsafeRawBufferPointer) -> Int {
        guard let space = line.firstIndex(of: UInt8(ascii: " ")), space + 3 < line.count else { return 0 }
        var status = 0
        for index in (space + 1)...(space + 3) {
            let digit = Int(line[index]) - 48
            guard (0...9).contains(digit) else { return 0 }
            status = status * 10 + digit
        }
        return status
    }

    static func hasPrefixIgnoringCase(_ line: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard line.count >= count else { return false }
        let start = prefix.utf8Start
        for index in 0..<count where lowercased(line[index]) != start[index] {
            return false
        }
        return true
    }

    static func contains(_ line: UnsafeRawBufferPointer, _ needle: StaticString) -> Bool {
        let count = needle.utf8CodeUnitCount
        guard line.count >= count else { return false }
        let start = needle.utf8Start
        outer: for offset in 0...(line.count - count) {
            for index in 0..<count where lowercased(line[offset + index]) != start[index] {
                continue outer
            }
            return true
        }
        return false
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 65 && byte <= 90) ? byte + 32 : byte
    }
}
