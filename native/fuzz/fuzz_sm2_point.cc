// fuzz_sm2_point.cc — the SM2 point decoder (sm2_public_key_init: 04||x||y and 02/03||x,
// GB/T 32918.1-2016 §4.2.9 and §6.2.1) on arbitrary bytes, and everything that consumes a
// decoded peer point: signature verification with arbitrary r||s and e, ECDH, and the key
// exchange with an arbitrary peer ephemeral point.
//
// Oracles: every field implementation (portable; BMI2/ADX) and both key layouts (split tables;
// odd multiples) must give the same answers; an accepted point must satisfy the curve equation
// by a reference computation done here, re-encode to the input (uncompressed) or to the same x
// and y parity (compressed), and decode again from either encoding to the same point; a rejected
// compressed x must really have no square root (Euler's criterion) or be >= p; verification must
// agree with a reference that recomputes [s]G + [t]P with the constant-time multiplications and
// affine coordinates (the fast path compares X with x·Z^2 and handles x1 >= n separately).
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "../core/sm2.h"
#include "../core/sm2_curves.h"
#include "../core/sm2_impl.h"
#include "../core/sm2_mult.h"
#include "fuzz_sm2.h"
#include "fuzz_util.h"

using namespace guomi;
using guomi_fuzz::Reader;

