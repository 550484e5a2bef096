// sm3_lanes_x86_64.cc — SM3 compression of 8 (AVX2) or 16 (AVX-512) independent blocks at once,
// one per 32-bit SIMD lane, for hashing many short messages (hmac_sm3_batch: the log hasher's
// field pseudonyms). One message's rounds are a serial chain that leaves most of the core idle;
// side by side in vector lanes, 8 or 16 chains share each instruction. The rounds are in
// sm3_lanes_kernel.inc.
#if defined(__x86_64__)

// GCC 12's AVX-512 headers initialise "undefined" vectors from themselves, which trips
// -W(maybe-)uninitialized once the intrinsics are inlined (GCC PR 105593, fixed in GCC 13).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#include <immintrin.h>

#include <cstdint>

#include "../sm3.h"
#include "../sm3_internal.h"
#include "../util.h"

namespace guomi {

GUOMI_TARGET_PUSH("avx2")
namespace sm3_lanes_avx2 {

struct Ops {
  using V = __m256i;
  static constexpr int kLanes = 8;
  static inline V add(V a, V b) { return _mm256_add_epi32(a, b); }
  static inline V xor2(V a, V b) { return _mm256_xor_si256(a, b); }
  static inline V xor3(V a, V b, V c) { return _mm256_xor_si256(_mm256_xor_si256(a, b), c); }
  // (a & b) | ((a | b) & c)
  static inline V ff1(V a, V b, V c) {
    return _mm256_or_si256(_mm256_and_si256(a, b), _mm256_and_si256(_mm256_or_si256(a, b), c));
  }
  // ((b ^ c) & a) ^ c
  static inline V gg1(V a, V b, V c) { return _mm256_xor_si256(_mm256_and_si256(_mm256_xor_si256(b, c), a), c); }
  template <int N>
  static inline V rol(V x) {
    return _mm256_or_si256(_mm256_slli_epi32(x, N), _mm256_srli_epi32(x, 32 - N));
  }
  static inline V set1(uint32_t x) { return _mm256_set1_epi32(static_cast<int>(x)); }
  static inline V load(const uint32_t* p) { return _mm256_load_si256(reinterpret_cast<const V*>(p)); }
  static inline void store(uint32_t* p, V x) { _mm256_store_si256(reinterpret_cast<V*>(p), x); }
  static inline V load_words(const uint8_t* blocks, int j) {
    // Lane k reads bytes 64k + 4j .. + 3 (the index is in 4-byte units) and swaps them to
    // big-endian order.
    const V index = _mm256_setr_epi32(0, 16, 32, 48, 64, 80, 96, 112);
    const V x = _mm256_i32gather_epi32(reinterpret_cast<const int*>(blocks + 4 * j), index, 4);
    const V bswap = _mm256_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 3, 2, 1, 0, 7, 6, 5,
                                     4, 11, 10, 9, 8, 15, 14, 13, 12);
    return _mm256_shuffle_epi8(x, bswap);
  }
};

#define GUOMI_SM3_LANES_KERNEL
#include "sm3_lanes_kernel.inc"
#undef GUOMI_SM3_LANES_KERNEL

}  // namespace sm3_lanes_avx2
GUOMI_TARGET_POP

GUOMI_TARGET_PUSH("avx2,avx512f,avx512bw,avx512vl")
namespace sm3_lanes_avx512 {

// AVX-512 has a lane rotate (vprold) and three-input logic (vpternlogd, whose immediate is the
// truth table of f(a, b, c) indexed by a·4 + b·2 + c).
struct Ops {
  using V = __m512i;
  static constexpr int kLanes = 16;
  static inline V add(V a, V b) { return _mm512_add_epi32(a, b); }
  static inline V xor2(V a, V b) { return _mm512_xor_si512(a, b); }
  static inline V xor3(V a, V b, V c) { return _mm512_ternarylogic_epi32(a, b, c, 0x96); }
  static inline V ff1(V a, V b, V c) { return _mm512_ternarylogic_epi32(a, b, c, 0xe8); }
  static inline V gg1(V a, V b, V c) { return _mm512_ternarylogic_epi32(a, b, c, 0xca); }
  template <int N>
  static inline V rol(V x) {
    return _mm512_rol_epi32(x, N);
  }
  static inline V set1(uint32_t x) { return _mm512_set1_epi32(static_cast<int>(x)); }
  static inline V load(const uint32_t* p) { return _mm512_load_si512(p); }
  static inline void store(uint32_t* p, V x) { _mm512_store_si512(p, x); }
  static inline V load_words(const uint8_t* blocks, int j) {
    const V index = _mm512_setr_epi32(0, 16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240);
    const V x = _mm512_i32gather_epi32(index, blocks + 4 * j, 4);
    const V bswap = _mm512_set_epi32(0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203, 0x0c0d0e0f, 0x08090a0b,
                                     0x04050607, 0x00010203, 0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203,
                                     0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203);
    return _mm512_shuffle_epi8(x, bswap);
  }
};

#define GUOMI_SM3_LANES_KERNEL
#include "sm3_lanes_kernel.inc"
#undef GUOMI_SM3_LANES_KERNEL

}  // namespace sm3_lanes_avx512
GUOMI_TARGET_POP

GUOMI_TARGET_PUSH("avx2,avx512f,avx512vl")
namespace sm3_lanes_avx512vl {

// Eight lanes in ymm registers with the AVX-512 rotate and three-input logic: for a group of at
// most 8 messages (one log record's fields) this is the shortest path. The full-width kernel
// would waste half its lanes, and a 512-bit operation costs two 256-bit ones on some CPUs (AMD
// Zen 4) and issues on fewer ports on others (Intel). The AVX2 operations serve, but for the
// four that AVX-512VL does in one instruction.
struct Ops : sm3_lanes_avx2::Ops {
  static inline V xor3(V a, V b, V c) { return _mm256_ternarylogic_epi32(a, b, c, 0x96); }
  static inline V ff1(V a, V b, V c) { return _mm256_ternarylogic_epi32(a, b, c, 0xe8); }
  static inline V gg1(V a, V b, V c) { return _mm256_ternarylogic_epi32(a, b, c, 0xca); }
  template <int N>
  static inline V rol(V x) {
    return _mm256_rol_epi32(x, N);
  }
};

#define GUOMI_SM3_LANES_KERNEL
#include "sm3_lanes_kernel.inc"
#undef GUOMI_SM3_LANES_KERNEL

}  // namespace sm3_lanes_avx512vl
GUOMI_TARGET_POP

void sm3_compress_lanes_avx2(uint32_t* state, const uint8_t* blocks) { sm3_lanes_avx2::compress(state, blocks); }
void sm3_compress_lanes_avx512vl(uint32_t* state, const uint8_t* blocks) {
  sm3_lanes_avx512vl::compress(state, blocks);
}
void sm3_compress_lanes_avx512(uint32_t* state, const uint8_t* blocks) {
  sm3_lanes_avx512::compress(state, blocks);
}

}  // namespace guomi

#endif  // defined(__x86_64__)
