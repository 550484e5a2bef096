// sm3_x86_64.cc — SM3 block function with the message expansion (GB/T 32905-2016 §5.3.2) done
// four words at a time in SSE/AVX registers, leaving the scalar ALUs to the compression rounds.
//
// Expansion: W[n] = P1(W[n-16] ^ W[n-9] ^ (W[n-3] <<< 15)) ^ (W[n-13] <<< 7) ^ W[n-6].
// Computing W[n..n+3] at once needs W[n] itself for lane 3 (through W[n+3-3]). Lane 3 is first
// computed with that term missing, then fixed: P1 is linear over xor, so the missing part is
// exactly P1(W[n] <<< 15), which is added once lane 0 is known.
#if defined(__x86_64__)

#include <immintrin.h>

#include <utility>

#include "../sm3.h"
#include "../sm3_internal.h"

#define GUOMI_TARGET_AVX2 __attribute__((target("avx2,bmi2")))

namespace guomi {
namespace {

GUOMI_TARGET_AVX2 inline __m128i rol_epi32(__m128i x, int n) {
  return _mm_or_si128(_mm_slli_epi32(x, n), _mm_srli_epi32(x, 32 - n));
}

GUOMI_TARGET_AVX2 inline __m128i p1_epi32(__m128i x) {
  return _mm_xor_si128(x, _mm_xor_si128(rol_epi32(x, 15), rol_epi32(x, 23)));
}

// Schedule holds the four newest vectors of message words and the tables the rounds read.
struct Schedule {
  __m128i x0, x1, x2, x3;  // W[n-16..n-13], W[n-12..n-9], W[n-8..n-5], W[n-4..n-1]
  alignas(16) uint32_t w[64];
  alignas(16) uint32_t wp[64];  // W'[j] = W[j] ^ W[j+4]
};

GUOMI_TARGET_AVX2 inline void load_block(Schedule& s, const uint8_t* p) {
  const __m128i bswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
  s.x0 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), bswap);
  s.x1 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16)), bswap);
  s.x2 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 32)), bswap);
  s.x3 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 48)), bswap);
  _mm_store_si128(reinterpret_cast<__m128i*>(s.w), s.x0);
  _mm_store_si128(reinterpret_cast<__m128i*>(s.w + 4), s.x1);
  _mm_store_si128(reinterpret_cast<__m128i*>(s.w + 8), s.x2);
  _mm_store_si128(reinterpret_cast<__m128i*>(s.w + 12), s.x3);
  _mm_store_si128(reinterpret_cast<__m128i*>(s.wp), _mm_xor_si128(s.x0, s.x1));
  _mm_store_si128(reinterpret_cast<__m128i*>(s.wp + 4), _mm_xor_si128(s.x1, s.x2));
  _mm_store_si128(reinterpret_cast<__m128i*>(s.wp + 8), _mm_xor_si128(s.x2, s.x3));
  __asm__ volatile("" : : : "memory");
}

// expand_step computes W[n..n+3] for n = 16 + 4k and W'[n-4..n-1].
template <int N>
GUOMI_TARGET_AVX2 inline void expand_step(Schedule& s) {
  const __m128i w16 = s.x0;                             // W[n-16 .. n-13]
  const __m128i w9 = _mm_alignr_epi8(s.x2, s.x1, 12);   // W[n-9  .. n-6]
  const __m128i w3 = _mm_srli_si128(s.x3, 4);           // W[n-3 .. n-1], 0
  const __m128i w13 = _mm_alignr_epi8(s.x1, s.x0, 12);  // W[n-13 .. n-10]
  const __m128i w6 = _mm_alignr_epi8(s.x3, s.x2, 8);    // W[n-6 .. n-3]
  __m128i t = _mm_xor_si128(_mm_xor_si128(w16, w9), rol_epi32(w3, 15));
  t = _mm_xor_si128(_mm_xor_si128(p1_epi32(t), rol_epi32(w13, 7)), w6);
  // Lane 3 still lacks P1(W[n] <<< 15); W[n] is lane 0 of t.
  const __m128i fix = _mm_slli_si128(t, 12);
  t = _mm_xor_si128(t, p1_epi32(rol_epi32(fix, 15)));
  if constexpr (N < 64) _mm_store_si128(reinterpret_cast<__m128i*>(s.w + N), t);
  _mm_store_si128(reinterpret_cast<__m128i*>(s.wp + N - 4), _mm_xor_si128(s.x3, t));
  // Make the rounds read W and W' back from memory (a load folded into an add) instead of
  // extracting lanes with vpextrd, which costs two micro-ops each on the scalar side.
  __asm__ volatile("" : : : "memory");
  s.x0 = s.x1;
  s.x1 = s.x2;
  s.x2 = s.x3;
  s.x3 = t;
}

// Round J, preceded every fourth round by the expansion step whose words round J + 12 needs
// first: eight rounds of slack hide the step's latency behind the scalar rounds.
template <int J>
GUOMI_TARGET_AVX2 inline void round_with_schedule(uint32_t v[8], Schedule& s) {
  if constexpr (J % 4 == 0 && J + 16 <= 64) expand_step<J + 16>(s);
  constexpr int r = J % 4;
  constexpr int ia = (4 - r) % 4, ib = (5 - r) % 4, ic = (6 - r) % 4, id = (7 - r) % 4;
  if constexpr (J < 16) {
    SM3_ROUND_GENERIC(v[ia], v[ib], v[ic], v[id], v[4 + ia], v[4 + ib], v[4 + ic], v[4 + id], J,
                      s.w[J], s.wp[J], SM3_FF0, SM3_GG0);
  } else {
    SM3_ROUND_GENERIC(v[ia], v[ib], v[ic], v[id], v[4 + ia], v[4 + ib], v[4 + ic], v[4 + id], J,
                      s.w[J], s.wp[J], SM3_FF1, SM3_GG1);
  }
}

template <size_t... J>
GUOMI_TARGET_AVX2 inline void rounds(uint32_t v[8], Schedule& s, std::index_sequence<J...>) {
  (round_with_schedule<static_cast<int>(J)>(v, s), ...);
}

}  // namespace

GUOMI_TARGET_AVX2 void sm3_block_avx2(uint32_t state[8], const uint8_t* p, size_t nblocks) {
  Schedule s;
  while (nblocks--) {
    load_block(s, p);
    uint32_t v[8];
    for (int i = 0; i < 8; i++) v[i] = state[i];
    rounds(v, s, std::make_index_sequence<64>());
    for (int i = 0; i < 8; i++) state[i] ^= v[i];
    p += kSm3BlockSize;
  }
}

}  // namespace guomi

#endif  // defined(__x86_64__)
