/// The zlib container (RFC 1950) around DEFLATE (RFC 1951), written with stored (uncompressed)
/// blocks, for HdrHistogram's compressed encoding: the histogram encoding is already compact, and
/// any inflater reads them. (Nothing in loadgen reads histograms back; the tests' decoder, with
/// its inflater, is in Tests/HistogramDecoding.)
public enum Zlib {

    /// `bytes` in a zlib stream of stored blocks (header 0x78 0x01, Adler-32 trailer).
    static func storedStream(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(65_535, bytes.count - offset)
            let final = offset + length == bytes.count
            out.append(final ? 1 : 0)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += bytes[offset..<(offset + length)]
            offset += length
        } while offset < bytes.count
        let checksum = adler32(bytes)
        out += [UInt8(checksum >> 24), UInt8((checksum >> 16) & 0xFF), UInt8((checksum >> 8) & 0xFF), UInt8(checksum & 0xFF)]
        return out
    }

    /// Adler-32 (RFC 1950); public for the tests' inflater.
    public static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }
}
