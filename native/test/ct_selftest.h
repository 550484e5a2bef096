// ct_selftest.h — the --self-test every constant-time harness (native/test/ct_*.cc) offers: a
// function that leaks on purpose, run on a secret marked exactly as the real checks mark theirs.
// memcheck must report it, so `valgrind --error-exitcode=1 ./ct_x --self-test` must exit non-zero.
// That is the evidence that the marking (GUOMI_CT_VALGRIND) is compiled in and that valgrind on
// this machine really reports secret-dependent branches and memory indices; a harness that
// "passes" only because the marks were compiled out would fail this check in CI.
#ifndef GUOMI_TEST_CT_SELFTEST_H_
#define GUOMI_TEST_CT_SELFTEST_H_

#include <cstdint>
#include <cstdio>
#include <cstring>

#include "../core/ct.h"

namespace guomi_ct {

// An opaque call, so the branch below stays a branch (a compiler may turn `r += 3` into a
// conditional move, which memcheck does not report as a jump).
__attribute__((noinline)) inline int opaque_three() {
  int v = 3;
  __asm__ __volatile__("" : "+r"(v));
  return v;
}

// A branch on a secret byte and a table lookup indexed by another: the two leaks memcheck finds
// ("Conditional jump or move depends on uninitialised value" and "Use of uninitialised value").
__attribute__((noinline)) inline int leaky(const uint8_t* secret, const uint8_t* table) {
  int r = 0;
  if (secret[0] & 1) r += opaque_three();  // branch on a secret
  r += table[secret[1]];                   // memory index from a secret
  return r;
}

// self_test_requested: true (after running the leak) when argv asks for --self-test; the
// harness then returns 0 and the non-zero exit status must come from valgrind's --error-exitcode.
inline bool self_test_requested(int argc, char** argv, const char* name) {
  if (argc < 2 || std::strcmp(argv[1], "--self-test") != 0) return false;
#if !defined(GUOMI_CT_VALGRIND)
  std::printf("%s --self-test: built without GUOMI_CT_VALGRIND, nothing is marked secret\n", name);
#endif
  uint8_t secret[2] = {0x5b, 0x27};
  static uint8_t table[256];
  for (int i = 0; i < 256; i++) table[i] = static_cast<uint8_t>(i);
  GUOMI_SECRET(secret, sizeof(secret));
  const int r = leaky(secret, table);
  GUOMI_DECLASSIFY(&r, sizeof(r));
  std::printf("%s --self-test: computed %d; memcheck must have reported the leak above\n", name, r);
  return true;
}

}  // namespace guomi_ct

#endif  // GUOMI_TEST_CT_SELFTEST_H_
