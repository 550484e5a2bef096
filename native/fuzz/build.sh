#!/usr/bin/env bash
# build.sh — builds the libFuzzer targets native/fuzz/fuzz_*.cc with clang-19, AddressSanitizer and
# UndefinedBehaviorSanitizer (every UB check fatal) into $OUT (default tmp/fuzz/bin, outside
# build/, which node-gyp owns).
#
# The core is compiled once into objects with -fsanitize=fuzzer-no-link (coverage instrumentation
# without libFuzzer's main) and linked into every target. Needs clang-19 and libclang-rt-19-dev
# (Debian bookworm: libFuzzer, the ASan/UBSan runtimes and FuzzedDataProvider.h).
#
# Usage: native/fuzz/build.sh [target ...]   (default: every fuzz_*.cc; CXX, OUT, JOBS override)
#        COVERAGE=1 native/fuzz/build.sh     also builds source-based-coverage copies into
#                                            $OUT/cov (for llvm-cov reports of a corpus)
set -euo pipefail
cd "$(dirname "$0")/../.."
CXX=${CXX:-clang++-19}
OUT=${OUT:-tmp/fuzz/bin}
JOBS=${JOBS:-$(nproc)}
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
# -O2 (the SM2 targets are arithmetic-bound; -O1 halves their speed), -gline-tables-only and
# -fno-omit-frame-pointer for readable stacks.
FLAGS="-std=c++17 -O2 -g -gline-tables-only -fno-omit-frame-pointer -Wall -Wextra -Werror -Wno-unused-parameter"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in native/fuzz/fuzz_*.cc; do targets+=("$(basename "$f" .cc)"); done
fi

build_set() {  # build_set DIR EXTRA_FLAGS LINK_FLAGS
  local dir=$1 extra=$2 link=$3
  mkdir -p "$dir/obj"
  # The core, once (in parallel); kept when the sources are older than the objects.
  local objs=()
  local pids=()
  for src in native/core/*.cc native/core/arch/*.cc; do
    local obj="$dir/obj/$(echo "$src" | tr / _).o"
    objs+=("$obj")
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find native/core -name '*.h' -newer "$obj" -o -name '*.inc' -newer "$obj" | head -1)" ]; then
      $CXX $FLAGS $extra -c "$src" -o "$obj" &
      pids+=($!)
      if [ ${#pids[@]} -ge "$JOBS" ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
    fi
  done
  for p in "${pids[@]}"; do wait "$p"; done
  for t in "${targets[@]}"; do
    $CXX $FLAGS $extra $link "native/fuzz/$t.cc" "${objs[@]}" -o "$dir/$t" &
    pids+=($!)
    if [ ${#pids[@]} -ge "$JOBS" ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
  done
  local rc=0
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  return $rc
}

build_set "$OUT" "$SAN -fsanitize=fuzzer-no-link" "-fsanitize=fuzzer"
echo "built ${targets[*]} into $OUT"
if [ "${COVERAGE:-0}" = 1 ]; then
  build_set "$OUT/cov" "-fprofile-instr-generate -fcoverage-mapping -fsanitize=fuzzer-no-link" "-fsanitize=fuzzer"
  echo "built coverage copies into $OUT/cov"
fi
