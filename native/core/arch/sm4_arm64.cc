// sm4_arm64.cc — SM4 on AArch64 (GB/T 32907-2016).
//
// Two paths, chosen at run time from AT_HWCAP (cpu.cc):
//   "armv8 sm4"  the Armv8.2 SM4 instructions: SM4EKEY makes four round keys, SM4E runs four
//                rounds on one block held as four words in a vector. Eight blocks are kept in
//                flight so the instructions pipeline.
//   "armv8 neon" every AArch64 CPU (e.g. Kunpeng 920, which has no SM4 instructions): the S-box is
//                a 256-byte table lookup *in registers* (TBL/TBX over 16 vector registers hold the
//                whole table, so no memory access depends on the data), four blocks per vector in
//                word-sliced form; LD4/ST4 do the 4×4 transpose while loading and storing.
// The whole binary stays baseline armv8-a; only these functions carry target attributes.
#if defined(__aarch64__)

#include <arm_neon.h>

#include <cstring>

#include "../sm4_internal.h"
#include "../util.h"

// GCC's arm_neon.h only declares vsm4e*/vsm4ekey* under this architecture level.
#define GUOMI_SM4_CE __attribute__((target("arch=armv8.2-a+sm4")))
#define GUOMI_SM4_ARM_INLINE inline __attribute__((always_inline))

namespace guomi {
namespace {

using sm4_detail::kCK;
using sm4_detail::kFK;

// ---- shared helpers ---------------------------------------------------------------------------------

// Block bytes <-> the four big-endian words of §5.2 in lanes 0..3.
GUOMI_SM4_ARM_INLINE uint32x4_t load_words(const uint8_t* p) {
  return vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p)));
}

// Stores (X35, X34, X33, X32) from a vector holding (X32, X33, X34, X35).
GUOMI_SM4_ARM_INLINE void store_reversed(uint8_t* p, uint32x4_t x) {
  x = vrev64q_u32(x);       // (X33, X32, X35, X34)
  x = vextq_u32(x, x, 2);   // (X35, X34, X33, X32)
  vst1q_u8(p, vrev32q_u8(vreinterpretq_u8_u32(x)));
}

// counter_words returns counter + i as the four words of a block (branch-free carry).
GUOMI_SM4_ARM_INLINE uint32x4_t counter_words(uint64_t hi, uint64_t lo, uint64_t i, bool inc32) {
  uint64_t l, h = hi;
  if (inc32) {  // public mode flag
    l = (lo & 0xFFFFFFFF00000000ull) | static_cast<uint32_t>(lo + i);
  } else {
    l = lo + i;
    h += static_cast<uint64_t>(l < lo);
  }
  // u64 lanes (h, l) are u32 lanes (h_lo, h_hi, l_lo, l_hi); swap within each 64-bit half.
  return vrev64q_u32(vreinterpretq_u32_u64(vcombine_u64(vcreate_u64(h), vcreate_u64(l))));
}

// ---- SM4E / SM4EKEY ----------------------------------------------------------------------------------

GUOMI_SM4_CE void expand_key_ce(const uint8_t key[16], uint32_t rk[32]) {
  uint32x4_t k = veorq_u32(load_words(key), vld1q_u32(kFK));
  for (int i = 0; i < 8; i++) {
    k = vsm4ekeyq_u32(k, vld1q_u32(kCK.v + 4 * i));
    vst1q_u32(rk + 4 * i, k);
  }
}

GUOMI_SM4_CE GUOMI_SM4_ARM_INLINE uint32x4_t rounds_ce(const uint32x4_t* rk, uint32x4_t b) {
  for (int i = 0; i < 8; i++) b = vsm4eq_u32(b, rk[i]);
  return b;
}

GUOMI_SM4_CE void crypt1_ce(const uint32_t rk[32], const uint8_t in[16], uint8_t out[16]) {
  uint32x4_t k[8];
  for (int i = 0; i < 8; i++) k[i] = vld1q_u32(rk + 4 * i);
  store_reversed(out, rounds_ce(k, load_words(in)));
}

// crypt_n_ce: up to 8 blocks at once, each in its own register. With |mask|, each block is xored
// with its mask block before and after (XTS). With |counter|, the input blocks are counter + i and
// the result is xored into |in| (CTR).
template <int N>
GUOMI_SM4_CE GUOMI_SM4_ARM_INLINE void crypt_n_ce(const uint32x4_t* k, const uint8_t* in, uint8_t* out,
                                                  const uint8_t* mask) {
  uint32x4_t b[N];
  for (int j = 0; j < N; j++) {
    uint8x16_t x = vld1q_u8(in + 16 * j);
    if (mask) x = veorq_u8(x, vld1q_u8(mask + 16 * j));
    b[j] = vreinterpretq_u32_u8(vrev32q_u8(x));
  }
  for (int r = 0; r < 8; r++)
    for (int j = 0; j < N; j++) b[j] = vsm4eq_u32(b[j], k[r]);
  for (int j = 0; j < N; j++) {
    uint32x4_t x = vrev64q_u32(b[j]);
    x = vextq_u32(x, x, 2);
    uint8x16_t y = vrev32q_u8(vreinterpretq_u8_u32(x));
    if (mask) y = veorq_u8(y, vld1q_u8(mask + 16 * j));
    vst1q_u8(out + 16 * j, y);
  }
}

