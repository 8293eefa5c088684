import Foundation
import XCTest

/// HdrHistogram's own Python reader (`hdrh`, PyPI `hdrhistogram`) reads histograms.hlog, and its
/// per-interval counts add up to the run's (scripts/check-hlog.py). Skipped when no Python with
/// hdrh is at hand: the Python given by LOADGEN_HDRH_PYTHON, else .venv-tools' (which `make test`
/// installs), else python3.
final class HistogramLogPythonTests: XCTestCase {
    func testHdrhReadsTheIntervalsAndTheyAddUpToTheRun() throws {
        // LOADGEN_HDRH_PYTHON, else the venv `make test` installs (scripts/install-py-tools.sh), else python3.
        let venvPython = BinaryRunner.repositoryRoot.appendingPathComponent(".venv-tools/bin/python").path
        let python = ProcessInfo.processInfo.environment["LOADGEN_HDRH_PYTHON"]
            ?? (FileManager.default.isExecutableFile(atPath: venvPython) ? venvPython : "/usr/bin/env")
        let prefix = python == "/usr/bin/env" ? ["python3"] : []
        let probe = try BinaryRunner.launch(URL(fileURLWithPath: python), prefix + ["-c", "import hdrh.log"])
        guard BinaryRunner.finish(probe.process, probe.stdout, probe.stderr).status == 0 else {
            throw XCTSkip("no Python with hdrh (pip install hdrhistogram; set LOADGEN_HDRH_PYTHON to its python)")
        }
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile("""
            name: hlog-python
            target: {provider: mock, model: m, mock: {ttft: 10ms, inter_token: 1ms, output_tokens: 6}}
            load: {mode: open, stages: [{duration: 2500ms, rate: 40}]}
            """, in: directory)
        let run = directory.appendingPathComponent("run")
        let result = try BinaryRunner.run(["-p", profile.path, "--run-dir", run.path, "--quiet", "--no-html",
                                           "--hlog-interval", "500ms"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let script = BinaryRunner.repositoryRoot.appendingPathComponent("scripts/check-hlog.py").path
        let check = try BinaryRunner.launch(URL(fileURLWithPath: python), prefix + [script, run.path])
        let checked = BinaryRunner.finish(check.process, check.stdout, check.stderr)
        XCTAssertEqual(checked.status, 0, checked.stdout + checked.stderr)
        XCTAssertTrue(checked.stdout.contains("ttft: "), checked.stdout)
        XCTAssertTrue(checked.stdout.contains("the run: 100 (ok)"), checked.stdout)
        XCTAssertTrue(checked.stdout.contains("interval lengths (ms): [500]"), checked.stdout)
        XCTAssertFalse(checked.stdout.contains("MISMATCH"), checked.stdout)
    }
}
