import Foundation

/// The fast path of ``EventLogReader``: decodes the `attempt`, `dropped` and `end` lines loadgen
/// writes, straight from the bytes with `JSONCursor`, without building a JSON tree or a dictionary.
///
/// It handles exactly what the general decoder (`JSONParser` and
/// `AttemptRecord(eventObject:)`) would decode to the same value, and returns nil for anything
/// else: a key it does not know, `"type"` not first, `null`, a timestamp with more than three
/// decimals, invalid JSON. The reader then
/// decodes that line with the general decoder, which gives the same record or the reason it is bad.
enum EventLineScanner {
    typealias Miss = JSONCursor.Rejection

    /// The line's entry, or nil when the general decoder must look at it.
    static func decode(_ line: UnsafeBufferPointer<UInt8>) -> EventLogEntry? {
        do {
            return try decodeOrMiss(line)
        } catch {
            return nil
        }
    }

    private static func decodeOrMiss(_ line: UnsafeBufferPointer<UInt8>) throws(Miss) -> EventLogEntry {
        var cursor = JSONCursor(line)
        guard cursor.current == UInt8(ascii: "{"), try cursor.enterObject() else { throw Miss() }
        guard cursor.bytes(of: try cursor.readKey(), equal: "type"), cursor.current == UInt8(ascii: "\"") else {
            throw Miss()
        }
        let type = try cursor.readString()
        let entry: EventLogEntry
        if cursor.bytes(of: type, equal: "attempt") {
            entry = .attempt(try attempt(&cursor, line))
        } else if cursor.bytes(of: type, equal: "dropped") {
            entry = try dropped(&cursor, line)
        } else if cursor.bytes(of: type, equal: "end") {
            entry = try end(&cursor, line)
        } else {
            throw Miss()
        }
        guard cursor.isAtEnd else { throw Miss() }
        return entry
    }

    // MARK: - Line types

    private static func attempt(_ cursor: inout JSONCursor, _ line: UnsafeBufferPointer<UInt8>) throws(Miss)
        -> AttemptRecord
    {
        var record = AttemptRecord(requestID: 0, intendedStartNanos: 0, startNanos: 0, endNanos: 0)
        var seenRequest = false, seenIntended = false, seenStart = false, seenEnd = false
        guard try cursor.nextMember() else { throw Miss() }
        repeat {
            let key = try cursor.readKey()
            switch AttemptKey(key, in: line) {
            case .request:
                let value = try int(&cursor)
                guard value >= 0 else { throw Miss() }
                record.requestID = UInt64(value)
                seenRequest = true
            case .attempt: record.attemptNumber = try int(&cursor)
            case .user: record.userID = try int(&cursor)
            case .intended:
                record.intendedStartNanos = try nanos(&cursor, line)
                seenIntended = true
            case .start:
                record.startNanos = try nanos(&cursor, line)
                seenStart = true
            case .stage: record.stage = try int(&cursor)
            case .prompt: record.prompt = try int(&cursor)
            case .dns: record.dnsNanos = try nanos(&cursor, line)
            case .connect: record.connectNanos = try nanos(&cursor, line)
            case .tls: record.tlsNanos = try nanos(&cursor, line)
            case .headers: record.headersNanos = try nanos(&cursor, line)
            case .firstByte: record.firstByteNanos = try nanos(&cursor, line)
            case .firstToken: record.firstTokenNanos = try nanos(&cursor, line)
            case .end:
                record.endNanos = try nanos(&cursor, line)
                seenEnd = true
            case .status: record.status = try int(&cursor)
            case .error:
                guard let errorClass = ErrorClass(logName: try plainString(&cursor, line)) else { throw Miss() }
                record.errorClass = errorClass
            case .errorMessage: record.errorMessage = try string(&cursor, line)
            case .tokens: record.countedOutputTokens = try int(&cursor)
            case .usageOutput: record.usageOutputTokens = try int(&cursor)
            case .usageInput: record.usageInputTokens = try int(&cursor)
            case .usageCachedInput: record.usageCachedInputTokens = try int(&cursor)
            case .providerQueue: record.providerQueueNanos = try nanos(&cursor, line)
            case .cost: record.costUSD = try double(&cursor, line)
            case .rateLimit: record.rateLimit = try rateLimit(&cursor, line)
            case .willRetry: record.willRetry = try bool(&cursor)
            case .cancelReason: record.cancelReason = try string(&cursor, line)
            case .tokenOffsets: record.tokenOffsetsMicros = try offsets(&cursor)
            case .measurementDelays: record.measurementDelaysMicros = try offsets(&cursor)
            case nil: throw Miss()
            }
        } while try cursor.nextMember()
        guard seenRequest, seenIntended, seenStart, seenEnd else { throw Miss() }
        return record
    }

