#!/usr/bin/env bash
# Validates deploy/kubernetes/*.yaml offline against the Kubernetes JSON schemas, strictly (unknown
# fields are errors), with kubernetes-validate (PyPI; it bundles the schemas of Kubernetes 1.25 to
# 1.37, so validating needs no network). The Job is validated as k8s-run.sh renders it (sample
# values in its placeholders).
#
#   scripts/install-py-tools.sh            # once: a venv with kubernetes-validate and hdrhistogram
#   scripts/validate-k8s.sh [--kubernetes-version 1.30.0]
#
# Finds the validator as $KUBERNETES_VALIDATE, else .venv-tools/bin/kubernetes-validate, else on PATH.
# Exit status: 0 valid, 1 invalid, 2 no validator (the test that runs this script skips then).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="1.30.0"
[ "${1:-}" = "--kubernetes-version" ] && version="$2"
validator="${KUBERNETES_VALIDATE:-}"
[ -n "$validator" ] || { [ -x "$root/.venv-tools/bin/kubernetes-validate" ] && validator="$root/.venv-tools/bin/kubernetes-validate"; } || true
[ -n "$validator" ] || validator="$(command -v kubernetes-validate || true)"
if [ -z "$validator" ]; then
    echo "validate-k8s: kubernetes-validate not found (scripts/install-py-tools.sh installs it)" >&2
    exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed -e 's#__NAME__#loadgen-check#g' -e 's#__IMAGE__#registry.example.com/loadgen:dev#g' -e 's#__SHARDS__#4#g' \
    -e 's#__START_AT__#2026-12-02T10:00:00Z#g' "$root/deploy/kubernetes/job.yaml" > "$work/job.yaml"
if grep -q '__[A-Z_]*__' "$work/job.yaml"; then
    echo "validate-k8s: job.yaml has a placeholder k8s-run.sh does not fill: $(grep -o '__[A-Z_]*__' "$work/job.yaml" | head -1)" >&2
    exit 1
fi
"$validator" --strict --kubernetes-version "$version" "$work/job.yaml" \
    "$root/deploy/kubernetes/configmap.yaml" "$root/deploy/kubernetes/mock.yaml"
