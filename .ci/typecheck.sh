#!/usr/bin/env bash
# mypy over the package. The repository root *is* the package `zhidu` (package-dir in pyproject),
# so mypy sees it through a link named zhidu in a temporary directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ln -s "$root" "$dir/zhidu"
cd "$dir"
"$root/.venv/bin/mypy" --config-file "$root/pyproject.toml" -p zhidu.core -p zhidu.plugins -p zhidu.cli -m zhidu.testing
