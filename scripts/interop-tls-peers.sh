#!/usr/bin/env bash
# Manual interop run of guomi/tls against Tongsuo and GmSSL 3.x (docs/tls-interop.md):
#
#   scripts/interop-tls-peers.sh [--tongsuo BIN] [--gmssl BIN]... [--runs N] [--keep DIR]
#
# Builds dist/ if needed, then runs scripts/interop-tls-peers.mjs. As root (or where user
# namespaces are allowed) it runs inside a private network namespace with only loopback, because
# GmSSL's tls13_server binds every interface and has no option to bind 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/tls/index.js ] || npm run --silent build
if [ "${GUOMI_INTEROP_IN_NETNS:-}" != 1 ] && command -v unshare >/dev/null; then
  if unshare -n true 2>/dev/null; then
    exec unshare -n env GUOMI_INTEROP_IN_NETNS=1 bash -c 'ip link set lo up && exec node scripts/interop-tls-peers.mjs "$@"' bash "$@"
  elif unshare -rn true 2>/dev/null; then
    exec unshare -rn env GUOMI_INTEROP_IN_NETNS=1 bash -c 'ip link set lo up && exec node scripts/interop-tls-peers.mjs "$@"' bash "$@"
  fi
  echo "note: no network namespace available; GmSSL's tls13_server will listen on every interface" >&2
fi
exec node scripts/interop-tls-peers.mjs "$@"
