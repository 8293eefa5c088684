#!/usr/bin/env bash
# Fresh-clone CI runs in a row (issue 10's streak): COUNT clones of this repository at COMMIT, one
# after another, each running `.ci/run`; runs with an even number (START, START+1, ...) run beside
# `stress-ng --cpu 2`, stopped by its PID afterwards. One line per run appended to RESULTS.
#
#   scripts/ci-streak.sh COUNT START COMMIT [RESULTS]     # e.g. scripts/ci-streak.sh 10 1 HEAD
#
# Touch RESULTS.stop to stop before the next run. Each run takes 8-10 minutes on a quiet 2-core
# machine, 15-30 beside builds or stress-ng.
set -uo pipefail
count=$1; start=$2; commit=$(git -C "$(dirname "$0")/.." rev-parse --short "$3")
results=${4:-/tmp/ci-streak.txt}
repository="$(cd "$(dirname "$0")/.." && pwd)"
for i in $(seq "$start" $((start + count - 1))); do
    [ -e "$results.stop" ] && { echo "stopped before run $i" >> "$results"; exit 0; }
    dir=$(mktemp -d /tmp/ci-streak-run.XXXXXX)
    git clone -q "$repository" "$dir" && git -C "$dir" checkout -q "$commit"
    stress=no; stress_pid=
    if [ $((i % 2)) -eq 0 ]; then
        command -v stress-ng > /dev/null || { echo "ci-streak: stress-ng is missing (apt-get install stress-ng)" >&2; exit 1; }
        stress-ng --cpu 2 --timeout 1800s > /dev/null 2>&1 & stress_pid=$!; stress=yes
    fi
    started=$(date +%s)
    (cd "$dir" && bash .ci/run > "$results.run-$i.log" 2>&1); status=$?
    ended=$(date +%s)
    if [ -n "$stress_pid" ]; then kill "$stress_pid"; wait "$stress_pid" 2> /dev/null; fi
    echo "run $i commit $commit stress=$stress exit=$status wall=$((ended - started))s $(tail -n 1 "$results.run-$i.log") ended $(date -u +%H:%M)" >> "$results"
    [ $status -ne 0 ] && grep -E "error: |failed \(" "$results.run-$i.log" | head -20 >> "$results"
    rm -rf "$dir"
done
