#!/usr/bin/env bash
# Benchmarks (not tests): builds release binaries, then runs scripts/bench.py, which starts the mock
# provider as its own process on 127.0.0.1 and measures loadgen (and wrk) against it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh wrk
swift build -c release
ulimit -n "$(ulimit -Hn)"
exec python3 scripts/bench.py "$@"
