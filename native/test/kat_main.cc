// kat_main.cc — the standalone known-answer runner: every vectors/ file through the native core,
// on every CPU path this machine has (each accelerated path switched off in turn). It needs only
// the C++ standard library, so it is also built statically and run under qemu for arm64 and
// loong64.
//
// Usage: kat [vectors-dir]   (default: ./vectors)
#include <cstdio>
#include <string>
#include <vector>

#include "../core/cpu.h"
#include "../core/ghash.h"
#include "../core/sm2.h"
#include "../core/sm3.h"
#include "../core/sm4.h"
#include "kat.h"

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "vectors";
  const uint32_t detected = guomi::cpu_detected();
  // Run once with everything enabled, then with each detected feature switched off, then with
  // every feature off (the portable paths).
  std::vector<uint32_t> masks = {0};
  for (uint32_t bit = 1; bit; bit <<= 1)
    if (detected & bit) masks.push_back(bit);
  masks.push_back(~0u);
  int failed = 0;
  for (uint32_t mask : masks) {
    guomi::cpu_set_disabled(mask);
    const int f = guomi_test::kat_sm3(dir) + guomi_test::kat_sm4(dir);
    std::printf("%s disabled=%08x sm3=%s sm4=%s ghash=%s\n", f ? "FAIL" : "ok  ", mask,
                guomi::sm3_impl_name(), guomi::sm4_impl_name(), guomi::ghash_impl_name());
    failed += f;
    const int f2 = guomi_test::kat_sm2(dir);
    std::printf("%s disabled=%08x sm2=%s\n", f2 ? "FAIL" : "ok  ", mask, guomi::sm2_impl_name());
    failed += f2;
  }
  std::printf("%s: %d failed block(s)\n", failed ? "FAIL" : "PASS", failed);
  return failed ? 1 : 0;
}
