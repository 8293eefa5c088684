#!/usr/bin/env bash
# Benchmark (not a test): one process at R requests/s against N shard processes at R/N each (one
# profile, --shard i/N, one --start-at), both against one `loadgen mock` on 127.0.0.1, merged by
# loadreport. Prints requests, TTFT / inter-token / total percentiles and client CPU for both.
#
#   scripts/bench-shards.sh [--rate 2000] [--duration 10s] [--shards 4] [--tokens 8] [--bin .build/release]
#
# Release binaries: nice -n 10 swift build -c release --product loadgen (and --product loadreport).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rate=2000
duration=10s
shards=4
tokens=8
bin="$root/.build/release"
while [ $# -gt 0 ]; do
    case "$1" in
        --rate) rate="$2"; shift 2 ;;
        --duration) duration="$2"; shift 2 ;;
        --shards) shards="$2"; shift 2 ;;
        --tokens) tokens="$2"; shift 2 ;;
        --bin) bin="$2"; shift 2 ;;
        *) echo "bench-shards: unknown argument $1" >&2; exit 64 ;;
    esac
done
work="$(mktemp -d /tmp/bench-shards.XXXXXX)"
"$bin/loadgen" mock --port 0 --ttft 50ms --itl 5ms --tokens "$tokens" > "$work/mock.out" 2>&1 &
mock_pid=$!
trap 'kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do grep -q "listening on" "$work/mock.out" && break; sleep 0.05; done
base_url="$(grep -o 'http://[^ ]*' "$work/mock.out" | head -1)"
cat > "$work/profile.yaml" <<PROFILE
name: bench-shards
seed: 11
target: {provider: openai-compatible, model: mock-small, base_url: "$base_url"}
request: {max_tokens: $tokens}
limits: {max_in_flight: 20000}
load: {mode: open, stages: [{duration: $duration, rate: $rate}]}
PROFILE

# One worker per process (--workers auto would give the single process two on a 2-core machine).
"$bin/loadgen" -p "$work/profile.yaml" --run-dir "$work/single" --quiet --no-html --workers 1 > /dev/null
start_at="$(date -u -d '+3 seconds' +%Y-%m-%dT%H:%M:%SZ)"
pids=()
for ((i = 0; i < shards; i++)); do
    "$bin/loadgen" -p "$work/profile.yaml" --run-dir "$work/shard-$i" --quiet --no-html \
        --shard "$i/$shards" --start-at "$start_at" --workers 1 > /dev/null &
    pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
shard_dirs=()
for ((i = 0; i < shards; i++)); do shard_dirs+=("$work/shard-$i"); done
"$bin/loadreport" "$work/single" --format json > "$work/single.json"
"$bin/loadreport" "${shard_dirs[@]}" --format json > "$work/merged.json"

python3 - "$work" "$shards" <<'PY'
import json, sys
work, shards = sys.argv[1], int(sys.argv[2])
def figures(report, summaries):
    o = json.load(open(f"{work}/{report}"))["overall"]
    cpu = sum(json.load(open(f"{work}/{s}/summary.json"))["loadgen"]["client_cpu_s"] for s in summaries)
    m = o["metrics"]
    return [o["requests"], o["request_successes"], o["dropped"], o["requests_per_s"],
            m["ttft"]["p50"], m["ttft"]["p99"], m["inter_token"]["p50"], m["inter_token"]["p99"],
            m["total"]["p50"], m["total"]["p99"], m["schedule_lag"]["p99"], cpu]
heads = ["requests", "ok", "dropped", "req/s", "TTFT p50", "TTFT p99", "ITL p50", "ITL p99",
         "total p50", "total p99", "lag p99", "client CPU s"]
one = figures("single.json", ["single"])
many = figures("merged.json", [f"shard-{i}" for i in range(shards)])
print("| | " + " | ".join(heads) + " |")
print("|---" * (len(heads) + 1) + "|")
fmt = lambda v: f"{v:.2f}" if isinstance(v, float) else str(v)
print("| 1 process | " + " | ".join(map(fmt, one)) + " |")
print(f"| {shards} shards merged | " + " | ".join(map(fmt, many)) + " |")
PY
echo "(run directories in $work)" >&2
