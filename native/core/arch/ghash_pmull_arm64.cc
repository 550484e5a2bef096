// ghash_pmull_arm64.cc — GHASH with the Armv8 PMULL instructions (NIST SP 800-38D §6.4).
//
// Same representation and reduction as the x86-64 path (ghash.h): blocks are byte-reversed into
// R(X), multiplied carry-less by Hx_k = R(H^k)·z mod Q with PMULL/PMULL2, and reduced 64 bits at a
// time with the constant z^63 + z^62 + z^57. Up to 8 blocks share one reduction.
#if defined(__aarch64__)

#include <arm_neon.h>

#include "../ghash.h"
#include "../util.h"

#define GUOMI_GHASH_PMULL __attribute__((target("+crypto")))
#define GUOMI_GHASH_INLINE inline __attribute__((always_inline))

namespace guomi {
namespace {

GUOMI_GHASH_INLINE uint8x16_t byte_reverse(uint8x16_t x) {
  x = vrev64q_u8(x);
  return vextq_u8(x, x, 8);
}

GUOMI_GHASH_INLINE uint64x2_t load_block(const uint8_t* p) {
  return vreinterpretq_u64_u8(byte_reverse(vld1q_u8(p)));
}

GUOMI_GHASH_INLINE uint64x2_t load_power(const GhashKey* key, int index) { return vld1q_u64(key->htab[index]); }

struct Product {
  uint64x2_t lo, hi, mid;
};

GUOMI_GHASH_PMULL GUOMI_GHASH_INLINE uint64x2_t pmull_lo(uint64x2_t a, uint64x2_t b) {
  return vreinterpretq_u64_p128(vmull_p64(vgetq_lane_u64(a, 0), vgetq_lane_u64(b, 0)));
}
GUOMI_GHASH_PMULL GUOMI_GHASH_INLINE uint64x2_t pmull_hi(uint64x2_t a, uint64x2_t b) {
  return vreinterpretq_u64_p128(vmull_high_p64(vreinterpretq_p64_u64(a), vreinterpretq_p64_u64(b)));
}

GUOMI_GHASH_PMULL GUOMI_GHASH_INLINE Product clmul(uint64x2_t a, uint64x2_t b) {
  const uint64x2_t b_swapped = vextq_u64(b, b, 1);
  return Product{pmull_lo(a, b), pmull_hi(a, b), veorq_u64(pmull_lo(a, b_swapped), pmull_hi(a, b_swapped))};
}

GUOMI_GHASH_INLINE void accumulate(Product& acc, const Product& p) {
  acc.lo = veorq_u64(acc.lo, p.lo);
  acc.hi = veorq_u64(acc.hi, p.hi);
  acc.mid = veorq_u64(acc.mid, p.mid);
}

GUOMI_GHASH_PMULL GUOMI_GHASH_INLINE uint64x2_t reduce(const Product& p) {
  const uint64x2_t zero = vdupq_n_u64(0);
  uint64x2_t lo = veorq_u64(p.lo, vextq_u64(zero, p.mid, 1));        // [w1:w0]
  const uint64x2_t hi = veorq_u64(p.hi, vextq_u64(p.mid, zero, 1));  // [w3:w2]
  const uint64x2_t k = vdupq_n_u64(0xC200000000000000ull);
  lo = veorq_u64(vextq_u64(lo, lo, 1), pmull_lo(lo, k));
  lo = veorq_u64(vextq_u64(lo, lo, 1), pmull_lo(lo, k));
  return veorq_u64(hi, lo);
}

GUOMI_GHASH_PMULL void init_pmull(GhashKey* key, const uint8_t h[16], unsigned npowers) {
  if (npowers < 1) npowers = 1;
  if (npowers > kGhashMaxPowers) npowers = kGhashMaxPowers;
  uint64_t hi = load_be64(h), lo = load_be64(h + 8);
  const uint64_t carry = 0 - (hi >> 63);
  hi = ((hi << 1) | (lo >> 63)) ^ (carry & 0xC200000000000000ull);
  lo = (lo << 1) ^ (carry & 1);
  const uint64x2_t hx1 = vcombine_u64(vcreate_u64(lo), vcreate_u64(hi));
  uint64x2_t p = hx1;
  vst1q_u64(key->htab[15], p);
  for (unsigned k = 2; k <= npowers; k++) {
    p = reduce(clmul(p, hx1));
    vst1q_u64(key->htab[16 - k], p);
  }
  key->npowers = npowers;
}

GUOMI_GHASH_PMULL void blocks_pmull(const GhashKey* key, uint8_t xi[16], const uint8_t* in, size_t n) {
  uint64x2_t x = load_block(xi);
  if (key->npowers >= 8) {
    for (; n >= 8; n -= 8, in += 128) {
      Product acc = clmul(veorq_u64(x, load_block(in)), load_power(key, 8));
      for (int i = 1; i < 8; i++) accumulate(acc, clmul(load_block(in + 16 * i), load_power(key, 8 + i)));
      x = reduce(acc);
    }
  }
  if (key->npowers >= 4) {
    for (; n >= 4; n -= 4, in += 64) {
      Product acc = clmul(veorq_u64(x, load_block(in)), load_power(key, 12));
      for (int i = 1; i < 4; i++) accumulate(acc, clmul(load_block(in + 16 * i), load_power(key, 12 + i)));
      x = reduce(acc);
    }
  }
  const uint64x2_t h1 = load_power(key, 15);
  for (; n; n--, in += 16) x = reduce(clmul(veorq_u64(x, load_block(in)), h1));
  vst1q_u8(xi, byte_reverse(vreinterpretq_u8_u64(x)));
}

}  // namespace

const GhashKernels kGhashPmull = {"armv8 pmull", init_pmull, blocks_pmull};

}  // namespace guomi

#endif  // defined(__aarch64__)
