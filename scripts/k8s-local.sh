#!/usr/bin/env bash
# Runs a distributed run the way the Indexed Job of deploy/kubernetes/job.yaml would, on this
# machine: N processes of the pods' wrapper (deploy/kubernetes/loadgen-shard.sh) with the Job's exact
# `args` line, each with JOB_COMPLETION_INDEX, LOADGEN_SHARDS and START_AT set as Kubernetes sets
# them, against a `loadgen mock` started here on 127.0.0.1; then collects each "pod's" run directory
# as scripts/k8s-run.sh does (and touches `collected`, which lets the wrapper exit) and merges them
# with loadreport.
#
#   scripts/k8s-local.sh --profile deploy/kubernetes/profile.yaml --shards 4
#
# Options: --profile FILE (its target.base_url is pointed at the local mock in the copy the
# "ConfigMap" holds; default deploy/kubernetes/profile.yaml), --shards N (4), --lead SECONDS until
# the common start (3), --out DIR (a new directory under /tmp), --bin DIR (loadgen and loadreport;
# default .build/release, else .build/debug), --mock-args "ARGS" (default "--ttft 50ms --itl 5ms").
# Arguments after -- go to loadreport (e.g. -- --format json).
# Prints the merged report; its exit status is loadreport's, or 1 when a shard failed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
profile="$root/deploy/kubernetes/profile.yaml"
shards=4
lead=3
out=""
bin=""
mock_args="--ttft 50ms --itl 5ms"
while [ $# -gt 0 ]; do
    case "$1" in
        --profile) profile="$2"; shift 2 ;;
        --shards) shards="$2"; shift 2 ;;
        --lead) lead="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --bin) bin="$2"; shift 2 ;;
        --mock-args) mock_args="$2"; shift 2 ;;
        --) shift; break ;;
        *) echo "k8s-local: unknown argument $1 (see the comment at the top of $0)" >&2; exit 64 ;;
    esac
done
if [ -z "$bin" ]; then
    bin="$root/.build/release"
    [ -x "$bin/loadgen" ] || bin="$root/.build/debug"
fi
[ -x "$bin/loadgen" ] && [ -x "$bin/loadreport" ] || { echo "k8s-local: no loadgen and loadreport in $bin (swift build first, or --bin DIR)" >&2; exit 1; }
[ -n "$out" ] || out="$(mktemp -d /tmp/k8s-local.XXXXXX)"
mkdir -p "$out/config"

# The pods' command line, from the Job (one JSON array of strings on the args line).
args_line="$(grep -E '^ *args: \[' "$root/deploy/kubernetes/job.yaml" | head -1)"
[ -n "$args_line" ] || { echo "k8s-local: no args line in deploy/kubernetes/job.yaml" >&2; exit 1; }
mapfile -t job_args < <(printf '%s\n' "$args_line" | sed -E 's/^ *args: \[//; s/\] *$//' | sed -E 's/", "/"\n"/g' | sed -E 's/^"//; s/"$//')

# The target: a mock on 127.0.0.1, on a free port, stopped (by its PID) when the script ends.
# shellcheck disable=SC2086
"$bin/loadgen" mock --port 0 $mock_args > "$out/mock.out" 2> "$out/mock.err" &
mock_pid=$!
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    kill "$mock_pid" 2>/dev/null || true
    wait "$mock_pid" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 200); do
    grep -q "listening on" "$out/mock.out" 2>/dev/null && break
    kill -0 "$mock_pid" 2>/dev/null || { cat "$out/mock.err" >&2; exit 1; }
    sleep 0.05
done
base_url="$(grep -o 'http://[^ ]*' "$out/mock.out" | head -1)"
[ -n "$base_url" ] || { echo "k8s-local: the mock did not say where it listens" >&2; exit 1; }

# The "ConfigMap": the profile, its base_url pointed at the local mock, beside its prompt files.
profile_dir="$(cd "$(dirname "$profile")" && pwd)"
for file in "$profile_dir"/*; do [ -f "$file" ] && cp "$file" "$out/config/"; done
sed -E "s#base_url: *[^,}]*#base_url: \"$base_url\"#" "$profile" > "$out/config/profile.yaml"

start_at="$(date -u -d "+$lead seconds" +%Y-%m-%dT%H:%M:%SZ)"
echo "k8s-local: $shards shards starting at $start_at against $base_url; pods' args: ${job_args[*]}" >&2
for ((i = 0; i < shards; i++)); do
    argv=()
    for arg in "${job_args[@]}"; do
        arg="${arg//\$(START_AT)/$start_at}"
        argv+=("${arg//\/config\//$out/config/}")
    done
    JOB_COMPLETION_INDEX="$i" LOADGEN_SHARDS="$shards" START_AT="$start_at" LOADGEN_OUT="$out/pod-$i" \
        LOADGEN_COLLECT_TIMEOUT_S=600 PATH="$bin:$PATH" \
        "$root/deploy/kubernetes/loadgen-shard.sh" "${argv[@]}" > "$out/pod-$i.log" 2>&1 &
    pids+=($!)
done

# Collect as k8s-run.sh does: wait for each exit-status, copy the run directory, mark it collected.
failed=0
for ((i = 0; i < shards; i++)); do
    until [ -e "$out/pod-$i/exit-status" ]; do
        kill -0 "${pids[$i]}" 2>/dev/null || break
        sleep 0.2
    done
    status="$(cat "$out/pod-$i/exit-status" 2>/dev/null || echo "none")"
    if [ "$status" != "0" ]; then
        echo "k8s-local: shard $i/$shards ended with status $status; its log:" >&2
        cat "$out/pod-$i.log" >&2
        failed=1
    fi
    [ -d "$out/pod-$i/run" ] && cp -r "$out/pod-$i/run" "$out/shard-$i"
    touch "$out/pod-$i/collected"
done
for pid in "${pids[@]}"; do wait "$pid" || true; done
pids=()

shard_dirs=()
for ((i = 0; i < shards; i++)); do [ -d "$out/shard-$i" ] && shard_dirs+=("$out/shard-$i"); done
echo "k8s-local: merged report of ${#shard_dirs[@]} shards (run directories under $out):" >&2
set +e
"$bin/loadreport" "${shard_dirs[@]}" "$@"
status=$?
set -e
[ "$failed" -eq 0 ] || exit 1
exit "$status"
