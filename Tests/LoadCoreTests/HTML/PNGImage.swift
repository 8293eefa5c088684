import Foundation
import HistogramDecoding
@testable import LoadCore

/// A PNG read into RGB pixels, enough for screenshots: 8-bit RGB or RGBA, not interlaced, every
/// filter type. Uses LoadCore's inflater.
struct PNGImage {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    let width: Int
    let height: Int
    /// Row-major, `channels` bytes per pixel.
    private let pixels: [UInt8]
    private let channels: Int

    init(contentsOf url: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
        guard bytes.count > 8, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw Malformed(description: "\(url.path): not a PNG")
        }
        func uint32(_ at: Int) -> Int {
            Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
        }
        var offset = 8
        var width = 0, height = 0, colorType = 0
        var compressed: [UInt8] = []
        while offset + 8 <= bytes.count {
            let length = uint32(offset)
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let data = offset + 8
            guard data + length <= bytes.count else { throw Malformed(description: "\(url.path): truncated chunk \(type)") }
            switch type {
            case "IHDR":
                width = uint32(data)
                height = uint32(data + 4)
                colorType = Int(bytes[data + 9])
                guard bytes[data + 8] == 8, bytes[data + 12] == 0, colorType == 2 || colorType == 6 else {
                    throw Malformed(description: "\(url.path): only 8-bit RGB(A), non-interlaced PNGs are read")
                }
            case "IDAT": compressed += bytes[data..<(data + length)]
            default: break
            }
            offset = data + length + 4
        }
        channels = colorType == 6 ? 4 : 3
        self.width = width
        self.height = height
        let raw = try ZlibInflate.inflate(compressed)
        let stride = width * channels
        guard raw.count >= height * (stride + 1) else { throw Malformed(description: "\(url.path): too few pixel bytes") }
        var out = [UInt8](repeating: 0, count: height * stride)
        for row in 0..<height {
            let filter = raw[row * (stride + 1)]
            let source = row * (stride + 1) + 1
            let target = row * stride
            for i in 0..<stride {
                let x = raw[source + i]
                let a = i >= channels ? out[target + i - channels] : 0
                let b = row > 0 ? out[target - stride + i] : 0
                let c = row > 0 && i >= channels ? out[target - stride + i - channels] : 0
                switch filter {
                case 0: out[target + i] = x
                case 1: out[target + i] = x &+ a
                case 2: out[target + i] = x &+ b
                case 3: out[target + i] = x &+ UInt8((Int(a) + Int(b)) / 2)
                case 4: out[target + i] = x &+ Self.paeth(a, b, c)
                default: throw Malformed(description: "\(url.path): filter \(filter) in row \(row)")
                }
            }
        }
        pixels = out
    }

    private static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let p = Int(a) + Int(b) - Int(c)
        let pa = abs(p - Int(a)), pb = abs(p - Int(b)), pc = abs(p - Int(c))
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }

    /// Pixels in a rectangle (clipped to the image) of a saturated colour, as the chart lines are
    /// drawn (axes, grid and text are gray): a blank chart area has none.
    func coloredPixels(x: Int, y: Int, width w: Int, height h: Int) -> Int {
        var count = 0
        for row in max(y, 0)..<max(min(y + h, height), max(y, 0)) {
            for column in max(x, 0)..<max(min(x + w, width), max(x, 0)) {
                let i = (row * width + column) * channels
                let (r, g, b) = (Int(pixels[i]), Int(pixels[i + 1]), Int(pixels[i + 2]))
                if max(r, g, b) - min(r, g, b) > 60 { count += 1 }
            }
        }
        return count
    }
}
