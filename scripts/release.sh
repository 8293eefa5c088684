#!/usr/bin/env bash
# Builds release binaries and packs them into dist/loadgen-<version>-<os>-<arch>.tar.gz.
#
# The version is `git describe --tags --always --dirty` (a tag such as v0.2.0, or a commit hash,
# with -dirty when the working tree has changes). It is embedded in `loadgen version` by writing
# Sources/LoadGen/LoadGenVersion.swift for the build; the file is put back afterwards, even on failure.
# The tarball holds bin/loadgen, bin/loadreport, shell completions (bash, zsh, fish), the shipped
# profiles, README.md and docs/. It needs libuv and libcurl at run time (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(git describe --tags --always --dirty)
os=$(uname -s | tr '[:upper:]' '[:lower:]')
arch=$(uname -m)
name="loadgen-${version}-${os}-${arch}"
version_file=Sources/LoadGen/LoadGenVersion.swift

scripts/install-deps.sh

backup=$(mktemp)
cp "$version_file" "$backup"
restore() { cp "$backup" "$version_file"; rm -f "$backup"; }
trap restore EXIT
cat > "$version_file" <<SWIFT
/// The version of loadgen, written by scripts/release.sh from \`git describe\` (the checked-in file says 0.1.0-dev).
enum LoadGenVersion {
    static let current = "${version}"
}
SWIFT

swift build -c release --product loadgen
swift build -c release --product loadreport
bin=$(swift build -c release --show-bin-path)

stage="dist/${name}"
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/completions"
cp "$bin/loadgen" "$bin/loadreport" "$stage/bin/"
strip "$stage/bin/loadgen" "$stage/bin/loadreport" 2>/dev/null || true
"$stage/bin/loadgen" --generate-completion-script bash > "$stage/completions/loadgen.bash"
"$stage/bin/loadgen" --generate-completion-script zsh > "$stage/completions/_loadgen"
"$stage/bin/loadgen" --generate-completion-script fish > "$stage/completions/loadgen.fish"
cp -R README.md docs profiles "$stage/"

reported=$("$stage/bin/loadgen" version | head -1)
if [ "$reported" != "loadgen ${version}" ]; then
    echo "release: the binary says '${reported}', expected 'loadgen ${version}'" >&2
    exit 1
fi
tar -czf "dist/${name}.tar.gz" -C dist "$name"
rm -rf "$stage"
echo "release: dist/${name}.tar.gz (${reported})"
