#!/usr/bin/env bash
# Fidelity benchmark (issue 12, docs/PERFORMANCE.md): builds the release loadgen, raises the
# open-file limit to the hard limit, and runs scripts/bench-fidelity.py (the mock in its own
# process with --stamp; loadgen at 1,000 / 5,000 / 10,000 closed-loop users by default).
#   scripts/bench-fidelity.sh [--scales 1000,5000,10000] [--seconds 10]
set -euo pipefail
cd "$(dirname "$0")/.."
nice -n 10 swift build -c release --product loadgen
ulimit -n "$(ulimit -Hn)"
exec python3 scripts/bench-fidelity.py "$@"
