// sm2_fp.h — arithmetic modulo the SM2 prime p = 2^256 - 2^224 - 2^96 + 2^64 - 1
// (GB/T 32918.5-2017 §2), portable C++ with unsigned __int128.
//
// Values are in Montgomery form with R = 2^256. The shape of p makes the reduction cheap:
// p ≡ -1 (mod 2^64), so -p^-1 mod 2^64 = 1 and each reduction step's multiplier is simply the low
// limb m; and p + 1 = 2^64·Y with Y = 2^192 - 2^160 - 2^32 + 1, so adding m·p and dropping the
// (now zero) low limb is adding m·Y, which needs shifts and additions only, no multiplications.
//
// The x86-64 BMI2/ADX twin is sm2_fp_adx.h and the AArch64 one is at the end of this file; all
// share the inversion and square-root chains below.
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

  // inv: r = a^-1 (0 for a = 0), the generic Montgomery inverse (modinv.h's divsteps and one
  // multiplication): ~2.8 us on x86-64, against ~3.6 us for the Fermat chain below with BMI2/ADX
  // and ~14 us with the portable multiplication.
  static void inv(Fe* r, const Fe* a) { Generic::inv(r, a); }

  // inv_fermat: r = a^(p-2), a fixed addition chain (the reference the differential test checks
  // inv against). In binary p - 2 is 31 ones, a zero, 128 ones, 32 zeros, 32 ones, 30 ones, a
  // zero and a one. x_k below is a^(2^k - 1).
  static void inv_fermat(Fe* r, const Fe* a) {
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

#if defined(__aarch64__)
// --- AArch64: the same arithmetic in base A64 instructions (mul/umulh, adds/adcs, subs/sbcs,
// csel), available on every ARMv8-A CPU, so there is nothing to detect; the portable functions
// above are its twin (native/core/arch/sm2_arm64.cc makes the Sm2Impl, diff_sm2.cc compares the
// two and a reference). It exists because gcc (12, aarch64) turns the unsigned __int128 carry
// chains above into cset/cinc/negs/ngc sequences and spills the final selection through the
// stack. Instructions per call (gcc 12 -O3, each function on its own): mul 276 -> 144, sqr
// 272 -> 112, add 64 -> 24, sub 60 -> 20; clang 19 compiles the portable mul and sqr to 228 and
// 191. Every carry chain here is one adds/adcs or subs/sbcs chain and every choice is a csel, so
// no branch and no memory access depends on the operands.
//
// Structure: the full 512-bit product (squaring: the six cross products once, doubled, plus the
// four squares), then Montgomery reduction of its low half L = t0..t3 in four word steps and
// the addition of its high half H = t4..t7, then one conditional subtraction of p. Each word
// step is the one sm2_fp_detail::reduce_p explains: with m the low limb, (acc + m·p)/2^64 is
// acc/2^64 (limbs 1..3) plus W = m·Y, Y = 2^192 - 2^160 - 2^32 + 1, and W is the subtract-with-
// borrow chain (m - (m<<32), -(m>>32), -(m<<32), m - (m>>32)).
//
// Bounds (a, b < p): each step's result is < 2^192 + p < 2^256, so the reduced low half fits four
// limbs (its last carry is always zero) and is <= p; H < p because a·b < p^2; so the sum is
// < 2p and one subtraction of p reduces it fully.
//
// Carry bugs are the classic failure in code like this: every change must pass
// native/test/diff_sm2.cc under qemu-aarch64 (.ci/cross.sh does).
namespace sm2_fp_arm64_detail {

// The limbs of p that are not all ones (limbs 0 and 2 are): p1 and p3.
constexpr uint64_t kP1 = 0xffffffff00000000ull;
constexpr uint64_t kP3 = 0xfffffffeffffffffull;

// One reduction word step on c0..c3 (in place; lo, hi, w0..w3 are scratch): m = c0,
// (c0, c1, c2, c3) = (c1, c2, c3, 0) + W(m).
#define GUOMI_SM2_ARM64_REDUCE_STEP                                                              \
  "lsl %[lo], %[c0], #32\n\t"                                                                    \
  "lsr %[hi], %[c0], #32\n\t"                                                                    \
  "subs %[w0], %[c0], %[lo]\n\t"                                                                 \
  "sbcs %[w1], xzr, %[hi]\n\t"                                                                   \
  "sbcs %[w2], xzr, %[lo]\n\t"                                                                   \
  "sbc %[w3], %[c0], %[hi]\n\t"                                                                  \
  "adds %[c0], %[c1], %[w0]\n\t"                                                                 \
  "adcs %[c1], %[c2], %[w1]\n\t"                                                                 \
  "adcs %[c2], %[c3], %[w2]\n\t"                                                                 \
  "adc %[c3], %[w3], xzr\n\t"

// reduce: r = (t0..t3 + 2^256·(t4..t7))·2^-256 mod p for a 512-bit t < p^2 (or any t whose
// high half is < p).
inline void reduce(Fe* r, uint64_t c0, uint64_t c1, uint64_t c2, uint64_t c3, uint64_t t4,
                   uint64_t t5, uint64_t t6, uint64_t t7) {
  uint64_t lo, hi, w0, w1, w2, w3;
  __asm__(
      GUOMI_SM2_ARM64_REDUCE_STEP GUOMI_SM2_ARM64_REDUCE_STEP GUOMI_SM2_ARM64_REDUCE_STEP
          GUOMI_SM2_ARM64_REDUCE_STEP
      // + H, with the carry out in hi.
      "adds %[c0], %[c0], %[t4]\n\t"
      "adcs %[c1], %[c1], %[t5]\n\t"
      "adcs %[c2], %[c2], %[t6]\n\t"
      "adcs %[c3], %[c3], %[t7]\n\t"
      "adc %[hi], xzr, xzr\n\t"
      // - p (limbs 0 and 2 are all ones); keep the sum where that borrows out of the top.
      "subs %[w0], %[c0], %[ones]\n\t"
      "sbcs %[w1], %[c1], %[p1]\n\t"
      "sbcs %[w2], %[c2], %[ones]\n\t"
      "sbcs %[w3], %[c3], %[p3]\n\t"
      "sbcs %[hi], %[hi], xzr\n\t"
      "csel %[c0], %[c0], %[w0], lo\n\t"
      "csel %[c1], %[c1], %[w1], lo\n\t"
      "csel %[c2], %[c2], %[w2], lo\n\t"
      "csel %[c3], %[c3], %[w3], lo\n\t"
      : [c0] "+&r"(c0), [c1] "+&r"(c1), [c2] "+&r"(c2), [c3] "+&r"(c3), [lo] "=&r"(lo),
        [hi] "=&r"(hi), [w0] "=&r"(w0), [w1] "=&r"(w1), [w2] "=&r"(w2), [w3] "=&r"(w3)
      : [t4] "r"(t4), [t5] "r"(t5), [t6] "r"(t6), [t7] "r"(t7), [ones] "r"(~0ull), [p1] "r"(kP1),
        [p3] "r"(kP3)
      : "cc");
  r->v[0] = c0, r->v[1] = c1, r->v[2] = c2, r->v[3] = c3;
}

#undef GUOMI_SM2_ARM64_REDUCE_STEP

}  // namespace sm2_fp_arm64_detail

// sm2_fp_mul_arm64: r = a·b·2^-256 mod p for a, b < p. r may alias a or b.
inline void sm2_fp_mul_arm64(Fe* r, const Fe* a, const Fe* b) {
  const uint64_t a0 = a->v[0], a1 = a->v[1], a2 = a->v[2], a3 = a->v[3];
  const uint64_t b0 = b->v[0], b1 = b->v[1], b2 = b->v[2], b3 = b->v[3];
  uint64_t t0, t1, t2, t3, t4, t5, t6, t7, l0, l1, l2, l3, h0, h1, h2;
  // Row 0 writes t0..t4; row i (1..3) adds a·b_i at limb i: the low halves, then the high
  // halves one limb up. The top limb of a row cannot carry out: the partial product fits.
  __asm__(
      "mul %[t0], %[a0], %[b0]\n\t"
      "umulh %[h0], %[a0], %[b0]\n\t"
      "mul %[l1], %[a1], %[b0]\n\t"
      "umulh %[h1], %[a1], %[b0]\n\t"
      "mul %[l2], %[a2], %[b0]\n\t"
      "umulh %[h2], %[a2], %[b0]\n\t"
      "mul %[l3], %[a3], %[b0]\n\t"
      "umulh %[t4], %[a3], %[b0]\n\t"
      "adds %[t1], %[l1], %[h0]\n\t"
      "adcs %[t2], %[l2], %[h1]\n\t"
      "adcs %[t3], %[l3], %[h2]\n\t"
      "adc %[t4], %[t4], xzr\n\t"
      // row 1 -> t1..t5
      "mul %[l0], %[a0], %[b1]\n\t"
      "mul %[l1], %[a1], %[b1]\n\t"
      "mul %[l2], %[a2], %[b1]\n\t"
      "mul %[l3], %[a3], %[b1]\n\t"
      "adds %[t1], %[t1], %[l0]\n\t"
      "adcs %[t2], %[t2], %[l1]\n\t"
      "adcs %[t3], %[t3], %[l2]\n\t"
      "adcs %[t4], %[t4], %[l3]\n\t"
      "adc %[t5], xzr, xzr\n\t"
      "umulh %[l0], %[a0], %[b1]\n\t"
      "umulh %[l1], %[a1], %[b1]\n\t"
      "umulh %[l2], %[a2], %[b1]\n\t"
      "umulh %[l3], %[a3], %[b1]\n\t"
      "adds %[t2], %[t2], %[l0]\n\t"
      "adcs %[t3], %[t3], %[l1]\n\t"
      "adcs %[t4], %[t4], %[l2]\n\t"
      "adc %[t5], %[t5], %[l3]\n\t"
      // row 2 -> t2..t6
      "mul %[l0], %[a0], %[b2]\n\t"
      "mul %[l1], %[a1], %[b2]\n\t"
      "mul %[l2], %[a2], %[b2]\n\t"
      "mul %[l3], %[a3], %[b2]\n\t"
      "adds %[t2], %[t2], %[l0]\n\t"
      "adcs %[t3], %[t3], %[l1]\n\t"
      "adcs %[t4], %[t4], %[l2]\n\t"
      "adcs %[t5], %[t5], %[l3]\n\t"
      "adc %[t6], xzr, xzr\n\t"
      "umulh %[l0], %[a0], %[b2]\n\t"
      "umulh %[l1], %[a1], %[b2]\n\t"
      "umulh %[l2], %[a2], %[b2]\n\t"
      "umulh %[l3], %[a3], %[b2]\n\t"
      "adds %[t3], %[t3], %[l0]\n\t"
      "adcs %[t4], %[t4], %[l1]\n\t"
      "adcs %[t5], %[t5], %[l2]\n\t"
      "adc %[t6], %[t6], %[l3]\n\t"
      // row 3 -> t3..t7
      "mul %[l0], %[a0], %[b3]\n\t"
      "mul %[l1], %[a1], %[b3]\n\t"
      "mul %[l2], %[a2], %[b3]\n\t"
      "mul %[l3], %[a3], %[b3]\n\t"
      "adds %[t3], %[t3], %[l0]\n\t"
      "adcs %[t4], %[t4], %[l1]\n\t"
      "adcs %[t5], %[t5], %[l2]\n\t"
      "adcs %[t6], %[t6], %[l3]\n\t"
      "adc %[t7], xzr, xzr\n\t"
      "umulh %[l0], %[a0], %[b3]\n\t"
      "umulh %[l1], %[a1], %[b3]\n\t"
      "umulh %[l2], %[a2], %[b3]\n\t"
      "umulh %[l3], %[a3], %[b3]\n\t"
      "adds %[t4], %[t4], %[l0]\n\t"
      "adcs %[t5], %[t5], %[l1]\n\t"
      "adcs %[t6], %[t6], %[l2]\n\t"
      "adc %[t7], %[t7], %[l3]\n\t"
      : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),
        [t5] "=&r"(t5), [t6] "=&r"(t6), [t7] "=&r"(t7), [l0] "=&r"(l0), [l1] "=&r"(l1),
        [l2] "=&r"(l2), [l3] "=&r"(l3), [h0] "=&r"(h0), [h1] "=&r"(h1), [h2] "=&r"(h2)
      : [a0] "r"(a0), [a1] "r"(a1), [a2] "r"(a2), [a3] "r"(a3), [b0] "r"(b0), [b1] "r"(b1),
        [b2] "r"(b2), [b3] "r"(b3)
      : "cc");
  sm2_fp_arm64_detail::reduce(r, t0, t1, t2, t3, t4, t5, t6, t7);
}

