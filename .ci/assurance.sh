#!/usr/bin/env bash
# .ci/assurance.sh — the assurance stage of CI (SECURITY.md, "How it is tested"):
#
#   1. every libFuzzer target (native/fuzz) built with ASan+UBSan and run for FUZZ_SECONDS
#      (default 30) each, two at a time, from the committed seed corpus;
#   2. the constant-time harnesses' --self-test under valgrind, each of which MUST fail (it proves
#      that the secret marking is compiled in and that memcheck reports a leak on this machine;
#      the real harness runs are in .ci/run);
#   3. scripts/sanitize.sh: the C++ harnesses and the addon under ASan+UBSan, with the whole
#      vitest suite run against the sanitized addon;
#   4. the load checks at bounded sizes (scripts/load: SM2 sign+verify, SM4-GCM sync and async,
#      short-lived key objects reclaimed by GC) with stable RSS.
#
# Prints ok/FAILED lines and ends with "N passed, N failed"; exits non-zero on any failure.
# Expects `npm ci` to have run (dist/ and build/Release/guomi.node); installs clang-19,
# libclang-rt-19-dev and valgrind from Debian when missing.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/tmp/assurance"
rm -rf "$out" && mkdir -p "$out"
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
passed=0
failed=0
t_start=$(date +%s)
stage() { echo; echo "=== $* ($(( $(date +%s) - t_start ))s) ==="; }
count() { passed=$((passed + $1)); failed=$((failed + $2)); }
check() {
  local name=$1; shift
  if "$@"; then count 1 0; echo "ok: $name"; else count 0 1; echo "FAILED: $name"; fi
}
# tally LOG: adds the "N passed, N failed" of a sub-script's last such line.
tally() {
  local line
  line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
  if [ -z "$line" ]; then count 0 1; return; fi
  count "$(echo "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/;s/^([0-9]+) passed.*/\1/')" \
        "$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')"
}

stage "system packages"
need=()
command -v clang++-19 >/dev/null || need+=(clang-19)
[ -f "$(clang-19 -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] || need+=(libclang-rt-19-dev)
command -v valgrind >/dev/null && [ -f /usr/include/valgrind/memcheck.h ] || need+=(valgrind)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
[ -f dist/index.js ] && [ -f build/Release/guomi.node ] || npm ci --no-audit --no-fund

stage "fuzzing: build every target (ASan + UBSan + libFuzzer)"
if native/fuzz/build.sh >"$out/fuzz-build.log" 2>&1; then
  count 1 0; echo "ok: fuzz targets built"
  stage "fuzzing: each target for ${FUZZ_SECONDS}s from the seed corpus"
  WORK="$out/fuzz" SECONDS_EACH=$FUZZ_SECONDS JOBS=2 native/fuzz/run.sh 2>&1 | tee "$out/fuzz-run.log" | grep -vE '^(fuzz: )'
  tally "$out/fuzz-run.log"
else
  count 0 1; echo "FAILED: fuzz build (log: $out/fuzz-build.log)"; tail -20 "$out/fuzz-build.log"
fi

stage "constant time: every harness's --self-test must be caught by valgrind"
# The binaries .ci/run ran under valgrind (tmp/ci/ct_*) when they are there, so the self-test
# proves that the very binary CI checked has the marking compiled in; otherwise built here.
mkdir -p "$out/ct/obj"
objs=()
for harness in native/test/ct_*.cc; do
  name=$(basename "$harness" .cc)
  bin="$root/tmp/ci/$name"
  if [ ! -x "$bin" ] || [ "$harness" -nt "$bin" ]; then
    bin="$out/ct/$name"
    if [ ${#objs[@]} -eq 0 ]; then
      for src in native/core/*.cc native/core/arch/*.cc; do
        o="$out/ct/obj/$(echo "$src" | tr / _).o"
        objs+=("$o")
        g++ -std=c++17 -O2 -g -DGUOMI_CT_VALGRIND -c "$src" -o "$o" &
        [ "$(jobs -r | wc -l)" -ge 2 ] && wait -n
      done
      wait
    fi
    if ! g++ -std=c++17 -O2 -g -DGUOMI_CT_VALGRIND "$harness" "${objs[@]}" -o "$bin"; then
      count 0 1; echo "FAILED: $name build"; continue
    fi
  fi
  valgrind -q --error-exitcode=1 "$bin" --self-test >"$out/ct/$name.self-test.log" 2>&1
  rc=$?
  # Both leaks must be reported: the branch and the secret-indexed load.
  if [ "$rc" -ne 0 ] && grep -q 'Conditional jump or move depends on uninitialised' "$out/ct/$name.self-test.log" \
       && grep -q 'Use of uninitialised value' "$out/ct/$name.self-test.log"; then
    count 1 0; echo "ok: $name --self-test caught by valgrind (exit $rc; $bin)"
  else
    count 0 1; echo "FAILED: $name --self-test was NOT caught (exit $rc; log $out/ct/$name.self-test.log)"
  fi
done

stage "sanitizers: ASan + UBSan harnesses and the whole vitest suite on the sanitized addon"
CORE_OBJ_DIR="$root/tmp/fuzz/bin/obj" OUT="$out/sanitize" scripts/sanitize.sh 2>&1 | tee "$out/sanitize.log"
tally "$out/sanitize.log"

stage "memory and load (bounded sizes; full sizes by hand, see scripts/load)"
check "SM2 sign+verify x 30000, stable RSS" node scripts/load/sm2-sign-verify.js --count 30000
check "SM4-GCM 2 GiB, stable RSS" node scripts/load/sm4-gcm.js --gib 2
check "SM4-GCM async 1 GiB, stable RSS" node scripts/load/sm4-gcm.js --gib 1 --async 1
check "200,000 short-lived key objects reclaimed by GC, stable RSS" node scripts/load/keys-gc.js --count 100000

echo
echo "assurance took $(( $(date +%s) - t_start ))s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
