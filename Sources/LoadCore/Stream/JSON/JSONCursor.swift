/// A validating, non-materializing walk over one JSON document.
///
/// `JSONCursor` checks the same grammar as `JSONParser` (whitespace, literals, strings with their
/// escapes and UTF-8 rules, numbers, the `maxDepth` nesting limit) but builds nothing: the caller
/// steps through objects and arrays, sees strings as raw byte ranges of the input, and skips the
/// values it does not need. Nothing is allocated.
///
/// A rejection carries no reason: a caller that needs one re-parses with `JSONParser`. The cursor
/// never accepts a document `JSONParser` rejects. It rejects one kind of document `JSONParser` may
/// accept: a non-integer number whose magnitude could reach 10^309 (where `JSONParser` must ask
/// `Double` whether it overflows), so a caller that falls back to `JSONParser` on any rejection
/// always ends up with `JSONParser`'s verdict.
///
/// Calling convention: every method that consumes a token also consumes the whitespace after it,
/// so `current` is always the first byte of the next token.
///
/// Public for the mock provider, which reads request bodies with it.
public struct JSONCursor {
    /// The document is not valid JSON (or is a number too large to judge without `Double`).
    public struct Rejection: Error {
        public init() {}
    }

    /// A string as it appears in the input: the bytes between the quotes, escapes unresolved.
    public struct RawString {
        /// The offset of the first byte after the opening quote.
        public var start: Int
        /// The offset of the closing quote.
        public var end: Int
        /// True when the string contains a backslash escape (its bytes are not its value).
        public var hasEscapes: Bool

        /// True for `""`. A string with escapes is never empty once decoded either.
        public var isEmpty: Bool { start == end }
    }

    /// What `readNumber` found.
    public enum Number: Equatable {
        /// No fraction or exponent, and fits in Int64: what `JSONParser` returns as `.int`.
        case int(Int64)
        /// Any other (finite) number: what `JSONParser` returns as `.double`.
        case other
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    /// Positions the cursor on the first token of `bytes`.
    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        skipWhitespace()
    }

    /// The byte at the cursor, or 0 past the end (0 is never valid where a token is expected).
    public var current: UInt8 {
        @inline(__always) get { index < bytes.count ? bytes[index] : 0 }
    }

    /// True when the whole input has been consumed.
    public var isAtEnd: Bool { index == bytes.count }

    /// The index of the byte at the cursor (the start of the next token).
    public var offset: Int { index }

    // MARK: - Containers

    /// At `{`: enters the object.
    /// - Returns: false (having consumed the `}`) when the object is empty; otherwise true, with
    ///   the cursor on the first key.
    public mutating func enterObject() throws(Rejection) -> Bool {
        try enterContainer()
        if current == UInt8(ascii: "}") {
            advanceToken()
            depth -= 1
            return false
        }
        return true
    }

    /// At a member's key: reads it and the `:` after it, leaving the cursor on the value.
    public mutating func readKey() throws(Rejection) -> RawString {
        guard current == UInt8(ascii: "\"") else { throw Rejection() }
        let key = try readString()
        guard current == UInt8(ascii: ":") else { throw Rejection() }
        advanceToken()
        return key
    }

    /// After a member's value: consumes `,` (returns true, cursor on the next key) or `}` (returns
    /// false, having left the object).
    public mutating func nextMember() throws(Rejection) -> Bool {
        switch current {
        case UInt8(ascii: ","):
            advanceToken()
            return true
        case UInt8(ascii: "}"):
            advanceToken()
            depth -= 1
            return false
        default:
            throw Rejection()
        }
    }

    /// At `[`: enters the array.
    /// - Returns: false (having consumed the `]`) when the array is empty; otherwise true, with the
    ///   cursor on the first element.
    public mutating func enterArray() throws(Rejection) -> Bool {
        try enterContainer()
        if current == UInt8(ascii: "]") {
            advanceToken()
            depth -= 1
            return false
        }
        return true
    }

    /// After an element: consumes `,` (returns true, cursor on the next element) or `]` (returns
    /// false, having left the array).
    public mutating func nextElement() throws(Rejection) -> Bool {
        switch current {
        case UInt8(ascii: ","):
            advanceToken()
            return true
        case UInt8(ascii: "]"):
            advanceToken()
            depth -= 1
            return false
        default:
            throw Rejection()
        }
    }

    private mutating func enterContainer() throws(Rejection) {
        depth += 1
        guard depth <= JSONParser.maxDepth else { throw Rejection() }
        advanceToken()
    }

    // MARK: - Values

    /// Validates and steps over the value at the cursor, whatever it is.
    public mutating func skipValue() throws(Rejection) {
        switch current {
        case UInt8(ascii: "{"):
            guard try enterObject() else { return }
            repeat {
                _ = try readKey()
                try skipValue()
            } while try nextMember()
        case UInt8(ascii: "["):
            guard try enterArray() else { return }
            repeat {
                try skipValue()
            } while try nextElement()
        case UInt8(ascii: "\""):
            _ = try readString()
        case UInt8(ascii: "t"):
            try expectLiteral("true")
        case UInt8(ascii: "f"):
            try expectLiteral("false")
        case UInt8(ascii: "n"):
            try expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try readNumber()
        default:
            throw Rejection()
        }
    }

