// ghash_portable.cc — constant-time GHASH without carry-less multiply instructions.
//
// No table indexed by H or by the data (a 4-bit table of multiples of H leaks through the cache).
// Carry-less products come from ordinary integer multiplications with "holes": each 32-bit
// operand is split into four parts that keep every fourth bit (masks 0x11111111 << i), so each
// partial product has at most 8 one-bits to add in any bit position and the integer carries,
// which need at most 4 bits, stay inside the three zero bits above each result bit. Masking then
// keeps exactly the carry-less result. (The idea is the one of BearSSL's ghash_ctmul; this code
// is written from the arithmetic, with 32×32-bit pieces so it needs only 64-bit multiplies.)
//
// Integer multiplication is constant time on the CPUs this path serves (all 64-bit ones in
// practice); the few cores with early-terminating multipliers are 32-bit microcontrollers.
#include <cstring>

#include "ct.h"
#include "ghash.h"
#include "util.h"

namespace guomi {
namespace {

// clmul32: the 63-bit carry-less product of two 32-bit words.
inline uint64_t clmul32(uint32_t a, uint32_t b) {
  const uint64_t m0 = 0x1111111111111111ull, m1 = m0 << 1, m2 = m0 << 2, m3 = m0 << 3;
  const uint64_t a0 = a & m0, a1 = a & m1, a2 = a & m2, a3 = a & m3;
  const uint64_t b0 = b & m0, b1 = b & m1, b2 = b & m2, b3 = b & m3;
  // Parts i and j land on bits ≡ i + j (mod 4); xor the four products of each class.
  const uint64_t c0 = (a0 * b0) ^ (a1 * b3) ^ (a2 * b2) ^ (a3 * b1);
  const uint64_t c1 = (a0 * b1) ^ (a1 * b0) ^ (a2 * b3) ^ (a3 * b2);
  const uint64_t c2 = (a0 * b2) ^ (a1 * b1) ^ (a2 * b0) ^ (a3 * b3);
  const uint64_t c3 = (a0 * b3) ^ (a1 * b2) ^ (a2 * b1) ^ (a3 * b0);
  return (c0 & m0) | (c1 & m1) | (c2 & m2) | (c3 & m3);
}

// clmul64: the 127-bit carry-less product (hi:lo) of two 64-bit words, Karatsuba over halves.
inline void clmul64(uint64_t a, uint64_t b, uint64_t* hi, uint64_t* lo) {
  const uint32_t a0 = static_cast<uint32_t>(a), a1 = static_cast<uint32_t>(a >> 32);
  const uint32_t b0 = static_cast<uint32_t>(b), b1 = static_cast<uint32_t>(b >> 32);
  const uint64_t l = clmul32(a0, b0), h = clmul32(a1, b1);
  const uint64_t m = clmul32(a0 ^ a1, b0 ^ b1) ^ l ^ h;
  *lo = l ^ (m << 32);
  *hi = h ^ (m >> 32);
}

// A 128-bit value as two 64-bit words; R(X) of ghash.h.
struct U128 {
  uint64_t lo, hi;
};

// gf_mul returns R(a·b) for a = R(A) and hx = Hx of B (see ghash.h): the 256-bit carry-less
// product, then the reduction by Q(z) = z^128 + z^127 + z^126 + z^121 + 1 from the bottom.
inline U128 gf_mul(U128 a, U128 hx) {
  uint64_t w0, w1, w2, w3, mh, ml;
  clmul64(a.lo, hx.lo, &w1, &w0);
  clmul64(a.hi, hx.hi, &w3, &w2);
  clmul64(a.lo ^ a.hi, hx.lo ^ hx.hi, &mh, &ml);
  ml ^= w0 ^ w2;
  mh ^= w1 ^ w3;
  w1 ^= ml;
  w2 ^= mh;
  // Add w0·Q·z^0 to clear word 0: w0·(z^121 + z^126 + z^127) = (w0·K)·z^64 with
  // K = z^57 + z^62 + z^63, and w0·z^128. Then the same for the new word 1, one word higher.
  w1 ^= (w0 << 63) ^ (w0 << 62) ^ (w0 << 57);
  w2 ^= w0 ^ (w0 >> 1) ^ (w0 >> 2) ^ (w0 >> 7);
  w2 ^= (w1 << 63) ^ (w1 << 62) ^ (w1 << 57);
  w3 ^= w1 ^ (w1 >> 1) ^ (w1 >> 2) ^ (w1 >> 7);
  return U128{w2, w3};
}

inline U128 load_reflected(const uint8_t* p) { return U128{load_be64(p + 8), load_be64(p)}; }
inline void store_reflected(uint8_t* p, U128 v) {
  store_be64(p, v.hi);
  store_be64(p + 8, v.lo);
}

// times_z returns v·z mod Q, branch-free (the bit shifted out selects the reduction).
inline U128 times_z(U128 v) {
  const uint64_t carry = 0 - (v.hi >> 63);
  U128 r{v.lo << 1, (v.hi << 1) | (v.lo >> 63)};
  r.hi ^= carry & 0xC200000000000000ull;
  r.lo ^= carry & 1;
  return r;
}

void init_portable(GhashKey* key, const uint8_t h[16], unsigned npowers) {
  if (npowers < 1) npowers = 1;
  if (npowers > kGhashMaxPowers) npowers = kGhashMaxPowers;
  const U128 hx1 = times_z(load_reflected(h));
  U128 p = hx1;
  for (unsigned k = 1; k <= npowers; k++) {
    if (k > 1) p = gf_mul(p, hx1);  // Hx_k = Hx_{k-1}·H (the product keeps the ·z factor)
    key->htab[16 - k][0] = p.lo;
    key->htab[16 - k][1] = p.hi;
  }
  key->npowers = npowers;
}

void blocks_portable(const GhashKey* key, uint8_t xi[16], const uint8_t* in, size_t n) {
  const U128 hx{key->htab[15][0], key->htab[15][1]};
  U128 x = load_reflected(xi);
  for (size_t i = 0; i < n; i++) {
    const U128 b = load_reflected(in + 16 * i);
    x.lo ^= b.lo;
    x.hi ^= b.hi;
    x = gf_mul(x, hx);
  }
  store_reflected(xi, x);
}

}  // namespace

const GhashKernels kGhashPortable = {"portable ctmul", init_portable, blocks_portable};

}  // namespace guomi
