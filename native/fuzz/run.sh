#!/usr/bin/env bash
# run.sh — runs the libFuzzer targets built by build.sh, each for SECONDS seconds, JOBS at a time,
# starting from the committed seeds (native/fuzz/corpus/<target>/) plus whatever earlier runs
# left in the working corpus (tmp/fuzz/corpus/<target>/), and prints one line per target:
#
#   fuzz_sm4_diff: ok, 29883 execs (490/s), cov 2143 ft 5120, corpus 212 (+57 new), peak 412 MB
#
# and a final "N passed, N failed". A crash, a sanitizer report, a FUZZ_CHECK failure, a leak,
# a timeout (-timeout, default 25 s for one input) or an out-of-memory fails the target; its
# reproducer is left in tmp/fuzz/artifacts/ and the log in tmp/fuzz/logs/<target>.log.
#
# Usage: native/fuzz/run.sh [target ...]      (default: every built target)
#   SECONDS_EACH=60 JOBS=2 native/fuzz/run.sh
#   MERGE=1   afterwards minimise each working corpus into native/fuzz/corpus/<target>/
#             (to refresh the committed seeds; keep them small)
#   Reproduce: tmp/fuzz/bin/<target> tmp/fuzz/artifacts/crash-...
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-tmp/fuzz/bin}
WORK=${WORK:-tmp/fuzz}
SECONDS_EACH=${SECONDS_EACH:-60}
JOBS=${JOBS:-2}
mkdir -p "$WORK/logs" "$WORK/artifacts" "$WORK/corpus"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in native/fuzz/fuzz_*.cc; do targets+=("$(basename "$f" .cc)"); done
fi

# Per-target input size limit: the SM2 targets are slower per byte, the SM4/SM3 ones need room
# for several kernel passes.
max_len() {
  case "$1" in
    fuzz_sm4_diff|fuzz_sm4_decrypt|fuzz_sm3_diff|fuzz_ghash_diff) echo 4096 ;;
    fuzz_sm2_arith) echo 161 ;;      # sel + five 32-byte operands; nothing else is read
    fuzz_sm2_roundtrip) echo 320 ;;  # six 32-byte values, a flip byte, then the message
    *) echo 1024 ;;
  esac
}

# libFuzzer grows the input length limit slowly, with the number of executions; the targets
# that run tens to hundreds of inputs a second would spend a whole short run below the size of
# their fixed fields (fuzz_sm2_arith reads 161 bytes of operands; at 11 execs/s a 5-minute run
# never got past 14 bytes, so most operands were zero-filled). For those the limit is max_len
# from the start.
len_control() {
  case "$1" in
    fuzz_sm2_arith|fuzz_sm2_roundtrip|fuzz_sm2_decrypt|fuzz_sm2_point|fuzz_sm4_diff|fuzz_sm3_diff) echo 0 ;;
    *) echo 100 ;;
  esac
}

run_one() {
  local t=$1
  local log="$WORK/logs/$t.log"
  mkdir -p "$WORK/corpus/$t"
  local seeds=()
  [ -d "native/fuzz/corpus/$t" ] && seeds=("native/fuzz/corpus/$t")
  # rss_limit: the SM2 targets build 4 KiB key tables per input, ASan quarantines freed memory.
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$BIN/$t" -max_total_time="$SECONDS_EACH" -max_len="$(max_len "$t")" -len_control="$(len_control "$t")" -timeout=25 \
      -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="$WORK/artifacts/$t-" \
      "$WORK/corpus/$t" "${seeds[@]}" >"$log" 2>&1
  echo $? >"$WORK/logs/$t.rc"
}

pids=()
for t in "${targets[@]}"; do
  if [ ! -x "$BIN/$t" ]; then echo "$t: not built (native/fuzz/build.sh)"; echo 1 >"$WORK/logs/$t.rc"; continue; fi
  run_one "$t" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$JOBS" ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
for p in "${pids[@]}"; do wait "$p"; done

passed=0
failed=0
for t in "${targets[@]}"; do
  log="$WORK/logs/$t.log"
  rc=$(cat "$WORK/logs/$t.rc" 2>/dev/null || echo 1)
  [ -f "$log" ] || { failed=$((failed + 1)); continue; }
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  newu=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | grep -E 'cov: ' | tail -1)
  cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
  ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
  corp=$(echo "$last" | sed -n 's/.*corp: \([0-9]*\).*/\1/p')
  if [ "$rc" = 0 ] && ! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|FUZZ_CHECK failed' "$log"; then
    status=ok
    passed=$((passed + 1))
  else
    status="FAILED (exit $rc; see $log)"
    failed=$((failed + 1))
    grep -E 'FUZZ_CHECK failed|runtime error:|ERROR: |SUMMARY|Test unit written' "$log" | head -5 | sed 's/^/    /'
  fi
  echo "$t: $status, ${execs:-?} execs (${speed:-?}/s), cov ${cov:-?} ft ${ft:-?}, corpus ${corp:-?} (+${newu:-?} new), peak ${rss:-?} MB"
done

if [ "${MERGE:-0}" = 1 ]; then
  for t in "${targets[@]}"; do
    mkdir -p "native/fuzz/corpus/$t"
    tmpd=$(mktemp -d)
    "$BIN/$t" -merge=1 -max_len="$(max_len "$t")" "$tmpd" "native/fuzz/corpus/$t" "$WORK/corpus/$t" >/dev/null 2>&1
    rm -f "native/fuzz/corpus/$t"/*
    cp "$tmpd"/* "native/fuzz/corpus/$t/" 2>/dev/null
    rm -rf "$tmpd"
    echo "$t: $(ls "native/fuzz/corpus/$t" | wc -l) seeds, $(du -sk "native/fuzz/corpus/$t" | cut -f1) KB"
  done
fi

echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
