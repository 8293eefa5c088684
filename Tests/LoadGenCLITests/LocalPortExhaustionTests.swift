import Foundation
import XCTest

/// Out of local ports over real I/O: in a network namespace of its own (`unshare -n`, which needs
/// root or CAP_SYS_ADMIN; skipped without), whose ephemeral port range is four ports wide, twelve
/// users connect to the embedded mock on loopback. Four connect; the others' `connect(2)` fails with
/// EADDRNOTAVAIL, which must read `client_ports` (never `connect`) and name the client in the
/// verdict. The namespace's sysctl leaves the machine's own port range alone.
final class LocalPortExhaustionTests: XCTestCase {
    func testEADDRNOTAVAILIsClientPortsNotConnect() throws {
        // `ip` (iproute2) and `sysctl` (procps) come with scripts/install-deps.sh on Debian.
        func found(_ tool: String) -> Bool {
            ["/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/"].contains { FileManager.default.isExecutableFile(atPath: $0 + tool) }
        }
        guard found("ip"), found("sysctl") else {
            throw XCTSkip("ip (iproute2) or sysctl (procps) is missing")
        }
        let probe = try BinaryRunner.runTool("/usr/bin/unshare", ["-n", "true"])
        guard probe.status == 0 else {
            throw XCTSkip("cannot make a network namespace here (\(probe.stderr.trimmingCharacters(in: .newlines)))")
        }
        let directory = try BinaryRunner.temporaryDirectory(self)
        // A 500 ms first token holds each connection long enough for the others to find no port.
        let profile = try CLITestSupport.writeProfile("""
            name: ports
            target: {provider: mock, mock: {ttft: 500ms, inter_token: 0s, output_tokens: 2}}
            load: {mode: closed, users: 12, requests: 24}
            """, in: directory)
        let runs = directory.appendingPathComponent("runs")
        let loadgen = try BinaryRunner.executable("loadgen").path
        let script = """
            ip link set lo up && sysctl -q -w net.ipv4.ip_local_port_range="40000 40003" && \
            exec "\(loadgen)" --profile "\(profile.path)" --output "\(runs.path)" --no-html --workers 1
            """
        let result = try BinaryRunner.runTool("/usr/bin/unshare", ["-n", "/bin/sh", "-c", script])
        let requests = result.stdout.split(separator: "\n").first { $0.hasPrefix("requests: ") }.map(String.init) ?? ""
        XCTAssertTrue(requests.contains("client_ports"), "\(result.stdout)\n\(result.stderr)")
        XCTAssertFalse(requests.contains("connect"), requests)
        XCTAssertTrue(result.stdout.contains("client: saturated ("), result.stdout)
        XCTAssertTrue(result.stdout.contains("client_ports errors"), result.stdout)
        let run = try CLITestSupport.onlyRunDirectory(in: runs)
        let log = try String(contentsOf: run.appendingPathComponent("events.ndjson"), encoding: .utf8)
        XCTAssertTrue(log.contains("\"error\":\"client_ports\""), "the records carry the class")
    }
}
