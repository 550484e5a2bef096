// sm2_ops.h — internal: the SM2 operations written once over a curve instantiation C, compiled
// into an Sm2Impl table by each implementation file (sm2_impl_portable.cc,
// arch/sm2_x86_64.cc, sm2_test_curve.cc).
//
// Secrets (d, k, r, t, shared points, plaintext before C3 is checked) only meet constant-time
// code; the few decisions the standard makes on them (retry a nonce, fail a decryption) are
// taken on one declassified bit each, after all the work is done. Everything marked *_vartime
// handles public data.
#ifndef GUOMI_CORE_SM2_OPS_H_
#define GUOMI_CORE_SM2_OPS_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "ct.h"
#include "sm2.h"
#include "sm2_base_table.h"
#include "sm2_fe.h"
#include "sm2_impl.h"
#include "sm2_mult.h"
#include "sm2_point.h"
#include "sm3.h"
#include "util.h"

namespace guomi {

namespace sm2_ops_detail {

// kdf_xor: out = in XOR KDF(z, 8·len) (GB/T 32918.4-2016 §5.4.3, §6.1 A5–A6), one 32-byte KDF
// block at a time, feeding the plaintext side into *h: the input when encrypting
// (hash_input), the output when decrypting. in and out may be the same buffer. Returns the OR of
// all KDF bytes, which is zero exactly when t is all zero.
inline uint8_t kdf_xor(const uint8_t z[64], const uint8_t* in, uint8_t* out, size_t len,
                       Sm3Ctx* h, bool hash_input) {
  Sm3Ctx base;
  sm3_init(&base);
  sm3_update(&base, z, 64);
  uint8_t acc = 0;
  uint8_t block[kSm3DigestSize], ct[4];
  for (uint32_t counter = 1; len > 0; counter++) {
    Sm3Ctx c = base;
    store_be32(ct, counter);
    sm3_update(&c, ct, 4);
    sm3_final(&c, block);
    const size_t take = len < sizeof(block) ? len : sizeof(block);
    for (size_t i = 0; i < take; i++) acc |= block[i];
    if (hash_input) sm3_update(h, in, take);
    xor_bytes(out, in, block, take);
    if (!hash_input) sm3_update(h, out, take);
    in += take;
    out += take;
    len -= take;
  }
  secure_zero(block, sizeof(block));
  secure_zero(&base, sizeof(base));
  return acc;
}

// x_bar: 2^127 + (x mod 2^127) (GB/T 32918.3-2016 §6.1 A4 with w = 127).
inline Fe x_bar(const Fe* x) {
  return Fe{{x->v[0], x->v[1] | (uint64_t{1} << 63), 0, 0}};
}

}  // namespace sm2_ops_detail

template <class C>
struct Sm2Ops {
  using F = typename C::F;
  using N = typename C::N;
  using P = PointOps<C>;
  using M = ScalarMult<C>;

  static constexpr Fe kN = N::kM;
  static constexpr Fe kP = F::kM;

  // --- scalars (plain integers) ---

  // scalar_from_bytes reads a big-endian scalar; returns an all-ones mask if 1 <= k <= n - 1.
  static uint64_t scalar_from_bytes(Fe* k, const uint8_t in[32]) {
    fe_from_be32(k, in);
    return fe_lt_mask(k, &kN) & ~fe_is_zero_mask(k);
  }

  // reduce_mod_n: a mod n for a < 2n (e < 2^256 < 2n; x < p < 2n).
  static void reduce_mod_n(Fe* r, const Fe* a) { fe_reduce_once(r, a, 0, &kN); }

  // --- points ---

  static void encode_point(uint8_t out[65], const AffinePoint* p) {
    out[0] = 0x04;
    F::to_bytes(out + 1, &p->x);
    F::to_bytes(out + 33, &p->y);
  }