// sm2_fp_sqr_arm64: r = a^2·2^-256 mod p for a < p. r may alias a.
inline void sm2_fp_sqr_arm64(Fe* r, const Fe* a) {
  const uint64_t a0 = a->v[0], a1 = a->v[1], a2 = a->v[2], a3 = a->v[3];
  uint64_t t0, t1, t2, t3, t4, t5, t6, t7, l0, l1, l2, h0, h1, h2;
  __asm__(
      // Cross products a_i·a_j (i < j) into t1..t6.
      "mul %[t1], %[a0], %[a1]\n\t"
      "umulh %[h0], %[a0], %[a1]\n\t"
      "mul %[l1], %[a0], %[a2]\n\t"
      "umulh %[h1], %[a0], %[a2]\n\t"
      "mul %[l2], %[a0], %[a3]\n\t"
      "umulh %[t4], %[a0], %[a3]\n\t"
      "adds %[t2], %[l1], %[h0]\n\t"
      "adcs %[t3], %[l2], %[h1]\n\t"
      "adc %[t4], %[t4], xzr\n\t"
      "mul %[l0], %[a1], %[a2]\n\t"
      "umulh %[h0], %[a1], %[a2]\n\t"
      "mul %[l1], %[a1], %[a3]\n\t"
      "umulh %[t5], %[a1], %[a3]\n\t"
      "adds %[t3], %[t3], %[l0]\n\t"
      "adcs %[t4], %[t4], %[l1]\n\t"
      "adc %[t5], %[t5], xzr\n\t"
      "adds %[t4], %[t4], %[h0]\n\t"
      "adc %[t5], %[t5], xzr\n\t"
      "mul %[l0], %[a2], %[a3]\n\t"
      "umulh %[t6], %[a2], %[a3]\n\t"
      "adds %[t5], %[t5], %[l0]\n\t"
      "adc %[t6], %[t6], xzr\n\t"
      // Doubled, into t1..t7.
      "adds %[t1], %[t1], %[t1]\n\t"
      "adcs %[t2], %[t2], %[t2]\n\t"
      "adcs %[t3], %[t3], %[t3]\n\t"
      "adcs %[t4], %[t4], %[t4]\n\t"
      "adcs %[t5], %[t5], %[t5]\n\t"
      "adcs %[t6], %[t6], %[t6]\n\t"
      "adc %[t7], xzr, xzr\n\t"
      // Plus the squares a_i^2 at limbs 2i, 2i+1.
      "mul %[t0], %[a0], %[a0]\n\t"
      "umulh %[h0], %[a0], %[a0]\n\t"
      "mul %[l1], %[a1], %[a1]\n\t"
      "umulh %[h1], %[a1], %[a1]\n\t"
      "mul %[l2], %[a2], %[a2]\n\t"
      "umulh %[h2], %[a2], %[a2]\n\t"
      "adds %[t1], %[t1], %[h0]\n\t"
      "adcs %[t2], %[t2], %[l1]\n\t"
      "adcs %[t3], %[t3], %[h1]\n\t"
      "mul %[l0], %[a3], %[a3]\n\t"
      "umulh %[h0], %[a3], %[a3]\n\t"
      "adcs %[t4], %[t4], %[l2]\n\t"
      "adcs %[t5], %[t5], %[h2]\n\t"
      "adcs %[t6], %[t6], %[l0]\n\t"
      "adc %[t7], %[t7], %[h0]\n\t"
      : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),
        [t5] "=&r"(t5), [t6] "=&r"(t6), [t7] "=&r"(t7), [l0] "=&r"(l0), [l1] "=&r"(l1),
        [l2] "=&r"(l2), [h0] "=&r"(h0), [h1] "=&r"(h1), [h2] "=&r"(h2)
      : [a0] "r"(a0), [a1] "r"(a1), [a2] "r"(a2), [a3] "r"(a3)
      : "cc");
  sm2_fp_arm64_detail::reduce(r, t0, t1, t2, t3, t4, t5, t6, t7);
}

