// sm2_point.h — elliptic-curve point arithmetic on y^2 = x^3 + ax + b over F_p
// (GB/T 32918.1-2016 §3.2.3), written once against a curve-traits parameter so that the SM2
// curve (portable and BMI2/ADX fields) and the Annex A test curve share it.
//
// Three representations:
//   AffinePoint     (x, y), Montgomery form; used for tables and public keys.
//   JacobianPoint   (X, Y, Z) with x = X/Z^2, y = Y/Z^3; Z = 0 is the point at infinity.
//                   Doublings are cheapest here, so variable-base multiplication uses it.
//   ProjectivePoint (X, Y, Z) with x = X/Z, y = Y/Z; (0, 1, 0) is infinity. Only for the
//                   complete mixed addition of Renes–Costello–Batina (a = -3), which the
//                   fixed-base multiplication uses because it has no exceptional cases at all.
//
// Functions named *_ct run in time independent of their inputs and handle every exceptional
// case (infinity, doubling) with masks. Functions named *_vartime branch on their inputs and
// are only for public data (verification).
#ifndef GUOMI_CORE_SM2_POINT_H_
#define GUOMI_CORE_SM2_POINT_H_

#include <cstddef>
#include <cstdint>

#include "ct.h"
#include "sm2_fe.h"
#include "sm2_params.h"

namespace guomi {

struct AffinePoint {
  Fe x, y;
};

struct JacobianPoint {
  Fe x, y, z;
};

struct ProjectivePoint {
  Fe x, y, z;
};

// CurveTraits binds a field implementation F, a scalar field N and the curve constants K.
// kHasBaseTable says whether the precomputed comb table of G (SM2 only) serves [k]G.
template <class F_, class N_, class K, bool kAIsMinus3_, bool kHasBaseTable_>
struct CurveTraits {
  using F = F_;
  using N = N_;
  static constexpr bool kAIsMinus3 = kAIsMinus3_;
  static constexpr bool kHasBaseTable = kHasBaseTable_;
  static constexpr Fe kA = mont_detail::to_mont_const(K::kA, F_::kM);
  static constexpr Fe kB = mont_detail::to_mont_const(K::kB, F_::kM);
  static constexpr Fe kGx = mont_detail::to_mont_const(K::kGx, F_::kM);
  static constexpr Fe kGy = mont_detail::to_mont_const(K::kGy, F_::kM);
};

inline void jacobian_cmov(JacobianPoint* r, const JacobianPoint* a, uint64_t mask) {
  fe_cmov(&r->x, &a->x, mask);
  fe_cmov(&r->y, &a->y, mask);
  fe_cmov(&r->z, &a->z, mask);
}

template <class C>
struct PointOps {
  using F = typename C::F;

  // set_infinity: Z = 0.
  static void set_infinity(JacobianPoint* r) {
    fe_set_zero(&r->x);
    r->y = F::kOne;
    fe_set_zero(&r->z);
  }

  static void from_affine(JacobianPoint* r, const AffinePoint* a) {
    r->x = a->x;
    r->y = a->y;
    r->z = F::kOne;
  }

  // on_curve_mask: all-ones if y^2 = x^3 + ax + b (GB/T 32918.1-2016 §6.2.1 c).
  static uint64_t on_curve_mask(const AffinePoint* p) {
    Fe lhs, rhs;
    F::sqr(&lhs, &p->y);
    F::sqr(&rhs, &p->x);
    F::add(&rhs, &rhs, &C::kA);
    F::mul(&rhs, &rhs, &p->x);  // x^3 + ax
    F::add(&rhs, &rhs, &C::kB);
    return fe_eq_mask(&lhs, &rhs);
  }

