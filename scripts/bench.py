#!/usr/bin/env python3
"""loadgen benchmarks against the mock provider in its own process, on loopback only.

Each scenario starts `loadgen mock` on 127.0.0.1 with a free port, runs a bounded load, reads the
run's summary.json, and prints one line of figures. Every scenario repeats --repeat times and
reports the median. Usage: scripts/bench.sh [--repeat N] [--only a,b,c,d,e,f,g] [--seconds S] [--timeouts]
[--baseline BINARY] (--timeouts adds ttft_timeout and idle_timeout limits to scenarios a and b, to show
their cost; --baseline interleaves another loadgen binary, e.g. a build of main, round by round).
"""
import argparse
import json
import os
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# LOADGEN_BIN names another binary (a before/after pair interleaved in the same minutes; --loadgen too).
LOADGEN = os.environ.get("LOADGEN_BIN") or os.path.join(ROOT, ".build", "release", "loadgen")
# The mock: the binary above, also when --baseline measures another client against it.
MOCK = LOADGEN
# Extra `limits:` entries for scenarios a and b (set by --timeouts).
EXTRA_LIMITS = ""
BODY = ('{"model":"mock-small","messages":[{"role":"user","content":"Say hello"}],'
        '"stream":true,"stream_options":{"include_usage":true},"max_tokens":%d}')


