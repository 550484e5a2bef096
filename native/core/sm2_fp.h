// sm2_fp.h — arithmetic modulo the SM2 prime p = 2^256 - 2^224 - 2^96 + 2^64 - 1
// (GB/T 32918.5-2017 §2), portable C++ with unsigned __int128.
//
// Values are in Montgomery form with R = 2^256. The shape of p makes the reduction cheap:
// p ≡ -1 (mod 2^64), so -p^-1 mod 2^64 = 1 and each reduction step's multiplier is simply the low
// limb m; and p + 1 = 2^64·Y with Y = 2^192 - 2^160 - 2^32 + 1, so adding m·p and dropping the
// (now zero) low limb is adding m·Y, which needs shifts and additions only, no multiplications.
//
// The x86-64 BMI2/ADX twin is sm2_fp_adx.h; both share the inversion and square-root chains below.
#ifndef GUOMI_CORE_SM2_FP_H_
#define GUOMI_CORE_SM2_FP_H_

#include <cstdint>

#include "sm2_fe.h"
#include "sm2_mont.h"
#include "sm2_params.h"

namespace guomi {

namespace sm2_fp_detail {

// reduce_p finishes a Montgomery multiplication: r = t·2^-256 mod p for the 512-bit t[0..7] < p·2^256.
inline void reduce_p(Fe* r, uint64_t t[8]) {
  uint64_t pending = 0;  // carry out of the previous step, owed to limb i + 4
  for (int i = 0; i < 4; i++) {
    const uint64_t m = t[i];
    // W = m·Y = m·2^192 + m - (m·2^160 + m·2^32), a non-negative 256-bit value.
    const uint64_t lo = m << 32, hi = m >> 32;
    u128 d = static_cast<u128>(m) - lo;
    const uint64_t w0 = static_cast<uint64_t>(d);
    d = static_cast<u128>(0) - hi - (static_cast<uint64_t>(d >> 64) & 1);
    const uint64_t w1 = static_cast<uint64_t>(d);
    d = static_cast<u128>(0) - lo - (static_cast<uint64_t>(d >> 64) & 1);
    const uint64_t w2 = static_cast<uint64_t>(d);
    const uint64_t w3 = m - hi - (static_cast<uint64_t>(d >> 64) & 1);
    // t[i+1..i+4] += W (plus the carry the last step left at limb i+4).
    u128 c = static_cast<u128>(t[i + 1]) + w0;
    t[i + 1] = static_cast<uint64_t>(c);
    c = static_cast<u128>(t[i + 2]) + w1 + static_cast<uint64_t>(c >> 64);
    t[i + 2] = static_cast<uint64_t>(c);
    c = static_cast<u128>(t[i + 3]) + w2 + static_cast<uint64_t>(c >> 64);
    t[i + 3] = static_cast<uint64_t>(c);
    c = static_cast<u128>(t[i + 4]) + w3 + pending + static_cast<uint64_t>(c >> 64);
    t[i + 4] = static_cast<uint64_t>(c);
    pending = static_cast<uint64_t>(c >> 64);
  }
  const Fe x{{t[4], t[5], t[6], t[7]}};
  fe_reduce_once(r, &x, pending, &Sm2PParams::kM);
}

}  // namespace sm2_fp_detail

// sm2_fp_mul_portable: r = a·b·2^-256 mod p.
inline void sm2_fp_mul_portable(Fe* r, const Fe* a, const Fe* b) {
  uint64_t t[8];
  {
    // Row 0 writes t[0..4]; rows 1..3 accumulate.
    uint64_t carry = 0;
    for (int j = 0; j < 4; j++) {
      const u128 c = static_cast<u128>(a->v[0]) * b->v[j] + carry;
      t[j] = static_cast<uint64_t>(c);
      carry = static_cast<uint64_t>(c >> 64);
    }
    t[4] = carry;
  }
  for (int i = 1; i < 4; i++) {
    uint64_t carry = 0;
    for (int j = 0; j < 4; j++) {
      const u128 c = static_cast<u128>(a->v[i]) * b->v[j] + t[i + j] + carry;
      t[i + j] = static_cast<uint64_t>(c);
      carry = static_cast<uint64_t>(c >> 64);
    }
    t[i + 4] = carry;
  }
  sm2_fp_detail::reduce_p(r, t);
}

// sm2_fp_sqr_portable: r = a^2·2^-256 mod p; the cross products are computed once and doubled.
inline void sm2_fp_sqr_portable(Fe* r, const Fe* a) {
  const uint64_t a0 = a->v[0], a1 = a->v[1], a2 = a->v[2], a3 = a->v[3];
  uint64_t t[8];
  u128 c = static_cast<u128>(a0) * a1;
  t[1] = static_cast<uint64_t>(c);
  c = static_cast<u128>(a0) * a2 + static_cast<uint64_t>(c >> 64);
  t[2] = static_cast<uint64_t>(c);
  c = static_cast<u128>(a0) * a3 + static_cast<uint64_t>(c >> 64);
  t[3] = static_cast<uint64_t>(c);
  t[4] = static_cast<uint64_t>(c >> 64);
  c = static_cast<u128>(a1) * a2 + t[3];
  t[3] = static_cast<uint64_t>(c);
  c = static_cast<u128>(a1) * a3 + t[4] + static_cast<uint64_t>(c >> 64);
  t[4] = static_cast<uint64_t>(c);
  t[5] = static_cast<uint64_t>(c >> 64);
  c = static_cast<u128>(a2) * a3 + t[5];
  t[5] = static_cast<uint64_t>(c);
  t[6] = static_cast<uint64_t>(c >> 64);
  // Double the cross products.
  t[7] = t[6] >> 63;
  for (int i = 6; i > 1; i--) t[i] = (t[i] << 1) | (t[i - 1] >> 63);
  t[1] <<= 1;
  // Add the squares a_i^2 at limbs 2i, 2i+1.
  c = static_cast<u128>(a0) * a0;
  t[0] = static_cast<uint64_t>(c);
  uint64_t hi = static_cast<uint64_t>(c >> 64);
  c = static_cast<u128>(t[1]) + hi;
  t[1] = static_cast<uint64_t>(c);
  uint64_t carry = static_cast<uint64_t>(c >> 64);
  const uint64_t as[3] = {a1, a2, a3};
  for (int i = 0; i < 3; i++) {
    const u128 sq = static_cast<u128>(as[i]) * as[i];
    c = static_cast<u128>(t[2 * i + 2]) + static_cast<uint64_t>(sq) + carry;
    t[2 * i + 2] = static_cast<uint64_t>(c);
    c = static_cast<u128>(t[2 * i + 3]) + static_cast<uint64_t>(sq >> 64) +
        static_cast<uint64_t>(c >> 64);
    t[2 * i + 3] = static_cast<uint64_t>(c);
    carry = static_cast<uint64_t>(c >> 64);
  }
  sm2_fp_detail::reduce_p(r, t);
}

inline void sm2_fp_add_portable(Fe* r, const Fe* a, const Fe* b) {
  fe_mod_add(r, a, b, &Sm2PParams::kM);
}

inline void sm2_fp_sub_portable(Fe* r, const Fe* a, const Fe* b) {
  fe_mod_sub(r, a, b, &Sm2PParams::kM);
}

// Sm2FpOps is the field interface the point code is written against, for the SM2 prime. The
// template arguments choose the implementation of the four hot operations; the rest is shared.
template <void (*Mul)(Fe*, const Fe*, const Fe*), void (*Sqr)(Fe*, const Fe*),
          void (*Add)(Fe*, const Fe*, const Fe*), void (*Sub)(Fe*, const Fe*, const Fe*)>
struct Sm2FpOps {
  using Generic = MontField<Sm2PParams>;
  static constexpr Fe kM = Sm2PParams::kM;
  static constexpr Fe kOne = Generic::kOne;