    private static func dropped(_ cursor: inout JSONCursor, _ line: UnsafeBufferPointer<UInt8>) throws(Miss)
        -> EventLogEntry
    {
        guard try cursor.nextMember(), cursor.bytes(of: try cursor.readKey(), equal: "intended_us") else { throw Miss() }
        let intended = try nanos(&cursor, line)
        guard !(try cursor.nextMember()) else { throw Miss() }
        return .dropped(intendedNanos: intended)
    }

    private static func end(_ cursor: inout JSONCursor, _ line: UnsafeBufferPointer<UInt8>) throws(Miss)
        -> EventLogEntry
    {
        var end = RunEnd(attempts: 0, successes: 0, endNanos: nil)
        guard try cursor.nextMember() else { return .end(end) }
        repeat {
            let key = try cursor.readKey()
            if cursor.bytes(of: key, equal: "attempts") {
                end.attempts = try int(&cursor)
            } else if cursor.bytes(of: key, equal: "successes") {
                end.successes = try int(&cursor)
            } else if cursor.bytes(of: key, equal: "dropped") {
                end.dropped = try int(&cursor)
            } else if cursor.bytes(of: key, equal: "end_us") {
                end.endNanos = try nanos(&cursor, line)
            } else {
                throw Miss()
            }
        } while try cursor.nextMember()
        return .end(end)
    }

    private static func rateLimit(_ cursor: inout JSONCursor, _ line: UnsafeBufferPointer<UInt8>) throws(Miss)
        -> RateLimitSnapshot?
    {
        guard cursor.current == UInt8(ascii: "{") else { throw Miss() }
        var snapshot = RateLimitSnapshot()
        guard try cursor.enterObject() else { return snapshot }
        repeat {
            let key = try cursor.readKey()
            if cursor.bytes(of: key, equal: "requests") {
                snapshot.requests = try window(&cursor, line)
            } else if cursor.bytes(of: key, equal: "tokens") {
                snapshot.tokens = try window(&cursor, line)
            } else if cursor.bytes(of: key, equal: "input_tokens") {
                snapshot.inputTokens = try window(&cursor, line)
            } else if cursor.bytes(of: key, equal: "output_tokens") {
                snapshot.outputTokens = try window(&cursor, line)
            } else if cursor.bytes(of: key, equal: "retry_after_ms") {
                snapshot.retryAfterMillis = try double(&cursor, line)
            } else {
                throw Miss()
            }
        } while try cursor.nextMember()
        return snapshot
    }

    private static func window(_ cursor: inout JSONCursor, _ line: UnsafeBufferPointer<UInt8>) throws(Miss)
        -> RateLimitSnapshot.Window
    {
        guard cursor.current == UInt8(ascii: "{") else { throw Miss() }
        var window = RateLimitSnapshot.Window()
        guard try cursor.enterObject() else { return window }
        repeat {
            let key = try cursor.readKey()
            if cursor.bytes(of: key, equal: "limit") {
                window.limit = try double(&cursor, line)
            } else if cursor.bytes(of: key, equal: "remaining") {
                window.remaining = try double(&cursor, line)
            } else if cursor.bytes(of: key, equal: "reset_ms") {
                window.resetMillis = try double(&cursor, line)
            } else {
                throw Miss()
            }
        } while try cursor.nextMember()
        return window
    }

    // MARK: - Values

    /// An integer that fits in Int (what `JSONValue.intValue` gives for an integer literal).
    private static func int(_ cursor: inout JSONCursor) throws(Miss) -> Int {
        guard case .int(let value) = try number(&cursor), let int = Int(exactly: value) else { throw Miss() }
        return int
    }

    private static func number(_ cursor: inout JSONCursor) throws(Miss) -> JSONCursor.Number {
        let first = cursor.current
        guard first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else {
            throw Miss()
        }
        return try cursor.readNumber()
    }

