import Foundation
import LoadCore

/// Replaces the header line of a finished event log. A sweep learns its stages as it goes, but the
/// header (line 1) must list them for `loadreport --group-by stage`: at the end the log is copied
/// under a new header and renamed over the old one. A killed sweep keeps the first header; its
/// attempts still carry their stage index.
enum EventLogHeaderRewrite {
    /// - Throws: `CLIError` naming the file when it cannot be read or written.
    static func replaceHeader(of path: String, with header: RunHeader) throws {
        let temporary = path + ".rewrite"
        do {
            let writer = try EventLogWriter(path: temporary, header: header)
            try writer.close()
            let old = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let newline = old.firstIndex(of: 0x0A) else { throw CLIError("\(path) has no header line") }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            try handle.seekToEnd()
            try handle.write(contentsOf: old[(newline + 1)...])
            try handle.close()
            guard rename(temporary, path) == 0 else {
                throw CLIError("cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))")
            }
        } catch let error as CLIError {
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw CLIError("cannot rewrite the header of \(path): \(error)")
        }
    }
}
