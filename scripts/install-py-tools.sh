#!/usr/bin/env bash
# Installs the Python tools some checks use, in a venv at .venv-tools (ignored by git), from PyPI:
# kubernetes-validate (offline validation of deploy/kubernetes against bundled Kubernetes schemas:
# scripts/validate-k8s.sh) and hdrhistogram (HdrHistogram's Python reader: scripts/check-hlog.py).
# Only this script needs the network; the checks then run offline. `make test` runs it with
# --if-missing (nothing to do when the venv has both); the tests find .venv-tools by themselves,
# and skip when the tools are missing (offline). Elsewhere, point them at the tools:
#
#   scripts/install-py-tools.sh
#   export LOADGEN_HDRH_PYTHON=$PWD/.venv-tools/bin/python KUBERNETES_VALIDATE=$PWD/.venv-tools/bin/kubernetes-validate
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ "${1:-}" = "--if-missing" ] && [ -x "$root/.venv-tools/bin/kubernetes-validate" ] \
    && "$root/.venv-tools/bin/python" -c "import hdrh.log" 2>/dev/null; then
    exit 0
fi
python3 -m venv "$root/.venv-tools"
"$root/.venv-tools/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==1.37.0" "hdrhistogram==0.10.8"
echo "install-py-tools: $root/.venv-tools/bin/kubernetes-validate and $root/.venv-tools/bin/python (with hdrh)" >&2
