// ghash_clmul_x86_64.cc — GHASH with PCLMULQDQ and VPCLMULQDQ (NIST SP 800-38D §6.4).
//
// Representation and reduction as in ghash.h: blocks are byte-reversed into R(X), products are
// carry-less 128×128 → 256 bits against the precomputed Hx_k = R(H^k)·z mod Q, and the reduction
// clears the low 128 bits 64 at a time with the constant z^63 + z^62 + z^57.
//
// Aggregation: (((X ⊕ B1)·H ⊕ B2)·H …)·H = (X ⊕ B1)·H^n ⊕ B2·H^(n-1) ⊕ … ⊕ Bn·H, so n blocks
// need n independent multiplications (summed unreduced) and one reduction. The PCLMULQDQ path
// does 8 blocks per reduction, VPCLMULQDQ 8 (ymm, 2 blocks per register) or 16 (zmm, 4 per
// register). The chain from one batch to the next is then a single multiply-and-reduce.
#if defined(__x86_64__)

// GCC 12's AVX-512 headers trip -Wmaybe-uninitialized (GCC PR 105593, fixed in GCC 13).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <immintrin.h>

#include <cstring>

#include "../ghash.h"
#include "../util.h"

#define GUOMI_GHASH_CLMUL __attribute__((target("pclmul,ssse3")))
#define GUOMI_GHASH_VPCLMUL256 __attribute__((target("pclmul,ssse3,avx2,vpclmulqdq")))
#define GUOMI_GHASH_VPCLMUL512 \
  __attribute__((target("pclmul,ssse3,avx2,vpclmulqdq,avx512f,avx512bw,avx512vl,avx512dq")))
#define GUOMI_GHASH_INLINE inline __attribute__((always_inline))

