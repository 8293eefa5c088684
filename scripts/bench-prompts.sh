#!/usr/bin/env bash
# Prompt-set loading benchmark (not a test): writes a 10,000-prompt set file and a profile using it
# to a temporary folder, then times `loadgen validate` on it (parse, validate, build every request
# body, print the plan) and on the same profile without prompts (process start-up and the rest),
# and prints the median of --repeat runs of each.
# Usage: scripts/bench-prompts.sh [--prompts N] [--repeat N] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
prompts=10000
repeat=5
build=1
while [ $# -gt 0 ]; do
    case "$1" in
        --prompts) prompts="$2"; shift 2 ;;
        --repeat) repeat="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        *) echo "usage: $0 [--prompts N] [--repeat N] [--no-build]" >&2; exit 2 ;;
    esac
done
if [ "$build" = 1 ]; then swift build -c release >&2; fi
exec python3 - "$prompts" "$repeat" <<'PY'
import os, statistics, subprocess, sys, tempfile, time

count, repeat = int(sys.argv[1]), int(sys.argv[2])
loadgen = os.path.join(os.getcwd(), ".build", "release", "loadgen")
words = ("latency token stream request server model answer question cache queue budget retry "
         "schedule tenant region window prompt summary error").split()

def text(i, n):
    return " ".join(words[(i * 7 + k * 3) % len(words)] for k in range(n))

with tempfile.TemporaryDirectory(prefix="loadgen-bench-prompts-") as folder:
    # A mix of every entry form: shorthand strings, message lists with a system prompt, named
    # prompts with weights and max_tokens; user texts of 10 to 70 words.
    lines = ["name: bench", "max_tokens: 128", "prompts:"]
    for i in range(count):
        user = text(i, 10 + i % 61)
        if i % 3 == 0:
            lines.append(f'  - "{user}"')
        elif i % 3 == 1:
            lines.append(f'  - [{{role: system, content: "Answer briefly."}}, {{role: user, content: "{user}"}}]')
        else:
            lines += [f"  - name: p{i}", f"    weight: {1 + i % 4}", f"    max_tokens: {16 + i % 200}",
                      "    messages:", f'      - {{role: user, content: "{user}"}}']
    with open(os.path.join(folder, "bench-set.yaml"), "w") as handle:
        handle.write("\n".join(lines) + "\n")
    common = ("target: {provider: mock}\nrequest: {max_tokens: 64}\n"
              "load: {mode: open, rate: 10, duration: 10s}\n")
    with open(os.path.join(folder, "with-prompts.yaml"), "w") as handle:
        handle.write(common + "prompts: bench-set.yaml\n")
    with open(os.path.join(folder, "without-prompts.yaml"), "w") as handle:
        handle.write(common)
    size = os.path.getsize(os.path.join(folder, "bench-set.yaml"))

    def median_seconds(profile):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            result = subprocess.run([loadgen, "validate", os.path.join(folder, profile)],
                                    capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            if result.returncode != 0:
                sys.exit(f"bench-prompts: validate failed:\n{result.stderr}")
        return statistics.median(times), result.stdout

    with_prompts, output = median_seconds("with-prompts.yaml")
    without, _ = median_seconds("without-prompts.yaml")
    summary = next(line.strip() for line in output.splitlines() if line.strip().startswith("prompts:"))
    print(f"set file: {count} prompts, {size / 1e6:.2f} MB; {summary}")
    print(f"loadgen validate, median of {repeat}: {with_prompts * 1000:.0f} ms with the set, "
          f"{without * 1000:.0f} ms without prompts (start-up); the set costs {(with_prompts - without) * 1000:.0f} ms")
PY
