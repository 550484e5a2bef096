// sm3_arm64.cc — SM3 block function on the ARMv8.2 SM3 instructions (FEAT_SM3), used when
// AT_HWCAP reports them (cpu.cc).
//
// Register layout, as the instructions define it: the state is two vectors, abcd with A in lane
// 3, B in 2, C in 1, D in 0, and efgh likewise. Per round j:
//   SM3SS1   lane 3 <- SS1 = ((A <<< 12) + E + T'j) <<< 7
//   SM3TT1A/B  abcd <- (TT1, A, B <<< 9, C), TT1 = FF(A,B,C) + D + (SS1 ^ (A <<< 12)) + W'j
//   SM3TT2A/B  efgh <- (P0(TT2), E, F <<< 19, G), TT2 = GG(E,F,G) + H + SS1 + Wj
// with the A forms for rounds 0..15 (FF = GG = xor) and the B forms after (GB/T 32905-2016 §4.3).
// The message expansion takes four words per SM3PARTW1 + SM3PARTW2 pair (§5.3.2); W'j is
// computed as W[j..j+3] ^ W[j+4..j+7] per group of four rounds.
#if defined(__aarch64__)

#include <arm_neon.h>

#include <utility>

#include "../sm3.h"
#include "../sm3_internal.h"

// GCC 12's arm_neon.h makes the SM3/SM4 intrinsics available under this target; "+sm4" alone
// fails the always_inline target check.
#define GUOMI_TARGET_SM3 __attribute__((target("arch=armv8.2-a+sm4")))

namespace guomi {
namespace {

struct Window {
  uint32x4_t s0, s1, s2, s3;  // W[j..j+3], W[j+4..j+7], W[j+8..j+11], W[j+12..j+15]
};

// Group K: rounds 4K..4K+3, then (for K <= 12) the expansion of W[4K+16..4K+19].
template <int K>
GUOMI_TARGET_SM3 inline void group(uint32x4_t& abcd, uint32x4_t& efgh, Window& w) {
  const uint32x4_t wj = w.s0;
  const uint32x4_t wpj = veorq_u32(w.s0, w.s1);
  constexpr bool kFirstHalf = K < 4;  // rounds 0..15 use the A forms
#define GUOMI_SM3_ROUND(L)                                                          \
  do {                                                                              \
    const uint32x4_t t = vdupq_n_u32(kSm3T.t[4 * K + (L)]);                         \
    const uint32x4_t ss1 = vsm3ss1q_u32(abcd, efgh, t);                             \
    if (kFirstHalf) {                                                               \
      abcd = vsm3tt1aq_u32(abcd, ss1, wpj, (L));                                    \
      efgh = vsm3tt2aq_u32(efgh, ss1, wj, (L));                                     \
    } else {                                                                        \
      abcd = vsm3tt1bq_u32(abcd, ss1, wpj, (L));                                    \
      efgh = vsm3tt2bq_u32(efgh, ss1, wj, (L));                                     \
    }                                                                               \
  } while (0)
  GUOMI_SM3_ROUND(0);
  GUOMI_SM3_ROUND(1);
  GUOMI_SM3_ROUND(2);
  GUOMI_SM3_ROUND(3);
#undef GUOMI_SM3_ROUND
  if constexpr (K <= 12) {
    // n = 4K + 16: W[n-16..n-13] = s0, W[n-12..n-9] = s1, W[n-8..n-5] = s2, W[n-4..n-1] = s3.
    const uint32x4_t w9 = vextq_u32(w.s1, w.s2, 3);   // W[n-9 .. n-6]
    const uint32x4_t w13 = vextq_u32(w.s0, w.s1, 3);  // W[n-13 .. n-10]
    const uint32x4_t w6 = vextq_u32(w.s2, w.s3, 2);   // W[n-6 .. n-3]
    const uint32x4_t part = vsm3partw1q_u32(w.s0, w9, w.s3);
    const uint32x4_t next = vsm3partw2q_u32(part, w6, w13);
    w.s0 = w.s1;
    w.s1 = w.s2;
    w.s2 = w.s3;
    w.s3 = next;
  } else {
    w.s0 = w.s1;  // the last groups only need W'j, from words already expanded
    w.s1 = w.s2;
    w.s2 = w.s3;
  }
}

template <size_t... K>
GUOMI_TARGET_SM3 inline void all_groups(uint32x4_t& abcd, uint32x4_t& efgh, Window& w,
                                        std::index_sequence<K...>) {
  (group<static_cast<int>(K)>(abcd, efgh, w), ...);
}

// Lanes (h[0], h[1], h[2], h[3]) -> (h[3], h[2], h[1], h[0]): A in lane 3.
GUOMI_TARGET_SM3 inline uint32x4_t reverse_lanes(uint32x4_t v) {
  v = vrev64q_u32(v);
  return vextq_u32(v, v, 2);
}

}  // namespace

GUOMI_TARGET_SM3 void sm3_block_armv8(uint32_t state[8], const uint8_t* p, size_t nblocks) {
  uint32x4_t abcd = reverse_lanes(vld1q_u32(state));
  uint32x4_t efgh = reverse_lanes(vld1q_u32(state + 4));
  while (nblocks--) {
    const uint32x4_t abcd0 = abcd, efgh0 = efgh;
    Window w;
    w.s0 = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p)));
    w.s1 = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p + 16)));
    w.s2 = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p + 32)));
    w.s3 = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p + 48)));
    all_groups(abcd, efgh, w, std::make_index_sequence<16>());
    // V(i+1) = ABCDEFGH xor V(i).
    abcd = veorq_u32(abcd, abcd0);
    efgh = veorq_u32(efgh, efgh0);
    p += kSm3BlockSize;
  }
  vst1q_u32(state, reverse_lanes(abcd));
  vst1q_u32(state + 4, reverse_lanes(efgh));
}

}  // namespace guomi

#endif  // defined(__aarch64__)
