#!/usr/bin/env bash
# Installs the system libraries loadgen builds against (libuv and libcurl headers), when missing.
# Extra Debian packages may be named as arguments (the benchmarks add wrk).
set -euo pipefail

packages=(libuv1-dev libcurl4-openssl-dev pkg-config bsdutils "$@")
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: missing ${missing[*]}, and this is not a Debian-like system." >&2
    echo "On macOS: brew install libuv curl pkg-config" >&2
    exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