// sm2_fp_add_arm64: r = a + b mod p for a, b < p: the 257-bit sum, minus p unless that borrows.
inline void sm2_fp_add_arm64(Fe* r, const Fe* a, const Fe* b) {
  uint64_t c0 = a->v[0], c1 = a->v[1], c2 = a->v[2], c3 = a->v[3];
  uint64_t top, s0, s1, s2, s3;
  __asm__(
      "adds %[c0], %[c0], %[b0]\n\t"
      "adcs %[c1], %[c1], %[b1]\n\t"
      "adcs %[c2], %[c2], %[b2]\n\t"
      "adcs %[c3], %[c3], %[b3]\n\t"
      "adc %[top], xzr, xzr\n\t"
      "subs %[s0], %[c0], %[ones]\n\t"
      "sbcs %[s1], %[c1], %[p1]\n\t"
      "sbcs %[s2], %[c2], %[ones]\n\t"
      "sbcs %[s3], %[c3], %[p3]\n\t"
      "sbcs %[top], %[top], xzr\n\t"
      "csel %[c0], %[c0], %[s0], lo\n\t"
      "csel %[c1], %[c1], %[s1], lo\n\t"
      "csel %[c2], %[c2], %[s2], lo\n\t"
      "csel %[c3], %[c3], %[s3], lo\n\t"
      : [c0] "+&r"(c0), [c1] "+&r"(c1), [c2] "+&r"(c2), [c3] "+&r"(c3), [top] "=&r"(top),
        [s0] "=&r"(s0), [s1] "=&r"(s1), [s2] "=&r"(s2), [s3] "=&r"(s3)
      : [b0] "r"(b->v[0]), [b1] "r"(b->v[1]), [b2] "r"(b->v[2]), [b3] "r"(b->v[3]),
        [ones] "r"(~0ull), [p1] "r"(sm2_fp_arm64_detail::kP1), [p3] "r"(sm2_fp_arm64_detail::kP3)
      : "cc");
  r->v[0] = c0, r->v[1] = c1, r->v[2] = c2, r->v[3] = c3;
}