  // decode_point parses 04||x||y or 02/03||x and checks GB/T 32918.1-2016 §6.2.1 (coordinates
  // below p, on the curve; infinity has no encoding here). Public data: may branch.
  static bool decode_point(AffinePoint* r, const uint8_t* in, size_t len) {
    if (len == 65 && in[0] == 0x04) {
      if (!F::from_bytes(&r->x, in + 1) || !F::from_bytes(&r->y, in + 33)) return false;
      return P::on_curve_mask(r) != 0;
    }
    if (len == 33 && (in[0] == 0x02 || in[0] == 0x03)) {
      // §4.2.10: y from y^2 = x^3 + ax + b, choosing the root whose low bit matches the prefix.
      if (!F::from_bytes(&r->x, in + 1)) return false;
      Fe rhs, y, y2;
      F::sqr(&rhs, &r->x);
      F::add(&rhs, &rhs, &C::kA);
      F::mul(&rhs, &rhs, &r->x);
      F::add(&rhs, &rhs, &C::kB);
      F::sqrt_candidate(&y, &rhs);
      F::sqr(&y2, &y);
      if (!fe_eq_mask(&y2, &rhs)) return false;
      Fe plain;
      F::from_mont(&plain, &y);
      if ((plain.v[0] & 1) != (in[0] & 1u)) {
        if (fe_is_zero_mask(&y)) return false;
        F::neg(&y, &y);
      }
      r->y = y;
      return true;
    }
    return false;
  }

  // mul_base: r = [k]G in constant time; returns an all-ones mask if the result is infinity.
  static uint64_t mul_base(AffinePoint* r, const Fe* k) {
    if constexpr (C::kHasBaseTable) {
      ProjectivePoint p;
      M::mul_base_comb_ct(&p, k, sm2_base_table());
      const uint64_t inf = P::projective_to_affine(r, &p);
      secure_zero(&p, sizeof(p));
      return inf;
    } else {
      const AffinePoint g{C::kGx, C::kGy};
      return mul_point(r, k, &g);
    }
  }

  // mul_point: r = [k]p in constant time; returns an all-ones mask if the result is infinity.
  static uint64_t mul_point(AffinePoint* r, const Fe* k, const AffinePoint* p) {
    JacobianPoint j;
    M::mul_ct(&j, k, p);
    const uint64_t inf = P::jacobian_to_affine(r, &j);
    secure_zero(&j, sizeof(j));
    return inf;
  }

  // --- keys ---

  static Sm2Status private_key_init(Sm2PrivateKey* key, const uint8_t d_bytes[32]) {
    Fe d;
    fe_from_be32(&d, d_bytes);
    // 1 <= d <= n - 2 (GB/T 32918.1-2016 §6.1): n - 1 would make 1 + d = 0 mod n.
    const Fe n_minus_1{{kN.v[0] - 1, kN.v[1], kN.v[2], kN.v[3]}};
    uint64_t ok = fe_lt_mask(&d, &n_minus_1) & ~fe_is_zero_mask(&d);
    GUOMI_DECLASSIFY(&ok, sizeof(ok));
    if (!ok) {
      secure_zero(&d, sizeof(d));
      return Sm2Status::kInvalidKey;
    }
    key->d = d;
    // (1 + d)^-1 mod n, kept in Montgomery form: N::mul(dinv, x) then gives dinv·x directly.
    Fe one_plus_d;
    const Fe one{{1, 0, 0, 0}};
    fe_add_raw(&one_plus_d, &d, &one);
    N::to_mont(&one_plus_d, &one_plus_d);
    N::inv(&key->dinv, &one_plus_d);
    AffinePoint pub;
    mul_base(&pub, &d);  // d != 0 mod n, so not infinity
    encode_point(key->public_point, &pub);
    // The public point is public.
    GUOMI_DECLASSIFY(key->public_point, sizeof(key->public_point));
    secure_zero(&d, sizeof(d));
    secure_zero(&one_plus_d, sizeof(one_plus_d));
    secure_zero(&pub, sizeof(pub));
    return Sm2Status::kOk;
  }

  static Sm2Status public_key_init(Sm2PublicKey* key, const uint8_t* in, size_t len,
                                   bool precompute) {
    if (!decode_point(&key->point, in, len)) return Sm2Status::kInvalidPoint;
    key->has_tables = precompute;
    if (precompute) {
      M::split_tables(key->tables, &key->point);
    } else {
      M::odd_multiples(key->odd_multiples, &key->point);
    }
    return Sm2Status::kOk;
  }

  static size_t public_key_encode(const Sm2PublicKey* key, bool compressed, uint8_t* out) {
    if (!compressed) {
      encode_point(out, &key->point);
      return 65;
    }
    Fe y;
    F::from_mont(&y, &key->point.y);
    out[0] = static_cast<uint8_t>(0x02 | (y.v[0] & 1));
    F::to_bytes(out + 1, &key->point.x);
    return 33;
  }

  // --- signatures (GB/T 32918.2-2016) ---

