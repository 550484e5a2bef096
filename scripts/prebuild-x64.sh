#!/usr/bin/env bash
# prebuild-x64.sh — builds the redistributable linux-x64 addon into
#   prebuilds/linux-x64/guomi.napi.glibc.node
# where node-gyp-build finds it before build/Release (so an installed tarball needs no compiler).
#
# Same recipe as scripts/cross-build.sh for the other architectures: GYP_DEFINES=guomi_prebuild
# makes binding.gyp link with scripts/exports.map (only the Node-API entry points exported) and
# strip the binary; the build runs in a copy of the sources under tmp/prebuild/x64 so the host's
# own build/Release is left alone. One binary serves every x86-64 CPU: the AES-NI/GFNI/AVX2/
# PCLMUL paths are compiled with function-level target attributes and chosen at run time.
#
# The binary needs the highest GLIBC_ symbol version it references, which the script prints
# (GLIBC_2.14 when built on Debian 12), and the libstdc++ of gcc 5 or later (GLIBCXX_3.4.21).
#
# Environment: JOBS (parallel compiles, default 2).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$root/tmp/prebuild/x64
jobs=${JOBS:-2}

if [ "$(uname -m)" != x86_64 ]; then
  echo "prebuild-x64: this machine is $(uname -m), not x86_64" >&2
  exit 1
fi

# node_gyp and nodedir_args
source "$root/scripts/node-gyp-env.sh"

pkg=$work/pkg
rm -rf "$pkg"
mkdir -p "$pkg/scripts"
cp -r "$root/binding.gyp" "$root/package.json" "$root/native" "$pkg/"
rm -rf "$pkg/native/test"
cp "$root/scripts/exports.map" "$pkg/scripts/"
ln -s "$root/node_modules" "$pkg/node_modules"

start=$(date +%s)
echo "prebuild-x64: node-gyp rebuild (guomi_prebuild=x64, -j $jobs)" >&2
(
  cd "$pkg"
  GYP_DEFINES="guomi_prebuild=x64" node "$(node_gyp)" rebuild --arch=x64 "${nodedir_args[@]}" -j "$jobs"
) >"$work/build.log" 2>&1 || {
  tail -40 "$work/build.log" >&2
  echo "prebuild-x64: FAILED (full log: $work/build.log)" >&2
  exit 1
}

dest=$root/prebuilds/linux-x64
mkdir -p "$dest"
# node-gyp-build tags: napi = any Node version with Node-API; glibc = not for musl (Alpine).
cp "$pkg/build/Release/guomi.node" "$dest/guomi.napi.glibc.node"
glibc=$(objdump -T "$dest/guomi.napi.glibc.node" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -t. -k1,1 -k2,2n -k3,3n -u | tail -1 || true)
echo "prebuild-x64: done in $(($(date +%s) - start)) s: $dest/guomi.napi.glibc.node (needs ${glibc:-an unknown glibc})" >&2
