#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// The mock's send-time stamps (`target.mock.stamp`, `loadgen mock --stamp`): each SSE event's
/// JSON gets `"x_mock_sent_ns":N` as its last member and the response head an `x-mock-sent-ns: N`
/// header, N being CLOCK_MONOTONIC in nanoseconds when the bytes are handed to the socket's write.
/// On one host loadgen shares that clock, so it can measure how late it reads each event. Real
/// providers never send these fields; without `stamp` nothing is added and nothing is spent.
enum SendStamp {
    /// The field added to each event's JSON.
    static let field = "x_mock_sent_ns"
    /// The response header.
    static let headerName = "x-mock-sent-ns"

    /// CLOCK_MONOTONIC now, in nanoseconds.
    static func nowNanos() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }

    /// The header, stamped now.
    static func header() -> (String, String) {
        (headerName, String(nowNanos()))
    }

    /// Adds `"x_mock_sent_ns":nanos` before the closing brace of every `data: {...}` line written
    /// into `buffer` from `start` on. Other lines (`event:`, `data: [DONE]`) are left as they are.
    static func stampEvents(in buffer: inout ByteBuffer, from start: Int, nanos: UInt64) {
        guard let bytes = buffer.getBytes(at: start, length: buffer.writerIndex - start), !bytes.isEmpty else { return }
        let member = Array(",\"\(field)\":\(nanos)".utf8)
        var stamped: [UInt8] = []
        stamped.reserveCapacity(bytes.count + 8 * member.count)
        var lineStart = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "\n") {
            let line = bytes[lineStart..<index]
            if line.starts(with: dataObject), line.count > dataObject.count, line.last == UInt8(ascii: "}") {
                stamped += line.dropLast()
                // An empty object gets the member without a comma before it.
                stamped += line.count == dataObject.count + 1 ? member.dropFirst() : member[...]
                stamped.append(UInt8(ascii: "}"))
            } else {
                stamped += line
            }
            if index < bytes.count { stamped.append(UInt8(ascii: "\n")) }
            lineStart = index + 1
        }
        buffer.moveWriterIndex(to: start)
        buffer.writeBytes(stamped)
    }

    private static let dataObject = Array("data: {".utf8)
}
