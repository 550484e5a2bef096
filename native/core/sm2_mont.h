// sm2_mont.h — Montgomery arithmetic modulo any odd 256-bit number given by a parameter struct.
//
// Used for the scalars mod n, for the Fp-256 test curve of GB/T 32918.2-2016 Annex A (tests only)
// and as the structure the specialised SM2 field (sm2_fp.h) follows. Montgomery form is
// a·R mod m with R = 2^256; multiplication is word-by-word Montgomery (CIOS) with a single
// masked final subtraction, so no branch depends on the operands.
//
// A parameter struct P provides:
//   static constexpr Fe kM;   // the modulus, odd, 2^255 <= m < 2^256 not required but m > 2^192
// and MontConstants<P> derives the rest at compile time.
#ifndef GUOMI_CORE_SM2_MONT_H_
#define GUOMI_CORE_SM2_MONT_H_

#include <cstdint>

#include "modinv.h"
#include "sm2_fe.h"

namespace guomi {

namespace mont_detail {

// Constant-expression helpers used only to derive the Montgomery constants at compile time.
constexpr bool ge(const Fe& a, const Fe& b) {
  for (int i = 3; i >= 0; i--) {
    if (a.v[i] != b.v[i]) return a.v[i] > b.v[i];
  }
  return true;
}

constexpr Fe sub(const Fe& a, const Fe& b) {
  Fe r{};
  uint64_t borrow = 0;
  for (int i = 0; i < 4; i++) {
    const uint64_t d = a.v[i] - b.v[i] - borrow;
    borrow = (a.v[i] < b.v[i]) || (a.v[i] - b.v[i] < borrow) ? 1 : 0;
    r.v[i] = d;
  }
  return r;
}

// double_mod returns 2a mod m for a < m.
constexpr Fe double_mod(const Fe& a, const Fe& m) {
  const uint64_t top = a.v[3] >> 63;
  Fe r{{a.v[0] << 1, (a.v[1] << 1) | (a.v[0] >> 63), (a.v[2] << 1) | (a.v[1] >> 63),
        (a.v[3] << 1) | (a.v[2] >> 63)}};
  if (top || ge(r, m)) r = sub(r, m);
  return r;
}

// pow2_mod returns 2^e mod m.
constexpr Fe pow2_mod(int e, const Fe& m) {
  Fe r{{1, 0, 0, 0}};
  for (int i = 0; i < e; i++) r = double_mod(r, m);
  return r;
}

// neg_inv64 returns -m0^-1 mod 2^64 by Newton iteration (each step doubles the correct bits).
constexpr uint64_t neg_inv64(uint64_t m0) {
  uint64_t x = 1;
  for (int i = 0; i < 7; i++) x *= 2 - m0 * x;
  return 0 - x;
}

}  // namespace mont_detail

template <class P>
struct MontConstants {
  static constexpr Fe kM = P::kM;
  static constexpr uint64_t kK0 = mont_detail::neg_inv64(P::kM.v[0]);
  static constexpr Fe kOne = mont_detail::pow2_mod(256, P::kM);  // R mod m
  static constexpr Fe kR2 = mont_detail::pow2_mod(512, P::kM);   // R^2 mod m
  static constexpr Fe kR3 = mont_detail::pow2_mod(768, P::kM);   // R^3 mod m
};

// mont_mul_generic: r = a·b·R^-1 mod m for a, b < m (CIOS, Koç et al. 1996).
template <class P>
inline void mont_mul_generic(Fe* r, const Fe* a, const Fe* b) {
  constexpr Fe m = P::kM;
  constexpr uint64_t k0 = MontConstants<P>::kK0;
  uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
  for (int i = 0; i < 4; i++) {
    const uint64_t bi = b->v[i];
    u128 c = static_cast<u128>(a->v[0]) * bi + t0;
    t0 = static_cast<uint64_t>(c);
    c = static_cast<u128>(a->v[1]) * bi + t1 + static_cast<uint64_t>(c >> 64);
    t1 = static_cast<uint64_t>(c);
    c = static_cast<u128>(a->v[2]) * bi + t2 + static_cast<uint64_t>(c >> 64);
    t2 = static_cast<uint64_t>(c);
    c = static_cast<u128>(a->v[3]) * bi + t3 + static_cast<uint64_t>(c >> 64);
    t3 = static_cast<uint64_t>(c);
    c = static_cast<u128>(t4) + static_cast<uint64_t>(c >> 64);
    t4 = static_cast<uint64_t>(c);
    const uint64_t t5 = static_cast<uint64_t>(c >> 64);

    // Add q·m with q chosen so that the low limb vanishes, then shift down one limb.
    const uint64_t q = t0 * k0;
    c = static_cast<u128>(q) * m.v[0] + t0;
    c = static_cast<u128>(q) * m.v[1] + t1 + static_cast<uint64_t>(c >> 64);
    t0 = static_cast<uint64_t>(c);
    c = static_cast<u128>(q) * m.v[2] + t2 + static_cast<uint64_t>(c >> 64);
    t1 = static_cast<uint64_t>(c);
    c = static_cast<u128>(q) * m.v[3] + t3 + static_cast<uint64_t>(c >> 64);
    t2 = static_cast<uint64_t>(c);
    c = static_cast<u128>(t4) + static_cast<uint64_t>(c >> 64);
    t3 = static_cast<uint64_t>(c);
    t4 = t5 + static_cast<uint64_t>(c >> 64);
  }
  // The running value stays below 2m, so one masked subtraction finishes the reduction.
  const Fe t{{t0, t1, t2, t3}};
  fe_reduce_once(r, &t, t4, &m);
}

// MontField is the arithmetic of one modulus. Every function takes and returns values in
// Montgomery form unless its name says otherwise.
template <class P>
struct MontField {
  static constexpr Fe kM = P::kM;
  static constexpr Fe kOne = MontConstants<P>::kOne;
  static constexpr Fe kR2 = MontConstants<P>::kR2;

