#!/usr/bin/env bash
# sanitize.sh — AddressSanitizer + UndefinedBehaviorSanitizer runs of the native code:
#
#   1. the C++ harnesses (known-answer runner on every CPU path, diff_sm4, diff_sm2, and the three
#      constant-time harnesses run as plain programs) built with clang-19
#      -fsanitize=address,undefined -fno-sanitize-recover=all and run;
#   2. the Node-API addon built the same way, and the whole vitest suite run against it on the
#      native backend (GUOMI_BACKEND=native), with the ASan runtime preloaded into node, which is
#      not instrumented itself.
#
# The normal build (build/Release/guomi.node) is never touched: the addon is built by node-gyp in
# a copy of the package tree under $OUT (default tmp/sanitize/pkg, with node_modules linked), so
# node-gyp-build, which resolves build/Release under the package root, loads the sanitized
# binary there. Sanitizer reports go to $OUT/reports/ (log_path) as well as stderr, so a report
# from a child process whose failure a test expected (CLI tests) still fails the run.
#
# Leak detection is off for the addon run (node's own allocations at exit are not ours; the
# load tests check memory instead) and on for the C++ harnesses.
#
# Usage: scripts/sanitize.sh [--harnesses-only | --addon-only] [vitest args...]
# Prints "sanitize: N passed, N failed" and exits non-zero on any failure or report.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
OUT=${OUT:-$root/tmp/sanitize}
CXX=${CXX:-clang++-19}
CC=${CC:-clang-19}
what=all
case "${1:-}" in
  --harnesses-only) what=harnesses; shift ;;
  --addon-only) what=addon; shift ;;