// sm2_fp_sub_arm64: r = a - b mod p for a, b < p: the difference, plus p masked by the borrow
// (the masked limbs of p are the mask itself for limbs 0 and 2, mask & p1 and mask & p3).
inline void sm2_fp_sub_arm64(Fe* r, const Fe* a, const Fe* b) {
  uint64_t c0 = a->v[0], c1 = a->v[1], c2 = a->v[2], c3 = a->v[3];
  uint64_t mask, m1, m3;
  __asm__(
      "subs %[c0], %[c0], %[b0]\n\t"
      "sbcs %[c1], %[c1], %[b1]\n\t"
      "sbcs %[c2], %[c2], %[b2]\n\t"
      "sbcs %[c3], %[c3], %[b3]\n\t"
      "sbc %[mask], xzr, xzr\n\t"
      "and %[m1], %[mask], %[p1]\n\t"
      "and %[m3], %[mask], %[p3]\n\t"
      "adds %[c0], %[c0], %[mask]\n\t"
      "adcs %[c1], %[c1], %[m1]\n\t"
      "adcs %[c2], %[c2], %[mask]\n\t"
      "adc %[c3], %[c3], %[m3]\n\t"
      : [c0] "+&r"(c0), [c1] "+&r"(c1), [c2] "+&r"(c2), [c3] "+&r"(c3), [mask] "=&r"(mask),
        [m1] "=&r"(m1), [m3] "=&r"(m3)
      : [b0] "r"(b->v[0]), [b1] "r"(b->v[1]), [b2] "r"(b->v[2]), [b3] "r"(b->v[3]),
        [p1] "r"(sm2_fp_arm64_detail::kP1), [p3] "r"(sm2_fp_arm64_detail::kP3)
      : "cc");
  r->v[0] = c0, r->v[1] = c1, r->v[2] = c2, r->v[3] = c3;
}

using Sm2FpArm64 = Sm2FpOps<sm2_fp_mul_arm64, sm2_fp_sqr_arm64, sm2_fp_add_arm64, sm2_fp_sub_arm64>;
#endif  // defined(__aarch64__)

}  // namespace guomi

#endif  // GUOMI_CORE_SM2_FP_H_