  // dbl: r = 2p in Jacobian coordinates ("dbl-2001-b" for a = -3, 3M + 5S; the general-a form
  // otherwise). Doubling infinity gives infinity (Z stays 0); the curves have no point of
  // order 2, so there is no other exceptional case. r may alias p.
  static void dbl(JacobianPoint* r, const JacobianPoint* p) {
    Fe delta, gamma, beta, alpha, t, u;
    F::sqr(&delta, &p->z);
    F::sqr(&gamma, &p->y);
    F::mul(&beta, &p->x, &gamma);
    if constexpr (C::kAIsMinus3) {
      // alpha = 3(X - delta)(X + delta)
      F::sub(&t, &p->x, &delta);
      F::add(&u, &p->x, &delta);
      F::mul(&alpha, &t, &u);
      F::add(&t, &alpha, &alpha);
      F::add(&alpha, &alpha, &t);
    } else {
      // alpha = 3X^2 + a·delta^2
      F::sqr(&t, &p->x);
      F::add(&alpha, &t, &t);
      F::add(&alpha, &alpha, &t);
      F::sqr(&u, &delta);
      F::mul(&u, &u, &C::kA);
      F::add(&alpha, &alpha, &u);
    }
    // Z3 = (Y + Z)^2 - gamma - delta
    F::add(&t, &p->y, &p->z);
    F::sqr(&t, &t);
    F::sub(&t, &t, &gamma);
    F::sub(&r->z, &t, &delta);
    // X3 = alpha^2 - 8 beta
    F::add(&beta, &beta, &beta);
    F::add(&beta, &beta, &beta);  // 4 beta
    F::sqr(&t, &alpha);
    F::add(&u, &beta, &beta);
    F::sub(&r->x, &t, &u);
    // Y3 = alpha (4 beta - X3) - 8 gamma^2
    F::sub(&t, &beta, &r->x);
    F::mul(&t, &t, &alpha);
    F::sqr(&gamma, &gamma);
    F::add(&gamma, &gamma, &gamma);
    F::add(&gamma, &gamma, &gamma);
    F::add(&gamma, &gamma, &gamma);
    F::sub(&r->y, &t, &gamma);
  }

  // add_ct: r = a + b for any Jacobian inputs, in constant time. The generic formula fails when
  // a = b (it would give infinity) or when an input is infinity; those cases are patched in
  // with masks after computing the doubling alongside. r may alias a or b.
  static void add_ct(JacobianPoint* r, const JacobianPoint* a, const JacobianPoint* b) {
    Fe z1z1, z2z2, u1, u2, s1, s2, h, rr, hh, hhh, v, t;
    JacobianPoint sum, twice;
    F::sqr(&z1z1, &a->z);
    F::sqr(&z2z2, &b->z);
    F::mul(&u1, &a->x, &z2z2);
    F::mul(&u2, &b->x, &z1z1);
    F::mul(&s1, &a->y, &b->z);
    F::mul(&s1, &s1, &z2z2);
    F::mul(&s2, &b->y, &a->z);
    F::mul(&s2, &s2, &z1z1);
    F::sub(&h, &u2, &u1);
    F::sub(&rr, &s2, &s1);
    const uint64_t a_inf = fe_is_zero_mask(&a->z);
    const uint64_t b_inf = fe_is_zero_mask(&b->z);
    const uint64_t same = fe_is_zero_mask(&h) & fe_is_zero_mask(&rr) & ~a_inf & ~b_inf;
    F::sqr(&hh, &h);
    F::mul(&hhh, &hh, &h);
    F::mul(&v, &u1, &hh);
    // X3 = R^2 - H^3 - 2V
    F::sqr(&t, &rr);
    F::sub(&t, &t, &hhh);
    F::sub(&t, &t, &v);
    F::sub(&sum.x, &t, &v);
    // Y3 = R (V - X3) - S1 H^3
    F::sub(&t, &v, &sum.x);
    F::mul(&t, &t, &rr);
    F::mul(&s1, &s1, &hhh);
    F::sub(&sum.y, &t, &s1);
    // Z3 = Z1 Z2 H (zero when H = 0, which makes a = -b come out as infinity)
    F::mul(&t, &a->z, &b->z);
    F::mul(&sum.z, &t, &h);
    dbl(&twice, a);
    jacobian_cmov(&sum, &twice, same);
    jacobian_cmov(&sum, b, a_inf);
    jacobian_cmov(&sum, a, b_inf);
    *r = sum;
  }

