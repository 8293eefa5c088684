/// Reads the mock's send-time stamp from an SSE event's data: the mock (`target.mock.stamp`,
/// `loadgen mock --stamp`) writes `"x_mock_sent_ns":N` as the last member of each event's JSON
/// object, N being CLOCK_MONOTONIC nanoseconds when the bytes went to the socket (docs/mock.md,
/// "Send stamps"). Real providers never send it.
///
/// Cost: the member is read backwards from the closing brace, so an event costs a few byte
/// compares whatever its length; the engine asks only when the response had an `x-mock-sent-ns`
/// header, so streams without stamps pay nothing.
public enum SendStampField {
    /// The member's name in the event's JSON.
    public static let name = "x_mock_sent_ns"
    /// The response header that says the stream carries stamps.
    public static let headerName = "x-mock-sent-ns"

    private static let key = Array("\"x_mock_sent_ns\":".utf8)

    /// The stamp of one event's data (`{...,"x_mock_sent_ns":123}`, blank space after the brace
    /// allowed), or nil when its last member is not the stamp.
    public static func nanos(in data: [UInt8]) -> UInt64? {
        data.withUnsafeBufferPointer { nanos(in: $0) }
    }

    /// The stamp of one event's data, read in place.
    public static func nanos(in data: UnsafeBufferPointer<UInt8>) -> UInt64? {
        var end = data.count
        while end > 0, data[end - 1] == 0x20 || data[end - 1] == 0x0A || data[end - 1] == 0x0D || data[end - 1] == 0x09 {
            end -= 1
        }
        guard end > 0, data[end - 1] == UInt8(ascii: "}") else { return nil }
        var digitsStart = end - 1
        while digitsStart > 0, data[digitsStart - 1] >= 0x30, data[digitsStart - 1] <= 0x39 { digitsStart -= 1 }
        let digits = end - 1 - digitsStart
        guard digits > 0, digits <= 19, digitsStart >= key.count else { return nil }
        let keyStart = digitsStart - key.count
        for index in 0..<key.count where data[keyStart + index] != key[index] { return nil }
        var value: UInt64 = 0
        for index in digitsStart..<(end - 1) {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            let (sum, overflowSum) = times.addingReportingOverflow(UInt64(data[index] - 0x30))
            guard !overflowSum else { return nil }
            value = sum
        }
        return value
    }
}
