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
    public static let compressedCookie: UInt32 = 0x1c84_9314
    public static let uncompressedCookie: UInt32 = 0x1c84_9313

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

    // MARK: - Counts array layout (HdrHistogram's, with no normalizing offset)

    /// Where each value's count sits in the counts array. Public for the tests' decoder.
    public struct Layout {
        public let unitMagnitude: Int
        public let subBucketHalfCountMagnitude: Int
        public let subBucketMask: UInt64
        public let leadingZeroCountBase: Int

        public init(_ histogram: Histogram<UInt64>) {
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

    private static func appendBigEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
    }
}
