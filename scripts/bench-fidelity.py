#!/usr/bin/env python3
"""Fidelity benchmark (issue 12): how late loadgen reads what the server wrote, at scale.

For each scale, starts `loadgen mock --stamp` as its own process on 127.0.0.1 (a free port), then
runs loadgen against it with closed-loop users: stages ramp to N users (over N/2,000 s, at least
2 s) and hold N for
--seconds; every completion is TTFT 200 ms and 20 tokens 50 ms apart. The mock stamps each event
with its CLOCK_MONOTONIC send time, loadgen records the delay to its own timestamp of the token
(`measurement_delay`). Prints one markdown row per scale: the delay's p50/p99/p99.9/max over the
whole run and p50/p99 over the hold stage (tokens after the ramp and one request), client CPU
(user + system, from getrusage of the child), the loop's busy fraction, the start lag p99 and the
client verdict.

Usage: scripts/bench-fidelity.sh [--scales 1000,5000,10000] [--seconds 10] [--keep DIR]
(--keep DIR keeps each run directory under DIR, for loadreport.)

Environment: LOADGEN_BIN (the binary, default this tree's release build), LOADGEN_WORKERS (the
client's --workers, default 1), FIDELITY_MOCK_CPUS and FIDELITY_CLIENT_CPUS (taskset CPU lists, e.g.
1 and 0: the mock and the client each on a core of its own, so that the mock's work does not delay
the client's reads on a 2-core machine).
"""
import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOADGEN = os.environ.get("LOADGEN_BIN") or os.path.join(ROOT, ".build", "release", "loadgen")


def pinned(cpus_variable):
    """`taskset -c CPUS` when the environment variable names CPUs, else nothing."""
    cpus = os.environ.get(cpus_variable)
    return ["taskset", "-c", cpus] if cpus else []


def start_mock():
    process = subprocess.Popen(
        pinned("FIDELITY_MOCK_CPUS") + [LOADGEN, "mock", "--host", "127.0.0.1", "--port", "0", "--stamp",
         "--ttft", "200ms", "--itl", "50ms", "--tokens", "20"],
        stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/v1", line)
    if not match:
        process.terminate()
        sys.exit(f"bench-fidelity: the mock did not start: {line!r}")
    return process, f"http://127.0.0.1:{match.group(1)}/v1"


def process_cpu_seconds(pid):
    """User + system CPU seconds of a running process, from /proc (Linux); None elsewhere."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def run(users, seconds, workdir, keep=None):
    mock, base_url = start_mock()
    # Ramp the users in at most 2,000 a second: faster, the mock's accept queue overflows on a
    # loaded 2-core machine and connects time out (the server's limit, not the client's).
    ramp = max(2, -(-users // 2000))
    try:
        profile = os.path.join(workdir, "fidelity.yaml")
        with open(profile, "w") as handle:
            handle.write(
                f"name: fidelity-{users}\n"
                f"target: {{provider: openai-compatible, model: mock-small, base_url: \"{base_url}\"}}\n"
                "request: {max_tokens: 20}\n"
                f"load: {{mode: closed, stages: [{{duration: {ramp}s, users: \"1..{users}\"}}, "
                f"{{duration: {seconds}s, users: {users}}}]}}\n"
                f"limits: {{max_in_flight: {users + 100}, timeout: 120s}}\n")
        output = os.path.join(workdir, "runs")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = subprocess.run(pinned("FIDELITY_CLIENT_CPUS") + [LOADGEN, "--profile", profile, "--output", output, "--quiet", "--no-html",
                                 "--workers", os.environ.get("LOADGEN_WORKERS", "1")],
                                capture_output=True, text=True, timeout=seconds + 300, stdin=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if result.returncode != 0:
            sys.exit(f"bench-fidelity: loadgen failed ({result.returncode}):\n{result.stderr}")
        run_dir = os.path.join(output, sorted(os.listdir(output))[-1])
        with open(os.path.join(run_dir, "summary.json")) as handle:
            document = json.load(handle)
        hold = hold_stage_delays(os.path.join(run_dir, "events.ndjson"), start_us=(ramp + 1.2) * 1e6)
        mock_cpu = process_cpu_seconds(mock.pid)
        if keep:
            os.makedirs(keep, exist_ok=True)
            shutil.move(run_dir, os.path.join(keep, os.path.basename(run_dir)))
    finally:
        mock.terminate()
        mock.wait(timeout=30)
    overall = document["overall"]
    delay = overall["metrics"].get("measurement_delay", {})
    client = document.get("client", {})
    tokens = max(overall["output_tokens"], 1)
    user = after.ru_utime - before.ru_utime
    system = after.ru_stime - before.ru_stime
    return {
        "users": users, "peak": document["loadgen"]["peak_in_flight"], "ok": overall["attempt_successes"],
        "errors": overall["attempt_errors"], "tokens": tokens,
        "hold_p50": hold[0], "hold_p99": hold[1],
        "p50": delay.get("p50"), "p99": delay.get("p99"), "p999": delay.get("p999"), "max": delay.get("max"),
        "user": user, "sys": system, "mock_cpu": mock_cpu, "us_per_token": (user + system) / tokens * 1e6,
        "busy": client.get("loop_busy"), "lag_p99": client.get("start_lag_p99_ms"),
        "verdict": client.get("verdict", "?") + (f" ({', '.join(client['reasons'])})" if client.get("reasons") else ""),
    }


def hold_stage_delays(events_path, start_us):
    """p50 and p99 of the measurement delays of tokens that arrived after `start_us` (the ramp
    plus one request, 1.2 s: connections opened, every user in its steady cycle), in ms."""
    delays = []
    with open(events_path) as handle:
        for line in handle:
            if '"measurement_delay_us"' not in line:
                continue
            attempt = json.loads(line)
            for offset, delay in zip(attempt["token_offsets_us"], attempt["measurement_delay_us"]):
                if attempt["start_us"] + offset >= start_us:
                    delays.append(delay)
    if not delays:
        return None, None
    delays.sort()
    return delays[len(delays) // 2] / 1000, delays[min(len(delays) - 1, int(len(delays) * 0.99))] / 1000


def cell(value, digits=2):
    return "-" if value is None else f"{value:.{digits}f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1000,5000,10000")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--keep", help="keep the run directories under this directory")
    args = parser.parse_args()
    version = subprocess.run([LOADGEN, "version"], capture_output=True, text=True).stdout.strip().splitlines()
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}, {version[0] if version else 'loadgen'}")
    print("| users | peak in flight | ok | errors | delay p50 ms | p99 | p99.9 | max | hold p50 | hold p99 "
          "| client CPU user + sys s | µs per token | mock CPU s | loop busy | start lag p99 ms | verdict |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for users in (int(scale) for scale in args.scales.split(",")):
        with tempfile.TemporaryDirectory() as workdir:
            r = run(users, args.seconds, workdir, args.keep)
        busy = "-" if r["busy"] is None else f"{r['busy'] * 100:.0f} %"
        print(f"| {r['users']:,} | {r['peak']:,} | {r['ok']:,} | {r['errors']} | {cell(r['p50'], 3)} | "
              f"{cell(r['p99'], 3)} | {cell(r['p999'], 2)} | {cell(r['max'], 1)} | "
              f"{cell(r['hold_p50'], 3)} | {cell(r['hold_p99'], 3)} | "
              f"{r['user']:.1f} + {r['sys']:.1f} | {r['us_per_token']:.1f} | {cell(r['mock_cpu'], 1)} | {busy} | {cell(r['lag_p99'])} | "
              f"{r['verdict']} |", flush=True)


if __name__ == "__main__":
    main()
