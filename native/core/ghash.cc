// ghash.cc — GHASH dispatch and the public entry points (NIST SP 800-38D §6.4).
#include "ghash.h"

#include "cpu.h"
#include "ct.h"

namespace guomi {

// The one dispatch point. The key format is shared by every path, so a key initialised under one
// path may be used under another (the tests switch paths freely).
const GhashKernels& ghash_kernels() {
#if defined(__x86_64__)
  if (cpu_has(kCpuVPCLMUL | kCpuAVX512)) return kGhashVpclmulAvx512;
  if (cpu_has(kCpuVPCLMUL | kCpuAVX2)) return kGhashVpclmulAvx2;
  if (cpu_has(kCpuPCLMUL | kCpuSSSE3)) return kGhashPclmul;
#endif
#if defined(__aarch64__)
  if (cpu_has(kCpuArmPMULL)) return kGhashPmull;
#endif
  return kGhashPortable;
}

const char* ghash_impl_name() { return ghash_kernels().name; }

void ghash_init(GhashKey* key, const uint8_t h[16], unsigned npowers) {
  ghash_kernels().init(key, h, npowers);
}

void ghash_blocks(const GhashKey* key, uint8_t xi[16], const uint8_t* in, size_t nblocks) {
  if (nblocks) ghash_kernels().blocks(key, xi, in, nblocks);
}

void ghash_wipe(GhashKey* key) { secure_zero(key, sizeof(*key)); }

}  // namespace guomi
