// sm3_internal.h — pieces of the SM3 compression function shared by the portable and the SIMD
// block functions (GB/T 32905-2016 §4 and §5.3.3).
#ifndef GUOMI_CORE_SM3_INTERNAL_H_
#define GUOMI_CORE_SM3_INTERNAL_H_

#include <cstdint>

#include "util.h"

namespace guomi {

// §4.4 permutations.
inline uint32_t sm3_p0(uint32_t x) { return x ^ (rotl32(x, 9) ^ rotl32(x, 17)); }
inline uint32_t sm3_p1(uint32_t x) { return x ^ rotl32(x, 15) ^ rotl32(x, 23); }

// §4.2: T_j <<< (j mod 32), precomputed. T_j = 79cc4519 for j < 16 and 7a879d8a after.
struct Sm3RoundConstants {
  uint32_t t[64];
  constexpr Sm3RoundConstants() : t() {
    for (int j = 0; j < 64; j++) {
      const uint32_t base = j < 16 ? 0x79cc4519u : 0x7a879d8au;
      const unsigned r = static_cast<unsigned>(j % 32);
      t[j] = r == 0 ? base : ((base << r) | (base >> (32 - r)));
    }
  }
};
inline constexpr Sm3RoundConstants kSm3T{};

// One round with the register renaming of the reference implementations: after the round the
// new A lives in D's variable and the new E in H's, and B and F are rotated in place, so the next
// round is called with the arguments rotated by one: (D,A,B,C,H,E,F,G).
//   SS1 = ((A<<<12) + E + T'j) <<< 7;  SS2 = SS1 ^ (A<<<12)
//   TT1 = FF(A,B,C) + D + SS2 + W'[j];  TT2 = GG(E,F,G) + H + SS1 + W[j]   (W'[j] = W[j] ^ W[j+4])
//   B <<<= 9;  F <<<= 19;  D = TT1;  H = P0(TT2)
// FF and GG are x^y^z for j < 16; after that FF is majority and GG is (x&y)|(~x&z).
#define SM3_ROUND_GENERIC(A, B, C, D, E, F, G, H, J, WJ, WPJ, FF, GG)             \
  do {                                                                             \
    /* The sums are grouped so that the value that arrives last (E, then SS1 and   \
       SS2) joins last: the rounds are latency-bound, not throughput-bound. */     \
    const uint32_t a12_ = rotl32((A), 12);                                         \
    const uint32_t ss1_ = rotl32((a12_ + kSm3T.t[(J)]) + (E), 7);                  \
    const uint32_t ss2_ = ss1_ ^ a12_;                                             \
    const uint32_t tt1_ = (FF((A), (B), (C)) + (D) + (WPJ)) + ss2_;                \
    const uint32_t tt2_ = (GG((E), (F), (G)) + (H) + (WJ)) + ss1_;                 \
    (B) = rotl32((B), 9);                                                          \
    (F) = rotl32((F), 19);                                                         \
    (D) = tt1_;                                                                    \
    (H) = sm3_p0(tt2_);                                                            \
  } while (0)

#define SM3_FF0(x, y, z) ((x) ^ (y) ^ (z))
#define SM3_GG0(x, y, z) ((x) ^ (y) ^ (z))
#define SM3_FF1(x, y, z) (((x) & (y)) | (((x) | (y)) & (z)))
#define SM3_GG1(x, y, z) ((((y) ^ (z)) & (x)) ^ (z))


}  // namespace guomi

#endif  // GUOMI_CORE_SM3_INTERNAL_H_
