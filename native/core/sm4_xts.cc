// sm4_xts.cc — SM4-XTS over one data unit (IEEE 1619-2018 §5; GB/T 17964-2021 XTS mode).
//
//   T_0 = E_K2(tweak);  C_j = E_K1(P_j xor T_j) xor T_j;  T_{j+1} = T_j · α
// with ciphertext stealing for a final partial block (IEEE 1619 §5.3.2 / §5.4.2; GB/T 17964 uses
// the same stealing). The two standards differ only in the bit order of T·α:
//   IEEE 1619: the 16 bytes are a little-endian integer; shift left by one, xor 0x87 into byte 0
//              when bit 127 falls out.
//   GB/T 17964-2021: the GCM convention (big-endian, bit 0 = MSB of byte 0); shift right by one,
//              xor 0xE1 into byte 0 when the last bit falls out. OpenSSL's default SM4-XTS mode.
// Both multiplications are branch-free. The tweaks of a chunk are computed first, then one
// multi-block kernel call does the whole chunk.
#include <cstring>

#include "ct.h"
#include "sm4.h"
#include "sm4_internal.h"
#include "util.h"

namespace guomi {
namespace {

constexpr size_t kChunkBlocks = 128;

// Tweak arithmetic on the tweak held as two 64-bit halves: for IEEE the little-endian integer
// (lo = bytes 0..7), for GB the big-endian one (hi = bytes 0..7). Both branch-free.
struct Tweak {
  uint64_t a, b;  // IEEE: a = low half, b = high half; GB: a = high half, b = low half
};

inline Tweak tweak_load(const uint8_t t[16], Sm4XtsVariant v) {
  return v == Sm4XtsVariant::kIeee ? Tweak{load_le64(t), load_le64(t + 8)} : Tweak{load_be64(t), load_be64(t + 8)};
}

inline void tweak_store(uint8_t t[16], Tweak x, Sm4XtsVariant v) {
  if (v == Sm4XtsVariant::kIeee) {  // the variant is a public parameter
    store_le64(t, x.a);
    store_le64(t + 8, x.b);
  } else {
    store_be64(t, x.a);
    store_be64(t + 8, x.b);
  }
}

// mul_alpha_k multiplies by α^k (1 <= k <= 57): shift by k bits and fold the k bits that fall
// out back in with x^128 = x^7 + x^2 + x + 1. The folded bits times that polynomial is a
// carry-less product by 0x87 (IEEE) or its mirror (GB), written out as shifts: no table, no branch.
template <int K>
inline Tweak mul_alpha_ieee(Tweak x) {
  static_assert(K >= 1 && K <= 57, "shift range");
  const uint64_t h = x.b >> (64 - K);  // the bits leaving at the top (K <= 57 keeps h << 7 in range)
  return Tweak{(x.a << K) ^ h ^ (h << 1) ^ (h << 2) ^ (h << 7), (x.b << K) | (x.a >> (64 - K))};
}

template <int K>
inline Tweak mul_alpha_gb(Tweak x) {
  static_assert(K >= 1 && K <= 57, "shift range");
  // The K bits leaving at the bottom are the coefficients of x^(128-K) … x^127; placed at the top
  // of the high word they land on x^0 … x^(K-1), and x^7 + x^2 + x + 1 is 0xE1 in the first byte.
  const uint64_t l = (x.b << (64 - K));
  return Tweak{(x.a >> K) ^ l ^ (l >> 1) ^ (l >> 2) ^ (l >> 7), (x.b >> K) | (x.a << (64 - K))};
}

template <Sm4XtsVariant kVariant, int K>
inline Tweak mul_alpha(Tweak x) {
  return kVariant == Sm4XtsVariant::kIeee ? mul_alpha_ieee<K>(x) : mul_alpha_gb<K>(x);
}

// TweakStream holds the tweaks of the next 8 blocks. Emitting them in groups of 8 and stepping
// each by α^8 gives 8 independent dependency chains instead of one long one.
template <Sm4XtsVariant kVariant>
struct TweakStream {
  Tweak c[8];

