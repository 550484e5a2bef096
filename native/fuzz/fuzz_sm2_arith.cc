// fuzz_sm2_arith.cc — differential fuzzing of the SM2 arithmetic on fuzzer-chosen operands:
//   * the field mod p: portable (sm2_fp.h), BMI2/ADX (sm2_fp_adx.h, when the CPU has it) and the
//     generic Montgomery field (sm2_mont.h) against a slow reference written here (32-bit limbs,
//     schoolbook products, reduction by long division): mul, sqr, add, sub, neg, inv (a·inv(a) =
//     1), the square root candidate (it squares back exactly for the squares, by Euler's
//     criterion), and the byte conversions (with the < p range check);
//   * the scalars mod n (Sm2Fn) against the same reference: mul, add, sub, neg, inv;
//   * the scalar multiplications, for any 256-bit k (including 0, n and above): constant-time
//     window, split-table (constant and variable time), w-NAF, the double-scalar w-NAF, and the
//     fixed-base comb (constant and variable time), each on the portable and the ADX field —
//     every result must be the same point.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "../core/cpu.h"
#include "../core/sm2_base_table.h"
#include "../core/sm2_curves.h"
#include "../core/sm2_fp.h"
#include "../core/sm2_mult.h"
#include "../core/sm2_point.h"
#if defined(__x86_64__)
#include "../core/sm2_fp_adx.h"
#endif
#include "fuzz_util.h"

using namespace guomi;
using guomi_fuzz::Reader;

namespace {

// --- reference arithmetic: 8 little-endian 32-bit limbs ---
typedef std::array<uint32_t, 8> U;

U from_fe(const Fe& a) {
  U r;
  for (int i = 0; i < 4; i++) r[2 * i] = static_cast<uint32_t>(a.v[i]), r[2 * i + 1] = static_cast<uint32_t>(a.v[i] >> 32);
  return r;
}
Fe to_fe(const U& a) {
  Fe r;
  for (int i = 0; i < 4; i++) r.v[i] = a[2 * i] | (static_cast<uint64_t>(a[2 * i + 1]) << 32);
  return r;
}
int cmp(const U& a, const U& b) {
  for (int i = 7; i >= 0; i--)
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}
void sub_in_place(U& a, const U& b) {
  int64_t borrow = 0;
  for (int i = 0; i < 8; i++) {
    const int64_t d = static_cast<int64_t>(a[i]) - b[i] - borrow;
    borrow = d < 0;
    a[i] = static_cast<uint32_t>(d);
  }
}
U mod_wide(const uint32_t x[16], const U& m) {
  U r{};
  for (int bit = 511; bit >= 0; bit--) {
    const uint32_t top = r[7] >> 31;
    for (int i = 7; i > 0; i--) r[i] = (r[i] << 1) | (r[i - 1] >> 31);
    r[0] = (r[0] << 1) | ((x[bit / 32] >> (bit % 32)) & 1);
    if (top || cmp(r, m) >= 0) sub_in_place(r, m);
  }
  return r;
}
U mulmod(const U& a, const U& b, const U& m) {
  uint32_t t[16] = {0};
  for (int i = 0; i < 8; i++) {
    uint64_t carry = 0;
    for (int j = 0; j < 8; j++) {
      const uint64_t v = static_cast<uint64_t>(a[i]) * b[j] + t[i + j] + carry;
      t[i + j] = static_cast<uint32_t>(v);
      carry = v >> 32;
    }
    t[i + 8] = static_cast<uint32_t>(carry);
  }
  return mod_wide(t, m);
}
U addmod(const U& a, const U& b, const U& m) {
  uint32_t t[16] = {0};
  uint64_t carry = 0;
  for (int i = 0; i < 8; i++) {
    carry += static_cast<uint64_t>(a[i]) + b[i];
    t[i] = static_cast<uint32_t>(carry);
    carry >>= 32;
  }
  t[8] = static_cast<uint32_t>(carry);
  return mod_wide(t, m);
}
U reduce(const U& a, const U& m) {
  uint32_t t[16] = {0};
  for (int i = 0; i < 8; i++) t[i] = a[i];
  return mod_wide(t, m);
}
U negmod(const U& a, const U& m) {
  if (cmp(a, U{}) == 0) return a;
  U r = m;
  sub_in_place(r, a);
  return r;
}
// r_mod: R = 2^256 mod m, and the Montgomery conversions through it.
U r_mod(const U& m) {
  uint32_t t[16] = {0};
  t[8] = 1;
  return mod_wide(t, m);
}
U read_u(const uint8_t b[32]) {
  Fe f;
  fe_from_be32(&f, b);
  return from_fe(f);
}

bool same_fe(const Fe& a, const Fe& b) { return std::memcmp(&a, &b, sizeof(Fe)) == 0; }

// check_field: the Montgomery field F on plain operands a, b (< m) against the reference.
template <class F>
void check_field(const char* name, const U& a, const U& b, const U& m, bool check_inv) {
  const U R = r_mod(m);
  const Fe pa = to_fe(a), pb = to_fe(b);
  Fe ma, mb, r;
  F::to_mont(&ma, &pa);
  F::to_mont(&mb, &pb);
  FUZZ_CHECK(cmp(from_fe(ma), mulmod(a, R, m)) == 0, name);
  auto plain = [](const Fe& x) {
    Fe t;
    F::from_mont(&t, &x);
    return from_fe(t);
  };
  F::mul(&r, &ma, &mb);
  FUZZ_CHECK(cmp(plain(r), mulmod(a, b, m)) == 0, name);
  F::sqr(&r, &ma);
  FUZZ_CHECK(cmp(plain(r), mulmod(a, a, m)) == 0, name);
  F::add(&r, &ma, &mb);
  FUZZ_CHECK(cmp(plain(r), addmod(a, b, m)) == 0, name);
  F::sub(&r, &ma, &mb);
  FUZZ_CHECK(cmp(plain(r), addmod(a, negmod(b, m), m)) == 0, name);
  F::neg(&r, &ma);
  FUZZ_CHECK(cmp(plain(r), negmod(a, m)) == 0, name);
  if (check_inv) {
    // a · inv(a) = 1 by the reference multiplication (inv(0) = 0).
    F::inv(&r, &ma);
    const U one{{1, 0, 0, 0, 0, 0, 0, 0}};
    const U prod = mulmod(a, plain(r), m);
    FUZZ_CHECK(cmp(a, U{}) == 0 ? cmp(plain(r), U{}) == 0 : cmp(prod, one) == 0, name);
  }
}

template <class C>
struct Mults {
  using P = PointOps<C>;
  using M = ScalarMult<C>;

