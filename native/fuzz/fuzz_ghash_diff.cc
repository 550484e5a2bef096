// fuzz_ghash_diff.cc — differential fuzzing of GHASH (NIST SP 800-38D §6.4): every GHASH kernel
// this CPU has (portable ctmul, PCLMULQDQ, VPCLMULQDQ with AVX2 and AVX-512; PMULL on ARM64)
// against the bit-by-bit multiplication of SP 800-38D Algorithm 1, for fuzzer-chosen H, numbers
// of precomputed powers (1..16), starting accumulators and data, in one call and split in two.
// Keys are also crossed between kernels (the key format is shared by every path).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "../core/cpu.h"
#include "../core/ghash.h"
#include "fuzz_util.h"

using namespace guomi;
using guomi_fuzz::Reader;

namespace {

// SP 800-38D §6.3 Algorithm 1: Z = X·Y in GF(2^128), bit 0 = the top bit of byte 0.
void gf128_mul(uint8_t z[16], const uint8_t x[16], const uint8_t y[16]) {
  uint8_t v[16], r[16] = {};
  std::memcpy(v, y, 16);
  for (int i = 0; i < 128; i++) {
    if ((x[i / 8] >> (7 - i % 8)) & 1)
      for (int j = 0; j < 16; j++) r[j] ^= v[j];
    const bool lsb = v[15] & 1;
    for (int j = 15; j > 0; j--) v[j] = static_cast<uint8_t>((v[j] >> 1) | (v[j - 1] << 7));
    v[0] >>= 1;
    if (lsb) v[0] ^= 0xE1;
  }
  std::memcpy(z, r, 16);
}

void reference(const uint8_t h[16], uint8_t xi[16], const uint8_t* in, size_t nblocks) {
  for (size_t b = 0; b < nblocks; b++) {
    for (int j = 0; j < 16; j++) xi[j] ^= in[16 * b + j];
    gf128_mul(xi, xi, h);
  }
}

std::vector<const GhashKernels*> kernels() {
  std::vector<const GhashKernels*> k{&kGhashPortable};
  const uint32_t f = cpu_detected();
#if defined(__x86_64__)
  if ((f & (kCpuPCLMUL | kCpuSSSE3)) == (kCpuPCLMUL | kCpuSSSE3)) k.push_back(&kGhashPclmul);
  if ((f & (kCpuVPCLMUL | kCpuAVX2)) == (kCpuVPCLMUL | kCpuAVX2)) k.push_back(&kGhashVpclmulAvx2);
  if ((f & (kCpuVPCLMUL | kCpuAVX512)) == (kCpuVPCLMUL | kCpuAVX512))
    k.push_back(&kGhashVpclmulAvx512);
#endif
#if defined(__aarch64__)
  if (f & kCpuArmPMULL) k.push_back(&kGhashPmull);
#endif
  return k;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<const GhashKernels*> ks = [] {
    auto v = kernels();
    std::fprintf(stderr, "ghash kernels:");
    for (auto* k : v) std::fprintf(stderr, " [%s]", k->name);
    std::fprintf(stderr, "\n");
    return v;
  }();
  Reader r(data, size);
  uint8_t h[16], xi0[16];
  r.bytes(h, 16);
  r.bytes(xi0, 16);
  const unsigned npowers = 1 + r.u8() % kGhashMaxPowers;
  const size_t split_at = r.u16();
  std::vector<uint8_t> in = r.rest();
  const size_t nblocks = in.size() / 16;
  const size_t split = nblocks ? split_at % (nblocks + 1) : 0;
  const uint8_t* p = in.data();

  uint8_t want[16];
  std::memcpy(want, xi0, 16);
  reference(h, want, p, nblocks);

  for (const GhashKernels* k : ks) {
    GhashKey key;
    std::memset(&key, 0xCC, sizeof(key));
    k->init(&key, h, npowers);
    FUZZ_CHECK(key.npowers == npowers, "init sets npowers");
    uint8_t xi[16];
    std::memcpy(xi, xi0, 16);
    if (nblocks) k->blocks(&key, xi, p, nblocks);
    if (std::memcmp(xi, want, 16) != 0) {
      std::fprintf(stderr, "kernel %s, %u powers, %zu blocks\n", k->name, npowers, nblocks);
      FUZZ_CHECK(false, "GHASH kernel == SP 800-38D reference");
    }
    // The same data in two calls.
    std::memcpy(xi, xi0, 16);
    if (split) k->blocks(&key, xi, p, split);
    if (nblocks - split) k->blocks(&key, xi, p + 16 * split, nblocks - split);
    FUZZ_CHECK(std::memcmp(xi, want, 16) == 0, "GHASH in two calls == one call");
    // The key made by this kernel under every other kernel.
    for (const GhashKernels* other : ks) {
      std::memcpy(xi, xi0, 16);
      if (nblocks) other->blocks(&key, xi, p, nblocks);
      if (std::memcmp(xi, want, 16) != 0) {
        std::fprintf(stderr, "key from %s used by %s\n", k->name, other->name);
        FUZZ_CHECK(false, "GHASH keys are interchangeable between kernels");
      }
    }
    ghash_wipe(&key);
  }
  // The public entry points (dispatch) agree too.
  GhashKey key;
  ghash_init(&key, h, npowers);
  uint8_t xi[16];
  std::memcpy(xi, xi0, 16);
  ghash_blocks(&key, xi, p, nblocks);
  FUZZ_CHECK(std::memcmp(xi, want, 16) == 0, "ghash_blocks == reference");
  return 0;
}