GUOMI_SM4_CE void crypt_blocks_masked_ce(const uint32_t rk[32], const uint8_t* in, uint8_t* out, size_t n,
                                         const uint8_t* mask) {
  uint32x4_t k[8];
  for (int i = 0; i < 8; i++) k[i] = vld1q_u32(rk + 4 * i);
  for (; n >= 8; n -= 8, in += 128, out += 128) {
    crypt_n_ce<8>(k, in, out, mask);
    if (mask) mask += 128;
  }
  for (; n; n--, in += 16, out += 16) {
    crypt_n_ce<1>(k, in, out, mask);
    if (mask) mask += 16;
  }
}

GUOMI_SM4_CE void crypt_blocks_ce(const uint32_t rk[32], const uint8_t* in, uint8_t* out, size_t n) {
  crypt_blocks_masked_ce(rk, in, out, n, nullptr);
}

template <bool kInc32>
GUOMI_SM4_CE void ctr_ce(const uint32_t rk[32], uint8_t ctr[16], const uint8_t* in, uint8_t* out, size_t n) {
  uint32x4_t k[8];
  for (int i = 0; i < 8; i++) k[i] = vld1q_u32(rk + 4 * i);
  const uint64_t hi = load_be64(ctr), lo = load_be64(ctr + 8);
  size_t done = 0;
  while (done < n) {
    const size_t m = n - done < 8 ? n - done : 8;
    uint32x4_t b[8];
    for (size_t j = 0; j < 8; j++) b[j] = counter_words(hi, lo, done + j, kInc32);
    for (int r = 0; r < 8; r++)
      for (int j = 0; j < 8; j++) b[j] = vsm4eq_u32(b[j], k[r]);
    for (size_t j = 0; j < m; j++) {
      uint32x4_t x = vrev64q_u32(b[j]);
      x = vextq_u32(x, x, 2);
      const uint8x16_t ks = vrev32q_u8(vreinterpretq_u8_u32(x));
      vst1q_u8(out + 16 * (done + j), veorq_u8(ks, vld1q_u8(in + 16 * (done + j))));
    }
    done += m;
  }
  sm4_detail::ctr_add(ctr, n, kInc32);
}

// ---- NEON with the S-box in registers ---------------------------------------------------------------

// The S-box as four 64-byte TBL tables.
struct SboxRegs {
  uint8x16x4_t t[4];
};

GUOMI_SM4_ARM_INLINE SboxRegs load_sbox() {
  SboxRegs s;
  for (int q = 0; q < 4; q++) s.t[q] = vld1q_u8_x4(sm4_detail::kSbox.v + 64 * q);
  return s;
}

// τ on every byte: TBL gives 0 for indices >= 64 and TBX leaves such lanes alone, so four
// lookups with the index lowered by 64 each time cover the table. Constant time: TBL/TBX read
// registers only.
GUOMI_SM4_ARM_INLINE uint8x16_t sbox_bytes(const SboxRegs& s, uint8x16_t x) {
  const uint8x16_t k64 = vdupq_n_u8(64);
  uint8x16_t y = vqtbl4q_u8(s.t[0], x);
  x = vsubq_u8(x, k64);
  y = vqtbx4q_u8(y, s.t[1], x);
  x = vsubq_u8(x, k64);
  y = vqtbx4q_u8(y, s.t[2], x);
  x = vsubq_u8(x, k64);
  return vqtbx4q_u8(y, s.t[3], x);
}

template <int N>
GUOMI_SM4_ARM_INLINE uint32x4_t rotl_n(uint32x4_t x) {
  return vsriq_n_u32(vshlq_n_u32(x, N), x, 32 - N);
}

// Byte rotations of each 32-bit lane (little-endian lanes): rotl by 8·n.
GUOMI_SM4_ARM_INLINE uint8x16_t rot_bytes_index(int n) {
  uint8_t idx[16];
  for (int i = 0; i < 16; i++) idx[i] = static_cast<uint8_t>((i & ~3) | ((i - n) & 3));
  return vld1q_u8(idx);
}