namespace guomi {
namespace {

// ---- 128-bit helpers ----------------------------------------------------------------------------

GUOMI_GHASH_CLMUL GUOMI_GHASH_INLINE __m128i byte_reverse(__m128i x) {
  return _mm_shuffle_epi8(x, _mm_setr_epi8(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
}

GUOMI_GHASH_CLMUL GUOMI_GHASH_INLINE __m128i load_block(const uint8_t* p) {
  return byte_reverse(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

GUOMI_GHASH_CLMUL GUOMI_GHASH_INLINE __m128i load_power(const GhashKey* key, int index) {
  return _mm_load_si128(reinterpret_cast<const __m128i*>(key->htab[index]));
}

// An unreduced product: low 64×64, high 64×64 and the two middle products summed.
struct Product {
  __m128i lo, hi, mid;
};

GUOMI_GHASH_CLMUL GUOMI_GHASH_INLINE Product clmul(__m128i a, __m128i b) {
  return Product{_mm_clmulepi64_si128(a, b, 0x00), _mm_clmulepi64_si128(a, b, 0x11),
                 _mm_xor_si128(_mm_clmulepi64_si128(a, b, 0x01), _mm_clmulepi64_si128(a, b, 0x10))};
}

GUOMI_GHASH_CLMUL GUOMI_GHASH_INLINE void accumulate(Product& acc, const Product& p) {
  acc.lo = _mm_xor_si128(acc.lo, p.lo);
  acc.hi = _mm_xor_si128(acc.hi, p.hi);
  acc.mid = _mm_xor_si128(acc.mid, p.mid);
}

// reduce maps the 256-bit product to R(result) (ghash.h).
GUOMI_GHASH_CLMUL GUOMI_GHASH_INLINE __m128i reduce(const Product& p) {
  __m128i lo = _mm_xor_si128(p.lo, _mm_slli_si128(p.mid, 8));   // words [w1:w0]
  const __m128i hi = _mm_xor_si128(p.hi, _mm_srli_si128(p.mid, 8));  // words [w3:w2]
  const __m128i k = _mm_set_epi64x(0, static_cast<long long>(0xC200000000000000ull));
  // [w1:w0] -> [w0 ^ T1 : w1 ^ T0] with T = w0·K: the high word now belongs to w2, the low word
  // is the new w1. The second step does the same for it, one word higher.
  lo = _mm_xor_si128(_mm_shuffle_epi32(lo, 0x4e), _mm_clmulepi64_si128(lo, k, 0x00));
  lo = _mm_xor_si128(_mm_shuffle_epi32(lo, 0x4e), _mm_clmulepi64_si128(lo, k, 0x00));
  return _mm_xor_si128(hi, lo);
}

GUOMI_GHASH_CLMUL GUOMI_GHASH_INLINE __m128i gf_mul(__m128i a, __m128i hx) { return reduce(clmul(a, hx)); }

// ghash_xmm hashes n blocks into x, aggregating up to 8 per reduction (as many as the key has
// powers for).
GUOMI_GHASH_CLMUL GUOMI_GHASH_INLINE __m128i ghash_xmm(const GhashKey* key, __m128i x, const uint8_t* in,
                                                     size_t n) {
  const unsigned agg = key->npowers >= 8 ? 8 : key->npowers >= 4 ? 4 : 1;
  if (agg == 8) {
    for (; n >= 8; n -= 8, in += 128) {
      Product acc = clmul(_mm_xor_si128(x, load_block(in)), load_power(key, 8));
      for (int i = 1; i < 8; i++) accumulate(acc, clmul(load_block(in + 16 * i), load_power(key, 8 + i)));
      x = reduce(acc);
    }
  }
  if (agg >= 4) {
    for (; n >= 4; n -= 4, in += 64) {
      Product acc = clmul(_mm_xor_si128(x, load_block(in)), load_power(key, 12));
      for (int i = 1; i < 4; i++) accumulate(acc, clmul(load_block(in + 16 * i), load_power(key, 12 + i)));
      x = reduce(acc);
    }
  }
  const __m128i h1 = load_power(key, 15);
  for (; n; n--, in += 16) x = gf_mul(_mm_xor_si128(x, load_block(in)), h1);
  return x;
}

// Shared by every path: H -> Hx_1 (times z mod Q, branch-free), then Hx_k = Hx_{k-1} · H.
GUOMI_GHASH_CLMUL void init_clmul(GhashKey* key, const uint8_t h[16], unsigned npowers) {
  if (npowers < 1) npowers = 1;
  if (npowers > kGhashMaxPowers) npowers = kGhashMaxPowers;
  uint64_t hi = load_be64(h), lo = load_be64(h + 8);
  const uint64_t carry = 0 - (hi >> 63);
  hi = ((hi << 1) | (lo >> 63)) ^ (carry & 0xC200000000000000ull);
  lo = (lo << 1) ^ (carry & 1);
  const __m128i hx1 = _mm_set_epi64x(static_cast<long long>(hi), static_cast<long long>(lo));
  __m128i p = hx1;
  _mm_store_si128(reinterpret_cast<__m128i*>(key->htab[15]), p);
  for (unsigned k = 2; k <= npowers; k++) {
    p = gf_mul(p, hx1);
    _mm_store_si128(reinterpret_cast<__m128i*>(key->htab[16 - k]), p);
  }
  key->npowers = npowers;
}

GUOMI_GHASH_CLMUL void blocks_pclmul(const GhashKey* key, uint8_t xi[16], const uint8_t* in, size_t n) {
  __m128i x = load_block(xi);
  x = ghash_xmm(key, x, in, n);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(xi), byte_reverse(x));
}

// ---- VPCLMULQDQ, 256-bit ------------------------------------------------------------------------

GUOMI_GHASH_VPCLMUL256 void blocks_vpclmul256(const GhashKey* key, uint8_t xi[16], const uint8_t* in,
                                              size_t n) {
  __m128i x = load_block(xi);
  if (key->npowers >= 8) {
    const __m256i rev = _mm256_broadcastsi128_si256(
        _mm_setr_epi8(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
    // Powers H^8..H^1 for blocks 0..7, two per register.
    __m256i hp[4];
    for (int i = 0; i < 4; i++) hp[i] = _mm256_load_si256(reinterpret_cast<const __m256i*>(key->htab[8 + 2 * i]));
    for (; n >= 8; n -= 8, in += 128) {
      __m256i lo = _mm256_setzero_si256(), hi = lo, mid = lo;
      for (int i = 0; i < 4; i++) {
        __m256i b = _mm256_shuffle_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + 32 * i)), rev);
        if (i == 0) b = _mm256_xor_si256(b, _mm256_zextsi128_si256(x));
        lo = _mm256_xor_si256(lo, _mm256_clmulepi64_epi128(b, hp[i], 0x00));
        hi = _mm256_xor_si256(hi, _mm256_clmulepi64_epi128(b, hp[i], 0x11));
        mid = _mm256_xor_si256(mid, _mm256_xor_si256(_mm256_clmulepi64_epi128(b, hp[i], 0x01),
                                                     _mm256_clmulepi64_epi128(b, hp[i], 0x10)));
      }
      const Product p{_mm_xor_si128(_mm256_castsi256_si128(lo), _mm256_extracti128_si256(lo, 1)),
                      _mm_xor_si128(_mm256_castsi256_si128(hi), _mm256_extracti128_si256(hi, 1)),
                      _mm_xor_si128(_mm256_castsi256_si128(mid), _mm256_extracti128_si256(mid, 1))};
      x = reduce(p);
    }
  }
  x = ghash_xmm(key, x, in, n);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(xi), byte_reverse(x));
}

// ---- VPCLMULQDQ, 512-bit ------------------------------------------------------------------------

GUOMI_GHASH_VPCLMUL512 void blocks_vpclmul512(const GhashKey* key, uint8_t xi[16], const uint8_t* in,
                                              size_t n) {
  __m128i x = load_block(xi);
  if (key->npowers >= 16) {
    const __m512i rev = _mm512_broadcast_i32x4(
        _mm_setr_epi8(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
    // Powers H^16..H^1 for blocks 0..15, four per register.
    __m512i hp[4];
    for (int i = 0; i < 4; i++) hp[i] = _mm512_load_si512(key->htab[4 * i]);
    for (; n >= 16; n -= 16, in += 256) {
      __m512i lo = _mm512_setzero_si512(), hi = lo, mid = lo;
      for (int i = 0; i < 4; i++) {
        __m512i b = _mm512_shuffle_epi8(_mm512_loadu_si512(in + 64 * i), rev);
        if (i == 0) b = _mm512_xor_si512(b, _mm512_zextsi128_si512(x));
        lo = _mm512_xor_si512(lo, _mm512_clmulepi64_epi128(b, hp[i], 0x00));
        hi = _mm512_xor_si512(hi, _mm512_clmulepi64_epi128(b, hp[i], 0x11));
        mid = _mm512_ternarylogic_epi64(mid, _mm512_clmulepi64_epi128(b, hp[i], 0x01),
                                        _mm512_clmulepi64_epi128(b, hp[i], 0x10), 0x96);
      }
      // Fold the four 128-bit lanes of each sum.
      const __m256i lo2 = _mm256_xor_si256(_mm512_castsi512_si256(lo), _mm512_extracti64x4_epi64(lo, 1));
      const __m256i hi2 = _mm256_xor_si256(_mm512_castsi512_si256(hi), _mm512_extracti64x4_epi64(hi, 1));
      const __m256i mid2 = _mm256_xor_si256(_mm512_castsi512_si256(mid), _mm512_extracti64x4_epi64(mid, 1));
      const Product p{_mm_xor_si128(_mm256_castsi256_si128(lo2), _mm256_extracti128_si256(lo2, 1)),
                      _mm_xor_si128(_mm256_castsi256_si128(hi2), _mm256_extracti128_si256(hi2, 1)),
                      _mm_xor_si128(_mm256_castsi256_si128(mid2), _mm256_extracti128_si256(mid2, 1))};
      x = reduce(p);
    }
  }
  x = ghash_xmm(key, x, in, n);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(xi), byte_reverse(x));
}

}  // namespace

const GhashKernels kGhashPclmul = {"x86-64 pclmul", init_clmul, blocks_pclmul};
const GhashKernels kGhashVpclmulAvx2 = {"x86-64 vpclmul-avx2", init_clmul, blocks_vpclmul256};
const GhashKernels kGhashVpclmulAvx512 = {"x86-64 vpclmul-avx512", init_clmul, blocks_vpclmul512};

}  // namespace guomi

#endif  // defined(__x86_64__)