    /// Microseconds with at most three decimals, as nanoseconds. Exactly what the general decoder's
    /// `(Double(text) * 1000).rounded()` gives below 10^12 µs (11 days), where that product is
    /// within a quarter of an integer.
    private static func nanos(_ cursor: inout JSONCursor, _ line: UnsafeBufferPointer<UInt8>) throws(Miss) -> UInt64 {
        var index = cursor.offset
        guard case .other = try number(&cursor) else {
            // An integer literal: microseconds without decimals.
            return try integerMicros(line, from: index, to: cursor.offset)
        }
        var whole: UInt64 = 0
        while index < line.count, line[index] &- UInt8(ascii: "0") < 10 {
            whole = whole * 10 + UInt64(line[index] &- UInt8(ascii: "0"))
            guard whole < 1_000_000_000_000 else { throw Miss() }
            index += 1
        }
        guard index < line.count, line[index] == UInt8(ascii: ".") else { throw Miss() }  // an exponent
        index += 1
        var nanos = whole * 1000
        var scale: UInt64 = 100
        while index < line.count, line[index] &- UInt8(ascii: "0") < 10 {
            guard scale > 0 else { throw Miss() }  // a fourth decimal
            nanos += UInt64(line[index] &- UInt8(ascii: "0")) * scale
            scale /= 10
            index += 1
        }
        guard index < line.count, line[index] != UInt8(ascii: "e"), line[index] != UInt8(ascii: "E") else {
            throw Miss()
        }
        return nanos
    }

    private static func integerMicros(_ line: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) throws(Miss)
        -> UInt64
    {
        guard line[start] != UInt8(ascii: "-") else { throw Miss() }
        var whole: UInt64 = 0
        var index = start
        while index < end, line[index] &- UInt8(ascii: "0") < 10 {
            whole = whole * 10 + UInt64(line[index] &- UInt8(ascii: "0"))
            guard whole < 1_000_000_000_000 else { throw Miss() }
            index += 1
        }
        return whole * 1000
    }

    /// Powers of ten that a Double holds exactly.
    private static let exactPowersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// A number as a Double: by Clinger's fast path when it is exact (at most 15 significant
    /// digits and a power of ten up to 10^22), else by the C library's `strtod`. Both give the
    /// correctly rounded value, as any correct parser does.
    private static func double(_ cursor: inout JSONCursor, _ line: UnsafeBufferPointer<UInt8>) throws(Miss) -> Double {
        let start = cursor.offset
        _ = try number(&cursor)
        var end = cursor.offset
        while end > start, line[end - 1] == 0x20 || line[end - 1] == 0x0A || line[end - 1] == 0x0D
            || line[end - 1] == 0x09
        {
            end -= 1
        }
        if let exact = clingerFastPath(line, start, end) { return exact }
        guard end - start < 64 else { throw Miss() }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { text in
            for offset in 0..<(end - start) { text[offset] = CChar(bitPattern: line[start + offset]) }
            text[end - start] = 0
            return strtod(text.baseAddress!, nil)
        }
    }

