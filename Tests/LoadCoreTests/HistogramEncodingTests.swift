import Foundation
import Histogram
import XCTest
import HistogramDecoding
@testable import LoadCore

/// The exact-merge form of the histograms (HdrHistogram's compressed V2 encoding, zlib in pure
/// Swift) and the .hgrm layout.
final class HistogramEncodingTests: XCTestCase {
    private func sampleHistogram(seed: UInt64, count: Int) -> Histogram<UInt64> {
        var histogram = RunRecorder.makeHistogram()
        var generator = SplitMix64(seed: seed)
        for _ in 0..<count {
            // Log-uniform from 1 µs to about 1 hour: every bucket range gets values.
            let value = UInt64(exp(generator.nextUnitInterval() * log(3.5e9)))
            _ = histogram.record(min(max(value, 1), RunRecorder.highestMicros))
        }
        return histogram
    }

    func testV2RoundTripAndExactMerge() throws {
        let a = sampleHistogram(seed: 1, count: 5_000)
        let b = sampleHistogram(seed: 2, count: 3_000)
        let text = HdrV2Encoding.base64(a)
        XCTAssertTrue(text.hasPrefix("HISTF"), text)  // the cookie 0x1c849314 in base64
        let decodedA = try HdrV2Encoding.decode(base64: text)
        XCTAssertEqual(decodedA, a)
        var merged = decodedA
        merged.add(try HdrV2Encoding.decode(base64: HdrV2Encoding.base64(b)))
        var whole = a
        whole.add(b)
        XCTAssertEqual(merged, whole)
        XCTAssertEqual(merged.valueAtPercentile(99.9), whole.valueAtPercentile(99.9))
        // An empty histogram and one with a zero value.
        XCTAssertEqual(try HdrV2Encoding.decode(base64: HdrV2Encoding.base64(RunRecorder.makeHistogram())),
                       RunRecorder.makeHistogram())
        var zero = RunRecorder.makeHistogram()
        _ = zero.record(0, count: 3)
        XCTAssertEqual(try HdrV2Encoding.decode(base64: HdrV2Encoding.base64(zero)), zero)
    }

    /// A histogram encoded by the Python HdrHistogram package (`hdrhistogram` 0.10, its own zlib
    /// compression): 200 TTFTs of a mock run, p50 20,191 µs, max 23,039 µs, as Python read them.
    func testDecodesWhatTheReferenceLibraryEncodes() throws {
        let fromPython = "HISTFAAAADd4nJNpmSzMwMAgzgABzFCaEURcm7yEwf4DROByMItJQoqGiQQLKws7CwuLOUs0y2pGFgD4zwie"
        let histogram = try HdrV2Encoding.decode(base64: fromPython)
        XCTAssertEqual(histogram.totalCount, 200)
        XCTAssertEqual(histogram.valueAtPercentile(50), 20_191)
        XCTAssertEqual(histogram.max, 23_039)
        XCTAssertEqual(histogram.numberOfSignificantValueDigits, .three)
        XCTAssertEqual(histogram.highestTrackableValue, RunRecorder.highestMicros)
    }

    func testV2DecodingErrorsNameTheProblem() {
        XCTAssertThrowsError(try HdrV2Encoding.decode(base64: "not base64!")) { XCTAssertEqual("\($0)", "not base64") }
        XCTAssertThrowsError(try HdrV2Encoding.decode(base64: Data([1, 2, 3, 4, 5, 6, 7, 8]).base64EncodedString())) {
            XCTAssertTrue("\($0)".contains("cookie 0x1c849314"), "\($0)")
        }
        var bytes = HdrV2Encoding.compressed(sampleHistogram(seed: 3, count: 100))
        bytes[bytes.count - 1] ^= 0xFF  // the Adler-32 trailer
        XCTAssertThrowsError(try HdrV2Encoding.decode(compressed: bytes)) {
            XCTAssertTrue("\($0)".contains("Adler-32"), "\($0)")
        }
    }

