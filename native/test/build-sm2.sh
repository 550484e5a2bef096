#!/usr/bin/env bash
# build-sm2.sh — builds the SM2 test programs into $OUT (default ${TMPDIR:-/tmp}/guomi-sm2-tests,
# outside the tree, because node-gyp owns build/ and wipes it on every rebuild):
#   kat       the standalone known-answer runner (every vectors/ suite, every CPU path)
#   diff_sm2  field, scalar and point arithmetic against a slow reference on random inputs
#   sm2_bench throughput of the SM2 operations
#   ct_sm2    the valgrind constant-time harness (only when valgrind/memcheck.h is installed)
# Usage: native/test/build-sm2.sh [--run]   (CXX, CXXFLAGS and OUT may be overridden)
set -euo pipefail
cd "$(dirname "$0")/../.."
CXX=${CXX:-g++}
FLAGS="-std=c++17 -O3 -Wall -Wextra -Werror -fvisibility=hidden ${CXXFLAGS:-}"
OUT=${OUT:-${TMPDIR:-/tmp}/guomi-sm2-tests}
mkdir -p "$OUT"
CORE_SM2="native/core/sm2.cc native/core/sm2_impl_portable.cc native/core/sm2_test_curve.cc
  native/core/sm2_base_table.cc native/core/arch/sm2_x86_64.cc native/core/arch/sm2_arm64.cc
  native/core/rand.cc
  native/core/drbg.cc"
CORE_SM3="native/core/sm3.cc native/core/sm3_mac.cc native/core/arch/sm3_x86_64.cc native/core/arch/sm3_lanes_x86_64.cc native/core/cpu.cc"
# The runner calls every suite (kat_*.cc), so it links the whole core.
$CXX $FLAGS -o "$OUT/kat" native/test/kat_*.cc native/core/*.cc native/core/arch/*.cc
$CXX $FLAGS -o "$OUT/diff_sm2" native/test/diff_sm2.cc $CORE_SM2 $CORE_SM3
$CXX $FLAGS -o "$OUT/sm2_bench" native/test/sm2_bench.cc $CORE_SM2 $CORE_SM3
if echo '#include <valgrind/memcheck.h>' | $CXX -x c++ -E - >/dev/null 2>&1; then
  # -O2 and no AVX-512 code paths are needed by valgrind; the harness switches those off itself.
  $CXX -std=c++17 -O2 -g -Wall -Wextra -Werror -DGUOMI_CT_VALGRIND -o "$OUT/ct_sm2" \
    native/test/ct_sm2.cc $CORE_SM2 $CORE_SM3
fi
if [ "${1:-}" = "--run" ]; then
  "$OUT/kat" vectors
  "$OUT/diff_sm2"
  if [ -x "$OUT/ct_sm2" ] && command -v valgrind >/dev/null; then
    valgrind -q --error-exitcode=1 --track-origins=yes "$OUT/ct_sm2"
  fi
fi
