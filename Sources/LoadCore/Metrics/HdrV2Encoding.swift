import Foundation
import Histogram

/// HdrHistogram's compressed V2 encoding, the form every HdrHistogram library reads
/// (`Histogram.decodeFromCompressedByteBuffer` in Java, `HdrHistogram.decode` in Python) and in
/// which histograms merge exactly: decode two, add them, and the counts are those of one histogram
/// fed both sets of values.
///
/// Layout, big-endian: cookie 0x1c849314 and the length of a zlib stream whose content is the V2
/// encoding: a 40-byte header (cookie 0x1c849313, payload length, normalizing index offset 0,
/// significant digits, lowest discernible value, highest trackable value, integer-to-double
/// ratio 1.0), then the counts array from index 0 to the highest non-zero one as ZigZag LEB128
/// integers, a run of n > 1 zero counts written as -n. Text form: base64 of the whole.
public enum HdrV2Encoding {
    static let compressedCookie: UInt32 = 0x1c84_9314
    static let uncompressedCookie: UInt32 = 0x1c84_9313

    /// A base64 text that is not a V2 histogram this build can read.
    public struct DecodingError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The compressed V2 encoding of `histogram`, base64 (the `HISTF...` text of HdrHistogram logs).
    public static func base64(_ histogram: Histogram<UInt64>) -> String {
        Data(compressed(histogram)).base64EncodedString()
    }

    /// The compressed V2 encoding of `histogram`.
    public static func compressed(_ histogram: Histogram<UInt64>) -> [UInt8] {
        let layout = Layout(histogram)
        var payload: [UInt8] = []
        var nextIndex = 0
        for value in histogram.recordedValues() where value.count > 0 {
            let index = layout.countsIndex(value.value)
            let zeros = index - nextIndex
            if zeros > 1 {
                appendZigZag(-Int64(zeros), to: &payload)
            } else if zeros == 1 {
                appendZigZag(0, to: &payload)
            }
            appendZigZag(Int64(value.count), to: &payload)
            nextIndex = index + 1
        }
        var plain: [UInt8] = []
        appendBigEndian(uncompressedCookie, to: &plain)
        appendBigEndian(UInt32(payload.count), to: &plain)
        appendBigEndian(UInt32(0), to: &plain)  // normalizing index offset
        appendBigEndian(UInt32(histogram.numberOfSignificantValueDigits.rawValue), to: &plain)
        appendBigEndian(histogram.lowestDiscernibleValue, to: &plain)
        appendBigEndian(histogram.highestTrackableValue, to: &plain)
        appendBigEndian((1.0).bitPattern, to: &plain)  // integer-to-double conversion ratio
        plain += payload
        let deflated = Zlib.storedStream(plain)
        var out: [UInt8] = []
        appendBigEndian(compressedCookie, to: &out)
        appendBigEndian(UInt32(deflated.count), to: &out)
        return out + deflated
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
            plain = try Zlib.inflate(Array(bytes[8..<(8 + length)]))
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

    // MARK: - Counts array layout (HdrHistogram's, with no normalizing offset)

    private struct Layout {
        let unitMagnitude: Int
        let subBucketHalfCountMagnitude: Int
        let subBucketMask: UInt64
        let leadingZeroCountBase: Int

        init(_ histogram: Histogram<UInt64>) {
            let largestSingleUnit = 2 * pow(10, Double(histogram.numberOfSignificantValueDigits.rawValue))
            let subBucketCountMagnitude = Int(ceil(log2(largestSingleUnit)))
            subBucketHalfCountMagnitude = max(subBucketCountMagnitude, 1) - 1
            unitMagnitude = Int(floor(log2(Double(histogram.lowestDiscernibleValue))))
            subBucketMask = (UInt64(1 << subBucketCountMagnitude) - 1) << UInt64(unitMagnitude)
            leadingZeroCountBase = 64 - unitMagnitude - subBucketCountMagnitude
        }

        func countsIndex(_ value: UInt64) -> Int {
            let bucket = leadingZeroCountBase - (value | subBucketMask).leadingZeroBitCount
            let subBucket = Int(value >> UInt64(bucket + unitMagnitude))
            return ((bucket + 1) << subBucketHalfCountMagnitude) + (subBucket - (1 << subBucketHalfCountMagnitude))
        }

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

    // MARK: - Bytes

    private static func appendZigZag(_ value: Int64, to bytes: inout [UInt8]) {
        var rest = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
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

    private static func appendBigEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
    }

    private static func readUInt32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(bytes[offset + $1]) }
    }

    private static func readUInt64(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[offset + $1]) }
    }
}