  // to_bytes: 04||x||y of a Jacobian point, or 65 zero bytes for infinity.
  static std::array<uint8_t, 65> enc(const JacobianPoint& j) {
    std::array<uint8_t, 65> out{};
    AffinePoint a;
    if (P::jacobian_to_affine(&a, &j)) return out;
    out[0] = 4;
    C::F::to_bytes(out.data() + 1, &a.x);
    C::F::to_bytes(out.data() + 33, &a.y);
    return out;
  }

  // Every multiplication of k by Q = [q]G, and of k by G, must agree with each other.
  static void run(const Fe& k, const Fe& k2, const Fe& q, std::array<uint8_t, 65> out[3]) {
    const AffinePoint g{C::kGx, C::kGy};
    JacobianPoint jq;
    M::mul_ct(&jq, &q, &g);
    AffinePoint qa;
    if (P::jacobian_to_affine(&qa, &jq)) qa = g;  // q = 0 mod n: use G itself
    // [k]Q, five ways.
    JacobianPoint j;
    M::mul_ct(&j, &k, &qa);
    out[0] = enc(j);
    static AffinePoint split[4][16];
    M::split_tables(split, &qa);
    M::mul_split_ct(&j, &k, split);
    FUZZ_CHECK(enc(j) == out[0], "mul_split_ct == mul_ct");
    M::mul_split_vartime(&j, &k, split);
    FUZZ_CHECK(enc(j) == out[0], "mul_split_vartime == mul_ct");
    AffinePoint odd_q[8], odd_g[8];
    M::odd_multiples(odd_q, &qa);
    M::mul_wnaf_vartime(&j, &k, odd_q);
    FUZZ_CHECK(enc(j) == out[0], "mul_wnaf_vartime == mul_ct");
    // [k]G, three ways.
    M::mul_ct(&j, &k, &g);
    out[1] = enc(j);
    ProjectivePoint pp;
    M::mul_base_comb_ct(&pp, &k, sm2_base_table());
    AffinePoint a;
    std::array<uint8_t, 65> comb{};
    if (!P::projective_to_affine(&a, &pp)) {
      comb[0] = 4;
      C::F::to_bytes(comb.data() + 1, &a.x);
      C::F::to_bytes(comb.data() + 33, &a.y);
    }
    FUZZ_CHECK(comb == out[1], "mul_base_comb_ct == mul_ct(G)");
    M::mul_base_comb_vartime(&j, &k, sm2_base_table());
    FUZZ_CHECK(enc(j) == out[1], "mul_base_comb_vartime == mul_ct(G)");
    // [k2]G + [k]Q with Shamir's trick, against the sum of the two single multiplications.
    M::odd_multiples(odd_g, &g);
    M::mul2_wnaf_vartime(&j, &k2, odd_g, &k, odd_q);
    out[2] = enc(j);
    JacobianPoint a1, a2, sum;
    M::mul_ct(&a1, &k2, &g);
    M::mul_ct(&a2, &k, &qa);
    P::add_ct(&sum, &a1, &a2);
    FUZZ_CHECK(enc(sum) == out[2], "mul2_wnaf_vartime == [k2]G + [k]Q");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader r(data, size);
  uint8_t ab[32], bb[32], kb[32], k2b[32], qb[32];
  const uint8_t sel = r.u8();
  r.bytes(ab, 32);
  r.bytes(bb, 32);
  r.bytes(kb, 32);
  r.bytes(k2b, 32);
  r.bytes(qb, 32);
  const U p = from_fe(Sm2PParams::kM), n = from_fe(Sm2NParams::kM);

  // Byte conversion and its range check, on the raw operand.
  {
    Fe f;
    const uint64_t ok = Sm2FpPortable::from_bytes(&f, ab);
    FUZZ_CHECK((ok != 0) == (cmp(read_u(ab), p) < 0), "from_bytes range check");
    if (ok) {
      uint8_t back[32];
      Sm2FpPortable::to_bytes(back, &f);
      FUZZ_CHECK(std::memcmp(back, ab, 32) == 0, "to_bytes(from_bytes(x)) == x");
    }
  }
  // Field and scalar operations on operands reduced below the modulus, or (by |sel|) on edge
  // values: 0, 1, 2, m - 1, m - 2, (m - 1) / 2, 2^64 - 1, 2^255 mod m.
  auto edge = [](const U& m, int i) {
    U v{};
    switch (i & 7) {
      case 0: break;
      case 1: v[0] = 1; break;
      case 2: v[0] = 2; break;
      case 3: v = m, sub_in_place(v, U{{1, 0, 0, 0, 0, 0, 0, 0}}); break;
      case 4: v = m, sub_in_place(v, U{{2, 0, 0, 0, 0, 0, 0, 0}}); break;
      case 5:
        v = m;
        for (int j = 0; j < 7; j++) v[j] = (v[j] >> 1) | (v[j + 1] << 31);
        v[7] >>= 1;
        break;
      case 6: v[0] = v[1] = ~0u; break;
      default: v[7] = 0x80000000u, v = reduce(v, m); break;
    }
    return v;
  };
  U a = reduce(read_u(ab), p), b = reduce(read_u(bb), p);
  U an = reduce(read_u(ab), n), bn = reduce(read_u(bb), n);
  if (sel & 0x80) a = edge(p, sel >> 3), an = edge(n, sel >> 3);
  if (sel & 0x40) b = edge(p, sel), bn = edge(n, sel);
  check_field<Sm2FpPortable>("fp portable", a, b, p, true);
  check_field<MontField<Sm2PParams>>("fp generic", a, b, p, true);
#if defined(__x86_64__)
  const bool adx = cpu_has(kCpuBMI2 | kCpuADX);
  if (adx) check_field<Sm2FpAdx>("fp bmi2+adx", a, b, p, true);
#endif
  check_field<Sm2Fn>("fn", an, bn, n, true);
  // Square roots: the candidate squares back to a exactly when a is a square (Euler).
  {
    Fe ma, s, s2;
    const Fe pa = to_fe(a);
    Sm2FpPortable::to_mont(&ma, &pa);
    Sm2FpPortable::sqrt_candidate(&s, &ma);
    Sm2FpPortable::sqr(&s2, &s);
    // Euler's criterion a^((p-1)/2) by the generic fixed-window exponentiation (another code
    // path than the addition chain of sqrt_candidate).
    U e = p;
    sub_in_place(e, U{{1, 0, 0, 0, 0, 0, 0, 0}});
    for (int i = 0; i < 7; i++) e[i] = (e[i] >> 1) | (e[i + 1] << 31);
    e[7] >>= 1;
    Fe euler;
    const Fe fe_e = to_fe(e);
    MontField<Sm2PParams>::pow_public(&euler, &ma, &fe_e);
    const bool square = cmp(a, U{}) == 0 || same_fe(euler, Sm2FpPortable::kOne);
    FUZZ_CHECK(same_fe(s2, ma) == square, "sqrt_candidate finds exactly the squares");
#if defined(__x86_64__)
    if (adx) {
      Fe s_adx;
      Sm2FpAdx::sqrt_candidate(&s_adx, &ma);
      FUZZ_CHECK(same_fe(s_adx, s), "sqrt portable == adx");
    }
#endif
  }

  // Scalar multiplications: any 256-bit k.
  Fe k, k2, q;
  fe_from_be32(&k, kb);
  fe_from_be32(&k2, k2b);
  fe_from_be32(&q, qb);
  std::array<uint8_t, 65> portable[3];
  Mults<Sm2CurvePortable>::run(k, k2, q, portable);
#if defined(__x86_64__)
  if (adx) {
    std::array<uint8_t, 65> fast[3];
    Mults<CurveTraits<Sm2FpAdx, Sm2Fn, Sm2CurveConstants, true, true>>::run(k, k2, q, fast);
    for (int i = 0; i < 3; i++) FUZZ_CHECK(fast[i] == portable[i], "adx curve == portable curve");
  }
#endif
  return 0;
}