  // sign_with_nonce: §6.1 A4–A6 with the given k. s = ((1+d)^-1·(k + r) - r) mod n, which
  // equals (1+d)^-1·(k - r·d) (the per-key constant replaces an inversion per signature).
  static Sm2Status sign_with_nonce(const Sm2PrivateKey* key, const uint8_t e_bytes[32],
                                   const uint8_t k_bytes[32], uint8_t sig[64]) {
    Fe k, e, x1, r, rk, s;
    uint64_t ok = scalar_from_bytes(&k, k_bytes);
    fe_from_be32(&e, e_bytes);
    reduce_mod_n(&e, &e);
    // A4: (x1, y1) = [k]G. A k out of range still runs the same code; the result is dropped.
    AffinePoint p1;
    mul_base(&p1, &k);
    F::from_mont(&x1, &p1.x);
    reduce_mod_n(&x1, &x1);
    // A5: r = (e + x1) mod n; retry if r = 0 or r + k = n.
    fe_mod_add(&r, &e, &x1, &kN);
    ok &= ~fe_is_zero_mask(&r);
    fe_mod_add(&rk, &r, &k, &kN);
    ok &= ~fe_is_zero_mask(&rk);
    // A6: s = dinv·(k + r) - r; retry if s = 0.
    N::mul(&s, &key->dinv, &rk);
    fe_mod_sub(&s, &s, &r, &kN);
    ok &= ~fe_is_zero_mask(&s);
    fe_to_be32(sig, &r);
    fe_to_be32(sig + 32, &s);
    // The signature is public; so is whether this k has to be replaced (it reveals nothing
    // about d, and happens with probability about 2^-254).
    GUOMI_DECLASSIFY(&ok, sizeof(ok));
    GUOMI_DECLASSIFY(sig, 64);
    secure_zero(&k, sizeof(k));
    secure_zero(&rk, sizeof(rk));
    secure_zero(&p1, sizeof(p1));
    if (!ok) {
      secure_zero(sig, 64);
      return Sm2Status::kInvalidArgument;
    }
    return Sm2Status::kOk;
  }

  // verify: §7.1 B1–B7. Public data only.
  static bool verify(const Sm2PublicKey* key, const uint8_t e_bytes[32], const uint8_t sig[64]) {
    Fe r, s, t, e;
    // B1, B2: r, s in [1, n-1].
    if (!scalar_from_bytes(&r, sig) || !scalar_from_bytes(&s, sig + 32)) return false;
    // B5: t = (r + s) mod n, not 0.
    fe_mod_add(&t, &r, &s, &kN);
    if (fe_is_zero_mask(&t)) return false;
    // B6: (x1', y1') = [s]G + [t]P_A, not infinity.
    JacobianPoint q, sg, tp;
    if constexpr (C::kHasBaseTable) {
      M::mul_base_comb_vartime(&sg, &s, sm2_base_table());
    } else {
      const AffinePoint g{C::kGx, C::kGy};
      AffinePoint g_odd[8];
      M::odd_multiples(g_odd, &g);
      M::mul_wnaf_vartime(&sg, &s, g_odd);
    }
    if (key->has_tables) {
      M::mul_split_vartime(&tp, &t, key->tables);
    } else {
      M::mul_wnaf_vartime(&tp, &t, key->odd_multiples);
    }
    P::add_vartime(&q, &sg, &tp);
    if (fe_is_zero_mask(&q.z)) return false;
    // B7: accept iff (e + x1') mod n = r, i.e. x1' ≡ r - e (mod n). Since x1' < p < 2n, x1' is
    // r - e mod n or that plus n; compare X with x·Z^2 for both instead of inverting Z.
    fe_from_be32(&e, e_bytes);
    reduce_mod_n(&e, &e);
    Fe x, zz, xm, rhs;
    fe_mod_sub(&x, &r, &e, &kN);
    F::sqr(&zz, &q.z);
    for (int attempt = 0; attempt < 2; attempt++) {
      if (attempt == 1) {
        if (fe_add_raw(&x, &x, &kN) || !fe_lt_mask(&x, &kP)) break;
      }
      F::to_mont(&xm, &x);
      F::mul(&rhs, &xm, &zz);
      if (fe_eq_mask(&rhs, &q.x)) return true;
    }
    return false;
  }

  // --- encryption (GB/T 32918.4-2016) ---