  static void mul(Fe* r, const Fe* a, const Fe* b) { Mul(r, a, b); }
  static void sqr(Fe* r, const Fe* a) { Sqr(r, a); }
  static void add(Fe* r, const Fe* a, const Fe* b) { Add(r, a, b); }
  static void sub(Fe* r, const Fe* a, const Fe* b) { Sub(r, a, b); }
  static void neg(Fe* r, const Fe* a) {
    const Fe zero{{0, 0, 0, 0}};
    Sub(r, &zero, a);
  }
  static void to_mont(Fe* r, const Fe* a) { Generic::to_mont(r, a); }
  static void from_mont(Fe* r, const Fe* a) { Generic::from_mont(r, a); }
  static uint64_t from_bytes(Fe* r, const uint8_t in[32]) { return Generic::from_bytes(r, in); }
  static void to_bytes(uint8_t out[32], const Fe* a) { Generic::to_bytes(out, a); }

  static void sqr_n(Fe* r, const Fe* a, int n) {
    Sqr(r, a);
    for (int i = 1; i < n; i++) Sqr(r, r);
  }

  // inv: r = a^(p-2) (Fermat), a fixed addition chain. In binary p - 2 is 31 ones, a zero,
  // 128 ones, 32 zeros, 32 ones, 30 ones, a zero and a one. x_k below is a^(2^k - 1).
  static void inv(Fe* r, const Fe* a) {
    Fe x2, x3, x6, x12, x24, x30, x31, x32, t;
    sqr(&x2, a), mul(&x2, &x2, a);
    sqr(&x3, &x2), mul(&x3, &x3, a);
    sqr_n(&x6, &x3, 3), mul(&x6, &x6, &x3);
    sqr_n(&x12, &x6, 6), mul(&x12, &x12, &x6);
    sqr_n(&x24, &x12, 12), mul(&x24, &x24, &x12);
    sqr_n(&x30, &x24, 6), mul(&x30, &x30, &x6);
    sqr(&x31, &x30), mul(&x31, &x31, a);
    sqr(&x32, &x31), mul(&x32, &x32, a);
    sqr(&t, &x31);  // 31 ones, 0
    for (int i = 0; i < 4; i++) sqr_n(&t, &t, 32), mul(&t, &t, &x32);  // 128 ones
    sqr_n(&t, &t, 32);                                                 // 32 zeros
    sqr_n(&t, &t, 32), mul(&t, &t, &x32);                              // 32 ones
    sqr_n(&t, &t, 30), mul(&t, &t, &x30);                              // 30 ones
    sqr_n(&t, &t, 2), mul(&t, &t, a);                                  // 0, 1
    *r = t;
  }