class Mock:
    """`loadgen mock` as a child process on 127.0.0.1, port chosen by the kernel."""

    def __init__(self, *flags):
        self.process = subprocess.Popen(
            # No delays unless the scenario gives them (a later flag wins): `loadgen mock`'s defaults
            # are a profile mock's (200 ms TTFT, 10 ms between tokens).
            [MOCK, "mock", "--host", "127.0.0.1", "--port", "0", "--ttft", "0s", "--itl", "0s", *flags],
            stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/v1", line)
        if not match:
            self.stop()
            sys.exit(f"bench: the mock did not start: {line!r}")
        self.base_url = f"http://127.0.0.1:{match.group(1)}/v1"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


_KNOWS_WORKERS = {}


def knows_workers(binary):
    """True when `binary` has --workers (builds before it, e.g. a --baseline, run one loop anyway)."""
    if binary not in _KNOWS_WORKERS:
        help_text = subprocess.run([binary, "run", "--help"], capture_output=True, text=True).stdout
        _KNOWS_WORKERS[binary] = "--workers" in help_text
    return _KNOWS_WORKERS[binary]


def run_loadgen(profile_text, workdir, split=None, display="quiet", extra_flags=()):
    """Runs loadgen on a profile; returns (summary dict, client CPU seconds from rusage).

    When `split` is a dict, it receives the user and system CPU seconds separately. `display` is
    "quiet" (--quiet), "plain" (stderr a pipe: a line every 10 s) or "live" (in a pseudo-terminal
    made by util-linux `script`, so the live display redraws twice a second)."""
    profile = os.path.join(workdir, "bench.yaml")
    with open(profile, "w") as handle:
        handle.write(profile_text)
    output = os.path.join(workdir, "runs")
    command = [LOADGEN, "--profile", profile, "--output", output] + (["--quiet"] if display == "quiet" else [])
    command += list(extra_flags)
    # One loop, as every figure here was measured before --workers existed (its default, auto,
    # would give two workers to scenario b); scripts/bench-workers.sh compares workers.
    if "--workers" not in extra_flags and knows_workers(LOADGEN):
        command += ["--workers", "1"]
    environment = None
    if display == "live":
        command = ["script", "-qfec", " ".join(shlex.quote(part) for part in command), "/dev/null"]
        environment = dict(os.environ, TERM="xterm-256color")
        environment.pop("NO_COLOR", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, env=environment,
                            stdin=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"bench: loadgen failed ({result.returncode}):\n{result.stderr}")
    runs = sorted(os.listdir(output))
    with open(os.path.join(output, runs[-1], "summary.json")) as handle:
        document = json.load(handle)
    # summary.json is the report's JSON document (docs/report.md): the figures used here, by their old names.
    overall, end = document["overall"], document["loadgen"]
    summary = {
        "successes": overall["attempt_successes"], "requests_per_s": overall["attempts_per_s"],
        "errors_total": overall["attempt_errors"], "output_tokens": overall["output_tokens"],
        "duration_s": overall["elapsed_s"], "latency_ms": overall["metrics"],
        "peak_in_flight": end["peak_in_flight"], "start_rss_kb": end["start_rss_kb"], "peak_rss_kb": end["peak_rss_kb"],
    }
    shutil.rmtree(output)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if split is not None:
        split["user"] = after.ru_utime - before.ru_utime
        split["sys"] = after.ru_stime - before.ru_stime
    return summary, cpu


def target(base_url):
    return f"target: {{provider: openai-compatible, model: mock-small, base_url: \"{base_url}\"}}\n"


def scenario_a(workdir, seconds):
    """64 closed-loop users, zero delays, 4 tokens: requests/s and client CPU per request."""
    mock = Mock("--tokens", "4")
    try:
        summary, cpu = run_loadgen(
            "name: bench-a\n" + target(mock.base_url) +
            "request: {max_tokens: 4}\n"
            f"load: {{mode: closed, users: 64, duration: {seconds}s}}\n"
            "limits: {max_in_flight: 64" + EXTRA_LIMITS + "}\n", workdir)
    finally:
        mock.stop()
    requests = summary["successes"]
    return {
        "requests_per_s": summary["requests_per_s"],
        "client_cpu_us_per_request": cpu / max(requests, 1) * 1e6,
        "errors": summary["errors_total"],
    }


def scenario_b(workdir, seconds):
    """10,000 concurrent slow streams: client RSS per stream and CPU per token event."""
    streams = 10_000
    ramp_seconds = 4
    tokens = 40
    itl_ms = 250
    mock = Mock("--tokens", str(tokens), "--itl", f"{itl_ms}ms", "--ttft", f"{itl_ms}ms")
    try:
        summary, cpu = run_loadgen(
            "name: bench-b\n" + target(mock.base_url) +
            f"request: {{max_tokens: {tokens}}}\n"
            f"load: {{mode: open, rate: {streams // ramp_seconds}, duration: {ramp_seconds}s}}\n"
            f"limits: {{max_in_flight: {streams + 100}, timeout: 120s" + EXTRA_LIMITS + "}\n", workdir)
    finally:
        mock.stop()
    token_events = max(summary["output_tokens"], 1)
    peak = max(summary["peak_in_flight"], 1)
    return {
        "peak_in_flight": peak,
        "rss_kb_per_stream": (summary["peak_rss_kb"] - summary["start_rss_kb"]) / peak,
        "client_cpu_us_per_token_event": cpu / token_events * 1e6,
        "errors": summary["errors_total"],
    }


def scenario_c(workdir, seconds):
    """Open loop at 2,000 requests/s: lag between intended and actual start."""
    mock = Mock("--tokens", "4")
    try:
        summary, cpu = run_loadgen(
            "name: bench-c\n" + target(mock.base_url) +
            "request: {max_tokens: 4}\n"
            f"load: {{mode: open, rate: 2000, duration: {seconds}s}}\n", workdir)
    finally:
        mock.stop()
    lag = summary["latency_ms"]["schedule_lag"]
    return {
        "lag_p50_ms": lag["p50"], "lag_p99_ms": lag["p99"], "lag_max_ms": lag["max"],
        "requests_per_s": summary["requests_per_s"],
        "client_cpu_fraction_of_core": cpu / summary["duration_s"],
        "errors": summary["errors_total"],
    }


def scenario_d(workdir, seconds):
    """loadgen and wrk side by side at 64 connections against the same mock: CPU per request."""
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is not installed (scripts/install-deps.sh wrk)")
    mock = Mock("--tokens", "4")
    split = {}
    try:
        summary, cpu = run_loadgen(
            "name: bench-d\n" + target(mock.base_url) +
            "request: {max_tokens: 4}\n"
            f"load: {{mode: closed, users: 64, duration: {seconds}s}}\n"
            "limits: {max_in_flight: 64}\n", workdir, split)
        script = os.path.join(workdir, "post.lua")
        with open(script, "w") as handle:
            handle.write('wrk.method = "POST"\n'
                         'wrk.headers["Content-Type"] = "application/json"\n'
                         f"wrk.body = '{BODY % 4}'\n")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wrk = subprocess.run(["wrk", "-t1", "-c64", f"-d{seconds}s", "-s", script,
                              mock.base_url + "/chat/completions"],
                             capture_output=True, text=True, timeout=seconds + 60)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    finally:
        mock.stop()
    match = re.search(r"(\d+) requests in", wrk.stdout)
    if wrk.returncode != 0 or not match:
        sys.exit(f"bench: wrk failed:\n{wrk.stdout}{wrk.stderr}")
    wrk_requests = int(match.group(1))
    wrk_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    loadgen_per_request = cpu / max(summary["successes"], 1) * 1e6
    wrk_per_request = wrk_cpu / max(wrk_requests, 1) * 1e6
    loadgen_requests = max(summary["successes"], 1)
    return {
        "loadgen_user_us_per_request": split["user"] / loadgen_requests * 1e6,
        "loadgen_sys_us_per_request": split["sys"] / loadgen_requests * 1e6,
        "wrk_user_us_per_request": (after.ru_utime - before.ru_utime) / max(wrk_requests, 1) * 1e6,
        "wrk_sys_us_per_request": (after.ru_stime - before.ru_stime) / max(wrk_requests, 1) * 1e6,
        "loadgen_cpu_us_per_request": loadgen_per_request,
        "wrk_cpu_us_per_request": wrk_per_request,
        "ratio": loadgen_per_request / wrk_per_request,
        "loadgen_requests_per_s": summary["requests_per_s"],
        "wrk_requests_per_s": wrk_requests / seconds,
    }


def scenario_e(workdir, seconds):
    """Open loop at 2,000 requests/s with the display off (--quiet), plain (a pipe) and live (a pty): start lag."""
    mock = Mock("--tokens", "4")
    figures = {}
    try:
        for display in ("quiet", "plain", "live"):
            summary, cpu = run_loadgen(
                "name: bench-e\n" + target(mock.base_url) +
                "request: {max_tokens: 4}\n"
                f"load: {{mode: open, rate: 2000, duration: {seconds}s}}\n", workdir, display=display)
            lag = summary["latency_ms"]["schedule_lag"]
            figures[f"{display}_lag_p50_ms"] = lag["p50"]
            figures[f"{display}_lag_p99_ms"] = lag["p99"]
            figures[f"{display}_lag_max_ms"] = lag["max"]
            figures[f"{display}_cpu_fraction_of_core"] = cpu / summary["duration_s"]
    finally:
        mock.stop()
    return figures


def run_wrk(workdir, url, body, seconds, connections=64):
    """wrk with a Lua script POSTing `body` with loadgen's headers; returns (requests, user s, system s)."""
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is not installed (scripts/install-deps.sh wrk)")
    script = os.path.join(workdir, "post.lua")
    with open(script, "w") as handle:
        handle.write('wrk.method = "POST"\n'
                     'wrk.headers["Content-Type"] = "application/json"\n'
                     'wrk.headers["Accept"] = "text/event-stream"\n'
                     f"wrk.body = '{body}'\n")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", script, url],
                         capture_output=True, text=True, timeout=seconds + 60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    match = re.search(r"(\d+) requests in", wrk.stdout)
    if wrk.returncode != 0 or not match or "Non-2xx" in wrk.stdout:
        sys.exit(f"bench: wrk failed:\n{wrk.stdout}{wrk.stderr}")
    return int(match.group(1)), after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


# loadgen's request body for the default prompt (ChatRequestBody: keys sorted), which wrk sends too.
STREAM_BODY = ('{"max_tokens":%d,"messages":[{"content":"Say hello in one short sentence.","role":"user"}],"model":"mock-small",'
               '"stream":true,"stream_options":{"include_usage":true}}')


def scenario_f(workdir, seconds):
    """loadgen and wrk side by side on streams (64 connections, 64 tokens 5 ms apart, each token its
    own write, the same mock): CPU per streamed request, user and system, and the ratio."""
    tokens = 64
    mock = Mock("--tokens", str(tokens), "--itl", "5ms")
    split = {}
    try:
        summary, cpu = run_loadgen(
            "name: bench-f\n" + target(mock.base_url) +
            f"request: {{max_tokens: {tokens}}}\n"
            f"load: {{mode: closed, users: 64, duration: {seconds}s}}\n"
            "limits: {max_in_flight: 64}\n", workdir, split)
        wrk_requests, wrk_user, wrk_sys = run_wrk(workdir, mock.base_url + "/chat/completions",
                                                  STREAM_BODY % tokens, seconds)
    finally:
        mock.stop()
    if summary["errors_total"] or summary["output_tokens"] != summary["successes"] * tokens:
        sys.exit(f"bench: loadgen's streams were not all complete: {summary}")
    requests = max(summary["successes"], 1)
    wrk_requests = max(wrk_requests, 1)
    loadgen_per_request = cpu / requests * 1e6
    wrk_per_request = (wrk_user + wrk_sys) / wrk_requests * 1e6
    return {
        "loadgen_user_us_per_request": split["user"] / requests * 1e6,
        "loadgen_sys_us_per_request": split["sys"] / requests * 1e6,
        "loadgen_cpu_us_per_request": loadgen_per_request,
        "wrk_user_us_per_request": wrk_user / wrk_requests * 1e6,
        "wrk_sys_us_per_request": wrk_sys / wrk_requests * 1e6,
        "wrk_cpu_us_per_request": wrk_per_request,
        "ratio": loadgen_per_request / wrk_per_request,
        "loadgen_requests_per_s": summary["requests_per_s"],
        "wrk_requests_per_s": wrk_requests / seconds,
    }


def scenario_g(workdir, seconds):
    """Timing fidelity, the figures the tests no longer hold tight: TTFT and inter-token gaps
    against a mock with known timing (200 ms, 10 ms x 32 tokens, 100 warmed-up users), and TTFT
    with 2,000 streams in flight together (300 ms, 5 tokens 20 ms apart)."""
    mock = Mock("--tokens", "32", "--ttft", "200ms", "--itl", "10ms")
    try:
        summary, _ = run_loadgen(
            "name: bench-g\n" + target(mock.base_url) +
            "request: {max_tokens: 32}\n"
            "load: {mode: closed, users: 100, requests: 500}\n", workdir, extra_flags=["--warmup-connections", "100"])
    finally:
        mock.stop()
    wide = Mock("--tokens", "5", "--ttft", "300ms", "--itl", "20ms")
    try:
        scale, _ = run_loadgen(
            "name: bench-g-scale\n" + target(wide.base_url) +
            "request: {max_tokens: 5}\n"
            "load: {mode: open, rate: 5000, duration: 400ms}\n"
            "limits: {max_in_flight: 2100}\n", workdir)
    finally:
        wide.stop()
    latency = summary["latency_ms"]
    return {
        "ttft_p50_ms": latency["ttft"]["p50"], "ttft_p99_ms": latency["ttft"]["p99"],
        "inter_token_p50_ms": latency["inter_token"]["p50"], "total_p50_ms": latency["total"]["p50"],
        "scale_ttft_p50_ms": scale["latency_ms"]["ttft"]["p50"], "scale_peak_in_flight": scale["peak_in_flight"],
        "errors": summary["errors_total"] + scale["errors_total"],
    }


SCENARIOS = {"a": scenario_a, "b": scenario_b, "c": scenario_c, "d": scenario_d, "e": scenario_e, "f": scenario_f,
             "g": scenario_g}


def describe(runs):
    """The medians of a scenario's runs, as one line."""
    medians = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    return medians, ", ".join(f"{key} {value:.3g}" if isinstance(value, float) else f"{key} {value}"
                              for key, value in medians.items())


def main():
    global LOADGEN, EXTRA_LIMITS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="a,b,c,d,e,f,g")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--timeouts", action="store_true",
                        help="add ttft_timeout: 60s and idle_timeout: 30s to scenarios a and b")
    parser.add_argument("--loadgen", metavar="BINARY", help="the loadgen binary to measure (default: this tree's release build)")
    parser.add_argument("--baseline", metavar="BINARY",
                        help="another loadgen binary (a release build of main): each round runs it and this "
                             "tree's binary in turn, alternating which goes first, against this tree's mock; "
                             "prints both medians and their ratios (this tree / baseline)")
    args = parser.parse_args()
    if args.timeouts:
        EXTRA_LIMITS = ", ttft_timeout: 60s, idle_timeout: 30s"
    if args.loadgen:
        LOADGEN = os.path.abspath(args.loadgen)
    clients = [("this tree", LOADGEN)] + ([("baseline", os.path.abspath(args.baseline))] if args.baseline else [])
    for label, binary in clients:
        version = subprocess.run([binary, "version"], capture_output=True, text=True).stdout.strip()
        print(f"# {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, {os.cpu_count()} cores, "
              f"{label}: {version!r}", flush=True)
    for name in args.only.split(","):
        runs = {label: [] for label, _ in clients}
        for round_index in range(args.repeat):
            # Interleaved: the baseline goes first in odd rounds (the order alone can move a figure).
            order = clients if round_index % 2 == 0 else clients[::-1]
            for label, binary in order:
                LOADGEN = binary
                with tempfile.TemporaryDirectory() as workdir:
                    runs[label].append(SCENARIOS[name](workdir, args.seconds))
        LOADGEN = clients[0][1]
        print(f"{name}: {SCENARIOS[name].__doc__.strip()}", flush=True)
        medians = {}
        for label, _ in clients:
            medians[label], figures = describe(runs[label])
            prefix = f"{label}, " if args.baseline else ""
            print(f"   {prefix}median of {args.repeat}: {figures}", flush=True)
            if args.baseline:
                print(f"   {label}, each run: " + "; ".join(
                    ", ".join(f"{value:.3g}" if isinstance(value, float) else str(value) for value in run.values())
                    for run in runs[label]), flush=True)
        if args.baseline:
            ratios = ", ".join(f"{key} {medians['this tree'][key] / medians['baseline'][key]:.3f}"
                               for key in medians["baseline"] if medians["baseline"][key])
            print(f"   ratio this tree / baseline: {ratios}", flush=True)


if __name__ == "__main__":
    main()
