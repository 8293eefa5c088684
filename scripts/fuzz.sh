#!/usr/bin/env bash
# Fuzzes one of loadgen's input readers with libFuzzer (Swift's -sanitize=fuzzer):
#   scripts/fuzz.sh TARGET SECONDS
# TARGET: sse, openai, anthropic, profile or eventlog (Fuzz/Targets/FuzzTarget.swift). The seed
# corpus is Fuzz/Corpus/TARGET; what libFuzzer adds goes to .build-fuzz/corpus/TARGET (not the
# repo), crashes and hangs to .build-fuzz/findings/TARGET. Prints libFuzzer's last status line
# (its execution count) and exits non-zero on a finding. Linux (the toolchain's libFuzzer).
# FUZZ_TIMEOUT=SECONDS sets what counts as a hang (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:-}
seconds=${2:-}
targets="sse openai anthropic profile eventlog"
if [[ -z "$target" || -z "$seconds" || ! " $targets " == *" $target "* || ! "$seconds" =~ ^[0-9]+$ ]]; then
    echo "usage: scripts/fuzz.sh TARGET SECONDS   (TARGET: ${targets// /, })" >&2
    exit 2
fi

scratch=.build-fuzz
LOADGEN_FUZZ=1 swift build -c release --scratch-path "$scratch" --product loadgen-fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -use-ld=lld >&2
binary="$scratch/release/loadgen-fuzz"

corpus="$scratch/corpus/$target"
findings="$scratch/findings/$target"
work="$scratch/work/$target"
mkdir -p "$corpus" "$findings" "$work"
log="$scratch/$target.log"

# The link uses lld (gold fails on it with an internal error). One worker; an input that takes
# over FUZZ_TIMEOUT seconds is a hang (default 60: at nice 19 on a busy machine one input can
# wait 10 s for a core without hanging). The run's folder is a scratch one, so relative paths a
# mutated profile names stay inside it. Swift's backtracer is off, so that libFuzzer's own handler
# catches a runtime trap (SIGILL) and writes the input that caused it to the findings.
status=0
(cd "$work" && LOADGEN_FUZZ_TARGET="$target" TMPDIR="$PWD" SWIFT_BACKTRACE=enable=no "$OLDPWD/$binary" \
    -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-60}" -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
    -artifact_prefix="$OLDPWD/$findings/" "$OLDPWD/$corpus" "$OLDPWD/Fuzz/Corpus/$target") >"$log" 2>&1 || status=$?
grep -E "^(#[0-9]+|stat::number_of_executed_units|stat::average_exec_per_sec|Done)" "$log" | tail -n 3
if [ "$status" -ne 0 ]; then
    echo "fuzz.sh: $target found a problem (exit $status); see $log and $findings" >&2
    grep -E "ERROR|Fatal error|deadly signal|timeout" "$log" | head -n 5 >&2 || true
fi
exit "$status"