  // madd_vartime: r = a + b with b affine, for public data only (branches on the inputs).
  static void madd_vartime(JacobianPoint* r, const JacobianPoint* a, const AffinePoint* b) {
    if (fe_is_zero_mask(&a->z)) {
      from_affine(r, b);
      return;
    }
    Fe z1z1, u2, s2, h, hh, i, j, rr, v, t;
    F::sqr(&z1z1, &a->z);
    F::mul(&u2, &b->x, &z1z1);
    F::mul(&s2, &b->y, &a->z);
    F::mul(&s2, &s2, &z1z1);
    F::sub(&h, &u2, &a->x);
    F::sub(&rr, &s2, &a->y);
    if (fe_is_zero_mask(&h)) {
      if (fe_is_zero_mask(&rr)) {
        JacobianPoint bj;
        from_affine(&bj, b);
        dbl(r, &bj);
      } else {
        set_infinity(r);
      }
      return;
    }
    F::add(&rr, &rr, &rr);  // r = 2(S2 - Y1)
    F::sqr(&hh, &h);
    F::add(&i, &hh, &hh);
    F::add(&i, &i, &i);  // I = 4 HH
    F::mul(&j, &h, &i);
    F::mul(&v, &a->x, &i);
    JacobianPoint out;
    // X3 = r^2 - J - 2V
    F::sqr(&t, &rr);
    F::sub(&t, &t, &j);
    F::sub(&t, &t, &v);
    F::sub(&out.x, &t, &v);
    // Y3 = r (V - X3) - 2 Y1 J
    F::sub(&t, &v, &out.x);
    F::mul(&t, &t, &rr);
    F::mul(&j, &j, &a->y);
    F::add(&j, &j, &j);
    F::sub(&out.y, &t, &j);
    // Z3 = (Z1 + H)^2 - Z1Z1 - HH = 2 Z1 H
    F::add(&t, &a->z, &h);
    F::sqr(&t, &t);
    F::sub(&t, &t, &z1z1);
    F::sub(&out.z, &t, &hh);
    *r = out;
  }

  // madd_ct: r = a + b with b affine, in constant time, for any a and for b either a point or
  // (when b_valid is zero) "nothing to add" (a zero table digit): masks patch in b when a is
  // infinity, 2b when a = b, and a when b is not valid. a = -b gives Z3 = 0, infinity.
  static void madd_ct(JacobianPoint* r, const JacobianPoint* a, const AffinePoint* b,
                      uint64_t b_valid) {
    Fe z1z1, u2, s2, h, hh, i, j, rr, v, t;
    F::sqr(&z1z1, &a->z);
    F::mul(&u2, &b->x, &z1z1);
    F::mul(&s2, &b->y, &a->z);
    F::mul(&s2, &s2, &z1z1);
    F::sub(&h, &u2, &a->x);
    F::sub(&rr, &s2, &a->y);
    const uint64_t a_inf = fe_is_zero_mask(&a->z);
    const uint64_t same = fe_is_zero_mask(&h) & fe_is_zero_mask(&rr) & ~a_inf;
    F::add(&rr, &rr, &rr);
    F::sqr(&hh, &h);
    F::add(&i, &hh, &hh);
    F::add(&i, &i, &i);
    F::mul(&j, &h, &i);
    F::mul(&v, &a->x, &i);
    JacobianPoint out, bj, twice;
    F::sqr(&t, &rr);
    F::sub(&t, &t, &j);
    F::sub(&t, &t, &v);
    F::sub(&out.x, &t, &v);
    F::sub(&t, &v, &out.x);
    F::mul(&t, &t, &rr);
    F::mul(&j, &j, &a->y);
    F::add(&j, &j, &j);
    F::sub(&out.y, &t, &j);
    F::add(&t, &a->z, &h);
    F::sqr(&t, &t);
    F::sub(&t, &t, &z1z1);
    F::sub(&out.z, &t, &hh);
    from_affine(&bj, b);
    dbl(&twice, &bj);
    jacobian_cmov(&out, &twice, same);
    jacobian_cmov(&out, &bj, a_inf);
    jacobian_cmov(&out, a, ~b_valid);
    *r = out;
  }

  // add_vartime: r = a + b, both Jacobian, for public data only.
  static void add_vartime(JacobianPoint* r, const JacobianPoint* a, const JacobianPoint* b) {
    if (fe_is_zero_mask(&a->z)) {
      *r = *b;
      return;
    }
    if (fe_is_zero_mask(&b->z)) {
      *r = *a;
      return;
    }
    add_ct(r, a, b);
  }

