#!/usr/bin/env bash
# Installs the system libraries loadgen builds against (libuv and libcurl headers), and the tools the
# TLS and HTTP/2 tests run (nginx as a TLS front for the mock, openssl to make its certificate), and
# the browser the HTML report's test opens its pages in (Debian's chromium, headless), when missing. Extra Debian packages may be named as arguments (the benchmarks add wrk). The port-exhaustion test needs ip (iproute2) and sysctl (procps); the Python tools come from scripts/install-py-tools.sh.
set -euo pipefail

packages=(libuv1-dev libcurl4-openssl-dev pkg-config bsdutils python3-venv iproute2 procps "$@")
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# Tools are checked by command: any nginx flavour will do (nginx-light, nginx-core, nginx).
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
browser=()
command -v chromium >/dev/null 2>&1 || browser=(chromium)
[ ${#missing[@]} -eq 0 ] && [ ${#browser[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: missing ${missing[*]} ${browser[*]}, and this is not a Debian-like system." >&2
    echo "On macOS: brew install libuv curl pkg-config nginx openssl" >&2
    exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]} ${browser[*]}" >&2
$sudo apt-get update -qq
# The tests start their own nginx on free loopback ports; the package's service is not needed, and
# starting it can fail (no init system, port 80 taken) and fail the install. Unless the system
# already has a policy, one that refuses service starts is in place during the install.
policy=/usr/sbin/policy-rc.d
added_policy=""
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
    added_policy=yes
    trap '$sudo rm -f "$policy"' EXIT
fi
[ ${#missing[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
# Chromium without its recommends (about 25 packages, 290 MB, a minute or two): headless needs none of them.
[ ${#browser[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${browser[@]}" >/dev/null
if [ -n "$added_policy" ]; then
    $sudo rm -f "$policy"
    trap - EXIT
fi