  // encrypt_with_nonce: §6.1 A2–A8 with the given k; out = C1 || C3 || C2.
  static Sm2Status encrypt_with_nonce(const Sm2PublicKey* key, const uint8_t* msg, size_t len,
                                      const uint8_t k_bytes[32], uint8_t* out) {
    if (len == 0 || len > kSm2MaxMessageSize) return Sm2Status::kInvalidArgument;
    Fe k;
    uint64_t ok = scalar_from_bytes(&k, k_bytes);
    GUOMI_DECLASSIFY(&ok, sizeof(ok));
    if (!ok) return Sm2Status::kInvalidArgument;
    // A2: C1 = [k]G. A3: [h]P_B != O holds for a validated key (h = 1).
    AffinePoint c1, s;
    mul_base(&c1, &k);
    encode_point(out, &c1);
    GUOMI_DECLASSIFY(out, 65);
    // A4: (x2, y2) = [k]P_B (never infinity: P_B has order n and 0 < k < n).
    if (key->has_tables) {
      JacobianPoint j;
      M::mul_split_ct(&j, &k, key->tables);
      P::jacobian_to_affine(&s, &j);
      secure_zero(&j, sizeof(j));
    } else {
      mul_point(&s, &k, &key->point);
    }
    uint8_t xy[64];
    F::to_bytes(xy, &s.x);
    F::to_bytes(xy + 32, &s.y);
    // A5–A7: C2 = M xor KDF(x2||y2, 8·len), C3 = SM3(x2 || M || y2).
    Sm3Ctx h;
    sm3_init(&h);
    sm3_update(&h, xy, 32);
    uint8_t any = sm2_ops_detail::kdf_xor(xy, msg, out + 97, len, &h, true);
    sm3_update(&h, xy + 32, 32);
    sm3_final(&h, out + 65);
    secure_zero(xy, sizeof(xy));
    secure_zero(&k, sizeof(k));
    secure_zero(&s, sizeof(s));
    GUOMI_DECLASSIFY(out + 65, 32 + len);
    // A5: an all-zero t means another k (probability about 2^-8·len); only that bit is revealed.
    GUOMI_DECLASSIFY(&any, 1);
    if (any == 0) {
      secure_zero(out, 97 + len);
      return Sm2Status::kInvalidArgument;
    }
    return Sm2Status::kOk;
  }

  // decrypt: §7.1 B1–B7 with one failure for every reason.
  static Sm2Status decrypt(const Sm2PrivateKey* key, const uint8_t c1_bytes[65],
                           const uint8_t c3[32], const uint8_t* c2, size_t len, uint8_t* out) {
    // B1: C1 must be a point on the curve (public input, so an early exit shows nothing secret).
    AffinePoint c1, s;
    if (len == 0 || len > kSm2MaxMessageSize || !decode_point(&c1, c1_bytes, 65)) {
      if (len && len <= kSm2MaxMessageSize) secure_zero(out, len);
      return Sm2Status::kDecryptFailed;
    }
    // B2: [h]C1 != O holds (h = 1). B3: (x2, y2) = [d]C1.
    mul_point(&s, &key->d, &c1);
    uint8_t xy[64];
    F::to_bytes(xy, &s.x);
    F::to_bytes(xy + 32, &s.y);
    // B4–B6: t = KDF(x2||y2, klen) not all zero; M' = C2 xor t; u = SM3(x2 || M' || y2) = C3.
    Sm3Ctx h;
    sm3_init(&h);
    sm3_update(&h, xy, 32);
    const uint8_t any = sm2_ops_detail::kdf_xor(xy, c2, out, len, &h, false);
    sm3_update(&h, xy + 32, 32);
    uint8_t u[32];
    sm3_final(&h, u);
    uint32_t ok = ct_memeq_mask(u, c3, 32) & ~ct_is_zero_u32(any);
    secure_zero(xy, sizeof(xy));
    secure_zero(u, sizeof(u));
    secure_zero(&s, sizeof(s));
    GUOMI_DECLASSIFY(&ok, sizeof(ok));
    if (!ok) {
      secure_zero(out, len);
      return Sm2Status::kDecryptFailed;
    }
    GUOMI_DECLASSIFY(out, len);
    return Sm2Status::kOk;
  }

  // --- Diffie–Hellman and key exchange (GB/T 32918.3-2016) ---

  static Sm2Status ecdh(const Sm2PrivateKey* key, const Sm2PublicKey* peer, uint8_t out[64]) {
    AffinePoint s;
    uint64_t inf = mul_point(&s, &key->d, &peer->point);
    F::to_bytes(out, &s.x);
    F::to_bytes(out + 32, &s.y);
    secure_zero(&s, sizeof(s));
    GUOMI_DECLASSIFY(&inf, sizeof(inf));
    if (inf) {
      secure_zero(out, 64);
      return Sm2Status::kInvalidPoint;
    }
    return Sm2Status::kOk;
  }

