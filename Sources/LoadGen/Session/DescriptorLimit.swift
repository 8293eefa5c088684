import Foundation
import LoadCore
import LoadEngine

/// File descriptors (RLIMIT_NOFILE): a run raises its soft limit to the hard limit at start, then
/// checks, before anything is sent, what its peak may need. Running out mid-run reads as a flood
/// of instant `connect` errors instead.
///
/// The need is counted as: the descriptors open once the embedded mock exists, plus a margin for
/// the engine, the run's files and libcurl's resolver, plus per stream at the peak one client
/// socket and, with the embedded mock in this process, the mock's accepted socket. Streams at the
/// peak: closed loop, the most users (a certain need: a profile that needs more is refused); open
/// loop, the most that can be in flight: peak rate × the total timeout (no attempt lives longer),
/// never more than limits.max_in_flight or the request count (a possible need: max_in_flight is
/// lowered to fit, so that arrivals wait in the queue instead of failing). HTTP/1.1 caps the
/// streams at limits.max_connections; HTTP/2 multiplexes about 100 streams per connection.
struct DescriptorLimit: Equatable {
    /// Descriptors open besides the streams' sockets: the run's files, the display, libcurl's resolver.
    static let margin = 32
    /// Streams libcurl multiplexes over one HTTP/2 connection (its default).
    static let streamsPerHTTP2Connection = 100

    var peakStreams: Int
    var socketsPerStream: Int
    var openAtStart: Int
    /// Whether every stream is sure to be open at once (closed loop, the warm-up), not only possible.
    var isCertain: Bool
    /// Streams per connection: 1 for HTTP/1.1, about 100 for HTTP/2.
    var streamsPerConnection: Int

    /// What the run does about its need.
    enum Decision: Equatable {
        case fits
        /// Run with limits.max_in_flight lowered to this; the text says so.
        case lowerMaxInFlight(to: Int, note: String)
        case refuse(String)
    }

    /// Descriptors the run needs at its peak.
    var needed: Int { openAtStart + Self.margin + peakStreams * socketsPerStream }

    init(profile: Profile, warmupConnections: Int, embeddedMock: Bool, openAtStart: Int) {
        var streams: Int
        switch profile.load.mode {
        case .closed:
            streams = min(ClosedLoopPlan(stages: profile.load.stages, maxRequests: profile.limits.maxRequests).maxUsers,
                          profile.limits.maxInFlight)
            isCertain = true
        case .open:
            isCertain = false
            streams = profile.limits.maxInFlight
            if case .trace = profile.load.arrival {} else {
                let peakRate = profile.load.stages.map { max($0.level.start, $0.level.end) }.max() ?? 0
                let bound = (peakRate * Double(profile.limits.timeoutNanos) / 1e9).rounded(.up) + 1
                if bound < Double(streams) { streams = Int(bound) }
            }
        }
        if let requests = profile.limits.maxRequests { streams = min(streams, requests) }
        if profile.target.http == .http1_1, let connections = profile.limits.maxConnections {
            streams = min(streams, connections)
        }
        streamsPerConnection = profile.target.http == .http1_1 ? 1 : Self.streamsPerHTTP2Connection
        streams = (streams + streamsPerConnection - 1) / streamsPerConnection
        if warmupConnections > streams { isCertain = true }
        peakStreams = max(streams, warmupConnections)
        socketsPerStream = embeddedMock ? 2 : 1
        self.openAtStart = openAtStart
    }

    /// What to do with `limit` descriptors: fit, lower max_in_flight (a possible need), or refuse
    /// (a certain need, or no room for even one stream).
    func decision(limit: Int, maxInFlight: Int) -> Decision {
        guard needed > limit else { return .fits }
        let perStream = socketsPerStream == 2 ? " × 2 sockets (the client's and the embedded mock's)" : " sockets"
        let figures = "about \(needed) file descriptors at its peak (\(peakStreams) "
            + (streamsPerConnection > 1 ? "connections" : "streams") + "\(perStream), \(openAtStart) open at start and "
            + "\(Self.margin) to spare), more than the limit of \(limit) (ulimit -Hn)"
        let room = (limit - openAtStart - Self.margin) / socketsPerStream * streamsPerConnection
        if isCertain || room < 1 {
            return .refuse("this run needs \(figures); raise the hard limit (ulimit -n \(needed) as root, or "
                + "LimitNOFILE= / /etc/security/limits.conf), or lower the peak: users, limits.max_in_flight, "
                + "limits.max_connections or --warmup-connections")
        }
        return .lowerMaxInFlight(to: min(room, maxInFlight), note: "limits.max_in_flight lowered from \(maxInFlight) "
            + "to \(min(room, maxInFlight)): this run may need \(figures); arrivals beyond wait in the queue (raise the "
            + "hard limit to keep \(maxInFlight))")
    }

    /// Raises the soft RLIMIT_NOFILE to the hard limit.
    /// - Returns: the soft limit before and after (after: what the run may use).
    static func raiseSoftLimit() -> (before: Int, after: Int) {
        var limits = rlimit()
        guard getrlimit(resourceNoFile, &limits) == 0 else { return (Int.max, Int.max) }
        let before = clamp(limits.rlim_cur)
        guard limits.rlim_cur < limits.rlim_max else { return (before, before) }
        var raised = limits
        raised.rlim_cur = limits.rlim_max
        #if os(macOS)
        // macOS refuses RLIM_INFINITY for descriptors: OPEN_MAX is the most it takes.
        if raised.rlim_cur == RLIM_INFINITY { raised.rlim_cur = rlim_t(OPEN_MAX) }
        #endif
        guard setrlimit(resourceNoFile, &raised) == 0 else { return (before, before) }
        return (before, clamp(raised.rlim_cur))
    }

    /// Descriptors open in this process now (/proc/self/fd on Linux; elsewhere, those below 1024 in use).
    static func openNow() -> Int {
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            return max(entries.count - 1, 0)  // the directory's own descriptor while it is listed
        }
        return (0..<1024).filter { fcntl(Int32($0), F_GETFD) != -1 }.count
    }

    #if os(Linux)
    private static let resourceNoFile = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resourceNoFile = RLIMIT_NOFILE
    #endif

    private static func clamp(_ value: rlim_t) -> Int {
        value >= rlim_t(Int.max) ? Int.max : Int(value)
    }
}