namespace {

using F = Sm2FpPortable;
using N = Sm2Fn;
using P = PointOps<Sm2CurvePortable>;
using M = ScalarMult<Sm2CurvePortable>;

// Plain (non-Montgomery) field element from big-endian bytes; false if >= p.
bool read_fp(Fe* mont, const uint8_t b[32]) { return F::from_bytes(mont, b) != 0; }

// On-curve by the equation, y^2 = x^3 + a x + b, with a = -3 (mod p).
bool on_curve(const Fe& x, const Fe& y) {
  Fe y2, x3, t, three_x;
  F::sqr(&y2, &y);
  F::sqr(&x3, &x);
  F::mul(&x3, &x3, &x);
  F::add(&three_x, &x, &x);
  F::add(&three_x, &three_x, &x);
  F::sub(&t, &x3, &three_x);
  F::add(&t, &t, &Sm2CurvePortable::kB);
  return fe_eq_mask(&t, &y2) != 0;
}

// Euler's criterion for the right-hand side at x: is x^3 - 3x + b a square mod p?
bool rhs_is_square(const Fe& x) {
  Fe x3, three_x, t;
  F::sqr(&x3, &x);
  F::mul(&x3, &x3, &x);
  F::add(&three_x, &x, &x);
  F::add(&three_x, &three_x, &x);
  F::sub(&t, &x3, &three_x);
  F::add(&t, &t, &Sm2CurvePortable::kB);
  if (fe_is_zero_mask(&t)) return true;
  // (p - 1) / 2
  Fe e = Sm2PParams::kM;
  e.v[0] -= 1;
  for (int i = 0; i < 3; i++) e.v[i] = (e.v[i] >> 1) | (e.v[i + 1] << 63);
  e.v[3] >>= 1;
  Fe r;
  MontField<Sm2PParams>::pow_public(&r, &t, &e);
  return fe_eq_mask(&r, &F::kOne) != 0;
}

// Reference verification (GB/T 32918.2-2016 §7.1) with affine coordinates.
bool reference_verify(const AffinePoint& pub, const uint8_t e_bytes[32], const uint8_t sig[64]) {
  Fe r, s, e, t;
  fe_from_be32(&r, sig);
  fe_from_be32(&s, sig + 32);
  const Fe n = Sm2NParams::kM;
  if (fe_is_zero_mask(&r) || !fe_lt_mask(&r, &n) || fe_is_zero_mask(&s) || !fe_lt_mask(&s, &n))
    return false;
  fe_mod_add(&t, &r, &s, &n);
  if (fe_is_zero_mask(&t)) return false;
  const AffinePoint g{Sm2CurvePortable::kGx, Sm2CurvePortable::kGy};
  JacobianPoint sg, tp, q;
  M::mul_ct(&sg, &s, &g);
  M::mul_ct(&tp, &t, &pub);
  P::add_ct(&q, &sg, &tp);
  AffinePoint qa;
  if (P::jacobian_to_affine(&qa, &q)) return false;
  Fe x1;
  F::from_mont(&x1, &qa.x);
  // R = (e + x1) mod n; e and x1 may each be >= n, but both are < 2^256 and < 2n... e is any
  // 256-bit value: reduce each once (e < 2^256 < 2n, x1 < p < 2n).
  fe_from_be32(&e, e_bytes);
  fe_reduce_once(&e, &e, 0, &n);
  fe_reduce_once(&x1, &x1, 0, &n);
  Fe sum;
  fe_mod_add(&sum, &e, &x1, &n);
  return fe_eq_mask(&sum, &r) != 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<const Sm2Impl*> is = guomi_fuzz::sm2_impls();
  static Sm2PrivateKey own;  // a fixed private key for ECDH and the key exchange
  static bool once = [] {
    uint8_t d[32];
    for (int i = 0; i < 32; i++) d[i] = static_cast<uint8_t>(0x11 * (i + 1));
    d[0] = 0x5e;
    FUZZ_CHECK(sm2_private_key_init(&own, d) == Sm2Status::kOk, "fixed key");
    return true;
  }();
  (void)once;
  Reader rd(data, size);
  uint8_t e[32], sig[64], r_own[32];
  rd.bytes(e, 32);
  rd.bytes(sig, 64);
  rd.bytes(r_own, 32);
  std::vector<uint8_t> point = rd.rest();
  if (point.size() > 80) point.resize(80);
  const size_t len = point.size();

  // Decode under every implementation and layout; all must agree.
  static Sm2PublicKey keys[2][2];
  Sm2Status st[2][2];
  for (size_t i = 0; i < is.size(); i++)
    for (int pre = 0; pre < 2; pre++)
      st[i][pre] = is[i]->public_key_init(&keys[i][pre], point.data(), len, pre == 1);
  for (size_t i = 0; i < is.size(); i++)
    for (int pre = 0; pre < 2; pre++) FUZZ_CHECK(st[i][pre] == st[0][0], "decoders agree");
  const bool ok = st[0][0] == Sm2Status::kOk;
  FUZZ_CHECK(ok || st[0][0] == Sm2Status::kInvalidPoint, "only kInvalidPoint on failure");
  // The public entry point agrees as well.
  {
    static Sm2PublicKey k;
    FUZZ_CHECK((sm2_public_key_init(&k, point.data(), len) == Sm2Status::kOk) == ok, "public API");
  }

  // Independent validity: the encoding shape, coordinates < p, the curve equation.
  Fe x, y;
  bool shape = (len == 65 && point[0] == 4) || (len == 33 && (point[0] == 2 || point[0] == 3));
  if (!shape) {
    FUZZ_CHECK(!ok, "only 65-byte 04 and 33-byte 02/03 encodings decode");
    return 0;
  }
  const bool x_ok = read_fp(&x, point.data() + 1);
  if (len == 65) {
    const bool y_ok = read_fp(&y, point.data() + 33);
    FUZZ_CHECK(ok == (x_ok && y_ok && on_curve(x, y)), "uncompressed validity");
  } else if (!ok) {
    FUZZ_CHECK(!x_ok || !rhs_is_square(x), "a rejected compressed x has no square root");
  }
  if (!ok) return 0;

  // Accepted: the decoded point is on the curve, has the input's x (and y), and re-encodes.
  const AffinePoint& pt = keys[0][0].point;
  FUZZ_CHECK(on_curve(pt.x, pt.y), "decoded point on the curve");
  FUZZ_CHECK(fe_eq_mask(&pt.x, &x) != 0, "decoded x");
  if (len == 65) FUZZ_CHECK(fe_eq_mask(&pt.y, &y) != 0, "decoded y");
  if (len == 33) {
    Fe plain_y;
    F::from_mont(&plain_y, &pt.y);
    FUZZ_CHECK((plain_y.v[0] & 1) == (point[0] & 1u), "decoded y has the prefix's parity");
  }
  uint8_t enc65[65], enc33[33];
  for (size_t i = 0; i < is.size(); i++) {
    for (int pre = 0; pre < 2; pre++) {
      FUZZ_CHECK(is[i]->public_key_encode(&keys[i][pre], false, enc65) == 65, "encode 65");
      FUZZ_CHECK(is[i]->public_key_encode(&keys[i][pre], true, enc33) == 33, "encode 33");
      if (len == 65) FUZZ_CHECK(std::memcmp(enc65, point.data(), 65) == 0, "65-byte round trip");
      if (len == 33) FUZZ_CHECK(std::memcmp(enc33, point.data(), 33) == 0, "33-byte round trip");
    }
  }
  Sm2PublicKey again;
  FUZZ_CHECK(sm2_public_key_init(&again, enc33, 33, false) == Sm2Status::kOk, "re-decode 33");
  FUZZ_CHECK(std::memcmp(&again.point, &pt, sizeof(pt)) == 0, "33-byte form decodes to the point");
  FUZZ_CHECK(sm2_public_key_init(&again, enc65, 65, false) == Sm2Status::kOk, "re-decode 65");
  FUZZ_CHECK(std::memcmp(&again.point, &pt, sizeof(pt)) == 0, "65-byte form decodes to the point");

  // Verification of an arbitrary signature: every implementation and layout, and the reference.
  const bool want = reference_verify(pt, e, sig);
  for (size_t i = 0; i < is.size(); i++)
    for (int pre = 0; pre < 2; pre++)
      FUZZ_CHECK(is[i]->verify(&keys[i][pre], e, sig) == want, "verify == reference verify");

  // ECDH and the key exchange against this point: the implementations agree.
  uint8_t s0[64], s1[64];
  const Sm2Status e0 = is[0]->ecdh(&own, &keys[0][1], s0);
  for (size_t i = 1; i < is.size(); i++) {
    FUZZ_CHECK(is[i]->ecdh(&own, &keys[i][0], s1) == e0, "ecdh status");
    if (e0 == Sm2Status::kOk) FUZZ_CHECK(std::memcmp(s0, s1, 64) == 0, "ecdh agrees");
  }
  if (len == 65) {
    // The fuzzed point as the peer's ephemeral R, with the own ephemeral r from the input.
    uint8_t ra[65];
    if (sm2_base_point_mul(r_own, ra) == Sm2Status::kOk) {
      const Sm2Status k0 = is[0]->key_exchange_point(&own, r_own, ra, &keys[0][1], point.data(), s0);
      FUZZ_CHECK(k0 == Sm2Status::kOk || k0 == Sm2Status::kInvalidPoint, "kex status");
      for (size_t i = 1; i < is.size(); i++) {
        FUZZ_CHECK(is[i]->key_exchange_point(&own, r_own, ra, &keys[i][0], point.data(), s1) == k0,
                   "kex status agrees");
        if (k0 == Sm2Status::kOk) FUZZ_CHECK(std::memcmp(s0, s1, 64) == 0, "kex agrees");
      }
    }
  }
  return 0;
}
