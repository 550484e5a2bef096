// modinv.h — constant-time inversion modulo an odd 256-bit number by the "divsteps" of
// Bernstein and Yang ("Fast constant-time gcd computation and modular inversion", TCHES 2019).
//
// Fermat inversion (a^(m-2)) costs about 256 squarings and 60 multiplications; for the scalars
// mod n, whose Montgomery multiplication is the generic one, that is ~10 us and most of the cost
// of loading an SM2 private key ((1+d)^-1, GB/T 32918.2-2016 §6.1 A6). The divstep iteration
// below does the same job in a fixed 744 steps of word-sized shifts, adds and masks, in
// batches of 62 whose effect on the full-size numbers is applied as one 2x2 matrix.
//
// The iteration, for f odd (δ starts at 1):
//   δ > 0 and g odd:  (δ, f, g) <- (1 - δ, g, (g - f)/2)
//   g odd otherwise:  (δ, f, g) <- (1 + δ, f, (g + f)/2)
//   g even:           (δ, f, g) <- (1 + δ, f, g/2)
// Starting from f = m, g = a (0 <= a < m < 2^256), g reaches 0 and f = ±gcd(m, a) within 741
// steps (the paper's Theorem 11.2: floor((49·256 + 57)/17)); we run 12·62 = 744. Alongside, d and
// e with f ≡ d·a and g ≡ e·a (mod m) are updated by the same matrices, so at the end
// a^-1 ≡ ±d. For a = 0 the result is 0, like Fermat's.
//
// Every step is branch-free and the number of steps is fixed, so the timing does not depend
// on a (the valgrind harness, native/test/ct_sm2.cc, checks this).
#ifndef GUOMI_CORE_MODINV_H_
#define GUOMI_CORE_MODINV_H_

#include <cstdint>

#include "ct.h"
#include "sm2_fe.h"

