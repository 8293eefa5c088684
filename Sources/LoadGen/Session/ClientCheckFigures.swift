import Foundation
import LoadCore
import LoadEngine

/// Gathers the client self-check's figures at the end of a run (``ClientCheck``): the recorder's
/// start lag, measurement delay and client error classes, the loop's busy fraction, the peak
/// memory against the machine's, and the open-file limit against the run's expected need.
enum ClientCheckFigures {
    /// - Parameter loopBusyByWorker: each worker's loop busy fraction with `--workers N` (N > 1);
    ///   `loopBusyFraction` is then the busiest one's.
    static func check(recorder: RunRecorder, loopBusyFraction: Double?, loopBusyByWorker: [Double]? = nil,
                      peakRSSKiB: Int, openFileLimit: Int?, descriptorsNeeded: Int?) -> ClientCheck {
        var figures = ClientFigures(recorder: recorder)
        // Four decimals, as the event log's end line keeps it: summary.json and loadreport agree.
        figures.loopBusyFraction = loopBusyFraction.map { ($0 * 10_000).rounded() / 10_000 }
        figures.loopBusyByWorker = loopBusyByWorker.map { $0.map { ($0 * 10_000).rounded() / 10_000 } }
        figures.peakRSSKiB = peakRSSKiB
        figures.physicalMemoryKiB = physicalMemoryKiB()
        figures.openFileLimit = openFileLimit
        figures.descriptorsNeeded = descriptorsNeeded
        return ClientCheck(judging: figures)
    }

    /// The machine's physical memory in KiB (nil when the system does not say).
    static func physicalMemoryKiB() -> Int? {
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return nil }
        return pages / 1024 * pageSize
    }
}