struct RotIdx {
  uint8x16_t r8, r24;
};

// T = L∘τ on four lanes: L(B) = B ^ (B<<<24) ^ ((B ^ (B<<<8) ^ (B<<<16)) <<< 2).
GUOMI_SM4_ARM_INLINE uint32x4_t round_t(const SboxRegs& s, const RotIdx& ri, uint32x4_t x) {
  const uint8x16_t b8 = sbox_bytes(s, vreinterpretq_u8_u32(x));
  const uint32x4_t b = vreinterpretq_u32_u8(b8);
  const uint32x4_t r8 = vreinterpretq_u32_u8(vqtbl1q_u8(b8, ri.r8));
  const uint32x4_t r16 = vreinterpretq_u32_u16(vrev32q_u16(vreinterpretq_u16_u32(b)));
  const uint32x4_t r24 = vreinterpretq_u32_u8(vqtbl1q_u8(b8, ri.r24));
  return veorq_u32(veorq_u32(b, r24), rotl_n<2>(veorq_u32(veorq_u32(b, r8), r16)));
}

// L' of the key schedule: B ^ (B<<<13) ^ (B<<<23).
GUOMI_SM4_ARM_INLINE uint32x4_t round_t_key(const SboxRegs& s, uint32x4_t x) {
  const uint32x4_t b = vreinterpretq_u32_u8(sbox_bytes(s, vreinterpretq_u8_u32(x)));
  return veorq_u32(veorq_u32(b, rotl_n<13>(b)), rotl_n<23>(b));
}

void expand_key_neon(const uint8_t key[16], uint32_t rk[32]) {
  const SboxRegs s = load_sbox();
  uint32x4_t k[4];
  for (int i = 0; i < 4; i++) k[i] = vdupq_n_u32(load_be32(key + 4 * i) ^ kFK[i]);
  for (int i = 0; i < 32; i++) {
    const uint32x4_t t =
        veorq_u32(veorq_u32(k[(i + 1) & 3], k[(i + 2) & 3]), veorq_u32(k[(i + 3) & 3], vdupq_n_u32(kCK.v[i])));
    k[i & 3] = veorq_u32(k[i & 3], round_t_key(s, t));
    rk[i] = vgetq_lane_u32(k[i & 3], 0);
  }
}

// Word-sliced rounds for S sets of four blocks: x[s][j] holds word j of the blocks of set s.
template <int S>
GUOMI_SM4_ARM_INLINE void rounds_neon(const SboxRegs& sb, const RotIdx& ri, const uint32_t* rk,
                                      uint32x4_t (&x)[S][4]) {
  for (int i = 0; i < 32; i += 4) {
    for (int r = 0; r < 4; r++) {
      const uint32x4_t k = vdupq_n_u32(rk[i + r]);
      const int a = r, b = (r + 1) & 3, c = (r + 2) & 3, d = (r + 3) & 3;
      for (int s = 0; s < S; s++)
        x[s][a] = veorq_u32(x[s][a], round_t(sb, ri, veorq_u32(veorq_u32(x[s][b], x[s][c]), veorq_u32(x[s][d], k))));
    }
  }
}

void crypt1_neon(const uint32_t rk[32], const uint8_t in[16], uint8_t out[16]) {
  const SboxRegs sb = load_sbox();
  const RotIdx ri{rot_bytes_index(1), rot_bytes_index(3)};
  uint32x4_t x[1][4];
  for (int j = 0; j < 4; j++) x[0][j] = vdupq_n_u32(load_be32(in + 4 * j));
  rounds_neon<1>(sb, ri, rk, x);
  for (int j = 0; j < 4; j++) store_be32(out + 4 * j, vgetq_lane_u32(x[0][3 - j], 0));
}

// Sets of four blocks: LD4 de-interleaves the words (the transpose), ST4 interleaves them back.
template <int S>
GUOMI_SM4_ARM_INLINE void crypt_sets_neon(const SboxRegs& sb, const RotIdx& ri, const uint32_t* rk,
                                          const uint8_t* in, uint8_t* out, const uint8_t* mask) {
  uint32x4_t x[S][4];
  for (int s = 0; s < S; s++) {
    uint32x4x4_t w = vld4q_u32(reinterpret_cast<const uint32_t*>(in + 64 * s));
    if (mask) {
      const uint32x4x4_t m = vld4q_u32(reinterpret_cast<const uint32_t*>(mask + 64 * s));
      for (int j = 0; j < 4; j++) w.val[j] = veorq_u32(w.val[j], m.val[j]);
    }
    for (int j = 0; j < 4; j++) x[s][j] = vreinterpretq_u32_u8(vrev32q_u8(vreinterpretq_u8_u32(w.val[j])));
  }
  rounds_neon<S>(sb, ri, rk, x);
  for (int s = 0; s < S; s++) {
    uint32x4x4_t w;
    for (int j = 0; j < 4; j++) w.val[j] = vreinterpretq_u32_u8(vrev32q_u8(vreinterpretq_u8_u32(x[s][3 - j])));
    if (mask) {
      const uint32x4x4_t m = vld4q_u32(reinterpret_cast<const uint32_t*>(mask + 64 * s));
      for (int j = 0; j < 4; j++) w.val[j] = veorq_u32(w.val[j], m.val[j]);
    }
    vst4q_u32(reinterpret_cast<uint32_t*>(out + 64 * s), w);
  }
}

