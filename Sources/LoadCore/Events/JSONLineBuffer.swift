/// Builds one-line JSON objects directly into a byte buffer, without JSONEncoder: the event log's
/// hot path. Strings are escaped per RFC 8259 (quote, backslash and control characters).
struct JSONLineBuffer {
    var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Closes the object and ends the line.
    mutating func endLine() {
        bytes.append(UInt8(ascii: "}"))
        bytes.append(UInt8(ascii: "\n"))
        needsComma = false
    }

    /// Opens an object as the value of the key just written.
    mutating func beginNestedObject() {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Closes a nested object; the next field of the enclosing object gets its comma.
    mutating func endNestedObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func key(_ name: StaticString) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        appendString(value)
    }

    mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        appendInt(value)
    }

    mutating func field(_ name: StaticString, _ value: UInt64) {
        key(name)
        appendUInt(value)
    }

    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8))
    }

    /// A finite double in its shortest round-trip form (`description`); non-finite values are written as null.
    mutating func field(_ name: StaticString, _ value: Double) {
        key(name)
        if value.isFinite {
            if value == value.rounded(), abs(value) < 1e15 {
                appendInt(Int(value))
            } else {
                bytes.append(contentsOf: Array(value.description.utf8))
            }
        } else {
            bytes.append(contentsOf: Array("null".utf8))
        }
    }

    /// Nanoseconds written as microseconds with one decimal (resolution 100 ns).
    mutating func field(_ name: StaticString, nanosAsMicros nanos: UInt64) {
        key(name)
        let tenths = nanos / 100 + (nanos % 100 >= 50 ? 1 : 0)
        appendUInt(tenths / 10)
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(tenths % 10))
    }

    mutating func field(_ name: StaticString, _ values: [UInt32]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            appendUInt(UInt64(value))
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Finite doubles in their shortest round-trip form.
    mutating func field(_ name: StaticString, _ values: [Double]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: Array((value.isFinite ? value.description : "null").utf8))
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func field(_ name: StaticString, _ values: [String]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            appendString(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func appendInt(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendUInt(value.magnitude.toUInt64)
        } else {
            appendUInt(UInt64(value))
        }
    }

    mutating func appendUInt(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[i]) }
        }
    }

    mutating func appendString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0x00..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

private extension UInt {
    var toUInt64: UInt64 { UInt64(self) }
}
