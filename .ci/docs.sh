#!/usr/bin/env bash
# The generated API reference (TypeDoc over the JSDoc of the public entry points, typedoc.json):
# fails on any warning, such as a public type that is referenced but not exported, a broken
# {@link}, or a @param that names no parameter. Output in docs/api/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent docs
test -f docs/api/index.html