    /// True when `raw`'s bytes are exactly `literal` (an escaped string never matches: decode it
    /// with `JSONParser` instead).
    public func bytes(of raw: RawString, equal literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard raw.end - raw.start == count else { return false }
        let expected = literal.utf8Start
        for offset in 0..<count where bytes[raw.start + offset] != expected[offset] {
            return false
        }
        return true
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(Rejection) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw Rejection() }
        let expected = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != expected[offset] {
            throw Rejection()
        }
        index += count
        skipWhitespace()
    }

    // MARK: - Strings

    /// At `"`: validates the string and returns where its bytes are.
    public mutating func readString() throws(Rejection) -> RawString {
        index += 1  // opening quote
        let start = index
        var sawNonASCII = false
        var hasEscapes = false
        let count = bytes.count
        while true {
            // Plain bytes eight at a time, straight to the next quote, backslash, control or
            // non-ASCII byte; the byte loop below handles that one.
            if let base = bytes.baseAddress {
                var next = index
                while count - next >= 8 {
                    let word = UInt64(littleEndian: UnsafeRawPointer(base + next).loadUnaligned(as: UInt64.self))
                    let special = Self.specialBytes(word)
                    if special != 0 {
                        next += special.trailingZeroBitCount >> 3
                        break
                    }
                    next += 8
                }
                index = next
            }
            guard index < count else { throw Rejection() }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                try skipEscape()
                continue
            }
            if byte < 0x20 { throw Rejection() }
            if byte >= 0x80 { sawNonASCII = true }
            index += 1
        }
        let end = index
        // Escapes are ASCII, so checking the raw bytes checks the decoded ones.
        if sawNonASCII && JSONParser.invalidUTF8Offset(in: UnsafeBufferPointer(rebasing: bytes[start..<end])) != nil {
            throw Rejection()
        }
        advanceToken()  // closing quote
        return RawString(start: start, end: end, hasEscapes: hasEscapes)
    }

    /// The high bit of each of the word's bytes (in memory order from the lowest) that is `"`,
    /// `\\`, below 0x20 or above 0x7F, and perhaps of later ones: the lowest set bit is exact (the
    /// zero-byte and less-than bit tricks only flag falsely above a true hit).
    @inline(__always)
    private static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = (word &- ones &* 0x20) & ~word
        return (hasQuote | hasBackslash | hasControl | word) & (ones &* 0x80)
    }

    /// At a backslash: steps over one escape, checking it as `JSONParser.parseEscape` does.
    private mutating func skipEscape() throws(Rejection) {
        index += 1
        guard index < bytes.count else { throw Rejection() }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return
        case UInt8(ascii: "u"):
            let scalar = try readHex4()
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw Rejection() }
                index += 2
                guard (0xDC00...0xDFFF).contains(try readHex4()) else { throw Rejection() }
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw Rejection()
            }
        default:
            throw Rejection()
        }
    }

    private mutating func readHex4() throws(Rejection) -> UInt16 {
        guard bytes.count - index >= 4 else { throw Rejection() }
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let digit = JSONHexDigit.value(bytes[index]) else { throw Rejection() }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    // MARK: - Numbers

    /// The largest decimal order of magnitude (integer digits + exponent) accepted for a
    /// non-integer number: below 10^308 a number cannot round to infinity (Double's largest
    /// finite value is about 1.8e308). Larger ones are rejected and left to `JSONParser`.
    private static let maxDecimalMagnitude = 308

    /// At `-` or a digit: validates the number as `JSONParser.parseNumber` does.
    public mutating func readNumber() throws(Rejection) -> Number {
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < bytes.count, isDigit(bytes[index]) else { throw Rejection() }
        // Integer part, accumulated negatively so Int64.min fits.
        var magnitude: Int64 = 0
        var overflow = false
        var integerDigits = 0  // significant digits before any '.', for the overflow bound
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count && isDigit(bytes[index]) { throw Rejection() }
        } else {
            while index < bytes.count && isDigit(bytes[index]) {
                let digit = Int64(bytes[index] - UInt8(ascii: "0"))
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (next, o2) = times10.subtractingReportingOverflow(digit)
                if o1 || o2 { overflow = true } else { magnitude = next }
                integerDigits += 1
                index += 1
            }
        }
        var isInteger = true
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw Rejection() }
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
        }
        var exponent = 0
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            isInteger = false
            index += 1
            var exponentSign = 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
                if bytes[index] == UInt8(ascii: "-") { exponentSign = -1 }
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw Rejection() }
            while index < bytes.count && isDigit(bytes[index]) {
                // Saturate: anything past a million is as good as infinite here.
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(bytes[index] - UInt8(ascii: "0")) }
                index += 1
            }
            exponent *= exponentSign
        }
        skipWhitespace()
        if isInteger && !overflow {
            if negative { return .int(magnitude) }
            if magnitude != Int64.min { return .int(-magnitude) }
        }
        // |value| < 10^(integerDigits + exponent); JSONParser rejects it only if Double overflows.
        guard integerDigits + exponent <= Self.maxDecimalMagnitude else { throw Rejection() }
        return .other
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    // MARK: - Whitespace

    /// Steps over the current one-byte token and the whitespace after it.
    @inline(__always)
    private mutating func advanceToken() {
        index += 1
        skipWhitespace()
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }
}
