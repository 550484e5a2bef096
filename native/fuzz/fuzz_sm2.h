// fuzz_sm2.h — the SM2 implementations a fuzz target compares: the portable one first, then
// each accelerated one this CPU can run.
#pragma once

#include <vector>

#include "../core/cpu.h"
#include "../core/sm2_impl.h"

namespace guomi_fuzz {

inline std::vector<const guomi::Sm2Impl*> sm2_impls() {
  std::vector<const guomi::Sm2Impl*> v{&guomi::sm2_impl_portable()};
#if defined(__x86_64__)
  if (guomi::cpu_has(guomi::kCpuBMI2 | guomi::kCpuADX)) v.push_back(&guomi::sm2_impl_adx());
#endif
  return v;
}

}  // namespace guomi_fuzz
