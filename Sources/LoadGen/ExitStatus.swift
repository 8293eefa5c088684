/// loadgen's exit codes (also in `loadgen run --help` and README.md). As with curl and k6, each
/// reason to fail has its own code, and a run in which nothing succeeded fails (curl exits
/// non-zero when its one transfer fails; k6 when its checks or thresholds do).
enum ExitStatus {
    /// The run finished (and every threshold passed). Some requests may have failed.
    static let success: Int32 = 0
    /// Something failed: a file could not be written (the event log lost records), libcurl could not start, ...
    static let failure: Int32 = 1
    /// The input is invalid: the profile (with the command line's overrides: a value `--set` puts
    /// in it that the profile check refuses), `.env`, the API key's variable, the models catalog.
    /// Nothing was sent. (A command line ArgumentParser refuses, such as an unknown flag or
    /// `--duration 10`, exits with ``usage``.)
    static let invalidInput: Int32 = 2
    /// The run finished but at least one threshold failed (or `abort_on_fail` stopped it).
    static let thresholdsFailed: Int32 = 3
    /// The target refused the first requests (401, 403 or 404) and the run stopped early.
    static let targetRejected: Int32 = 4
    /// `limits.max_cost_usd` stopped the run early.
    static let costLimitReached: Int32 = 5
    /// Not one request succeeded (connection refused, every request an error, ...); one line says why.
    static let noSuccess: Int32 = 6
    /// The command line itself is wrong: an unknown flag, a flag value that cannot be read
    /// (`--duration 10`, `--rate 0`, port 99999): EX_USAGE, from ArgumentParser. Nothing was sent.
    static let usage: Int32 = 64
    /// SIGINT or SIGTERM stopped the run (the log and summary are complete).
    static let interrupted: Int32 = 130

    /// The text for `--help`, in lines short enough not to be wrapped.
    static let help = """
        Exit codes:
          0 done, 1 error (e.g. the event log could not be written),
          2 bad profile, .env or key (also a --set value the profile refuses),
          3 a threshold failed,
          4 the target refused the first requests (401/403/404),
          5 stopped by limits.max_cost_usd, 6 no request succeeded,
          64 bad command line (unknown flag, unreadable value such as
          --duration 10), 130 interrupted. Precedence: 130, 1, 4, 6, 3, 5.
        """

    /// The run's exit code when several reasons apply: the first of 130, 1, 4, 6, 3, 5 that does.
    static func combined(_ reasons: Set<Int32>) -> Int32 {
        for code in [interrupted, failure, targetRejected, noSuccess, thresholdsFailed, costLimitReached]
        where reasons.contains(code) {
            return code
        }
        return success
    }
}