void crypt_blocks_masked_neon(const uint32_t rk[32], const uint8_t* in, uint8_t* out, size_t n,
                              const uint8_t* mask) {
  const SboxRegs sb = load_sbox();
  const RotIdx ri{rot_bytes_index(1), rot_bytes_index(3)};
  for (; n >= 8; n -= 8, in += 128, out += 128) {
    crypt_sets_neon<2>(sb, ri, rk, in, out, mask);
    if (mask) mask += 128;
  }
  for (; n >= 4; n -= 4, in += 64, out += 64) {
    crypt_sets_neon<1>(sb, ri, rk, in, out, mask);
    if (mask) mask += 64;
  }
  if (n) {
    uint8_t buf[64] = {}, mbuf[64] = {};
    std::memcpy(buf, in, 16 * n);
    if (mask) std::memcpy(mbuf, mask, 16 * n);
    crypt_sets_neon<1>(sb, ri, rk, buf, buf, mask ? mbuf : nullptr);
    std::memcpy(out, buf, 16 * n);
    sm4_detail::wipe(buf, sizeof(buf));
    sm4_detail::wipe(mbuf, sizeof(mbuf));
  }
}

void crypt_blocks_neon(const uint32_t rk[32], const uint8_t* in, uint8_t* out, size_t n) {
  crypt_blocks_masked_neon(rk, in, out, n, nullptr);
}

template <bool kInc32>
void ctr_neon(const uint32_t rk[32], uint8_t ctr[16], const uint8_t* in, uint8_t* out, size_t n) {
  const SboxRegs sb = load_sbox();
  const RotIdx ri{rot_bytes_index(1), rot_bytes_index(3)};
  const uint64_t hi = load_be64(ctr), lo = load_be64(ctr + 8);
  size_t done = 0;
  while (done < n) {
    const size_t m = n - done < 8 ? n - done : 8;
    // Word-sliced counters: lane e of set s is block done + 4s + e.
    uint32x4_t x[2][4];
    for (int s = 0; s < 2; s++) {
      uint32_t w[4][4];
      for (int e = 0; e < 4; e++) {
        uint64_t l, h = hi;
        const uint64_t i = done + 4 * s + e;
        if (kInc32) {
          l = (lo & 0xFFFFFFFF00000000ull) | static_cast<uint32_t>(lo + i);
        } else {
          l = lo + i;
          h += static_cast<uint64_t>(l < lo);
        }
        w[0][e] = static_cast<uint32_t>(h >> 32);
        w[1][e] = static_cast<uint32_t>(h);
        w[2][e] = static_cast<uint32_t>(l >> 32);
        w[3][e] = static_cast<uint32_t>(l);
      }
      for (int j = 0; j < 4; j++) x[s][j] = vld1q_u32(w[j]);
    }
    rounds_neon<2>(sb, ri, rk, x);
    uint8_t ks[128];
    for (int s = 0; s < 2; s++) {
      uint32x4x4_t w;
      for (int j = 0; j < 4; j++) w.val[j] = vreinterpretq_u32_u8(vrev32q_u8(vreinterpretq_u8_u32(x[s][3 - j])));
      vst4q_u32(reinterpret_cast<uint32_t*>(ks + 64 * s), w);
    }
    xor_bytes(out + 16 * done, in + 16 * done, ks, 16 * m);
    sm4_detail::wipe(ks, sizeof(ks));
    done += m;
  }
  sm4_detail::ctr_add(ctr, n, kInc32);
}

}  // namespace

const Sm4Kernels kSm4ArmCe = {"armv8 sm4",        expand_key_ce, crypt1_ce,   crypt_blocks_ce,
                              crypt_blocks_masked_ce, ctr_ce<false>, ctr_ce<true>};
const Sm4Kernels kSm4ArmNeon = {"armv8 neon",       expand_key_neon, crypt1_neon, crypt_blocks_neon,
                                crypt_blocks_masked_neon, ctr_neon<false>, ctr_neon<true>};

}  // namespace guomi

#endif  // defined(__aarch64__)
