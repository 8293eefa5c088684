import Foundation
import Histogram
import LoadCore

/// Reading HdrHistogram's compressed V2 encoding back (`HdrV2Encoding` writes it): what the tests
/// use to check that loadgen's histogram logs decode, merge exactly and match other libraries.
extension HdrV2Encoding {
    /// A base64 text that is not a V2 histogram this build can read.
    public struct DecodingError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Decodes a base64 compressed V2 histogram.
    /// - Throws: ``DecodingError`` naming what is wrong.
    public static func decode(base64 text: String) throws -> Histogram<UInt64> {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw DecodingError(description: "not base64")
        }
        return try decode(compressed: [UInt8](data))
    }

    /// Decodes a compressed V2 histogram.
    /// - Throws: ``DecodingError`` naming what is wrong.
    public static func decode(compressed bytes: [UInt8]) throws -> Histogram<UInt64> {
        guard bytes.count >= 8, readUInt32(bytes, 0) == compressedCookie else {
            throw DecodingError(description: "not a compressed V2 HdrHistogram (cookie 0x1c849314)")
        }
        let length = Int(readUInt32(bytes, 4))
        guard bytes.count >= 8 + length else { throw DecodingError(description: "truncated") }
        let plain: [UInt8]
        do {
            plain = try ZlibInflate.inflate(Array(bytes[8..<(8 + length)]))
        } catch {
            throw DecodingError(description: "the zlib stream is bad: \(error)")
        }
        guard plain.count >= 40, readUInt32(plain, 0) == uncompressedCookie else {
            throw DecodingError(description: "not a V2 HdrHistogram encoding (cookie 0x1c849313)")
        }
        let payloadLength = Int(readUInt32(plain, 4))
        let digitsRaw = Int8(truncatingIfNeeded: readUInt32(plain, 12))
        let lowest = readUInt64(plain, 16)
        let highest = readUInt64(plain, 24)
        guard readUInt32(plain, 8) == 0 else { throw DecodingError(description: "a normalizing index offset is not supported") }
        guard let digits = SignificantDigits(rawValue: digitsRaw), lowest >= 1, highest >= 2 * lowest,
              plain.count >= 40 + payloadLength
        else {
            throw DecodingError(description: "the header's layout is invalid")
        }
        var histogram = Histogram<UInt64>(lowestDiscernibleValue: lowest, highestTrackableValue: highest,
                                          numberOfSignificantValueDigits: digits)
        let layout = Layout(histogram)
        var index = 0
        var position = 40
        while position < 40 + payloadLength {
            let value = try readZigZag(plain, &position)
            if value < 0 {
                index += Int(-value)
            } else {
                if value > 0 {
                    let recorded = layout.value(atIndex: index)
                    guard recorded <= highest, histogram.record(recorded, count: UInt64(value)) else {
                        throw DecodingError(description: "a count lies outside the histogram's range")
                    }
                }
                index += 1
            }
        }
        return histogram
    }

    private static func readZigZag(_ bytes: [UInt8], _ position: inout Int) throws -> Int64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count, shift < 64 else { throw DecodingError(description: "a count is truncated") }
            let byte = bytes[position]
            position += 1
            if shift == 56 {
                // HdrHistogram's LEB128 keeps all 8 bits of a ninth byte.
                value |= UInt64(byte) << shift
                break
            }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    private static func readUInt32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(bytes[offset + $1]) }
    }

    private static func readUInt64(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[offset + $1]) }
    }
}

extension HdrV2Encoding.Layout {
        func value(atIndex index: Int) -> UInt64 {
            var bucket = (index >> subBucketHalfCountMagnitude) - 1
            var subBucket = (index & ((1 << subBucketHalfCountMagnitude) - 1)) + (1 << subBucketHalfCountMagnitude)
            if bucket < 0 {
                subBucket -= 1 << subBucketHalfCountMagnitude
                bucket = 0
            }
            return UInt64(subBucket) << UInt64(bucket + unitMagnitude)
        }
}
