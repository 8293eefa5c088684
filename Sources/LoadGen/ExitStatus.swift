/// loadgen's exit codes (also in `loadgen run --help` and README.md).
enum ExitStatus {
    /// The run finished (and every threshold passed).
    static let success: Int32 = 0
    /// Something failed: a file could not be written, libcurl could not start, ...
    static let failure: Int32 = 1
    /// The profile (with the command line's overrides) or `.env` is invalid; nothing was sent.
    /// (A flag ArgumentParser itself rejects exits with 64, EX_USAGE.)
    static let invalidInput: Int32 = 2
    /// The run finished but at least one threshold failed (or `abort_on_fail` stopped it).
    static let thresholdsFailed: Int32 = 3
    /// The target refused the first requests (401, 403 or 404) and the run stopped early.
    static let targetRejected: Int32 = 4
    /// SIGINT or SIGTERM stopped the run (the log and summary are complete).
    static let interrupted: Int32 = 130

    /// The text for `--help`, in lines short enough not to be wrapped.
    static let help = """
        Exit codes:
          0 done, 1 error, 2 bad profile or arguments, 3 a threshold failed,
          4 the target refused the first requests (401/403/404),
          64 bad command line, 130 interrupted.
        """
}
