#!/usr/bin/env bash
# The full-size capacity sweeps of issue 13 (a benchmark, not a test: about 4 minutes). Builds the
# release binaries, starts `loadgen mock` as its own process on 127.0.0.1 and runs
# `loadgen sweep` on profiles/capacity.yaml aimed at it:
#   a. --max-streams 64 --ttft 200ms --itl 10ms --tokens 32: the knee is 64 / 0.52 s ≈ 123 requests/s
#      (expected: knee_rps within ±10 % of 123, slo_rps within 5 % of the knee, under 3 minutes);
#   b. the same mock with --rpm 1800: limited_by rate_limit at 30 requests/s ± 5 %.
# Prints each sweep's capacity view, its wall time and the capacity.* figures of summary.json.
set -euo pipefail
cd "$(dirname "$0")/.."
# BENCH_SKIP_BUILD=1 reuses the release binaries `make test` built.
[ "${BENCH_SKIP_BUILD:-}" = 1 ] || swift build -c release >/dev/null
bin=.build/release
work=$(mktemp -d)
mock_pid=
cleanup() {
    if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

sweep() {
    local name=$1; shift
    "$bin/loadgen" mock --port 0 --max-streams 64 --ttft 200ms --itl 10ms --tokens 32 "$@" >"$work/mock.out" 2>&1 &
    mock_pid=$!
    # Wait for the mock's listening line (its readiness signal).
    for _ in $(seq 100); do grep -q listening "$work/mock.out" && break; sleep 0.1; done
    local url
    url=$(awk '/listening/ {print $NF}' "$work/mock.out")
    echo "== $name: loadgen mock --max-streams 64 --ttft 200ms --itl 10ms --tokens 32 $* ($url)"
    local start end
    start=$(date +%s.%N)
    "$bin/loadgen" sweep --profile profiles/capacity.yaml --base-url "$url" --output "$work/runs" --quiet
    end=$(date +%s.%N)
    kill "$mock_pid"; wait "$mock_pid" 2>/dev/null || true; mock_pid=
    local run
    run=$(ls -d "$work"/runs/* | tail -1)
    python3 - "$run/summary.json" "$start" "$end" <<'PY'
import json, sys
capacity = json.load(open(sys.argv[1]))["capacity"]
print("wall time: %.1f s" % (float(sys.argv[3]) - float(sys.argv[2])))
for key in ["knee_rps", "slo_rps", "slo_bracket", "limited_by", "rate_limit", "stop_reason"]:
    print("capacity.%s = %s" % (key, json.dumps(capacity.get(key))))
print("steps: %d" % len(capacity["steps"]))
PY
    rm -rf "$work/runs"
}

# BENCH_ONLY=a or b runs one of them.
[ "${BENCH_ONLY:-a}" = a ] && sweep "a. slot-limited"
[ "${BENCH_ONLY:-b}" = b ] && sweep "b. rate-limited" --rpm 1800
exit 0
