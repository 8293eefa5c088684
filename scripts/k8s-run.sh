#!/usr/bin/env bash
# Runs a distributed run on a Kubernetes cluster: makes the ConfigMap from the profile (and the files
# beside it), applies the Indexed Job of deploy/kubernetes/job.yaml with N shards and a common start
# time, waits for every shard, copies each pod's run directory out (`kubectl cp`; the pod's wrapper
# keeps it until then), lets the pods exit, and merges the shards with loadreport.
#
#   scripts/k8s-run.sh --image registry.example.com/loadgen:dev --profile my-profile.yaml --shards 8
#
# Options: --image IMAGE (required; built from deploy/kubernetes/Dockerfile), --profile FILE (default
# deploy/kubernetes/profile.yaml; every file in its directory goes into the ConfigMap, so keep prompt
# files beside it), --shards N (4), --name NAME (loadgen-<UTC stamp>), --namespace NS (kubectl's
# current), --lead SECONDS from now to the common start (120: time for every pod to be scheduled and
# pull the image; a pod that starts later than 1 s after it refuses to run), --out DIR (runs/NAME),
# --timeout SECONDS for the whole run (7200), --keep (leave the Job and ConfigMap in place).
# Needs kubectl with access to the cluster, and loadreport ($LOADREPORT, .build/release or PATH) to merge.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
image=""
profile="$root/deploy/kubernetes/profile.yaml"
shards=4
name="loadgen-$(date -u +%Y%m%dt%H%M%S)"
namespace=""
lead=120
out=""
timeout_s=7200
keep=""
while [ $# -gt 0 ]; do
    case "$1" in
        --image) image="$2"; shift 2 ;;
        --profile) profile="$2"; shift 2 ;;
        --shards) shards="$2"; shift 2 ;;
        --name) name="$2"; shift 2 ;;
        --namespace) namespace="$2"; shift 2 ;;
        --lead) lead="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --timeout) timeout_s="$2"; shift 2 ;;
        --keep) keep=yes; shift ;;
        *) echo "k8s-run: unknown argument $1 (see the comment at the top of $0)" >&2; exit 64 ;;
    esac
done
[ -n "$image" ] || { echo "k8s-run: give --image (docker build -f deploy/kubernetes/Dockerfile -t IMAGE . and push it)" >&2; exit 64; }
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "k8s-run: --shards must be a whole number of 1 or more" >&2; exit 64; }
[ -n "$out" ] || out="runs/$name"
kc=(kubectl)
[ -z "$namespace" ] || kc+=(--namespace "$namespace")
loadreport="${LOADREPORT:-$root/.build/release/loadreport}"
[ -x "$loadreport" ] || loadreport="$(command -v loadreport || true)"

# The ConfigMap: the profile as profile.yaml, and the files beside it under their own names.
profile_dir="$(cd "$(dirname "$profile")" && pwd)"
from_files=(--from-file=profile.yaml="$profile")
for file in "$profile_dir"/*; do
    [ -f "$file" ] && [ "$file" != "$(cd "$(dirname "$profile")" && pwd)/$(basename "$profile")" ] \
        && from_files+=(--from-file="$(basename "$file")"="$file")
done
"${kc[@]}" create configmap "$name-config" "${from_files[@]}" --dry-run=client -o yaml | "${kc[@]}" apply -f -

start_at="$(date -u -d "+$lead seconds" +%Y-%m-%dT%H:%M:%SZ)"
sed -e "s#__NAME__#$name#g" -e "s#__IMAGE__#$image#g" -e "s#__SHARDS__#$shards#g" -e "s#__START_AT__#$start_at#g" \
    "$root/deploy/kubernetes/job.yaml" | "${kc[@]}" apply -f -
echo "k8s-run: job $name, $shards shards, starting at $start_at; collecting into $out" >&2
cleanup() {
    [ -n "$keep" ] && return
    "${kc[@]}" delete job "$name" --wait=false >/dev/null 2>&1 || true
    "${kc[@]}" delete configmap "$name-config" >/dev/null 2>&1 || true
}
trap cleanup EXIT

mkdir -p "$out"
deadline=$(( $(date +%s) + timeout_s ))
failed=0
for ((i = 0; i < shards; i++)); do
    pod=""
    phase=""
    while :; do
        [ "$(date +%s)" -lt "$deadline" ] || { echo "k8s-run: timed out waiting for shard $i" >&2; exit 1; }
        pod="$("${kc[@]}" get pods -l "job-name=$name,batch.kubernetes.io/job-completion-index=$i" \
            -o jsonpath='{.items[0].metadata.name}' 2>/dev/null || true)"
        if [ -n "$pod" ]; then
            phase="$("${kc[@]}" get pod "$pod" -o jsonpath='{.status.phase}')"
            if [ "$phase" = "Failed" ] || [ "$phase" = "Succeeded" ]; then
                echo "k8s-run: shard $i ($pod) ended ($phase) before its run directory was collected; its log:" >&2
                "${kc[@]}" logs "$pod" >&2 || true
                failed=1
                break
            fi
            "${kc[@]}" exec "$pod" -- test -e /out/exit-status 2>/dev/null && break
        fi
        sleep 5
    done
    [ "$phase" = "Failed" ] || [ "$phase" = "Succeeded" ] && continue
    status="$("${kc[@]}" exec "$pod" -- cat /out/exit-status)"
    [ "$status" = "0" ] || { echo "k8s-run: shard $i ($pod): loadgen exited $status" >&2; failed=1; }
    "${kc[@]}" cp "${namespace:+$namespace/}$pod:/out/run" "$out/shard-$i" >/dev/null
    "${kc[@]}" exec "$pod" -- touch /out/collected
    echo "k8s-run: collected shard $i/$shards from $pod" >&2
done
"${kc[@]}" wait --for=condition=complete "job/$name" --timeout=300s >/dev/null || failed=1

shard_dirs=()
for ((i = 0; i < shards; i++)); do [ -d "$out/shard-$i" ] && shard_dirs+=("$out/shard-$i"); done
[ -n "$loadreport" ] || { echo "k8s-run: no loadreport to merge with; the shards are in $out" >&2; exit 1; }
partial=()
[ "$failed" -eq 0 ] || partial=(--allow-partial)
"$loadreport" "${shard_dirs[@]}" "${partial[@]}" | tee "$out/merged.txt"
[ "$failed" -eq 0 ]
