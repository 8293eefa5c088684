import Foundation
import XCTest

/// deploy/kubernetes: the manifests validate offline against the Kubernetes schemas
/// (scripts/validate-k8s.sh; skipped without kubernetes-validate, which scripts/install-py-tools.sh
/// installs), and the local simulation of a 4-pod Indexed Job (scripts/k8s-local.sh: the pods'
/// exact args, JOB_COMPLETION_INDEX set, a local mock) produces a merged report of exactly the
/// one-process schedule's requests.
final class KubernetesDeployTests: XCTestCase {
    private func bash(_ script: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> BinaryRunner.Result
    {
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        let path = BinaryRunner.repositoryRoot.appendingPathComponent(script).path
        let launched = try BinaryRunner.launch(URL(fileURLWithPath: "/bin/bash"), [path] + arguments, environment: merged)
        return BinaryRunner.finish(launched.process, launched.stdout, launched.stderr)
    }

    func testManifestsValidateOffline() throws {
        let result = try bash("scripts/validate-k8s.sh", [])
        if result.status == 2 { throw XCTSkip("kubernetes-validate is not installed (scripts/install-py-tools.sh)") }
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("passed for resource job/loadgen-check"), result.stdout + result.stderr)
    }

    func testTheJobsArgsUseShardAutoAndStartAt() throws {
        let job = try String(contentsOf: BinaryRunner.repositoryRoot.appendingPathComponent("deploy/kubernetes/job.yaml"),
                             encoding: .utf8)
        XCTAssertTrue(job.contains("completionMode: Indexed"))
        XCTAssertTrue(job.contains("completions: __SHARDS__") && job.contains("parallelism: __SHARDS__"))
        let args = try XCTUnwrap(job.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("args: [") })
        XCTAssertTrue(args.contains("\"--shard\", \"auto\"") && args.contains("\"--start-at\", \"$(START_AT)\""), String(args))
    }

    func testLocalSimulationOfAFourPodJobMergesToTheWholeSchedule() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        // 30/s for 2 s, even pacing: 60 requests in all, 15 per shard.
        let profile = try CLITestSupport.writeProfile("""
            name: k8s-local-e2e
            seed: 3
            target: {provider: openai-compatible, model: mock-small, base_url: "http://placeholder:1/v1"}
            request: {max_tokens: 4}
            load: {mode: open, stages: [{duration: 2s, rate: 30}]}
            """, in: directory)
        let out = directory.appendingPathComponent("out")
        let result = try bash("scripts/k8s-local.sh", [
            "--profile", profile.path, "--shards", "4", "--lead", "5", "--out", out.path,
            "--bin", BinaryRunner.productsDirectory.path, "--mock-args", "--ttft 10ms --itl 1ms", "--", "--format", "json",
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let overall = try XCTUnwrap(document["overall"] as? [String: Any], result.stdout)
        XCTAssertEqual(overall["requests"] as? Int, 60)
        XCTAssertEqual(overall["request_successes"] as? Int, 60)
        for index in 0..<4 {
            let metadata = try CLITestSupport.json(out.appendingPathComponent("shard-\(index)/run.json"))
            XCTAssertEqual((metadata["shard"] as? [String: Any])?["index"] as? Int, index)
            XCTAssertTrue((metadata["command"] as? [String])?.contains("auto") ?? false)
        }
    }

    /// scripts/k8s-run.sh against a fake kubectl (scripts/testing/kubectl: the "pods" are local
    /// processes of the image's wrapper): it makes the ConfigMap, applies the Job, collects each
    /// shard with kubectl cp, lets the pods exit and merges the shards.
    func testK8sRunAppliesCollectsAndMerges() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let mock = try CLITestSupport.startMock(["--ttft", "10ms", "--itl", "1ms"])
        defer { CLITestSupport.stop(mock.process) }
        let profiles = directory.appendingPathComponent("profile")
        try FileManager.default.createDirectory(at: profiles, withIntermediateDirectories: true)
        let profile = try CLITestSupport.writeProfile("""
            name: k8s-run-e2e
            target: {provider: openai-compatible, model: m, base_url: "\(mock.baseURL)"}
            request: {max_tokens: 4}
            load: {mode: open, stages: [{duration: 2s, rate: 30}]}
            """, in: profiles)
        let cluster = directory.appendingPathComponent("cluster")
        try FileManager.default.createDirectory(at: cluster, withIntermediateDirectories: true)
        let root = BinaryRunner.repositoryRoot
        let path = root.appendingPathComponent("scripts/testing").path + ":" + BinaryRunner.productsDirectory.path + ":"
            + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let out = directory.appendingPathComponent("runs")
        let result = try bash("scripts/k8s-run.sh", [
            "--image", "registry.example.com/loadgen:test", "--profile", profile.path, "--shards", "3", "--lead", "5",
            "--out", out.path,
        ], environment: [
            "PATH": path, "FAKE_KUBE_DIR": cluster.path,
            "FAKE_WRAPPER": root.appendingPathComponent("deploy/kubernetes/loadgen-shard.sh").path,
            "LOADREPORT": BinaryRunner.productsDirectory.appendingPathComponent("loadreport").path,
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("requests: 60 (60 ok, 0 failed)"), result.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("merged.txt").path))
        let calls = try String(contentsOf: cluster.appendingPathComponent("calls.log"), encoding: .utf8)
        XCTAssertTrue(calls.contains("create configmap loadgen-") && calls.contains("--from-file=profile.yaml="), calls)
        for index in 0..<3 {
            XCTAssertTrue(calls.contains("exec loadgen-") && calls.contains("-\(index)-fake -- touch /out/collected"), calls)
            // Each "pod" was let go after collection and exited with loadgen's status.
            let exit = try String(contentsOf: cluster.appendingPathComponent("pod-\(index)/exit"), encoding: .utf8)
            XCTAssertEqual(exit.trimmingCharacters(in: .whitespacesAndNewlines), "0")
        }
    }
}
