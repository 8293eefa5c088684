import LoadCore

/// The inflating half of zlib (RFC 1950, DEFLATE RFC 1951), in pure Swift: all three block types
/// (stored, fixed and dynamic Huffman), so encodings from other HdrHistogram libraries decode too.
/// Only the tests read histograms back, so it lives here, beside them.
public enum ZlibInflate {
    /// A zlib stream that is malformed or truncated.
    public struct Malformed: Error, CustomStringConvertible {
        public let description: String
    }

    /// The content of a zlib stream, its Adler-32 checked.
    /// - Throws: ``Malformed`` naming what is wrong.
    public static func inflate(_ stream: [UInt8]) throws -> [UInt8] {
        guard stream.count >= 6, stream[0] & 0x0F == 8, (UInt16(stream[0]) << 8 | UInt16(stream[1])) % 31 == 0 else {
            throw Malformed(description: "not a zlib stream")
        }
        guard stream[1] & 0x20 == 0 else { throw Malformed(description: "a preset dictionary is not supported") }
        var inflater = Inflater(input: stream, position: 2)
        let output = try inflater.run()
        let trailer = (inflater.position + 3) < stream.count ? inflater.position : -1
        guard trailer >= 0 else { throw Malformed(description: "the Adler-32 trailer is missing") }
        let expected = UInt32(stream[trailer]) << 24 | UInt32(stream[trailer + 1]) << 16
            | UInt32(stream[trailer + 2]) << 8 | UInt32(stream[trailer + 3])
        guard Zlib.adler32(output) == expected else { throw Malformed(description: "the Adler-32 checksum does not match") }
        return output
    }
}

/// DEFLATE decoding, after Mark Adler's puff.c (the reference decoder shipped with zlib).
private struct Inflater {
    let input: [UInt8]
    /// The next byte to read (after the bits held in `bitBuffer`).
    var position: Int
    var bitBuffer: UInt32 = 0
    var bitCount = 0
    var output: [UInt8] = []

    init(input: [UInt8], position: Int) {
        self.input = input
        self.position = position
    }

    /// A canonical Huffman code: how many codes of each length, and the symbols in code order.
    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int]

        init(lengths: ArraySlice<Int>) throws {
            symbols = [Int](repeating: 0, count: lengths.count)
            for length in lengths { counts[length] += 1 }
            var left = 1
            for length in 1..<16 {
                left <<= 1
                left -= counts[length]
                guard left >= 0 else { throw ZlibInflate.Malformed(description: "an over-subscribed Huffman code") }
            }
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
            for (symbol, length) in lengths.enumerated() where length != 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
        }
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
                             131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
                               2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
                                13, 13]
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    mutating func bits(_ count: Int) throws -> Int {
        var value = bitBuffer
        while bitCount < count {
            guard position < input.count else { throw ZlibInflate.Malformed(description: "the stream ends too early") }
            value |= UInt32(input[position]) << UInt32(bitCount)
            position += 1
            bitCount += 8
        }
        bitBuffer = value >> UInt32(count)
        bitCount -= count
        return Int(value & ((1 << UInt32(count)) - 1))
    }

    mutating func run() throws -> [UInt8] {
        var last = 0
        repeat {
            last = try bits(1)
            switch try bits(2) {
            case 0: try stored()
            case 1: try fixed()
            case 2: try dynamic()
            default: throw ZlibInflate.Malformed(description: "an invalid block type")
            }
        } while last == 0
        // The trailer starts at the next whole byte.
        bitBuffer = 0
        bitCount = 0
        return output
    }

    mutating func stored() throws {
        bitBuffer = 0
        bitCount = 0
        guard position + 4 <= input.count else { throw ZlibInflate.Malformed(description: "the stream ends too early") }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard length == ~complement & 0xFFFF else { throw ZlibInflate.Malformed(description: "a stored block's length is corrupt") }
        position += 4
        guard position + length <= input.count else { throw ZlibInflate.Malformed(description: "the stream ends too early") }
        output += input[position..<(position + length)]
        position += length
    }

    mutating func decode(_ code: Huffman) throws -> Int {
        var value = 0
        var first = 0
        var index = 0
        for length in 1..<16 {
            value |= try bits(1)
            let count = code.counts[length]
            if value - count < first { return code.symbols[index + (value - first)] }
            index += count
            first += count
            first <<= 1
            value <<= 1
        }
        throw ZlibInflate.Malformed(description: "an invalid Huffman code")
    }

    mutating func codes(_ lengths: Huffman, _ distances: Huffman) throws {
        while true {
            var symbol = try decode(lengths)
            if symbol < 256 {
                output.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                symbol -= 257
                guard symbol < 29 else { throw ZlibInflate.Malformed(description: "an invalid length code") }
                let length = Self.lengthBase[symbol] + (try bits(Self.lengthExtra[symbol]))
                let distanceSymbol = try decode(distances)
                guard distanceSymbol < 30 else { throw ZlibInflate.Malformed(description: "an invalid distance code") }
                let distance = Self.distanceBase[distanceSymbol] + (try bits(Self.distanceExtra[distanceSymbol]))
                guard distance <= output.count else { throw ZlibInflate.Malformed(description: "a distance too far back") }
                for _ in 0..<length { output.append(output[output.count - distance]) }
            }
        }
    }

    mutating func fixed() throws {
        var lengths = [Int](repeating: 8, count: 288)
        for symbol in 144..<256 { lengths[symbol] = 9 }
        for symbol in 256..<280 { lengths[symbol] = 7 }
        try codes(Huffman(lengths: lengths[...]), Huffman(lengths: [Int](repeating: 5, count: 30)[...]))
    }

    mutating func dynamic() throws {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw ZlibInflate.Malformed(description: "bad code counts") }
        var lengths = [Int](repeating: 0, count: 320)
        for index in 0..<codeCount { lengths[Self.codeLengthOrder[index]] = try bits(3) }
        let lengthCode = try Huffman(lengths: lengths[0..<19])
        var index = 0
        while index < literalCount + distanceCount {
            var symbol = try decode(lengthCode)
            if symbol < 16 {
                lengths[index] = symbol
                index += 1
                continue
            }
            var repeated = 0
            if symbol == 16 {
                guard index > 0 else { throw ZlibInflate.Malformed(description: "a repeat with no length before it") }
                repeated = lengths[index - 1]
                symbol = 3 + (try bits(2))
            } else if symbol == 17 {
                symbol = 3 + (try bits(3))
            } else {
                symbol = 11 + (try bits(7))
            }
            guard index + symbol <= literalCount + distanceCount else {
                throw ZlibInflate.Malformed(description: "too many code lengths")
            }
            for _ in 0..<symbol {
                lengths[index] = repeated
                index += 1
            }
        }
        guard lengths[256] != 0 else { throw ZlibInflate.Malformed(description: "no end-of-block code") }
        try codes(Huffman(lengths: lengths[0..<literalCount]),
                  Huffman(lengths: lengths[literalCount..<(literalCount + distanceCount)]))
    }
}