  static void mul(Fe* r, const Fe* a, const Fe* b) { mont_mul_generic<P>(r, a, b); }
  static void sqr(Fe* r, const Fe* a) { mont_mul_generic<P>(r, a, a); }
  static void add(Fe* r, const Fe* a, const Fe* b) { fe_mod_add(r, a, b, &kM); }
  static void sub(Fe* r, const Fe* a, const Fe* b) { fe_mod_sub(r, a, b, &kM); }
  static void neg(Fe* r, const Fe* a) {
    Fe z;
    fe_set_zero(&z);
    fe_mod_sub(r, &z, a, &kM);
  }

  // to_mont: r = a·R mod m for a < m (a plain integer).
  static void to_mont(Fe* r, const Fe* a) { mont_mul_generic<P>(r, a, &kR2); }
  // from_mont: the plain integer a·R^-1 mod m.
  static void from_mont(Fe* r, const Fe* a) {
    const Fe one{{1, 0, 0, 0}};
    mont_mul_generic<P>(r, a, &one);
  }

  // from_bytes reads a big-endian integer and returns an all-ones mask if it is < m (then r is
  // its Montgomery form); otherwise r is unspecified.
  static uint64_t from_bytes(Fe* r, const uint8_t in[32]) {
    Fe a;
    fe_from_be32(&a, in);
    const uint64_t ok = fe_lt_mask(&a, &kM);
    to_mont(r, &a);
    return ok;
  }

  static void to_bytes(uint8_t out[32], const Fe* a) {
    Fe t;
    from_mont(&t, a);
    fe_to_be32(out, &t);
  }

  // pow_public: r = a^e for a public exponent e, by a fixed 4-bit window. The sequence of
  // squarings and multiplications depends only on e, so this is a fixed addition chain for a
  // given e and its timing does not depend on a.
  static void pow_public(Fe* r, const Fe* a, const Fe* e) {
    Fe table[16];
    table[0] = kOne;
    table[1] = *a;
    for (int i = 2; i < 16; i++) mul(&table[i], &table[i - 1], a);
    Fe acc = kOne;
    for (int i = 63; i >= 0; i--) {
      for (int s = 0; s < 4; s++) sqr(&acc, &acc);
      const unsigned nibble = static_cast<unsigned>((e->v[i / 16] >> (4 * (i % 16))) & 15);
      mul(&acc, &acc, &table[nibble]);  // index from the public exponent only
    }
    *r = acc;
    secure_zero(table, sizeof(table));
  }

  // inv: r = a^-1 for prime m; a = 0 gives 0. The divsteps of modinv.h invert the plain value
  // a·R, giving a^-1·R^-1, and one Montgomery multiplication by R^3 brings that to a^-1·R.
  static void inv(Fe* r, const Fe* a) {
    Fe t;
    ct_modinv<P>(&t, a);
    constexpr Fe r3 = MontConstants<P>::kR3;
    mont_mul_generic<P>(r, &t, &r3);
    secure_zero(&t, sizeof(t));
  }

  // inv_fermat: r = a^(m-2) = a^-1 for prime m, as inv (kept as the reference the differential
  // test checks inv against).
  static void inv_fermat(Fe* r, const Fe* a) {
    const Fe two{{2, 0, 0, 0}};
    const Fe e = mont_detail::sub(kM, two);
    pow_public(r, a, &e);
  }

  // sqrt_candidate: r = a^((m+1)/4), a square root of a if one exists, for a prime m ≡ 3 mod 4.
  // The caller checks r^2 == a.
  static void sqrt_candidate(Fe* r, const Fe* a) {
    static_assert((P::kM.v[0] & 3) == 3, "sqrt_candidate needs m = 3 mod 4");
    // (m+1)/4 = (m >> 2) + 1, since m ≡ 3 mod 4.
    Fe e{{(kM.v[0] >> 2) | (kM.v[1] << 62), (kM.v[1] >> 2) | (kM.v[2] << 62),
          (kM.v[2] >> 2) | (kM.v[3] << 62), kM.v[3] >> 2}};
    const Fe one{{1, 0, 0, 0}};
    fe_add_raw(&e, &e, &one);
    pow_public(r, a, &e);
  }
};

}  // namespace guomi

#endif  // GUOMI_CORE_SM2_MONT_H_
