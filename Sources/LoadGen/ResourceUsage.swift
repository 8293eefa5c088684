import Foundation

/// The process's own CPU time and memory, for the summary (client cost per request).
struct ResourceUsage {
    var userCPUSeconds: Double
    var systemCPUSeconds: Double
    /// Peak resident set size since the process started, in KiB.
    var peakRSSKiB: Int
    /// Resident set size now, in KiB.
    var currentRSSKiB: Int

    static func now() -> ResourceUsage {
        var usage = rusage()
        getrusage(RUSAGE_SELF_WHO, &usage)
        return ResourceUsage(
            userCPUSeconds: seconds(usage.ru_utime),
            systemCPUSeconds: seconds(usage.ru_stime),
            peakRSSKiB: Int(usage.ru_maxrss),
            currentRSSKiB: currentRSS())
    }

    #if os(Linux)
    private static let RUSAGE_SELF_WHO = __rusage_who_t(RUSAGE_SELF.rawValue)
    #else
    private static let RUSAGE_SELF_WHO = RUSAGE_SELF
    #endif

    var cpuSeconds: Double { userCPUSeconds + systemCPUSeconds }

    private static func seconds(_ time: timeval) -> Double {
        Double(time.tv_sec) + Double(time.tv_usec) / 1e6
    }

    /// VmRSS from /proc/self/status (Linux); the peak elsewhere.
    private static func currentRSS() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
            var usage = rusage()
            getrusage(RUSAGE_SELF_WHO, &usage)
            return Int(usage.ru_maxrss)
        }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return 0
    }
}
