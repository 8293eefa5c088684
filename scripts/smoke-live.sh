#!/usr/bin/env bash
# A handful of real requests to a real provider, with your own key: `make smoke-live PROVIDER=openai`
# (or anthropic, groq: one profile each in profiles/live/). Prints what it will send and the
# estimated maximum cost first, then asks; `--yes` (make: YES=1) answers for scripts. Never run by
# the test suite or CI.
#
# Maximum cost = requests × (input tokens bound × input price + max_tokens × output price). The input
# bound is generous: half a token per character of the prompts plus 20 per request. Prices come
# from catalog/models.yaml when it lists the model, else from the small table below.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
    echo "usage: scripts/smoke-live.sh PROVIDER [--yes]   (PROVIDER: $(ls profiles/live | sed 's/\.yaml$//' | tr '\n' ' '))" >&2
    exit 2
}
[ $# -ge 1 ] || usage
provider="$1"
yes=0
[ "${2:-}" = "--yes" ] && yes=1
profile="profiles/live/$provider.yaml"
[ -f "$profile" ] || { echo "smoke-live: there is no $profile" >&2; usage; }
loadgen=.build/release/loadgen
[ -x "$loadgen" ] || swift build -c release --product loadgen

plan=$("$loadgen" validate "$profile") || { echo "smoke-live: $profile is not valid for this build" >&2; exit 2; }
resolved=$(printf '%s\n' "$plan" | sed -n '/^# Resolved by loadgen/,$p')
field() { printf '%s\n' "$resolved" | sed -n "s/^  $1: \"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" | head -n 1; }
target_provider=$(field provider)
model=$(field model)
base_url=$(field base_url)
max_tokens=$(field max_tokens)
requests=$(printf '%s\n' "$plan" | sed -n 's/^  max requests: \([0-9]*\)$/\1/p')
[ -n "$requests" ] && [ -n "$max_tokens" ] || { echo "smoke-live: $profile must set load.requests and request.max_tokens" >&2; exit 2; }
prompt_chars=$(printf '%s\n' "$resolved" | sed -n '/^prompts:/,/^request:/p' | wc -c)
input_max=$((prompt_chars / 2 + 20))

# Prices in dollars per million tokens: the catalog's line for the model, else this table.
price_line=""
if [ -f catalog/models.yaml ]; then
    price_line=$(grep -E "provider: $target_provider, model: $model," catalog/models.yaml | head -n 1 || true)
fi
if [ -n "$price_line" ]; then
    input_price=$(printf '%s' "$price_line" | sed -n 's/.*input: \([0-9.]*\).*/\1/p')
    output_price=$(printf '%s' "$price_line" | sed -n 's/.*output: \([0-9.]*\).*/\1/p')
    source="catalog/models.yaml"
else
    case "$target_provider/$model" in
        openai/gpt-4o-mini) input_price=0.15 output_price=0.60 ;;
        anthropic/claude-haiku-4-5) input_price=1.00 output_price=5.00 ;;
        groq/llama-3.1-8b-instant) input_price=0.05 output_price=0.08 ;;
        *) echo "smoke-live: no price known for $target_provider $model; add it to catalog/models.yaml" >&2; exit 2 ;;
    esac
    source="scripts/smoke-live.sh (November 2025 list prices)"
fi
cost=$(awk -v r="$requests" -v i="$input_max" -v o="$max_tokens" -v pi="$input_price" -v po="$output_price" \
    'BEGIN { printf "%.4f", r * (i * pi + o * po) / 1e6 }')

echo "smoke-live: $profile"
echo "  sends $requests streamed requests to $target_provider ($model) at ${base_url:-its default URL}, one at a time"
echo "  each at most ~$input_max input and $max_tokens output tokens"
echo "  prices: \$$input_price in / \$$output_price out per million tokens ($source)"
echo "  estimated maximum cost: \$$cost"
if [ "$yes" -ne 1 ]; then
    if [ -t 0 ]; then
        printf "Send them? [y/N] "
        read -r answer
        case "$answer" in y | Y | yes) ;; *) echo "smoke-live: nothing sent"; exit 1 ;; esac
    else
        echo "smoke-live: not a terminal; pass --yes (make smoke-live PROVIDER=$provider YES=1) to send" >&2
        exit 2
    fi
fi
exec "$loadgen" --profile "$profile" --output runs/live
