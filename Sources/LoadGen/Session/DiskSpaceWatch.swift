import Foundation

/// Stops a run before its event log fills the disk: on every tick the run directory's file system
/// is asked for its free space (one `statvfs`), and once the free space is below the reserve new
/// requests stop, with one line that says why; the requests in flight finish and are recorded, and
/// the summary is written with room to spare. A flood of records (a unit slip in a rate, a
/// misbehaving server) thus ends as a clear stop, not as a full disk for every other process.
///
/// The reserve is 64 MiB (5 % of a file system smaller than 1.25 GiB): room for the records in
/// flight, the summaries and report.html, which take a few MiB at most. `LOADGEN_DISK_RESERVE_BYTES`
/// sets it (0 turns the watch off).
struct DiskSpaceWatch {
    /// The environment variable that sets the reserve in bytes.
    static let reserveVariable = "LOADGEN_DISK_RESERVE_BYTES"

    /// The file system's figures, in bytes.
    struct Space: Equatable {
        var freeBytes: UInt64
        var totalBytes: UInt64
    }

    /// The reserve in bytes; nil takes the default from the file system's size.
    let configuredReserve: UInt64?
    /// The reason new requests were stopped, once they were.
    private(set) var stopReason: String?

    /// - Parameter environment: where `LOADGEN_DISK_RESERVE_BYTES` is read.
    /// - Throws: a message naming the variable when its value is not a whole number of bytes.
    init(environment: [String: String]) throws {
        if let text = environment[Self.reserveVariable] {
            guard let bytes = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
                throw CLIError("\(Self.reserveVariable)=\"\(text)\": expected a whole number of bytes (0 turns the check off)",
                               exitCode: ExitStatus.invalidInput)
            }
            configuredReserve = bytes
        } else {
            configuredReserve = nil
        }
    }

    /// The reserve for a file system of `totalBytes`.
    func reserve(totalBytes: UInt64) -> UInt64 {
        if let configuredReserve { return configuredReserve }
        return min(64 << 20, totalBytes / 20)
    }

    /// Checks the free space. - Returns: the reason to stop new requests, the first time the free
    /// space is below the reserve; nil otherwise (and always when the reserve is 0).
    mutating func check(_ space: Space) -> String? {
        let reserve = reserve(totalBytes: space.totalBytes)
        guard stopReason == nil, reserve > 0, space.freeBytes < reserve else { return nil }
        let reason = "the run directory's file system has \(Self.describe(space.freeBytes)) free, below the reserve of "
            + "\(Self.describe(reserve)) (\(Self.reserveVariable) sets it)"
        stopReason = reason
        return reason
    }

    /// The free and total bytes of the file system holding `path`; nil when it cannot be asked.
    static func space(atPath path: String) -> Space? {
        var figures = statvfs()
        guard statvfs(path, &figures) == 0 else { return nil }
        let unit = UInt64(figures.f_frsize == 0 ? figures.f_bsize : figures.f_frsize)
        return Space(freeBytes: UInt64(figures.f_bavail) * unit, totalBytes: UInt64(figures.f_blocks) * unit)
    }

    /// Bytes in the largest fitting unit: "812 MiB", "3.1 GiB", "4096 bytes".
    static func describe(_ bytes: UInt64) -> String {
        if bytes >= 1 << 30 { return String(format: "%.1f GiB", Double(bytes) / Double(1 << 30)) }
        if bytes >= 1 << 20 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
