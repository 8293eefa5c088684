import Foundation

/// Turns a response's rate-limit headers into a ``RateLimitSnapshot``.
///
/// Families read (names case-insensitive):
/// - OpenAI and Groq: `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`. Resets are
///   durations in Go's notation: `1s`, `6m0s`, `20ms`, `2m59.56s`, `1h2m3s` (a bare number is
///   read as seconds, or as a Unix time when it is past 10⁹).
/// - Anthropic: `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`.
///   Resets are RFC 3339 times (`2024-05-01T12:00:30Z`), turned into milliseconds after the
///   response's `Date` header, or after the time the response was received when it has none.
/// - `retry-after-ms` (milliseconds), else `retry-after`: seconds, or an HTTP date (relative like
///   the resets).
///
/// Values that do not parse are left out (nil), never guessed; negative time spans become 0.
public enum RateLimitHeaderParser {
    /// True for the header names the parser reads (lowercase prefix match), plus `date`: a cheap
    /// filter for capturing headers as they arrive.
    public static func isRelevant(name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered.hasPrefix("x-ratelimit-") || lowered.hasPrefix("anthropic-ratelimit-")
            || lowered == "retry-after" || lowered == "retry-after-ms" || lowered == "date"
    }

    /// Parses header lines as received (`Name: value`, with or without the line ending).
    /// - Parameters:
    ///   - lines: header lines; lines of other headers are ignored.
    ///   - receivedAtUnixSeconds: when the response arrived (wall clock), the reference for absolute
    ///     times when the response has no `Date` header.
    /// - Returns: the snapshot, or nil when no rate-limit value was found.
    public static func parse(lines: [String], receivedAtUnixSeconds: Double) -> RateLimitSnapshot? {
        var pairs: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            pairs.append((name, value))
        }
        return parse(headers: pairs, receivedAtUnixSeconds: receivedAtUnixSeconds)
    }

    /// Parses `(name, value)` pairs; see ``parse(lines:receivedAtUnixSeconds:)``.
    public static func parse(headers: [(name: String, value: String)], receivedAtUnixSeconds: Double) -> RateLimitSnapshot? {
        var reference = receivedAtUnixSeconds
        for (name, value) in headers where name.lowercased() == "date" {
            if let date = parseHTTPDate(value) { reference = date }
        }
        var snapshot = RateLimitSnapshot()
        var retryAfterSeconds: Double?
        var retryAfterMillis: Double?

        for (rawName, value) in headers {
            let name = rawName.lowercased()
            if name == "retry-after-ms" {
                retryAfterMillis = number(value).map { max(0, $0) }
            } else if name == "retry-after" {
                if let seconds = number(value) {
                    retryAfterSeconds = max(0, seconds)
                } else if let date = parseHTTPDate(value) {
                    retryAfterSeconds = max(0, date - reference)
                }
            } else if name.hasPrefix("x-ratelimit-") {
                // x-ratelimit-<field>-<window>
                let rest = name.dropFirst("x-ratelimit-".count)
                guard let dash = rest.firstIndex(of: "-") else { continue }
                let field = String(rest[..<dash])
                let window = String(rest[rest.index(after: dash)...])
                apply(field: field, window: window, value: value, resetIsDuration: true, reference: reference, to: &snapshot)
            } else if name.hasPrefix("anthropic-ratelimit-") {
                // anthropic-ratelimit-<window>-<field>, the window possibly hyphenated (input-tokens)
                let rest = name.dropFirst("anthropic-ratelimit-".count)
                guard let dash = rest.lastIndex(of: "-") else { continue }
                let window = String(rest[..<dash])
                let field = String(rest[rest.index(after: dash)...])
                apply(field: field, window: window, value: value, resetIsDuration: false, reference: reference, to: &snapshot)
            }
        }
        snapshot.retryAfterMillis = retryAfterMillis ?? retryAfterSeconds.map { $0 * 1_000 }
        return snapshot.isEmpty ? nil : snapshot
    }

    private static func apply(field: String, window: String, value: String, resetIsDuration: Bool, reference: Double,
                              to snapshot: inout RateLimitSnapshot) {
        let path: WritableKeyPath<RateLimitSnapshot, RateLimitSnapshot.Window?>
        switch window {
        case "requests": path = \.requests
        case "tokens": path = \.tokens
        case "input-tokens": path = \.inputTokens
        case "output-tokens": path = \.outputTokens
        default: return
        }
        var entry = snapshot[keyPath: path] ?? RateLimitSnapshot.Window()
        switch field {
        case "limit": entry.limit = number(value)
        case "remaining": entry.remaining = number(value)
        case "reset":
            if let seconds = number(value) {
                // A bare number: seconds, or a Unix time when it is that large.
                entry.resetMillis = max(0, seconds > 1e9 ? seconds - reference : seconds) * 1_000
            } else if resetIsDuration, let millis = durationMillis(value) {
                entry.resetMillis = millis
            } else if let time = parseRFC3339(value) ?? parseHTTPDate(value) {
                entry.resetMillis = max(0, time - reference) * 1_000
            } else if let millis = durationMillis(value) {
                entry.resetMillis = millis
            }
        default: return
        }
        snapshot[keyPath: path] = entry
    }

    /// A finite, plain decimal number (`60`, `0.5`), or nil.
    static func number(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }),
              let value = Double(trimmed), value.isFinite else { return nil }
        return value
    }

    /// A Go-style duration in milliseconds: one or more `<number><unit>` parts with units `h`, `m`,
    /// `s`, `ms`, `us`/`µs`, `ns` (`6m0s` = 360 000, `2m59.56s` = 179 560, `20ms` = 20), read by
    /// `DurationFormat`.
    public static func durationMillis(_ text: String) -> Double? {
        DurationFormat.parseNanos(text).map { Double($0) / 1e6 }
    }

    /// An RFC 3339 date-time (`2024-05-01T12:00:30Z`, `2024-05-01T12:00:30.250+02:00`) as seconds
    /// since the Unix epoch.
    public static func parseRFC3339(_ text: String) -> Double? {
        let bytes = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + count)] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        func byte(_ index: Int, is expected: Character) -> Bool {
            index < bytes.count && Character(UnicodeScalar(bytes[index])) == expected
        }
        guard let year = digits(0, 4), byte(4, is: "-"), let month = digits(5, 2), byte(7, is: "-"),
              let day = digits(8, 2), byte(10, is: "T") || byte(10, is: "t") || byte(10, is: " "),
              let hour = digits(11, 2), byte(13, is: ":"), let minute = digits(14, 2), byte(16, is: ":"),
              let second = digits(17, 2), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60,
              second <= 60 else { return nil }
        var index = 19
        var fraction = 0.0
        if byte(index, is: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, (48...57).contains(bytes[index]) {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offsetSeconds = 0
        if byte(index, is: "Z") || byte(index, is: "z") {
            index += 1
        } else if byte(index, is: "+") || byte(index, is: "-") {
            guard let offsetHours = digits(index + 1, 2), byte(index + 3, is: ":"),
                  let offsetMinutes = digits(index + 4, 2) else { return nil }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (byte(index, is: "-") ? -1 : 1)
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds) + fraction
    }

    /// An HTTP date (IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`) as seconds since the Unix epoch.
    public static func parseHTTPDate(_ text: String) -> Double? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let year = Int(parts[3]) else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let monthIndex = months.firstIndex(of: String(parts[2])) else { return nil }
        let time = parts[4].split(separator: ":")
        guard time.count == 3, let hour = Int(time[0]), let minute = Int(time[1]), let second = Int(time[2]),
              (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        let days = daysFromCivil(year: year, month: monthIndex + 1, day: day)
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
