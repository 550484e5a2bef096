// ghash.h — GHASH, the universal hash of GCM (NIST SP 800-38D §6.4), for SM4-GCM.
//
// Representation. GCM numbers the bits of a block from the most significant bit of byte 0 (the
// coefficient of x^0) on. Reading the 16 bytes as one big-endian 128-bit integer R(X) therefore
// puts x^i at bit 127 - i ("reflected"). Carry-less multiplication of reflected operands gives the
// reflected 255-bit product shifted right by one bit; all paths fold that one-bit shift into the
// key by storing, for each power H^k,
//
//   Hx_k = R(H^k) · z  mod  Q(z) = z^128 + z^127 + z^126 + z^121 + 1   (Q is the reflection of
//   x^128 + x^7 + x^2 + x + 1),
//
// so that clmul(R(X), Hx_k) represents X·H^k with 256 bits, and a Montgomery-style reduction
// (adding multiples of Q until the low 128 bits vanish; two steps of 64 bits with the constant
// 0xC200000000000000 = z^63 + z^62 + z^57) leaves R(X·H^k) in the high half. The table format is
// the same on every path (portable, PCLMULQDQ, VPCLMULQDQ, PMULL), so a key made under one path
// works under any other.
#ifndef GUOMI_CORE_GHASH_H_
#define GUOMI_CORE_GHASH_H_

#include <cstddef>
#include <cstdint>

namespace guomi {

constexpr unsigned kGhashMaxPowers = 16;

// A GHASH key: Hx_k for k = npowers … 1 at htab[16 - k] (so htab[15] is Hx_1 and consecutive
// entries serve consecutive blocks of an aggregated batch). Each entry is the 128-bit value as
// {low 64 bits, high 64 bits}. Entries before 16 - npowers are unused.
struct GhashKey {
  alignas(64) uint64_t htab[kGhashMaxPowers][2];
  uint32_t npowers;
};

// ghash_init sets up the key from H = E_K(0^128) (16 bytes), computing H^1 … H^npowers
// (1 <= npowers <= 16; more powers let the bulk paths aggregate more blocks per reduction, fewer
// make the setup of short messages cheaper).
void ghash_init(GhashKey* key, const uint8_t h[16], unsigned npowers);

// ghash_blocks updates the accumulator |xi| (16 bytes, GCM byte order):
// xi = (xi ^ block) · H for each of the |nblocks| 16-byte blocks.
void ghash_blocks(const GhashKey* key, uint8_t xi[16], const uint8_t* in, size_t nblocks);

void ghash_wipe(GhashKey* key);

// The implementation in use: "x86-64 vpclmul-avx512", "x86-64 pclmul", "armv8 pmull",
// "portable ctmul", …
const char* ghash_impl_name();

// Kernels of one CPU path (for the dispatch and the tests).
struct GhashKernels {
  const char* name;
  // Fills htab with Hx_npowers … Hx_1 from H and sets npowers.
  void (*init)(GhashKey* key, const uint8_t h[16], unsigned npowers);
  void (*blocks)(const GhashKey* key, uint8_t xi[16], const uint8_t* in, size_t nblocks);
};

extern const GhashKernels kGhashPortable;
#if defined(__x86_64__)
extern const GhashKernels kGhashPclmul;
extern const GhashKernels kGhashVpclmulAvx2;
extern const GhashKernels kGhashVpclmulAvx512;
#endif
#if defined(__aarch64__)
extern const GhashKernels kGhashPmull;
#endif

// ghash_kernels returns the kernels for the enabled CPU features (the one dispatch point).
const GhashKernels& ghash_kernels();

}  // namespace guomi

#endif  // GUOMI_CORE_GHASH_H_