    /// Streams compressed by zlib itself (Python's zlib module) at every level: stored, fixed and
    /// dynamic Huffman blocks all inflate to the original bytes.
    func testInflateReadsWhatZlibWrites() throws {
        var generator = SplitMix64(seed: 9)
        var input: [UInt8] = []
        for i in 0..<100_000 {
            let random = Int(generator.next() % 256)
            let letter = (i / 100) % 26 + 97
            input.append(UInt8(i % 7 == 0 ? random : letter))
        }
        let directory = try ReportFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(input).write(to: URL(fileURLWithPath: directory + "/input"))
        let script = """
            import sys, zlib
            data = open(sys.argv[1], 'rb').read()
            for level in range(10):
                open(sys.argv[1] + '.%d' % level, 'wb').write(zlib.compress(data, level))
            open(sys.argv[1] + '.empty', 'wb').write(zlib.compress(b'', 9))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, directory + "/input"]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "python3 with zlib is needed for this test")
        for level in 0..<10 {
            let stream = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/input.\(level)")))
            XCTAssertEqual(try ZlibInflate.inflate(stream), input, "level \(level)")
        }
        XCTAssertEqual(try ZlibInflate.inflate([UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/input.empty")))), [])
        XCTAssertEqual(try ZlibInflate.inflate(Zlib.storedStream(input)), input)
        XCTAssertEqual(try ZlibInflate.inflate(Zlib.storedStream([])), [])
    }

    /// HdrHistogram's percentile-distribution layout: a header line, a blank line, rows of four
    /// numbers (the last row three: its 1/(1-Percentile) is infinite), and three footer lines.
    func testHgrmHasTheHdrHistogramLayout() throws {
        let recorder = RunRecorder()
        ReportFixture.attempts().forEach(recorder.record)
        for (name, text) in recorder.hgrmFiles() {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(lines[0], "       Value     Percentile TotalCount 1/(1-Percentile)", name)
            XCTAssertEqual(lines[1], "", name)
            XCTAssertEqual(lines.last, "", name)
            let footer = Array(lines[(lines.count - 4)..<(lines.count - 1)])
            XCTAssertTrue(footer[0].range(of: #"^#\[Mean    = +[0-9]+\.[0-9]{3}, StdDeviation   = +[0-9]+\.[0-9]{3}\]$"#,
                                          options: .regularExpression) != nil, footer[0])
            XCTAssertTrue(footer[1].range(of: #"^#\[Max     = +[0-9]+\.[0-9]{3}, Total count    = +[0-9]+\]$"#,
                                          options: .regularExpression) != nil, footer[1])
            XCTAssertEqual(footer[2], "#[Buckets =           22, SubBuckets     =         2048]", name)
            let rows = Array(lines[2..<(lines.count - 4)])
            XCTAssertGreaterThan(rows.count, 3, name)
            var lastCount = 0.0
            for (index, row) in rows.enumerated() {
                let columns = row.split(separator: " ").map { Double($0) }
                XCTAssertEqual(columns.count, index == rows.count - 1 ? 3 : 4, "\(name): \(row)")
                XCTAssertFalse(columns.contains(nil), "\(name): \(row)")
                XCTAssertGreaterThanOrEqual(columns[2] ?? -1, lastCount, "\(name): counts never decrease")
                lastCount = columns[2] ?? 0
                // Fixed-width columns as HdrHistogram prints them: %12.3f %2.12f %10d %14.2f.
                XCTAssertEqual(row.count, index == rows.count - 1 ? 12 + 1 + 14 + 1 + 10 : 12 + 1 + 14 + 1 + 10 + 1 + 14,
                               "\(name): \(row)")
            }
            XCTAssertEqual(rows.last.map { $0.split(separator: " ")[1] }, "1.000000000000", name)
            XCTAssertEqual(UInt64(lastCount), recorder.histogram(LatencyMetric(rawValue: String(name.dropLast(5)))!).totalCount)
        }
    }

    func testHistogramLogLinesDecodeToTheRecordersHistograms() throws {
        let recorder = RunRecorder()
        ReportFixture.attempts().forEach(recorder.record)
        let text = recorder.histogramLog(startedAt: Date(timeIntervalSince1970: 1_795_000_000), runName: "fixture")
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[1], "#[Histogram log format version 1.3]")
        XCTAssertEqual(lines[2], "#[StartTime: 1795000000.000 (seconds since epoch), 2026-11-18T11:06:40Z]")
        XCTAssertEqual(lines[3], #""StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram""#)
        let entries = lines.dropFirst(4)
        // Every metric the fixture recorded (it has no mock send stamps: no measurement_delay).
        XCTAssertEqual(entries.count, LatencyMetric.allCases.filter { recorder.histogram($0).totalCount > 0 }.count)
        XCTAssertEqual(entries.count, LatencyMetric.allCases.count - 1)
        for line in entries {
            let fields = line.split(separator: ",").map(String.init)
            XCTAssertEqual(fields.count, 5, line)
            let metric = try XCTUnwrap(LatencyMetric(rawValue: String(fields[0].dropFirst(4))), line)
            XCTAssertEqual(fields[1], "0.000")
            XCTAssertEqual(fields[2], "20.534")
            XCTAssertEqual(try HdrV2Encoding.decode(base64: fields[4]), recorder.histogram(metric))
        }
    }
}