    /// The value of a validated JSON number when the conversion is exact, else nil.
    private static func clingerFastPath(_ line: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var index = start
        var negative = false
        if line[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        while index < end, line[index] &- UInt8(ascii: "0") < 10 {
            if mantissa > 0 || line[index] != UInt8(ascii: "0") { digits += 1 }
            mantissa = mantissa &* 10 &+ UInt64(line[index] &- UInt8(ascii: "0"))
            index += 1
        }
        if index < end, line[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, line[index] &- UInt8(ascii: "0") < 10 {
                if mantissa > 0 || line[index] != UInt8(ascii: "0") { digits += 1 }
                mantissa = mantissa &* 10 &+ UInt64(line[index] &- UInt8(ascii: "0"))
                exponent -= 1
                index += 1
            }
        }
        guard digits <= 15 else { return nil }
        if index < end {  // an exponent
            index += 1
            var sign = 1
            if line[index] == UInt8(ascii: "-") || line[index] == UInt8(ascii: "+") {
                if line[index] == UInt8(ascii: "-") { sign = -1 }
                index += 1
            }
            var value = 0
            while index < end {
                value = value * 10 + Int(line[index] &- UInt8(ascii: "0"))
                guard value < 1000 else { return nil }
                index += 1
            }
            exponent += sign * value
        }
        var result = Double(mantissa)
        if mantissa != 0 {
            guard abs(exponent) <= 22 else { return nil }
            result = exponent >= 0 ? result * exactPowersOfTen[exponent] : result / exactPowersOfTen[-exponent]
        }
        return negative ? -result : result
    }

    private static func bool(_ cursor: inout JSONCursor) throws(Miss) -> Bool {
        let value = cursor.current
        guard value == UInt8(ascii: "t") || value == UInt8(ascii: "f") else { throw Miss() }
        try cursor.skipValue()
        return value == UInt8(ascii: "t")
    }

    /// A string without escapes (an error class name).
    private static func plainString(_ cursor: inout JSONCursor, _ line: UnsafeBufferPointer<UInt8>) throws(Miss)
        -> String
    {
        guard cursor.current == UInt8(ascii: "\"") else { throw Miss() }
        let raw = try cursor.readString()
        guard !raw.hasEscapes else { throw Miss() }
        return String(decoding: UnsafeBufferPointer(rebasing: line[raw.start..<raw.end]), as: UTF8.self)
    }

    /// Any string; escapes are resolved by `JSONParser` (the token is a JSON document of its own).
    private static func string(_ cursor: inout JSONCursor, _ line: UnsafeBufferPointer<UInt8>) throws(Miss) -> String {
        guard cursor.current == UInt8(ascii: "\"") else { throw Miss() }
        let raw = try cursor.readString()
        if !raw.hasEscapes {
            return String(decoding: UnsafeBufferPointer(rebasing: line[raw.start..<raw.end]), as: UTF8.self)
        }
        let token = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: line[(raw.start - 1)...raw.end]))
        guard case .string(let value)? = try? JSONParser.parse(token) else { throw Miss() }
        return value
    }

    private static func offsets(_ cursor: inout JSONCursor) throws(Miss) -> [UInt32] {
        guard cursor.current == UInt8(ascii: "[") else { throw Miss() }
        var values: [UInt32] = []
        guard try cursor.enterArray() else { return values }
        repeat {
            guard case .int(let value) = try number(&cursor) else { throw Miss() }
            values.append(UInt32(truncatingIfNeeded: value))
        } while try cursor.nextElement()
        return values
    }
}

/// The keys of an attempt line, matched against the raw key bytes.
private enum AttemptKey {
    case request, attempt, user, intended, start, stage, prompt, dns, connect, tls, headers, firstByte, firstToken, end
    case status, error, errorMessage, tokens, usageOutput, usageInput, usageCachedInput, providerQueue, cost
    case rateLimit, willRetry, cancelReason, tokenOffsets, measurementDelays

    private static let names: [(String, AttemptKey)] = [
        ("request", .request), ("attempt", .attempt), ("user", .user), ("intended_us", .intended),
        ("start_us", .start), ("stage", .stage), ("prompt", .prompt), ("dns_us", .dns), ("connect_us", .connect), ("tls_us", .tls),
        ("headers_us", .headers), ("first_byte_us", .firstByte), ("first_token_us", .firstToken), ("end_us", .end),
        ("status", .status), ("error", .error), ("error_message", .errorMessage), ("tokens", .tokens),
        ("usage_output_tokens", .usageOutput), ("usage_input_tokens", .usageInput),
        ("usage_cached_input_tokens", .usageCachedInput), ("provider_queue_us", .providerQueue),
        ("cost_usd", .cost), ("ratelimit", .rateLimit), ("will_retry", .willRetry),
        ("cancel_reason", .cancelReason), ("token_offsets_us", .tokenOffsets),
        ("measurement_delay_us", .measurementDelays),
    ]
    private static let table: [(name: [UInt8], key: AttemptKey)] = names.map { (Array($0.0.utf8), $0.1) }

    /// The key whose name is exactly the raw key's bytes (an escaped key never matches).
    init?(_ raw: JSONCursor.RawString, in line: UnsafeBufferPointer<UInt8>) {
        guard !raw.hasEscapes else { return nil }
        let length = raw.end - raw.start
        for entry in Self.table where entry.name.count == length {
            var equal = true
            for offset in 0..<length where entry.name[offset] != line[raw.start + offset] {
                equal = false
                break
            }
            if equal {
                self = entry.key
                return
            }
        }
        return nil
    }
}
