#!/usr/bin/env bash
# loadreport's speed on a large log: generates a synthetic events.ndjson (scripts/gen-events.py,
# 1,000,000 attempt lines of 32 tokens by default, about 670 MB, kept in /tmp between runs), builds
# the release binary, summarizes the log --repeat times (default 3) and prints each wall time and
# peak RSS, then the median.
#
#     scripts/bench-report.sh                     # 1,000,000 records, median of 3
#     scripts/bench-report.sh --records 200000 --repeat 5 -- --group-by stage
set -euo pipefail
cd "$(dirname "$0")/.."
records=1000000
repeat=3
extra=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --records) records="$2"; shift 2 ;;
        --repeat) repeat="$2"; shift 2 ;;
        --) shift; extra=("$@"); break ;;
        *) echo "usage: $0 [--records N] [--repeat N] [-- loadreport options]" >&2; exit 2 ;;
    esac
done
log="/tmp/loadgen-bench-report-${records}/events.ndjson"
if [[ ! -s "$log" ]]; then
    echo "generating $records records into $log"
    python3 scripts/gen-events.py --records "$records" --out "$log"
fi
swift build -c release --product loadreport >/dev/null
times=()
for i in $(seq "$repeat"); do
    /usr/bin/time -o /tmp/loadgen-bench-report.time -f "%e %M" \
        .build/release/loadreport "$log" "${extra[@]+"${extra[@]}"}" >/dev/null 2>/dev/null
    out=$(tail -1 /tmp/loadgen-bench-report.time)
    echo "run $i: ${out% *} s, peak RSS ${out#* } KB"
    times+=("${out% *}")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "median of $repeat: $median s for $records records ($(du -h "$log" | cut -f1)) on $(nproc) cores"