  explicit TweakStream(Tweak t) {
    c[0] = t;
    for (int j = 1; j < 8; j++) c[j] = mul_alpha<kVariant, 1>(c[j - 1]);
  }
  // emit writes the tweaks of the next |n| blocks to |out| and advances past them.
  void emit(uint8_t* out, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      for (int j = 0; j < 8; j++) {
        tweak_store(out + 16 * (i + j), c[j], kVariant);
        c[j] = mul_alpha<kVariant, 8>(c[j]);
      }
    }
    for (; i < n; i++) {
      tweak_store(out + 16 * i, c[0], kVariant);
      for (int j = 0; j < 7; j++) c[j] = c[j + 1];
      c[7] = mul_alpha<kVariant, 1>(c[6]);
    }
  }
};

// xts_blocks processes |n| whole blocks with the tweaks from |ts|: the tweaks of a chunk are
// written out, then one kernel call xors, en/decrypts and xors.
template <Sm4XtsVariant kVariant>
void xts_blocks(const Sm4Kernels& k, const uint32_t* rk, TweakStream<kVariant>& ts, const uint8_t* in,
                uint8_t* out, size_t n) {
  alignas(64) uint8_t tw[16 * kChunkBlocks];
  while (n) {
    const size_t m = n < kChunkBlocks ? n : kChunkBlocks;
    ts.emit(tw, m);
    k.crypt_blocks_masked(rk, in, out, m, tw);
    in += 16 * m;
    out += 16 * m;
    n -= m;
  }
  sm4_detail::wipe(tw, sizeof(tw));
}

// xts_bulk runs the whole blocks before the stealing pair and returns T_full and T_full+1.
template <Sm4XtsVariant kVariant>
void xts_bulk(const Sm4Kernels& k, const uint32_t* rk, Tweak t0, const uint8_t* in, uint8_t* out,
              size_t full, uint8_t t_last[16], uint8_t t_next[16]) {
  TweakStream<kVariant> ts(t0);
  xts_blocks<kVariant>(k, rk, ts, in, out, full);
  tweak_store(t_last, ts.c[0], kVariant);
  tweak_store(t_next, ts.c[1], kVariant);
  sm4_detail::wipe(&ts, sizeof(ts));
}

bool xts(const Sm4Key* data_key, const Sm4Key* tweak_key, const uint8_t tweak[16],
         Sm4XtsVariant variant, const uint8_t* in, uint8_t* out, size_t len, bool decrypt) {
  if (len < 16) return false;
  const Sm4Kernels& k = sm4_kernels();
  const uint32_t* rk = decrypt ? data_key->rk_dec : data_key->rk_enc;
  uint8_t t[16], t_next[16];
  k.crypt1(tweak_key->rk_enc, tweak, t);
  const Tweak tv = tweak_load(t, variant);
  const size_t rem = len % 16;
  const size_t full = len / 16 - (rem ? 1 : 0);  // blocks before the stealing pair
  // Afterwards t is T_full (the tweak of the last whole block when stealing) and t_next T_full+1.
  if (variant == Sm4XtsVariant::kIeee)
    xts_bulk<Sm4XtsVariant::kIeee>(k, rk, tv, in, out, full, t, t_next);
  else
    xts_bulk<Sm4XtsVariant::kGb>(k, rk, tv, in, out, full, t, t_next);
  if (rem) {
    in += 16 * full;
    out += 16 * full;
    uint8_t cc[16], pp[16];
    // Encrypt: CC = E(P_{m-1}, T_{m-1}); C_m = CC[0..rem); C_{m-1} = E(P_m || CC[rem..16), T_m).
    // Decrypt: PP = D(C_{m-1}, T_m); P_m = PP[0..rem); P_{m-1} = D(C_m || PP[rem..16), T_{m-1}).
    const uint8_t* first_tweak = decrypt ? t_next : t;
    const uint8_t* second_tweak = decrypt ? t : t_next;
    xor_bytes(cc, in, first_tweak, 16);
    k.crypt1(rk, cc, cc);
    xor_bytes(cc, cc, first_tweak, 16);
    std::memcpy(pp, in + 16, rem);
    std::memcpy(pp + rem, cc + rem, 16 - rem);
    std::memcpy(out + 16, cc, rem);  // after reading in + 16, so in == out is fine
    xor_bytes(pp, pp, second_tweak, 16);
    k.crypt1(rk, pp, pp);
    xor_bytes(out, pp, second_tweak, 16);
    sm4_detail::wipe(cc, sizeof(cc));
    sm4_detail::wipe(pp, sizeof(pp));
  }
  sm4_detail::wipe(t, sizeof(t));
  sm4_detail::wipe(t_next, sizeof(t_next));
  return true;
}

}  // namespace

bool sm4_xts_encrypt(const Sm4Key* data_key, const Sm4Key* tweak_key, const uint8_t tweak[16],
                     Sm4XtsVariant variant, const uint8_t* in, uint8_t* out, size_t len) {
  return xts(data_key, tweak_key, tweak, variant, in, out, len, false);
}

bool sm4_xts_decrypt(const Sm4Key* data_key, const Sm4Key* tweak_key, const uint8_t tweak[16],
                     Sm4XtsVariant variant, const uint8_t* in, uint8_t* out, size_t len) {
  return xts(data_key, tweak_key, tweak, variant, in, out, len, true);
}

}  // namespace guomi
