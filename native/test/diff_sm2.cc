// diff_sm2.cc — differential test of the SM2 arithmetic against a slow, obviously-correct
// reference on random and edge-case inputs: the field mod p (portable, BMI2/ADX and AArch64), the
// scalars mod n, the test curve's generic Montgomery fields, point additions in every
// exceptional case (complete, masked and mixed), and the fixed-base comb, constant-time window,
// split-table, w-NAF and variable-time comb multiplications.
//
// The reference shares no code with the core: 32-bit-limb schoolbook products, reduction by
// bitwise long division, affine points with Fermat inversion, double-and-add multiplication.
//
// Usage: diff_sm2 [iterations] [seed] [curves]
//   curves: run only the curve tests whose name contains this string (e.g. "armv8": under
//   emulation the reference scalar multiplications dominate the run time); the field tests
//   always run.
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "../core/cpu.h"
#include "../core/sm2_curves.h"
#include "../core/sm2_fp.h"
#include "../core/sm2_impl.h"
#include "../core/sm2_mult.h"
#include "../core/sm2_point.h"
#if defined(__x86_64__)
#include "../core/sm2_fp_adx.h"
#endif

namespace {

using guomi::Fe;
typedef std::array<uint32_t, 8> U;  // little-endian 32-bit limbs

int g_failures = 0;
uint64_t g_rng;

uint64_t rnd() {  // splitmix64
  uint64_t z = (g_rng += 0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

U from_fe(const Fe& a) {
  U r;
  for (int i = 0; i < 4; i++) {
    r[2 * i] = static_cast<uint32_t>(a.v[i]);
    r[2 * i + 1] = static_cast<uint32_t>(a.v[i] >> 32);
  }
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

// sub_in_place: a -= b (a >= b).
void sub_in_place(U& a, const U& b) {
  int64_t borrow = 0;
  for (int i = 0; i < 8; i++) {
    int64_t d = static_cast<int64_t>(a[i]) - b[i] - borrow;
    borrow = d < 0;
    a[i] = static_cast<uint32_t>(d);
  }
}

// mod_wide: (512-bit x, 16 limbs) mod m by shift-and-subtract, one bit at a time.
U mod_wide(const uint32_t x[16], const U& m) {
  U r{};
  for (int bit = 511; bit >= 0; bit--) {
    // r = 2r + bit; r < m before, so 2r + 1 < 2m fits in 257 bits: track the carry.
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

U submod(const U& a, const U& b, const U& m) {
  U nb = b;
  if (cmp(nb, U{}) != 0) {
    nb = m;
    sub_in_place(nb, b);
  }
  return addmod(a, nb, m);
}

U powmod(const U& a, const U& e, const U& m) {
  U r{};
  r[0] = 1;
  for (int bit = 255; bit >= 0; bit--) {
    r = mulmod(r, r, m);
    if ((e[bit / 32] >> (bit % 32)) & 1) r = mulmod(r, a, m);
  }
  return r;
}

U small(uint32_t v) {
  U r{};
  r[0] = v;
  return r;
}

U inv(const U& a, const U& m) {
  U e = m;
  sub_in_place(e, small(2));
  return powmod(a, e, m);
}

// rinv: 2^-256 mod m.
U rinv(const U& m) {
  U two = small(2);
  U r = powmod(two, U{{0, 0, 0, 0, 0, 0, 0, 0}}, m);  // 1
  U inv2 = inv(two, m);
  for (int i = 0; i < 256; i++) r = mulmod(r, inv2, m);
  return r;
}

U random_below(const U& m) {
  for (;;) {
    Fe f{{rnd(), rnd(), rnd(), rnd()}};
    // Bias towards edge patterns now and then: limbs of all ones, zero, one, 2^63.
    const uint64_t shape = rnd();
    if ((shape & 3) == 0) {
      for (int i = 0; i < 4; i++) {
        const uint64_t pick = (shape >> (2 + 3 * i)) & 7;
        if (pick == 0) f.v[i] = ~uint64_t{0};
        if (pick == 1) f.v[i] = 0;
        if (pick == 2) f.v[i] = 1;
        if (pick == 3) f.v[i] = uint64_t{1} << 63;
      }
    }
    if ((shape & 3) == 1) {
      // Just below m: m - d with d < 2^(8·k), k from 1 to 24 bytes, so that sums and products
      // land near m and every final conditional subtraction is exercised at its boundary.
      const int bytes = 1 + static_cast<int>((shape >> 2) % 24);
      U d = from_fe(f);
      for (int i = 0; i < 8; i++) {
        const int keep = bytes * 8 - 32 * i;  // bits of limb i below 2^(8·bytes)
        d[i] = keep >= 32 ? d[i] : keep <= 0 ? 0 : d[i] & ((1u << keep) - 1);
      }
      if (cmp(d, U{}) == 0) continue;
      U u = m;
      sub_in_place(u, d);
      return u;
    }
    U u = from_fe(f);
    if (cmp(u, m) < 0) return u;
  }
}

void check(bool ok, const char* what, int iter) {
  if (!ok) {
    if (g_failures < 20) std::printf("FAIL %s (iteration %d)\n", what, iter);
    g_failures++;
  }
}

// Edge-case operands: 0, 1, 2, m-1, m-2, (m-1)/2, 2^64-1, 2^128, 2^255 mod m, m - 2^64.
void edge_values(const U& m, U out[10]) {
  out[0] = small(0);
  out[1] = small(1);
  out[2] = small(2);
  out[3] = m;
  sub_in_place(out[3], small(1));
  out[4] = m;
  sub_in_place(out[4], small(2));
  out[5] = out[3];
  for (int i = 0; i < 7; i++) out[5][i] = (out[5][i] >> 1) | (out[5][i + 1] << 31);
  out[5][7] >>= 1;
  out[6] = U{{~0u, ~0u, 0, 0, 0, 0, 0, 0}};
  out[7] = U{{0, 0, 0, 0, 1, 0, 0, 0}};
  U big{{0, 0, 0, 0, 0, 0, 0, 0x80000000u}};
  if (cmp(big, m) >= 0) sub_in_place(big, m);
  out[8] = big;
  out[9] = m;
  sub_in_place(out[9], U{{0, 0, 1, 0, 0, 0, 0, 0}});
}

// test_field checks a Montgomery field implementation F against the reference mod m.
template <class F>
void test_field(const char* name, int iters) {
  const U m = from_fe(F::kM);
  const U ri = rinv(m);
  U edges[10];
  edge_values(m, edges);
  const int before = g_failures;
  for (int it = 0; it < iters + 100; it++) {
    const U a = it < 100 ? edges[it % 10] : random_below(m);
    const U b = it < 100 ? edges[it / 10] : random_below(m);
    const Fe fa = to_fe(a), fb = to_fe(b);
    Fe r;
    F::mul(&r, &fa, &fb);
    check(cmp(from_fe(r), mulmod(mulmod(a, b, m), ri, m)) == 0, "mul", it);
    F::sqr(&r, &fa);
    check(cmp(from_fe(r), mulmod(mulmod(a, a, m), ri, m)) == 0, "sqr", it);
    F::add(&r, &fa, &fb);
    check(cmp(from_fe(r), addmod(a, b, m)) == 0, "add", it);
    F::sub(&r, &fa, &fb);
    check(cmp(from_fe(r), submod(a, b, m)) == 0, "sub", it);
    F::neg(&r, &fa);
    check(cmp(from_fe(r), submod(small(0), a, m)) == 0, "neg", it);
    if (it % 16 == 0) {
      // Montgomery inverse: (aR)^-1 R^2 = a^-1 R, i.e. inv(x) = x^-1 · R^2 as plain values.
      F::inv(&r, &fa);
      const U rr = mulmod(mulmod(small(1), inv(ri, m), m), inv(ri, m), m);  // R^2 mod m
      const U want = cmp(a, small(0)) == 0 ? small(0) : mulmod(inv(a, m), rr, m);
      check(cmp(from_fe(r), want) == 0, "inv", it);
    }
  }
  std::printf("%s %s: %d checks on %d operand pairs\n", g_failures == before ? "ok  " : "FAIL",
              name, 5 * (iters + 100) + (iters + 100) / 16, iters + 100);
}

// test_same: two implementations of the same field agree on random inputs (fast, many).
template <class F1, class F2>
void test_same(const char* name, int iters) {
  const U m = from_fe(F1::kM);
  const int before = g_failures;
  for (int it = 0; it < iters; it++) {
    const Fe a = to_fe(random_below(m)), b = to_fe(random_below(m));
    Fe r1, r2;
    F1::mul(&r1, &a, &b);
    F2::mul(&r2, &a, &b);
    check(std::memcmp(&r1, &r2, sizeof(r1)) == 0, "mul agree", it);
    F1::sqr(&r1, &a);
    F2::sqr(&r2, &a);
    check(std::memcmp(&r1, &r2, sizeof(r1)) == 0, "sqr agree", it);
  }
  std::printf("%s %s: %d operand pairs\n", g_failures == before ? "ok  " : "FAIL", name, iters);
}

// test_inverse: the divstep inversion (MontField::inv, modinv.h) against Fermat's a^(m-2) on
// random values, on values with long runs of zero or one bits (the divsteps' decisions come
// from the low bits, so those exercise the longest runs of halvings and swaps), and on the
// edge values.
template <class F>
void test_inverse(const char* name, int iters) {
  const U m = from_fe(F::kM);
  U edges[10];
  edge_values(m, edges);
  const int before = g_failures;
  for (int it = 0; it < iters; it++) {
    Fe a;
    if (it < 10) {
      a = to_fe(edges[it]);
    } else if (it < 10 + 256) {
      // 2^k mod m and 2^k - 1 mod m.
      U p = small(0);
      p[(it - 10) / 32] = 1u << ((it - 10) % 32);
      if (cmp(p, m) >= 0) sub_in_place(p, m);
      a = to_fe(p);
      if (it & 1) {
        Fe one{{1, 0, 0, 0}};
        fe_sub_raw(&a, &a, &one);
        if (cmp(from_fe(a), m) >= 0) continue;
      }
    } else if (it % 2 == 0) {
      a = to_fe(random_below(m));
    } else {
      // Runs of equal bits of random lengths.
      for (;;) {
        int bit = 0, value = static_cast<int>(rnd() & 1);
        fe_set_zero(&a);
        while (bit < 256) {
          const int run = 1 + static_cast<int>(rnd() % 40);
          for (int j = 0; j < run && bit < 256; j++, bit++) {
            if (value) a.v[bit / 64] |= uint64_t{1} << (bit % 64);
          }
          value ^= 1;
        }
        if (cmp(from_fe(a), m) < 0) break;
      }
    }
    Fe r1, r2;
    F::inv(&r1, &a);
    F::inv_fermat(&r2, &a);
    check(std::memcmp(&r1, &r2, sizeof(r1)) == 0, "inv == inv_fermat", it);
  }
  std::printf("%s %s: %d values\n", g_failures == before ? "ok  " : "FAIL", name, iters);
}

// test_same_structured: like test_same (and add, sub too), on operands whose limbs are mostly
// carry-heavy values (0, 1, all ones, 2^32 - 1, the limbs of p, ...), where a wrong carry or
// borrow in a hand-written chain is most likely to show.
template <class F1, class F2>
void test_same_structured(const char* name, int iters) {
  static const uint64_t kLimbs[] = {0,
                                    1,
                                    2,
                                    ~0ull,
                                    ~0ull - 1,
                                    0xffffffffull,
                                    0x100000000ull,
                                    0xffffffff00000000ull,
                                    0xfffffffeffffffffull,
                                    0xffffffff00000001ull,
                                    0x7fffffffffffffffull,
                                    0x8000000000000000ull};
  const U m = from_fe(F1::kM);
  auto operand = [&m]() {
    for (;;) {
      Fe f;
      for (int i = 0; i < 4; i++) {
        const uint64_t r = rnd();
        f.v[i] = (r & 7) == 0 ? rnd() : kLimbs[(r >> 8) % (sizeof(kLimbs) / sizeof(kLimbs[0]))];
      }
      if (cmp(from_fe(f), m) < 0) return f;
    }
  };
  const int before = g_failures;
  for (int it = 0; it < iters; it++) {
    const Fe a = operand(), b = operand();
    Fe r1, r2;
    F1::mul(&r1, &a, &b);
    F2::mul(&r2, &a, &b);
    check(std::memcmp(&r1, &r2, sizeof(r1)) == 0, "mul agree", it);
    F1::sqr(&r1, &a);
    F2::sqr(&r2, &a);
    check(std::memcmp(&r1, &r2, sizeof(r1)) == 0, "sqr agree", it);
    F1::add(&r1, &a, &b);
    F2::add(&r2, &a, &b);
    check(std::memcmp(&r1, &r2, sizeof(r1)) == 0, "add agree", it);
    F1::sub(&r1, &a, &b);
    F2::sub(&r2, &a, &b);
    check(std::memcmp(&r1, &r2, sizeof(r1)) == 0, "sub agree", it);
  }
  std::printf("%s %s: %d operand pairs\n", g_failures == before ? "ok  " : "FAIL", name, iters);
}

// --- reference curve arithmetic (affine, plain integers) ---

struct RefCurve {
  U p, a, b, n, gx, gy;
};

struct RefPoint {
  bool inf;
  U x, y;
};

RefPoint ref_add(const RefCurve& c, const RefPoint& P, const RefPoint& Q) {
  if (P.inf) return Q;
  if (Q.inf) return P;
  U l;
  if (cmp(P.x, Q.x) == 0) {
    if (cmp(addmod(P.y, Q.y, c.p), small(0)) == 0) return RefPoint{true, {}, {}};
    U num = addmod(addmod(mulmod(P.x, P.x, c.p), mulmod(P.x, P.x, c.p), c.p), mulmod(P.x, P.x, c.p), c.p);
    num = addmod(num, c.a, c.p);
    l = mulmod(num, inv(addmod(P.y, P.y, c.p), c.p), c.p);
  } else {
    l = mulmod(submod(Q.y, P.y, c.p), inv(submod(Q.x, P.x, c.p), c.p), c.p);
  }
  const U x3 = submod(submod(mulmod(l, l, c.p), P.x, c.p), Q.x, c.p);
  const U y3 = submod(mulmod(l, submod(P.x, x3, c.p), c.p), P.y, c.p);
  return RefPoint{false, x3, y3};
}

RefPoint ref_mul(const RefCurve& c, const U& k, const RefPoint& P) {
  RefPoint r{true, {}, {}};
  for (int bit = 255; bit >= 0; bit--) {
    r = ref_add(c, r, r);
    if ((k[bit / 32] >> (bit % 32)) & 1) r = ref_add(c, r, P);
  }
  return r;
}

template <class C>
RefCurve ref_curve(const Fe& a, const Fe& b, const Fe& gx, const Fe& gy) {
  return RefCurve{from_fe(C::F::kM), from_fe(a), from_fe(b), from_fe(C::N::kM), from_fe(gx),
                  from_fe(gy)};
}

template <class C>
guomi::AffinePoint to_affine_mont(const RefPoint& p) {
  guomi::AffinePoint r;
  const Fe x = to_fe(p.x), y = to_fe(p.y);
  C::F::to_mont(&r.x, &x);
  C::F::to_mont(&r.y, &y);
  return r;
}

template <class C>
bool same_point(const RefPoint& want, const guomi::JacobianPoint& got) {
  using P = guomi::PointOps<C>;
  if (guomi::fe_is_zero_mask(&got.z)) return want.inf;
  if (want.inf) return false;
  guomi::AffinePoint a;
  P::jacobian_to_affine(&a, &got);
  Fe x, y;
  C::F::from_mont(&x, &a.x);
  C::F::from_mont(&y, &a.y);
  return cmp(from_fe(x), want.x) == 0 && cmp(from_fe(y), want.y) == 0;
}

// Scalars that stress recodings: 1, 2, n-1, n-2, (n-1)/2, 2^k, runs of ones, and random.
U test_scalar(const RefCurve& c, int it) {
  U k{};
  switch (it) {
    case 0: return small(1);
    case 1: return small(2);
    case 2: k = c.n; sub_in_place(k, small(1)); return k;
    case 3: k = c.n; sub_in_place(k, small(2)); return k;
    case 4:
      k = c.n;
      sub_in_place(k, small(1));
      for (int i = 0; i < 7; i++) k[i] = (k[i] >> 1) | (k[i + 1] << 31);
      k[7] >>= 1;
      return k;
    case 5: k[7] = 0x40000000u; return k;          // 2^254
    case 6: k[4] = 1; return k;                    // 2^128
    case 7: return U{{~0u, ~0u, ~0u, ~0u, 0, 0, 0, 0}};  // 2^128 - 1
    case 8: return small(63);                      // a full top Booth window
    case 9: return small(32);
    default: return random_below(c.n);
  }
}

template <class C>
void test_curve(const char* name, const RefCurve& rc, int iters) {
  using P = guomi::PointOps<C>;
  using M = guomi::ScalarMult<C>;
  const int before = g_failures;
  const RefPoint g{false, rc.gx, rc.gy};
  const guomi::AffinePoint gm = to_affine_mont<C>(g);
  int mults = 0;
  for (int it = 0; it < iters; it++) {
    const U k1 = test_scalar(rc, it), k2 = random_below(rc.n);
    const Fe f1 = to_fe(k1), f2 = to_fe(k2);
    const RefPoint want1 = ref_mul(rc, k1, g);
    // Constant-time variable-base on G.
    guomi::JacobianPoint j;
    M::mul_ct(&j, &f1, &gm);
    check(same_point<C>(want1, j), "mul_ct([k]G)", it);
    // Variable-base on another point Q = [k2]G.
    const RefPoint q = ref_mul(rc, k2, g);
    const guomi::AffinePoint qm = to_affine_mont<C>(q);
    M::mul_ct(&j, &f1, &qm);
    const RefPoint want2 = ref_mul(rc, k1, q);
    check(same_point<C>(want2, j), "mul_ct([k]Q)", it);
    // w-NAF, single and double.
    guomi::AffinePoint odd_g[8], odd_q[8];
    M::odd_multiples(odd_g, &gm);
    M::odd_multiples(odd_q, &qm);
    M::mul_wnaf_vartime(&j, &f1, odd_q);
    check(same_point<C>(want2, j), "mul_wnaf_vartime", it);
    static guomi::AffinePoint split[4][16];
    M::split_tables(split, &qm);
    M::mul_split_ct(&j, &f1, split);
    check(same_point<C>(want2, j), "mul_split_ct", it);
    M::mul_split_vartime(&j, &f1, split);
    check(same_point<C>(want2, j), "mul_split_vartime", it);
    M::mul2_wnaf_vartime(&j, &f1, odd_g, &f2, odd_q);
    const RefPoint want3 = ref_add(rc, want1, ref_mul(rc, k2, q));
    check(same_point<C>(want3, j), "mul2_wnaf_vartime", it);
    if constexpr (C::kHasBaseTable) {
      guomi::ProjectivePoint pp;
      M::mul_base_comb_ct(&pp, &f1, guomi::sm2_base_table());
      guomi::AffinePoint a;
      const uint64_t inf = P::projective_to_affine(&a, &pp);
      guomi::JacobianPoint ja;
      if (inf) {
        P::set_infinity(&ja);
      } else {
        P::from_affine(&ja, &a);
      }
      check(same_point<C>(want1, ja), "mul_base_comb_ct", it);
      M::mul_base_comb_vartime(&j, &f1, guomi::sm2_base_table());
      check(same_point<C>(want1, j), "mul_base_comb_vartime", it);
    }
    mults++;
    // Point additions in every exceptional case: P + P, P + (-P), O + P, P + O, O + O.
    if (it < 4) {
      guomi::JacobianPoint a, b, inf, r;
      P::from_affine(&a, &qm);
      P::from_affine(&b, &qm);
      P::set_infinity(&inf);
      P::add_ct(&r, &a, &b);
      check(same_point<C>(ref_add(rc, q, q), r), "add_ct(P, P)", it);
      guomi::AffinePoint neg = qm;
      C::F::neg(&neg.y, &neg.y);
      P::from_affine(&b, &neg);
      P::add_ct(&r, &a, &b);
      check(guomi::fe_is_zero_mask(&r.z) != 0, "add_ct(P, -P)", it);
      P::add_ct(&r, &inf, &a);
      check(same_point<C>(q, r), "add_ct(O, P)", it);
      P::add_ct(&r, &a, &inf);
      check(same_point<C>(q, r), "add_ct(P, O)", it);
      P::add_ct(&r, &inf, &inf);
      check(guomi::fe_is_zero_mask(&r.z) != 0, "add_ct(O, O)", it);
      // The constant-time mixed addition: P + P, P + (-P), O + P, P + nothing.
      P::madd_ct(&r, &a, &qm, ~uint64_t{0});
      check(same_point<C>(ref_add(rc, q, q), r), "madd_ct(P, P)", it);
      P::madd_ct(&r, &a, &neg, ~uint64_t{0});
      check(guomi::fe_is_zero_mask(&r.z) != 0, "madd_ct(P, -P)", it);
      P::madd_ct(&r, &inf, &qm, ~uint64_t{0});
      check(same_point<C>(q, r), "madd_ct(O, P)", it);
      P::madd_ct(&r, &a, &gm, 0);
      check(same_point<C>(q, r), "madd_ct(P, invalid)", it);
      // The same point in another Jacobian representation (Z != 1) still counts as doubling.
      guomi::JacobianPoint a2;
      P::dbl(&a2, &a);
      P::add_ct(&a2, &a2, &a);  // 3P with Z != 1
      P::add_ct(&r, &a2, &a2);
      check(same_point<C>(ref_mul(rc, small(6), q), r), "add_ct(3P, 3P)", it);
      if constexpr (C::kAIsMinus3) {
        guomi::ProjectivePoint pp{qm.x, qm.y, C::F::kOne}, pr;
        P::madd_complete(&pr, &pp, &qm);  // doubling through the complete formula
        guomi::AffinePoint ra;
        P::projective_to_affine(&ra, &pr);
        guomi::JacobianPoint jr;
        P::from_affine(&jr, &ra);
        check(same_point<C>(ref_add(rc, q, q), jr), "madd_complete(P, P)", it);
        guomi::ProjectivePoint pinf{{}, C::F::kOne, {}};
        P::madd_complete(&pr, &pinf, &qm);
        P::projective_to_affine(&ra, &pr);
        P::from_affine(&jr, &ra);
        check(same_point<C>(q, jr), "madd_complete(O, P)", it);
        P::madd_complete(&pr, &pp, &neg);
        check(guomi::fe_is_zero_mask(&pr.z) != 0, "madd_complete(P, -P)", it);
      }
    }
  }
  std::printf("%s %s: %d scalar multiplications of each kind\n",
              g_failures == before ? "ok  " : "FAIL", name, mults);
}

}  // namespace

int main(int argc, char** argv) {
  const int iters = argc > 1 ? std::atoi(argv[1]) : 2000;
  g_rng = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : static_cast<uint64_t>(std::time(nullptr));
  const char* curves = argc > 3 ? argv[3] : "";
  const auto want_curve = [curves](const char* name) { return std::strstr(name, curves) != nullptr; };
  std::printf("diff_sm2: seed %llu\n", static_cast<unsigned long long>(g_rng));
  using namespace guomi;
  test_field<Sm2FpPortable>("fp portable vs reference", iters);
  test_field<Sm2Fn>("fn (mod n) vs reference", iters);
  test_field<MontField<Sm2PParams>>("fp generic Montgomery vs reference", iters / 4);
  test_field<MontField<TestPParams>>("test-curve fp vs reference", iters / 4);
  test_field<MontField<TestNParams>>("test-curve fn vs reference", iters / 4);
  test_same<Sm2FpPortable, MontField<Sm2PParams>>("fp portable vs generic Montgomery", 100 * iters);
  test_inverse<Sm2Fn>("fn divstep inverse vs Fermat", 10 * iters);
  test_inverse<MontField<Sm2PParams>>("fp divstep inverse vs Fermat", 2 * iters);
  test_inverse<Sm2FpPortable>("fp portable divstep inverse vs Fermat chain", 2 * iters);
  test_inverse<MontField<TestPParams>>("test-curve fp divstep inverse vs Fermat", 2 * iters);
  test_inverse<MontField<TestNParams>>("test-curve fn divstep inverse vs Fermat", 2 * iters);
#if defined(__x86_64__)
  if (cpu_has(kCpuBMI2 | kCpuADX)) {
    test_field<Sm2FpAdx>("fp bmi2+adx vs reference", iters);
    test_same<Sm2FpAdx, Sm2FpPortable>("fp bmi2+adx vs portable", 100 * iters);
    test_inverse<Sm2FpAdx>("fp bmi2+adx divstep inverse vs Fermat chain", 2 * iters);
    test_same_structured<Sm2FpAdx, Sm2FpPortable>("fp bmi2+adx vs portable, carry-heavy limbs",
                                                 10 * iters);
  } else {
    std::printf("skip fp bmi2+adx: CPU lacks BMI2/ADX\n");
  }
#endif
#if defined(__aarch64__)
  test_field<Sm2FpArm64>("fp armv8 vs reference", iters);
  test_same<Sm2FpArm64, Sm2FpPortable>("fp armv8 vs portable", 100 * iters);
  test_inverse<Sm2FpArm64>("fp armv8 divstep inverse vs Fermat chain", 2 * iters);
  test_same_structured<Sm2FpArm64, Sm2FpPortable>("fp armv8 vs portable, carry-heavy limbs",
                                                 10 * iters);
#endif
  test_same_structured<Sm2FpPortable, MontField<Sm2PParams>>(
      "fp portable vs generic Montgomery, carry-heavy limbs", 10 * iters);
  // The reference multiplication inverts at every step (about 0.3 s each), so keep these few;
  // the first ten scalars are the edge cases of test_scalar().
  const int mults = iters / 200 > 12 ? iters / 200 : 12;
  if (want_curve("sm2 curve, portable field")) {
    test_curve<Sm2CurvePortable>(
        "sm2 curve, portable field", ref_curve<Sm2CurvePortable>(Sm2CurveConstants::kA, Sm2CurveConstants::kB,
                                                                Sm2CurveConstants::kGx, Sm2CurveConstants::kGy),
        mults);
  }
#if defined(__x86_64__)
  if (cpu_has(kCpuBMI2 | kCpuADX) && want_curve("sm2 curve, bmi2+adx field")) {
    using Sm2CurveAdx = CurveTraits<Sm2FpAdx, Sm2Fn, Sm2CurveConstants, true, true>;
    test_curve<Sm2CurveAdx>(
        "sm2 curve, bmi2+adx field", ref_curve<Sm2CurveAdx>(Sm2CurveConstants::kA, Sm2CurveConstants::kB,
                                                           Sm2CurveConstants::kGx, Sm2CurveConstants::kGy),
        mults);
  }
#endif
#if defined(__aarch64__)
  if (want_curve("sm2 curve, armv8 field")) {
    using Sm2CurveArm64 = CurveTraits<Sm2FpArm64, Sm2Fn, Sm2CurveConstants, true, true>;
    test_curve<Sm2CurveArm64>(
        "sm2 curve, armv8 field", ref_curve<Sm2CurveArm64>(Sm2CurveConstants::kA, Sm2CurveConstants::kB,
                                                          Sm2CurveConstants::kGx, Sm2CurveConstants::kGy),
        mults);
  }
#endif
  if (want_curve("test curve")) {
    test_curve<TestCurve>("test curve", ref_curve<TestCurve>(TestCurveConstants::kA, TestCurveConstants::kB,
                                                             TestCurveConstants::kGx, TestCurveConstants::kGy),
                          mults);
  }
  std::printf("%d passed, %d failed\n", g_failures ? 0 : 1, g_failures ? 1 : 0);
  return g_failures ? 1 : 0;
}