  // key_exchange_point: §6.1 A4–A8 (initiator) / B3–B7 (responder), up to the shared point.
  static Sm2Status key_exchange_point(const Sm2PrivateKey* key, const uint8_t r_bytes[32],
                                      const uint8_t own_point[65], const Sm2PublicKey* peer,
                                      const uint8_t peer_point[65], uint8_t out[64]) {
    Fe r, x_own, x_peer, t, xbar_mont;
    uint64_t ok = scalar_from_bytes(&r, r_bytes);
    GUOMI_DECLASSIFY(&ok, sizeof(ok));
    if (!ok || own_point[0] != 0x04) {
      secure_zero(&r, sizeof(r));
      return Sm2Status::kInvalidArgument;
    }
    // A6/B5: the peer's ephemeral point must be on the curve.
    AffinePoint r_peer;
    if (!decode_point(&r_peer, peer_point, 65)) {
      secure_zero(&r, sizeof(r));
      return Sm2Status::kInvalidPoint;
    }
    // Q = P_peer + [x̄_peer]R_peer: public values only, so variable time.
    fe_from_be32(&x_peer, peer_point + 1);
    const Fe xbar_peer = sm2_ops_detail::x_bar(&x_peer);
    AffinePoint odd[8];
    M::odd_multiples(odd, &r_peer);
    JacobianPoint q, p_peer;
    M::mul_wnaf_vartime(&q, &xbar_peer, odd);
    P::from_affine(&p_peer, &peer->point);
    P::add_vartime(&q, &q, &p_peer);
    if (fe_is_zero_mask(&q.z)) {
      secure_zero(&r, sizeof(r));
      return Sm2Status::kInvalidPoint;
    }
    AffinePoint qa;
    P::jacobian_to_affine(&qa, &q);
    // A5/B4: t = (d + x̄_own·r) mod n.
    fe_from_be32(&x_own, own_point + 1);
    const Fe xbar_own = sm2_ops_detail::x_bar(&x_own);
    N::to_mont(&xbar_mont, &xbar_own);
    N::mul(&t, &xbar_mont, &r);  // x̄·r (plain: one factor was in Montgomery form)
    fe_mod_add(&t, &t, &key->d, &kN);
    // A7/B6: U = [h·t]Q (h = 1), not infinity.
    AffinePoint u;
    uint64_t inf = mul_point(&u, &t, &qa);
    F::to_bytes(out, &u.x);
    F::to_bytes(out + 32, &u.y);
    secure_zero(&r, sizeof(r));
    secure_zero(&t, sizeof(t));
    secure_zero(&u, sizeof(u));
    GUOMI_DECLASSIFY(&inf, sizeof(inf));
    if (inf) {
      secure_zero(out, 64);
      return Sm2Status::kInvalidPoint;
    }
    return Sm2Status::kOk;
  }

  // --- raw multiplications (tests, benchmarks) ---

  // mul_base_bytes: [k]G, e.g. an ephemeral key-exchange point; the point is public, k is not.
  static Sm2Status mul_base_bytes(const uint8_t k_bytes[32], uint8_t out[65]) {
    Fe k;
    uint64_t ok = scalar_from_bytes(&k, k_bytes);
    GUOMI_DECLASSIFY(&ok, sizeof(ok));
    if (!ok) return Sm2Status::kInvalidArgument;
    AffinePoint r;
    mul_base(&r, &k);
    encode_point(out, &r);
    GUOMI_DECLASSIFY(out, 65);
    secure_zero(&k, sizeof(k));
    return Sm2Status::kOk;
  }

  static Sm2Status mul_point_bytes(const uint8_t k_bytes[32], const uint8_t point[65],
                                   uint8_t out[65]) {
    Fe k;
    AffinePoint p, r;
    fe_from_be32(&k, k_bytes);
    if (!decode_point(&p, point, 65)) return Sm2Status::kInvalidPoint;
    if (mul_point(&r, &k, &p)) return Sm2Status::kInvalidPoint;
    encode_point(out, &r);
    return Sm2Status::kOk;
  }

  static Sm2Impl make(const char* name) {
    return Sm2Impl{name,
                   private_key_init,
                   public_key_init,
                   public_key_encode,
                   sign_with_nonce,
                   verify,
                   encrypt_with_nonce,
                   decrypt,
                   ecdh,
                   key_exchange_point,
                   mul_base_bytes,
                   mul_point_bytes};
  }
};

}  // namespace guomi

#endif  // GUOMI_CORE_SM2_OPS_H_
