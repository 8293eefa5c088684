import Foundation
import XCTest

/// A client starved of CPU by other processes (the client self-check, docs/client-check.md): the
/// same profile, an open loop at 2,000 requests/s against the embedded mock (about half a core of
/// this machine kind, client and mock together), run twice:
/// - free to use a core of its own: `client: ok` (start lag p90 5.6 ms measured beside a release
///   build, against the 50 ms limit). Asserted only when the run had that core: when other processes
///   kept more than one core busy on average (`stress-ng --cpu 2` beside CI), this run is starved
///   too (it read `saturated`, loop busy 99 %, there), and only the pinned case is asserted;
/// - pinned with `taskset -c 0` to one core that six busy loops share: it falls behind its
///   schedule and ends `client: saturated` with the start lag as the reason (p90 634 ms measured
///   with four busy loops; a machine twice as fast still gets well under its need from a seventh of a core).
/// Skipped where `taskset` is missing or may not pin (a container without sched_setaffinity).
final class CPUStarvationTests: XCTestCase {
    private static let profile = """
        name: starved
        target: {provider: mock, mock: {ttft: 5ms, inter_token: 1ms, output_tokens: 4}}
        load: {mode: open, rate: 2000, duration: 2s}
        """
    private static let taskset = "/usr/bin/taskset"

    func testAClientPinnedBesideBusyLoopsIsSaturatedAndTheSameRunUnpinnedIsOK() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.taskset),
              try BinaryRunner.runTool(Self.taskset, ["-c", "0", "/bin/true"]).status == 0 else {
            throw XCTSkip("taskset is missing or cannot pin to core 0 here")
        }
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile(Self.profile, in: directory)
        let loadgen = try BinaryRunner.executable("loadgen").path
        func arguments(_ runs: String) -> [String] {
            ["--profile", profile.path, "--output", directory.appendingPathComponent(runs).path, "--no-html",
             "--workers", "1"]
        }

        let before = MachineCPU.read()
        let free = try BinaryRunner.run(arguments("free"))
        let others = MachineCPU.read().coresBusy(since: before)
        XCTAssertEqual(free.status, 0, free.stderr)
        print("CPUStarvationTests: other processes kept \(String(format: "%.2f", others)) cores busy beside the free run"
              + (others <= 1.0 ? "" : ": its verdict is not asserted"))
        if others <= 1.0 {
            XCTAssertTrue(free.stdout.contains("client: ok"), "other processes kept \(others) cores busy\n\(free.stdout)")
        }

        var spinners: [Process] = []
        defer {
            for spinner in spinners {
                spinner.terminate()
                spinner.waitUntilExit()
            }
        }
        for _ in 0..<6 {
            let (spinner, _, _) = try BinaryRunner.launch(
                URL(fileURLWithPath: Self.taskset), ["-c", "0", "/bin/sh", "-c", "while :; do :; done"])
            spinners.append(spinner)
        }
        let starved = try BinaryRunner.runTool(Self.taskset, ["-c", "0", loadgen] + arguments("starved"))
        XCTAssertEqual(starved.status, 0, starved.stderr)
        let verdict = starved.stdout.split(separator: "\n").first { $0.hasPrefix("client: ") }.map(String.init) ?? ""
        XCTAssertTrue(verdict.hasPrefix("client: saturated ("), starved.stdout)
        XCTAssertTrue(verdict.contains("start lag p90 "), verdict)
        let run = try CLITestSupport.onlyRunDirectory(in: directory.appendingPathComponent("starved"))
        let client = try XCTUnwrap(try CLITestSupport.json(run.appendingPathComponent("summary.json"))["client"] as? [String: Any])
        XCTAssertEqual(client["verdict"] as? String, "saturated")
    }
}

/// The machine's CPU time from `/proc/stat` and this process's reaped children's from
/// `getrusage`: how many cores other processes kept busy between two readings.
private struct MachineCPU {
    let wall: Double
    let busySeconds: Double
    let childrenSeconds: Double

    static func read() -> MachineCPU {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let line = (try? String(contentsOfFile: "/proc/stat", encoding: .utf8))?.split(separator: "\n").first ?? ""
        // cpu user nice system idle iowait irq softirq steal ...
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        let busy = fields.enumerated().filter { $0.offset != 3 && $0.offset != 4 && $0.offset < 8 }.map(\.element).reduce(0, +)
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        let children = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return MachineCPU(wall: Date().timeIntervalSince1970, busySeconds: busy / ticks, childrenSeconds: children)
    }

    /// Cores kept busy on average since `earlier`, leaving out the children reaped in between.
    func coresBusy(since earlier: MachineCPU) -> Double {
        let seconds = max(wall - earlier.wall, 0.001)
        let children = childrenSeconds - earlier.childrenSeconds
        return (busySeconds - earlier.busySeconds - children) / seconds
    }
}