esac
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
mkdir -p "$OUT/reports" "$OUT/bin"
rm -f "$OUT/reports"/*
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAILED: $*"; }

ASAN_RT=$($CC -print-file-name=libclang_rt.asan-x86_64.so)
if [ ! -f "$ASAN_RT" ]; then
  echo "sanitize: $ASAN_RT not found (apt-get install clang-19 libclang-rt-19-dev)"
  echo "sanitize: 0 passed, 1 failed"
  exit 1
fi

# reports_clean NAME: fails if the run left sanitizer reports.
reports_clean() {
  if compgen -G "$OUT/reports/*" >/dev/null; then
    bad "$1: sanitizer reports in $OUT/reports:"
    head -30 "$OUT"/reports/* | sed 's/^/    /'
    return 1
  fi
  return 0
}

# A symbolizer for readable reports (clang-19's own if installed, else Debian's default).
for sym in llvm-symbolizer-19 llvm-symbolizer llvm-symbolizer-14; do
  if command -v "$sym" >/dev/null; then export ASAN_SYMBOLIZER_PATH=$(command -v "$sym"); break; fi
done

if [ "$what" != addon ]; then
  echo "=== C++ harnesses under ASan + UBSan ==="
  FLAGS="-std=c++17 -O2 -g $SAN -Wall -Wextra -Werror -Wno-unused-parameter"
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:log_path=$OUT/reports/asan"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$OUT/reports/ubsan"
  # The core, compiled once with the sanitizers; CORE_OBJ_DIR may name objects already built the
  # same way (.ci/assurance.sh passes native/fuzz/build.sh's, which only add fuzzer coverage
  # instrumentation), saving a minute on two cores.
  objs=()
  if [ -n "${CORE_OBJ_DIR:-}" ] && compgen -G "$CORE_OBJ_DIR/*.o" >/dev/null; then
    objs=("$CORE_OBJ_DIR"/*.o)
    echo "(core objects from $CORE_OBJ_DIR)"
  else
    mkdir -p "$OUT/obj"
    pids=()
    for src in native/core/*.cc native/core/arch/*.cc; do
      obj="$OUT/obj/$(echo "$src" | tr / _).o"
      objs+=("$obj")
      $CXX $FLAGS -c "$src" -o "$obj" &
      pids+=($!)
      if [ ${#pids[@]} -ge "$(nproc)" ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
    done
    for p in "${pids[@]}"; do wait "$p"; done
  fi
  # name | sources | arguments (run from the repository root). diff_sm2's slow reference
  # multiplications take minutes under ASan: SANITIZE_FULL=1 adds it (fuzz_sm2_arith covers the
  # same arithmetic under ASan in CI).
  list="kat|native/test/kat_main.cc $(ls native/test/kat_*.cc | grep -v kat_main | tr '\n' ' ')|vectors
diff_sm4|native/test/diff_sm4.cc|300 1
ct_sm3|native/test/ct_sm3.cc|
ct_sm4|native/test/ct_sm4.cc|
ct_sm2|native/test/ct_sm2.cc|"
  [ "${SANITIZE_FULL:-0}" = 1 ] && list="$list
diff_sm2|native/test/diff_sm2.cc|2000 1"
  while IFS='|' read -r name srcs args; do
    if ! $CXX $FLAGS $srcs "${objs[@]}" -o "$OUT/bin/$name"; then bad "$name (build)"; continue; fi
    start=$(date +%s)
    if "$OUT/bin/$name" $args >"$OUT/$name.log" 2>&1 && reports_clean "$name"; then
      ok "$name under ASan+UBSan, $(( $(date +%s) - start ))s ($(tail -1 "$OUT/$name.log"))"
    else
      bad "$name under ASan+UBSan (log: $OUT/$name.log)"
      tail -5 "$OUT/$name.log" | sed 's/^/    /'
      head -20 "$OUT"/reports/* 2>/dev/null | sed 's/^/    /'
    fi
    rm -f "$OUT/reports"/*
  done <<<"$list"
  unset ASAN_OPTIONS UBSAN_OPTIONS
fi

if [ "$what" != harnesses ]; then
  echo "=== the addon under ASan + UBSan, whole vitest suite on the native backend ==="
  pkg="$OUT/pkg"
  rm -rf "$pkg"
  mkdir -p "$pkg"
  # A copy of the package tree as it is now (tracked or not): every top-level entry, so that
  # suites reading docs/, browser/ or anything added later find it, except build outputs,
  # dependencies (linked below) and scratch folders.
  for item in * .[!.]*; do
    case "$item" in
      build|dist|node_modules|tmp|prebuilds|.git|docs) ;;
      *) [ -e "$item" ] && cp -a "$item" "$pkg/" ;;
    esac
  done
  # docs/ without the generated API reference (large, and no test reads it).
  mkdir -p "$pkg/docs" && find docs -maxdepth 1 -type f -exec cp -a {} "$pkg/docs/" \;
  ln -s "$root/node_modules" "$pkg/node_modules"
  nodedir=()
  [ -f /usr/include/node/node_version.h ] && nodedir=(--nodedir=/usr)
  # node-gyp: a local one, or the one npm ships (as scripts/install.cjs finds it).
  gyp="$root/node_modules/node-gyp/bin/node-gyp.js"
  [ -f "$gyp" ] || gyp="$(dirname "$(readlink -f "$(command -v node)")")/../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
  if ! (cd "$pkg" && CC=$CC CXX=$CXX CFLAGS="$SAN -g -O1" CXXFLAGS="$SAN -g -O1" \
          LDFLAGS="-fsanitize=address,undefined -shared-libasan" \
          node "$gyp" rebuild "${nodedir[@]}" >"$OUT/node-gyp.log" 2>&1); then
    bad "sanitized addon build (log: $OUT/node-gyp.log)"
    tail -30 "$OUT/node-gyp.log" | sed 's/^/    /'
    echo "sanitize: $passed passed, $failed failed"
    exit 1
  fi
  addon="$pkg/build/Release/guomi.node"
  if [ "$(nm -D "$addon" 2>/dev/null | grep -c '__asan_report_load')" -gt 0 ]; then
    ok "sanitized addon built and instrumented ($addon)"
  else
    bad "the addon at $addon is not instrumented"
  fi
  # handle_segv=0 etc.: V8's WebAssembly trap handler and the JVM of the interop peers use
  # SIGSEGV themselves. detect_leaks=0: see above. quarantine_size_mb=8 (default 256): every
  # allocation of node goes through ASan's allocator once the runtime is preloaded, and a large
  # quarantine of freed stream buffers fails the suite's own constant-memory checks (the CLI
  # hashes 512 MiB in < 200 MB RSS: 243 MB with a 32 MB quarantine, 179 MB with 8 MB, 56 MB
  # without ASan); 8 MB still catches a use of memory freed in the last few megabytes.
  export ASAN_OPTIONS="quarantine_size_mb=8:detect_leaks=0:handle_segv=0:handle_sigbus=0:handle_sigfpe=0:allow_user_segv_handler=1:detect_odr_violation=0:abort_on_error=0:log_path=$OUT/reports/asan"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$OUT/reports/ubsan"
  start=$(date +%s)
  (cd "$pkg" && LD_PRELOAD="$ASAN_RT" GUOMI_BACKEND=native GUOMI_REQUIRE_NATIVE=1 GUOMI_SANITIZED=1 \
     node "$root/node_modules/vitest/vitest.mjs" run --reporter=dot --reporter=json \
     --outputFile.json="$OUT/vitest.json" "$@" >"$OUT/vitest.log" 2>&1)
  rc=$?
  took=$(( $(date +%s) - start ))
  read -r p f < <(node -e "try { const r=require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests + (r.success ? 0 : (r.numFailedTestSuites||0))) } catch { console.log(0, 1) }" "$OUT/vitest.json")
  echo "vitest under ASan+UBSan: $p passed, $f failed, exit $rc, ${took}s (log: $OUT/vitest.log)"
  if [ "$rc" = 0 ] && [ "$f" = 0 ]; then ok "vitest suite with the sanitized addon"; else
    bad "vitest suite with the sanitized addon"
    grep -E "FAIL|AssertionError|Error:" "$OUT/vitest.log" | head -20 | sed 's/^/    /'
  fi
  reports_clean "sanitizer reports from the suite and its child processes" && ok "no sanitizer reports"
  unset ASAN_OPTIONS UBSAN_OPTIONS
fi

echo "sanitize: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
