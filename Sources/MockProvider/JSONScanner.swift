/// A validating, allocation-free JSON scanner over raw bytes (RFC 8259 grammar).
///
/// It walks a document once without building a tree: callers step through objects and arrays,
/// read the few values they need and skip the rest (skipping still validates). String contents
/// are returned as byte ranges into the input, still escaped. Nesting deeper than `maxDepth`
/// is rejected instead of overflowing the stack. UTF-8 validity is not checked.
struct JSONScanner {
    /// Maximum nesting of objects and arrays.
    static let maxDepth = 128

    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private var depth = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The input bytes in `range` (e.g. a string's escaped contents).
    func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer.SubSequence {
        bytes[range]
    }

    /// Whether the bytes in `range` equal `literal`.
    func bytes(in range: Range<Int>, equal literal: [UInt8]) -> Bool {
        guard range.count == literal.count else { return false }
        var i = range.lowerBound
        for byte in literal {
            if bytes[i] != byte { return false }
            i += 1
        }
        return true
    }

    /// The first byte of the next value after whitespace, or nil at the end of the input.
    mutating func peekValueStart() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    // MARK: - Containers

    /// Consumes `{`.
    mutating func beginObject() throws {
        try enter(UInt8(ascii: "{"), what: "an object")
    }

    /// Consumes `[`.
    mutating func beginArray() throws {
        try enter(UInt8(ascii: "["), what: "an array")
    }

    /// Steps to the next member of the current object: returns the key's (escaped) byte range with the
    /// `:` consumed, so the caller must consume the value; returns nil after consuming `}`.
    mutating func nextMember(first: inout Bool) throws -> Range<Int>? {
        guard try continueContainer(close: UInt8(ascii: "}"), first: &first) else { return nil }
        let key = try scanString()
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
            throw error("expected ':' after an object key")
        }
        index += 1
        return key
    }

    /// Steps to the next element of the current array: true when an element follows (the caller must
    /// consume it), false after consuming `]`.
    mutating func nextElement(first: inout Bool) throws -> Bool {
        try continueContainer(close: UInt8(ascii: "]"), first: &first)
    }

    // MARK: - Scalars

    /// Scans a string and returns the byte range of its contents (escapes left in place).
    mutating func scanString() throws -> Range<Int> {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string") }
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let range = start..<index
                index += 1
                return range
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw error("unterminated string") }
                switch bytes[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 1
                case UInt8(ascii: "u"):
                    guard index + 4 < bytes.count else { throw error("unterminated string") }
                    for offset in 1...4 where !Self.isHexDigit(bytes[index + offset]) {
                        throw error("invalid \\u escape")
                    }
                    index += 5
                default:
                    throw error("invalid escape in string")
                }
            case 0..<0x20:
                throw error("unescaped control character in string")
            default:
                index += 1
            }
        }
        throw error("unterminated string")
    }

    /// Scans a number; `isInteger` is false when it has a fraction or an exponent.
    mutating func scanNumber() throws -> (range: Range<Int>, isInteger: Bool) {
        skipWhitespace()
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, Self.isDigit(bytes[index]) else { throw error("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            skipDigits()
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, Self.isDigit(bytes[index]) else { throw error("invalid number") }
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, Self.isDigit(bytes[index]) else { throw error("invalid number") }
            skipDigits()
        }
        return (start..<index, isInteger)
    }

    /// Scans `true`, `false` or `null` (nil).
    mutating func scanBoolOrNull() throws -> Bool? {
        switch peekValueStart() {
        case UInt8(ascii: "t"): try scanLiteral("true"); return true
        case UInt8(ascii: "f"): try scanLiteral("false"); return false
        case UInt8(ascii: "n"): try scanLiteral("null"); return nil
        default: throw error("expected a boolean")
        }
    }

    /// Consumes and validates any value.
    mutating func skipValue() throws {
        switch peekValueStart() {
        case UInt8(ascii: "{"):
            try beginObject()
            var first = true
            while try nextMember(first: &first) != nil { try skipValue() }
        case UInt8(ascii: "["):
            try beginArray()
            var first = true
            while try nextElement(first: &first) { try skipValue() }
        case UInt8(ascii: "\""):
            _ = try scanString()
        case UInt8(ascii: "-"), .some(UInt8(ascii: "0")...UInt8(ascii: "9")):
            _ = try scanNumber()
        case UInt8(ascii: "t"):
            try scanLiteral("true")
        case UInt8(ascii: "f"):
            try scanLiteral("false")
        case UInt8(ascii: "n"):
            try scanLiteral("null")
        case nil:
            throw error("unexpected end of input")
        default:
            throw error("unexpected character")
        }
    }

    /// Requires that only whitespace remains.
    mutating func expectEnd() throws {
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected data after the JSON value") }
    }

    /// A parse error at the current offset.
    func error(_ message: String) -> JSONScanError {
        JSONScanError(message: message, offset: index)
    }

    // MARK: - Helpers

    private mutating func enter(_ open: UInt8, what: String) throws {
        guard peekValueStart() == open else { throw error("expected \(what)") }
        index += 1
        depth += 1
        guard depth <= Self.maxDepth else { throw error("nesting deeper than \(Self.maxDepth)") }
    }

    private mutating func continueContainer(close: UInt8, first: inout Bool) throws -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input") }
        if bytes[index] == close {
            index += 1
            depth -= 1
            return false
        }
        if !first {
            guard bytes[index] == UInt8(ascii: ",") else { throw error("expected ',' or '\(Character(Unicode.Scalar(close)))'") }
            index += 1
            // A value must follow the comma: "[1,]" fails when the caller scans the element.
            skipWhitespace()
            if index < bytes.count, bytes[index] == close { throw error("trailing comma") }
        }
        first = false
        return true
    }

    private mutating func scanLiteral(_ literal: StaticString) throws {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("invalid literal") }
        let pointer = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != pointer[offset] {
            throw error("invalid literal")
        }
        index += count
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func skipDigits() {
        while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
    }
}

/// A malformed JSON document: what was expected and the byte offset where scanning stopped.
struct JSONScanError: Error, Equatable {
    var message: String
    var offset: Int
}
