#!/usr/bin/env bash
# build-sm4.sh — builds the SM4/GHASH test programs into build/sm4/ (run from anywhere):
#   kat        the standalone known-answer runner (every vectors/ suite, every CPU path)
#   diff_sm4   every accelerated SM4 and GHASH path against the portable one on random inputs
#   sm4_bench  throughput of every mode on every path (--all-paths)
#   ct_sm4     the valgrind constant-time harness (only when valgrind/memcheck.h is installed)
# Options:
#   --run      also run kat, diff_sm4 and ct_sm4 (under valgrind)
#   --arm64    also cross-build kat and diff_sm4 for aarch64 (static) and run them under
#              qemu-aarch64-static with -cpu max (SM4E, PMULL) and -cpu cortex-a72 (NEON, PMULL)
#   --clang    build with clang++-19 instead of g++ (CXX overrides either)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUN=0 ARM64=0
CXX=${CXX:-g++}
for arg in "$@"; do
  case "$arg" in
    --run) RUN=1 ;;
    --arm64) ARM64=1 ;;
    --clang) CXX=${CXX_CLANG:-clang++-19} ;;
  esac
done
FLAGS="-std=c++17 -O3 -Wall -Wextra -Werror -fvisibility=hidden ${CXXFLAGS:-}"
OUT=build/sm4
mkdir -p "$OUT"

# The SM4 and GHASH core (arch files compile to nothing on other architectures).
SM4_CORE="$(ls native/core/sm4*.cc native/core/ghash*.cc native/core/arch/sm4_*.cc native/core/arch/ghash_*.cc) native/core/cpu.cc"
# The runner calls every suite in native/test/kat_*.cc, so it links the whole core.
ALL_CORE="$(ls native/core/*.cc native/core/arch/*.cc)"
KAT_SRCS="native/test/kat_main.cc $(ls native/test/kat_*.cc | grep -v kat_main.cc)"

$CXX $FLAGS -o "$OUT/kat" $KAT_SRCS $ALL_CORE
$CXX $FLAGS -o "$OUT/diff_sm4" native/test/diff_sm4.cc $SM4_CORE
$CXX $FLAGS -o "$OUT/sm4_bench" native/test/sm4_bench.cc $SM4_CORE
if echo '#include <valgrind/memcheck.h>' | $CXX -x c++ -E - >/dev/null 2>&1; then
  $CXX -std=c++17 -O2 -g -Wall -Wextra -Werror -DGUOMI_CT_VALGRIND -o "$OUT/ct_sm4" \
    native/test/ct_sm4.cc $SM4_CORE
fi

if [ "$ARM64" = 1 ]; then
  ACXX=${ACXX:-aarch64-linux-gnu-g++}
  AFLAGS="-std=c++17 -O3 -Wall -Wextra -Werror -fvisibility=hidden -march=armv8-a -static"
  $ACXX $AFLAGS -o "$OUT/kat-arm64" $KAT_SRCS $ALL_CORE
  $ACXX $AFLAGS -o "$OUT/diff_sm4-arm64" native/test/diff_sm4.cc $SM4_CORE
fi

if [ "$RUN" = 1 ]; then
  "$OUT/kat" vectors
  "$OUT/diff_sm4" 2000
  if [ -x "$OUT/ct_sm4" ] && command -v valgrind >/dev/null; then
    valgrind -q --error-exitcode=1 "$OUT/ct_sm4"
  fi
  if [ "$ARM64" = 1 ]; then
    for cpu in max cortex-a72; do
      echo "== qemu-aarch64 -cpu $cpu"
      QEMU_CPU=$cpu qemu-aarch64-static "$OUT/kat-arm64" vectors
      QEMU_CPU=$cpu qemu-aarch64-static "$OUT/diff_sm4-arm64" 200
    done
  fi
fi
