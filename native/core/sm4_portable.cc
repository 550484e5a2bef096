// sm4_portable.cc — SM4 without tables (GB/T 32907-2016), for CPUs without a faster path.
//
// The S-box is the Boolean circuit of sm4_internal.h (AND/XOR/NOT only), so no memory access
// depends on the key or the data.
//
// Bulk (16 blocks at a time): the state is bitsliced. Each of the four state words X0..X3 of the
// sixteen blocks becomes 8 "planes" of 64 bits, plane b holding bit b of every byte: bit
// 16·k + j of plane b is bit b of byte k (k = 0 least significant) of that word of block j. With
// bytes in 16-bit fields, the word rotations of L by multiples of 8 are 64-bit rotations by
// multiples of 16, and a rotation by 2 moves planes (with a field rotation for the two planes
// that wrap into the next byte). One pass of the circuit then computes 64 S-boxes.
//
// Single block and key schedule: the four bytes of one word are spread over planes of 32-bit
// words (bit 8·k of plane b is bit b of byte k) and run through the same circuit.
#include <cstring>

#include "ct.h"
#include "sm4_internal.h"
#include "util.h"

namespace guomi {
namespace {

using namespace sm4_detail;

// τ (§6.2): the S-box on each byte of a word.
inline uint32_t sbox_word(uint32_t x) {
  uint32_t p[8];
  for (int b = 0; b < 8; b++) p[b] = (x >> b) & 0x01010101u;
  bs_sbox(p);
  uint32_t y = 0;
  for (int b = 0; b < 8; b++) y |= (p[b] & 0x01010101u) << b;
  return y;
}

void expand_key_portable(const uint8_t key[16], uint32_t rk[32]) {
  uint32_t k[4];
  for (int i = 0; i < 4; i++) k[i] = load_be32(key + 4 * i) ^ kFK[i];
  for (int i = 0; i < 32; i++) {
    // rk_i = K_{i+4} = K_i ^ T'(K_{i+1} ^ K_{i+2} ^ K_{i+3} ^ CK_i)   (§7.3)
    const uint32_t t = k[(i + 1) & 3] ^ k[(i + 2) & 3] ^ k[(i + 3) & 3] ^ kCK.v[i];
    k[i & 3] ^= sm4_l_key(sbox_word(t));
    rk[i] = k[i & 3];
  }
  wipe(k, sizeof(k));
}

void crypt1_portable(const uint32_t rk[32], const uint8_t in[16], uint8_t out[16]) {
  uint32_t x[4];
  for (int i = 0; i < 4; i++) x[i] = load_be32(in + 4 * i);
  for (int i = 0; i < 32; i++) {
    // X_{i+4} = X_i ^ T(X_{i+1} ^ X_{i+2} ^ X_{i+3} ^ rk_i)   (§6.1, §7.1)
    x[i & 3] ^= sm4_l(sbox_word(x[(i + 1) & 3] ^ x[(i + 2) & 3] ^ x[(i + 3) & 3] ^ rk[i]));
  }
  // R(X32, X33, X34, X35) = (X35, X34, X33, X32); after 32 rounds X32+m is in x[m].
  for (int i = 0; i < 4; i++) store_be32(out + 4 * i, x[3 - i]);
  wipe(x, sizeof(x));
}

// ---- bitsliced 16-block kernel ----------------------------------------------------------------

inline uint64_t rotl64(uint64_t x, unsigned n) { return (x << n) | (x >> (64 - n)); }

// spread16 moves byte k of a 32-bit word to byte 2k of a 64-bit word; gather16 undoes it.
inline uint64_t spread16(uint32_t x) {
  uint64_t s = x;
  s = (s | (s << 16)) & 0x0000FFFF0000FFFFull;
  s = (s | (s << 8)) & 0x00FF00FF00FF00FFull;
  return s;
}

inline uint32_t gather16(uint64_t s) {
  s &= 0x00FF00FF00FF00FFull;
  s = (s | (s >> 8)) & 0x0000FFFF0000FFFFull;
  s = (s | (s >> 16)) & 0x00000000FFFFFFFFull;
  return static_cast<uint32_t>(s);
}

// swapmove exchanges the bits of |a| at positions (mask << shift) with the bits of |b| at |mask|.
inline void swapmove(uint64_t& a, uint64_t& b, uint64_t mask, unsigned shift) {
  const uint64_t t = ((a >> shift) ^ b) & mask;
  b ^= t;
  a ^= t << shift;
}

// The three swapmove stages of the bitslice transform. Before: v[j'] (j' = 0..7) holds, at bit
// 8·(2k + j3) + b, bit b of byte k of blocks j' + 8·j3. After: v[b] holds plane b, bit 16k + j
// for block j = 8·j3 + j'. Each stage exchanges one bit of the array index (j'_s before, b_s
// after) with one bit of the position (b_s before, j'_s after), so the transform is its own
// inverse.
inline void transpose_planes(uint64_t v[8]) {
  for (int j = 0; j < 8; j += 2) swapmove(v[j], v[j + 1], 0x5555555555555555ull, 1);
  for (int j = 0; j < 8; j += 4) {
    swapmove(v[j], v[j + 2], 0x3333333333333333ull, 2);
    swapmove(v[j + 1], v[j + 3], 0x3333333333333333ull, 2);
  }
  for (int j = 0; j < 4; j++) swapmove(v[j], v[j + 4], 0x0F0F0F0F0F0F0F0Full, 4);
}

// Round keys as planes: bit b of byte k of rk fills field k of plane b.
struct BitslicedKeys {
  uint64_t p[32][8];
};

void bitslice_keys(const uint32_t rk[32], BitslicedKeys* out) {
  for (int i = 0; i < 32; i++)
    for (int b = 0; b < 8; b++) out->p[i][b] = spread16((rk[i] >> b) & 0x01010101u) * 0xFFFFu;
}

// One round on planes: x0 ^= L(S(x1 ^ x2 ^ x3 ^ rk)).
inline void bs_round(uint64_t* x0, const uint64_t* x1, const uint64_t* x2, const uint64_t* x3,
                     const uint64_t* rk) {
  uint64_t t[8];
  for (int b = 0; b < 8; b++) t[b] = x1[b] ^ x2[b] ^ x3[b] ^ rk[b];
  bs_sbox(t);
  // L(B) = B ^ (B<<<24) ^ ((B ^ (B<<<8) ^ (B<<<16)) <<< 2).
  uint64_t u[8];
  for (int b = 0; b < 8; b++) u[b] = t[b] ^ rotl64(t[b], 16) ^ rotl64(t[b], 32);
  for (int b = 0; b < 8; b++) {
    const uint64_t r2 = b >= 2 ? u[b - 2] : rotl64(u[b + 6], 16);
    x0[b] ^= t[b] ^ rotl64(t[b], 48) ^ r2;
  }
}

// crypt16 runs 16 blocks (in may equal out).
void crypt16(const BitslicedKeys& k, const uint8_t* in, uint8_t* out) {
  uint64_t s[4][8];
  for (int w = 0; w < 4; w++) {
    for (int j = 0; j < 8; j++)
      s[w][j] = spread16(load_be32(in + 16 * j + 4 * w)) |
                (spread16(load_be32(in + 16 * (j + 8) + 4 * w)) << 8);
    transpose_planes(s[w]);
  }
  for (int r = 0; r < 32; r += 4) {
    bs_round(s[0], s[1], s[2], s[3], k.p[r]);
    bs_round(s[1], s[2], s[3], s[0], k.p[r + 1]);
    bs_round(s[2], s[3], s[0], s[1], k.p[r + 2]);
    bs_round(s[3], s[0], s[1], s[2], k.p[r + 3]);
  }
  // Output (X35, X34, X33, X32): word w of the output is s[3 - w].
  for (int w = 0; w < 4; w++) {
    uint64_t* v = s[3 - w];
    transpose_planes(v);
    for (int j = 0; j < 8; j++) {
      store_be32(out + 16 * j + 4 * w, gather16(v[j]));
      store_be32(out + 16 * (j + 8) + 4 * w, gather16(v[j] >> 8));
    }
  }
  wipe(s, sizeof(s));
}

void crypt_blocks_portable(const uint32_t rk[32], const uint8_t* in, uint8_t* out, size_t n) {
  if (n <= 2) {  // the bitsliced kernel costs the same for 1 block as for 16
    for (size_t i = 0; i < n; i++) crypt1_portable(rk, in + 16 * i, out + 16 * i);
    return;
  }
  BitslicedKeys k;
  bitslice_keys(rk, &k);
  for (; n >= 16; n -= 16, in += 256, out += 256) crypt16(k, in, out);
  if (n) {
    uint8_t buf[256] = {};
    std::memcpy(buf, in, 16 * n);
    crypt16(k, buf, buf);
    std::memcpy(out, buf, 16 * n);
    wipe(buf, sizeof(buf));
  }
  wipe(&k, sizeof(k));
}

void crypt_blocks_masked_portable(const uint32_t rk[32], const uint8_t* in, uint8_t* out, size_t n,
                                  const uint8_t* mask) {
  uint8_t buf[256];
  while (n) {
    const size_t m = n < 16 ? n : 16;
    xor_bytes(buf, in, mask, 16 * m);
    crypt_blocks_portable(rk, buf, buf, m);
    xor_bytes(out, buf, mask, 16 * m);
    in += 16 * m;
    out += 16 * m;
    mask += 16 * m;
    n -= m;
  }
  wipe(buf, sizeof(buf));
}

template <bool kInc32>
void ctr_portable(const uint32_t rk[32], uint8_t ctr[16], const uint8_t* in, uint8_t* out,
                  size_t n) {
  uint8_t ks[256];
  while (n) {
    const size_t m = n < 16 ? n : 16;
    for (size_t i = 0; i < m; i++) {
      std::memcpy(ks + 16 * i, ctr, 16);
      ctr_add(ctr, 1, kInc32);
    }
    crypt_blocks_portable(rk, ks, ks, m);
    xor_bytes(out, in, ks, 16 * m);
    in += 16 * m;
    out += 16 * m;
    n -= m;
  }
  wipe(ks, sizeof(ks));
}

}  // namespace

const Sm4Kernels kSm4Portable = {
    "portable bitsliced", expand_key_portable,  crypt1_portable,     crypt_blocks_portable,
    crypt_blocks_masked_portable, ctr_portable<false>, ctr_portable<true>,
};

}  // namespace guomi