  // madd_complete: r = a + b with a projective and b affine (not infinity), by the complete
  // mixed addition for a = -3 of Renes, Costello and Batina, "Complete addition formulas for
  // prime order elliptic curves" (EUROCRYPT 2016), Algorithm 5. Correct for every a, including
  // a = infinity (0 : 1 : 0) and a = ±b, so it needs no case analysis. r may alias a.
  static void madd_complete(ProjectivePoint* r, const ProjectivePoint* a, const AffinePoint* b) {
    static_assert(C::kAIsMinus3, "the complete formulas here are the a = -3 ones");
    Fe xx, yy, xy, yz, xz, t, bzz3, yym, yyp, zz3, bxz3, xx3, u;
    F::mul(&xx, &a->x, &b->x);
    F::mul(&yy, &a->y, &b->y);
    F::add(&t, &a->x, &a->y);
    F::add(&u, &b->x, &b->y);
    F::mul(&xy, &t, &u);
    F::add(&t, &xx, &yy);
    F::sub(&xy, &xy, &t);  // X1 Y2 + X2 Y1
    F::mul(&yz, &b->y, &a->z);
    F::add(&yz, &yz, &a->y);  // Y1 + Y2 Z1
    F::mul(&xz, &b->x, &a->z);
    F::add(&xz, &xz, &a->x);  // X1 + X2 Z1
    // bzz3 = 3 (xz - b Z1)
    F::mul(&t, &C::kB, &a->z);
    F::sub(&t, &xz, &t);
    F::add(&bzz3, &t, &t);
    F::add(&bzz3, &bzz3, &t);
    F::sub(&yym, &yy, &bzz3);
    F::add(&yyp, &yy, &bzz3);
    // zz3 = 3 Z1; bxz3 = 3 (b xz - zz3 - xx); xx3 = 3 xx - zz3
    F::add(&zz3, &a->z, &a->z);
    F::add(&zz3, &zz3, &a->z);
    F::mul(&t, &C::kB, &xz);
    F::sub(&t, &t, &zz3);
    F::sub(&t, &t, &xx);
    F::add(&bxz3, &t, &t);
    F::add(&bxz3, &bxz3, &t);
    F::add(&xx3, &xx, &xx);
    F::add(&xx3, &xx3, &xx);
    F::sub(&xx3, &xx3, &zz3);
    ProjectivePoint out;
    // X3 = yyp·xy - yz·bxz3; Y3 = yyp·yym + xx3·bxz3; Z3 = yym·yz + xy·xx3
    F::mul(&t, &yyp, &xy);
    F::mul(&u, &yz, &bxz3);
    F::sub(&out.x, &t, &u);
    F::mul(&t, &yyp, &yym);
    F::mul(&u, &xx3, &bxz3);
    F::add(&out.y, &t, &u);
    F::mul(&t, &yym, &yz);
    F::mul(&u, &xy, &xx3);
    F::add(&out.z, &t, &u);
    *r = out;
  }

  // jacobian_to_affine: r = a in affine form; returns an all-ones mask if a is infinity (then r
  // is (0, 0)). Constant time (the inversion is a fixed chain).
  static uint64_t jacobian_to_affine(AffinePoint* r, const JacobianPoint* a) {
    Fe zinv, zinv2;
    F::inv(&zinv, &a->z);
    F::sqr(&zinv2, &zinv);
    F::mul(&r->x, &a->x, &zinv2);
    F::mul(&zinv2, &zinv2, &zinv);
    F::mul(&r->y, &a->y, &zinv2);
    return fe_is_zero_mask(&a->z);
  }

  static uint64_t projective_to_affine(AffinePoint* r, const ProjectivePoint* a) {
    Fe zinv;
    F::inv(&zinv, &a->z);
    F::mul(&r->x, &a->x, &zinv);
    F::mul(&r->y, &a->y, &zinv);
    return fe_is_zero_mask(&a->z);
  }

  // batch_to_affine converts n Jacobian points, none of them infinity, with one inversion
  // (Montgomery's trick). |scratch| holds n field elements. For public data or secret-free
  // tables: the points must not be infinity, which is not checked.
  static void batch_to_affine(AffinePoint* out, const JacobianPoint* in, size_t n, Fe* scratch) {
    scratch[0] = in[0].z;
    for (size_t i = 1; i < n; i++) F::mul(&scratch[i], &scratch[i - 1], &in[i].z);
    Fe inv, zinv, zinv2;
    F::inv(&inv, &scratch[n - 1]);
    for (size_t i = n; i-- > 0;) {
      if (i > 0) {
        F::mul(&zinv, &inv, &scratch[i - 1]);
        F::mul(&inv, &inv, &in[i].z);
      } else {
        zinv = inv;
      }
      F::sqr(&zinv2, &zinv);
      F::mul(&out[i].x, &in[i].x, &zinv2);
      F::mul(&zinv2, &zinv2, &zinv);
      F::mul(&out[i].y, &in[i].y, &zinv2);
    }
  }
};

}  // namespace guomi

#endif  // GUOMI_CORE_SM2_POINT_H_