  // sqrt_candidate: r = a^((p+1)/4), a square root of a when one exists (p ≡ 3 mod 4). In
  // binary (p+1)/4 is 31 ones, a zero, 128 ones, 31 zeros, a one and 62 zeros. The caller
  // checks r^2 == a.
  static void sqrt_candidate(Fe* r, const Fe* a) {
    Fe x2, x3, x6, x12, x24, x30, x31, x32, t;
    sqr(&x2, a), mul(&x2, &x2, a);
    sqr(&x3, &x2), mul(&x3, &x3, a);
    sqr_n(&x6, &x3, 3), mul(&x6, &x6, &x3);
    sqr_n(&x12, &x6, 6), mul(&x12, &x12, &x6);
    sqr_n(&x24, &x12, 12), mul(&x24, &x24, &x12);
    sqr_n(&x30, &x24, 6), mul(&x30, &x30, &x6);
    sqr(&x31, &x30), mul(&x31, &x31, a);
    sqr(&x32, &x31), mul(&x32, &x32, a);
    sqr(&t, &x31);
    for (int i = 0; i < 4; i++) sqr_n(&t, &t, 32), mul(&t, &t, &x32);
    sqr_n(&t, &t, 32), mul(&t, &t, a);  // 31 zeros and a one
    sqr_n(&t, &t, 62);
    *r = t;
  }
};

using Sm2FpPortable =
    Sm2FpOps<sm2_fp_mul_portable, sm2_fp_sqr_portable, sm2_fp_add_portable, sm2_fp_sub_portable>;

}  // namespace guomi

#endif  // GUOMI_CORE_SM2_FP_H_
