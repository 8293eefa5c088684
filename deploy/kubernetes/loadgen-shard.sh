#!/bin/sh
# One shard of a distributed run, as a pod of the Indexed Job runs it (and scripts/k8s-local.sh on
# this machine): runs `loadgen "$@" --run-dir $LOADGEN_OUT/run`, writes loadgen's exit status to
# $LOADGEN_OUT/exit-status, then keeps the pod alive until the run directory has been collected
# (scripts/k8s-run.sh copies it with `kubectl cp` and touches $LOADGEN_OUT/collected), or until
# LOADGEN_COLLECT_TIMEOUT_S seconds have passed (default 3600). Exits with loadgen's status.
out="${LOADGEN_OUT:-/out}"
timeout_s="${LOADGEN_COLLECT_TIMEOUT_S:-3600}"
mkdir -p "$out"
loadgen "$@" --run-dir "$out/run"
status=$?
echo "$status" > "$out/exit-status.tmp" && mv "$out/exit-status.tmp" "$out/exit-status"
waited=0
while [ ! -e "$out/collected" ] && [ "$waited" -lt "$timeout_s" ]; do
    sleep 1
    waited=$((waited + 1))
done
[ -e "$out/collected" ] || echo "loadgen-shard: the run directory was not collected within ${timeout_s}s" >&2
exit "$status"
