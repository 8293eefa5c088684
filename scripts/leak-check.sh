#!/usr/bin/env bash
# Builds loadgen with AddressSanitizer (LeakSanitizer included) and runs two short profiles:
# a closed loop against the mock in its own process, and an open loop against the embedded mock
# with injected 429s. Any leak, use-after-free or unclosed libuv handle fails the script.
# (valgrind 3.19 cannot read the DWARF 5 that Swift 6 emits, hence the sanitizer.)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --scratch-path .build-asan --sanitize=address --product loadgen
binary=.build-asan/debug/loadgen
work=$(mktemp -d)
mock_pid=""
cleanup() { [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$binary" mock --port 0 --tokens 8 --ttft 5ms --itl 1ms > "$work/mock.out" &
mock_pid=$!
for _ in $(seq 50); do grep -q listening "$work/mock.out" && break; sleep 0.1; done
base_url=$(grep -o 'http://127.0.0.1:[0-9]*/v1' "$work/mock.out")

cat > "$work/separate.yaml" <<YAML
name: leak-check-separate
target: {provider: openai-compatible, model: mock-small, base_url: "$base_url"}
load: {mode: closed, users: 8, requests: 200}
YAML
cat > "$work/embedded.yaml" <<YAML
name: leak-check-embedded
target: {provider: mock, model: mock-small, mock: {ttft: 50ms, inter_token: 5ms, output_tokens: 10, error_rate: 0.2, error_status: 429}}
load: {mode: open, rate: 50, duration: 3s}
YAML
for profile in separate embedded; do
    output=$(ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 "$binary" --profile "$work/$profile.yaml" --output "$work/runs" --quiet 2>&1)
    if echo "$output" | grep -q -E "ERROR: (Address|Leak)Sanitizer|handles still open"; then
        echo "$output"
        echo "leak-check: $profile FAILED" >&2
        exit 1
    fi
    echo "leak-check: $profile clean ($(echo "$output" | grep -o 'attempts: [0-9]*'))"
done
