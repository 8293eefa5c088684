#!/usr/bin/env bash
# Benchmark (not a test): `--workers 2` against `--workers 1` at the same offered load, against one
# `loadgen mock` on 127.0.0.1 (its own process: its CPU is not the client's). Runs interleave
# (1, 2, 1, 2, ...) so both see the same machine load; each pair's ratios are printed:
#   - each loop's busy fraction (summary.json client.loop_busy_workers) against the one loop's;
#   - client CPU (summary.json loadgen.client_cpu_s) per token event (output tokens).
#
#   scripts/bench-workers.sh [--rate 400] [--duration 10s] [--tokens 40] [--itl 10ms] [--pairs 3] [--bin .build/release]
#
# Release binary: nice -n 10 swift build -c release --product loadgen.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rate=400
duration=10s
tokens=40
itl=10ms
pairs=3
bin="$root/.build/release"
while [ $# -gt 0 ]; do
    case "$1" in
        --rate) rate="$2"; shift 2 ;;
        --duration) duration="$2"; shift 2 ;;
        --tokens) tokens="$2"; shift 2 ;;
        --itl) itl="$2"; shift 2 ;;
        --pairs) pairs="$2"; shift 2 ;;
        --bin) bin="$2"; shift 2 ;;
        *) echo "bench-workers: unknown argument $1" >&2; exit 64 ;;
    esac
done
work="$(mktemp -d /tmp/bench-workers.XXXXXX)"
"$bin/loadgen" mock --host 127.0.0.1 --port 0 --ttft 50ms --itl "$itl" --tokens "$tokens" > "$work/mock.out" 2>&1 &
mock_pid=$!
trap 'kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do grep -q "listening on" "$work/mock.out" && break; sleep 0.05; done
base_url="$(grep -o 'http://[^ ]*' "$work/mock.out" | head -1)"
cat > "$work/profile.yaml" <<PROFILE
name: bench-workers
seed: 5
target: {provider: openai-compatible, model: mock-small, base_url: "$base_url"}
request: {max_tokens: $tokens}
limits: {max_in_flight: 20000}
load: {mode: open, stages: [{duration: $duration, rate: $rate}]}
PROFILE

echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# open loop $rate/s for $duration, $tokens tokens every $itl after a 50 ms TTFT"
for ((p = 0; p < pairs; p++)); do
    for workers in 1 2; do
        "$bin/loadgen" -p "$work/profile.yaml" --run-dir "$work/pair-$p-w$workers" --quiet --no-html \
            --workers "$workers" > /dev/null
    done
done

python3 - "$work" "$pairs" <<'PY'
import json, sys
work, pairs = sys.argv[1], int(sys.argv[2])
def figures(run):
    s = json.load(open(f"{work}/{run}/summary.json"))
    client, overall = s["client"], s["overall"]
    busy = client.get("loop_busy_workers") or [client["loop_busy"]]
    tokens = max(overall["output_tokens"], 1)
    return busy, s["loadgen"]["client_cpu_s"] / tokens * 1e6, overall["attempt_successes"], tokens
busy_ratios, cpu_ratios = [], []
for p in range(pairs):
    b1, c1, n1, t1 = figures(f"pair-{p}-w1")
    b2, c2, n2, t2 = figures(f"pair-{p}-w2")
    ratios = [b / b1[0] for b in b2]
    busy_ratios += ratios
    cpu_ratios.append(c2 / c1)
    print(f"pair {p}: 1 worker busy {b1[0]:.3f}, {c1:.1f} us CPU/token event ({n1} requests, {t1} tokens); "
          f"2 workers busy {', '.join(f'{b:.3f}' for b in b2)}, {c2:.1f} us/token event ({n2} requests, {t2} tokens); "
          f"busy ratio {', '.join(f'{r:.2f}' for r in ratios)}, CPU/token ratio {c2 / c1:.2f}")
print(f"busy ratio per loop: min {min(busy_ratios):.2f}, max {max(busy_ratios):.2f} (halved: 0.50 +/- 15 %: 0.425-0.575)")
print(f"CPU per token event, 2 workers / 1: min {min(cpu_ratios):.2f}, max {max(cpu_ratios):.2f} (at most 1.10)")
PY
rm -rf "$work"
