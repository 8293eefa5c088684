#!/usr/bin/env bash
# Lints Sources/, Tests/ and Package.swift with swift-format (`swift format`, shipped with the
# Swift 6 toolchains) and the rules in .swift-format. Exit status 1 on any finding.
#
# Layout findings (indentation, line breaks, line length, spacing, trailing commas) come from
# swift-format's pretty printer, which its configuration cannot switch off; the code base predates
# the linter and reformatting it all at once would only churn every file. They are left out here
# unless --layout is given (then they are printed too, and count). docs/development.md explains
# the choice of rules.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! swift format --version >/dev/null 2>&1; then
    echo "lint: 'swift format' is missing; it ships with Swift 6 toolchains (swift.org/install)" >&2
    exit 1
fi

layout='\[(Indentation|LineLength|AddLines|RemoveLine|Spacing|TrailingComma|TrailingWhitespace|EndOfLineComment)\]'
all=$(swift format lint --configuration .swift-format --recursive Sources Tests Package.swift 2>&1 || true)
if [ "${1:-}" = "--layout" ]; then
    findings=$all
else
    findings=$(printf '%s\n' "$all" | grep -Ev "$layout" || true)
fi
if [ -n "$findings" ]; then
    printf '%s\n' "$findings" >&2
    echo "lint: $(printf '%s\n' "$findings" | grep -c 'warning:\|error:') finding(s)" >&2
    exit 1
fi
echo "lint: no findings (swift format $(swift format --version), rules in .swift-format)"