namespace guomi {

namespace modinv_detail {

typedef __int128 i128;

constexpr uint64_t kMask62 = (uint64_t{1} << 62) - 1;

// A signed integer as five limbs of 62 bits, least significant first: limbs 0..3 in
// [0, 2^62), limb 4 signed. 310 bits hold every value that arises (|f|, |g| <= m, |d|, |e| < 7m).
struct S62 {
  int64_t v[5];
};

// The transition matrix of 62 divsteps, scaled by 2^62: 2^62·(f', g') = (u·f + v·g, q·f + r·g).
// Each of |u| + |v| and |q| + |r| is at most 2^62.
struct Matrix {
  int64_t u, v, q, r;
};

// inv62 returns m^-1 mod 2^62 for odd m (Newton's iteration doubles the correct bits each step).
constexpr uint64_t inv62(uint64_t m0) {
  uint64_t x = 1;
  for (int i = 0; i < 7; i++) x *= 2 - m0 * x;
  return x & kMask62;
}

constexpr S62 from_fe(const Fe& a) {
  return S62{{static_cast<int64_t>(a.v[0] & kMask62),
              static_cast<int64_t>(((a.v[0] >> 62) | (a.v[1] << 2)) & kMask62),
              static_cast<int64_t>(((a.v[1] >> 60) | (a.v[2] << 4)) & kMask62),
              static_cast<int64_t>(((a.v[2] >> 58) | (a.v[3] << 6)) & kMask62),
              static_cast<int64_t>(a.v[3] >> 56)}};
}

// divsteps62 runs 62 divsteps on the low 64 bits of f (odd) and g, which decide them all, and
// returns the new δ and the matrix. Row (u, v) belongs to f and (q, r) to g; instead of halving
// g each step, the f row is doubled, which keeps the entries integral.
inline int64_t divsteps62(int64_t delta, uint64_t f, uint64_t g, Matrix* t) {
  uint64_t u = 1, v = 0, q = 0, r = 1;
  for (int i = 0; i < 62; i++) {
    const uint64_t odd = 0 - (g & 1);
    // All-ones when δ > 0 and g is odd: then swap f and g and negate the new g, so that the
    // addition below computes g - f in place of g + f.
    const uint64_t swap = value_barrier_u64(static_cast<uint64_t>((-delta) >> 63) & odd);
    uint64_t x = (f ^ g) & swap;
    f ^= x;
    g ^= x;
    g = (g ^ swap) - swap;
    x = (u ^ q) & swap;
    u ^= x;
    q ^= x;
    q = (q ^ swap) - swap;
    x = (v ^ r) & swap;
    v ^= x;
    r ^= x;
    r = (r ^ swap) - swap;
    delta = static_cast<int64_t>((static_cast<uint64_t>(delta) ^ swap) - swap);
    g += f & odd;
    q += u & odd;
    r += v & odd;
    delta += 1;
    g >>= 1;
    u <<= 1;
    v <<= 1;
  }
  t->u = static_cast<int64_t>(u);
  t->v = static_cast<int64_t>(v);
  t->q = static_cast<int64_t>(q);
  t->r = static_cast<int64_t>(r);
  return delta;
}

// update_fg: (f, g) <- (u·f + v·g, q·f + r·g) / 2^62 (exact: the low 62 bits are zero).
inline void update_fg(S62* f, S62* g, const Matrix& t) {
  i128 cf = static_cast<i128>(t.u) * f->v[0] + static_cast<i128>(t.v) * g->v[0];
  i128 cg = static_cast<i128>(t.q) * f->v[0] + static_cast<i128>(t.r) * g->v[0];
  cf >>= 62;
  cg >>= 62;
  for (int i = 1; i < 5; i++) {
    cf += static_cast<i128>(t.u) * f->v[i] + static_cast<i128>(t.v) * g->v[i];
    cg += static_cast<i128>(t.q) * f->v[i] + static_cast<i128>(t.r) * g->v[i];
    f->v[i - 1] = static_cast<int64_t>(static_cast<uint64_t>(cf) & kMask62);
    g->v[i - 1] = static_cast<int64_t>(static_cast<uint64_t>(cg) & kMask62);
    cf >>= 62;
    cg >>= 62;
  }
  f->v[4] = static_cast<int64_t>(cf);
  g->v[4] = static_cast<int64_t>(cg);
}

// update_de: (d, e) <- (u·d + v·e + kd·m, q·d + r·e + ke·m) / 2^62, with kd, ke in
// [-2^61, 2^61) chosen to clear the low 62 bits. If |d|, |e| <= B then the new ones are at most
// B + m/2, so from d = 0, e = 1 twelve batches keep them below 7m.
inline void update_de(S62* d, S62* e, const Matrix& t, const S62& m, uint64_t minv62) {
  const uint64_t d0 = static_cast<uint64_t>(t.u) * static_cast<uint64_t>(d->v[0]) +
                      static_cast<uint64_t>(t.v) * static_cast<uint64_t>(e->v[0]);
  const uint64_t e0 = static_cast<uint64_t>(t.q) * static_cast<uint64_t>(d->v[0]) +
                      static_cast<uint64_t>(t.r) * static_cast<uint64_t>(e->v[0]);
  // kd ≡ -(u·d + v·e)·m^-1 (mod 2^62), sign-extended from 62 bits.
  const int64_t kd = static_cast<int64_t>((0 - d0 * minv62) << 2) >> 2;
  const int64_t ke = static_cast<int64_t>((0 - e0 * minv62) << 2) >> 2;
  i128 cd = static_cast<i128>(t.u) * d->v[0] + static_cast<i128>(t.v) * e->v[0] +
            static_cast<i128>(kd) * m.v[0];
  i128 ce = static_cast<i128>(t.q) * d->v[0] + static_cast<i128>(t.r) * e->v[0] +
            static_cast<i128>(ke) * m.v[0];
  cd >>= 62;
  ce >>= 62;
  for (int i = 1; i < 5; i++) {
    cd += static_cast<i128>(t.u) * d->v[i] + static_cast<i128>(t.v) * e->v[i] +
          static_cast<i128>(kd) * m.v[i];
    ce += static_cast<i128>(t.q) * d->v[i] + static_cast<i128>(t.r) * e->v[i] +
          static_cast<i128>(ke) * m.v[i];
    d->v[i - 1] = static_cast<int64_t>(static_cast<uint64_t>(cd) & kMask62);
    e->v[i - 1] = static_cast<int64_t>(static_cast<uint64_t>(ce) & kMask62);
    cd >>= 62;
    ce >>= 62;
  }
  d->v[4] = static_cast<int64_t>(cd);
  e->v[4] = static_cast<int64_t>(ce);
}

// A 320-bit two's-complement integer, for the final reduction.
struct W320 {
  uint64_t v[5];
};

inline W320 to_w320(const S62& a) {
  uint64_t l[5];
  for (int i = 0; i < 5; i++) l[i] = static_cast<uint64_t>(a.v[i]);
  return W320{{l[0] | (l[1] << 62), (l[1] >> 2) | (l[2] << 60), (l[2] >> 4) | (l[3] << 58),
               (l[3] >> 6) | (l[4] << 56), static_cast<uint64_t>(a.v[4] >> 8)}};
}

// times_pow2: m·2^k as a 320-bit integer, for m < 2^256 and 0 <= k < 64.
constexpr W320 times_pow2(const Fe& m, int k) {
  if (k == 0) return W320{{m.v[0], m.v[1], m.v[2], m.v[3], 0}};
  return W320{{m.v[0] << k, (m.v[1] << k) | (m.v[0] >> (64 - k)), (m.v[2] << k) | (m.v[1] >> (64 - k)),
               (m.v[3] << k) | (m.v[2] >> (64 - k)), m.v[3] >> (64 - k)}};
}

// r = a + (b & mask) as 320-bit integers.
inline void add_masked(W320* a, const W320& b, uint64_t mask) {
  u128 c = 0;
  for (int i = 0; i < 5; i++) {
    c += static_cast<u128>(a->v[i]) + (b.v[i] & mask);
    a->v[i] = static_cast<uint64_t>(c);
    c >>= 64;
  }
}

// a = a - b unless that is negative.
inline void sub_if_nonnegative(W320* a, const W320& b) {
  W320 t;
  uint64_t borrow = 0;
  for (int i = 0; i < 5; i++) {
    const u128 x = static_cast<u128>(a->v[i]) - b.v[i] - borrow;
    t.v[i] = static_cast<uint64_t>(x);
    borrow = static_cast<uint64_t>(x >> 64) & 1;
  }
  // Both are below 2^319, so the sign of the 320-bit difference is its top bit.
  const uint64_t keep = value_barrier_u64(0 - (t.v[4] >> 63));
  for (int i = 0; i < 5; i++) a->v[i] = (a->v[i] & keep) | (t.v[i] & ~keep);
}

}  // namespace modinv_detail

// ct_modinv: r = a^-1 mod m (m = P::kM) for a plain integer 0 <= a < m, m odd and gcd(a, m) = 1 (any a != 0
// when m is prime); r = 0 for a = 0. Constant time.
template <class P>
inline void ct_modinv(Fe* r, const Fe* a) {
  using namespace modinv_detail;
  constexpr Fe kModulus = P::kM;
  static_assert((kModulus.v[0] & 1) == 1, "the modulus must be odd");
  constexpr uint64_t minv62 = inv62(kModulus.v[0]);
  constexpr S62 m = from_fe(kModulus);
  S62 f = m, g = from_fe(*a);
  S62 d{{0, 0, 0, 0, 0}}, e{{1, 0, 0, 0, 0}};
  int64_t delta = 1;
  for (int batch = 0; batch < 12; batch++) {
    Matrix t;
    delta = divsteps62(delta, static_cast<uint64_t>(f.v[0]) | (static_cast<uint64_t>(f.v[1]) << 62),
                       static_cast<uint64_t>(g.v[0]) | (static_cast<uint64_t>(g.v[1]) << 62), &t);
    update_fg(&f, &g, t);
    update_de(&d, &e, t, m, minv62);
  }
  // Now g = 0 and f = ±1 (for a = 0: f = ±m and d = 0). a^-1 ≡ f·d with |d| < 7m.
  W320 x = to_w320(d);
  const uint64_t f_negative = value_barrier_u64(0 - (static_cast<uint64_t>(f.v[4]) >> 63));
  for (int i = 0; i < 5; i++) x.v[i] ^= f_negative;
  add_masked(&x, W320{{1, 0, 0, 0, 0}}, f_negative);  // -x = ~x + 1
  // x in (-7m, 7m): add 8m if negative, giving [0, 8m); then subtract 4m, 2m and m where
  // that leaves a non-negative number.
  constexpr W320 m1 = times_pow2(kModulus, 0), m2 = times_pow2(kModulus, 1);
  constexpr W320 m4 = times_pow2(kModulus, 2), m8 = times_pow2(kModulus, 3);
  add_masked(&x, m8, value_barrier_u64(0 - (x.v[4] >> 63)));
  sub_if_nonnegative(&x, m4);
  sub_if_nonnegative(&x, m2);
  sub_if_nonnegative(&x, m1);
  for (int i = 0; i < 4; i++) r->v[i] = x.v[i];
  secure_zero(&f, sizeof(f));
  secure_zero(&g, sizeof(g));
  secure_zero(&d, sizeof(d));
  secure_zero(&e, sizeof(e));
  secure_zero(&x, sizeof(x));
}

}  // namespace guomi

#endif  // GUOMI_CORE_MODINV_H_
