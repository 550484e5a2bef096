// kat_sm2.cc — SM2 known answers from vectors/ for the standalone runner: signatures, encryption
// and key exchange on the recommended curve (through the public API and whichever field
// implementation the enabled CPU features select) and on the Fp-256 test curve of
// GB/T 32918.2–.4 Annex A (through the generic-modulus instantiation); point decoding and
// validation; the HMAC-SM3 DRBG of the hedged nonces.
#include <cstring>
#include <string>
#include <vector>

#include "../core/drbg.h"
#include "../core/sm2.h"
#include "../core/sm2_impl.h"
#include "../core/sm3.h"
#include "filetest.h"
#include "kat.h"

namespace guomi_test {

namespace {

using guomi::Sm2Impl;
using guomi::Sm2PrivateKey;
using guomi::Sm2PublicKey;
using guomi::Sm2Status;
using Bytes = std::vector<uint8_t>;

Bytes hex(const char* s) {
  Bytes out;
  for (size_t i = 0; s[i] && s[i + 1]; i += 2) {
    auto v = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    out.push_back(static_cast<uint8_t>(v(s[i]) * 16 + v(s[i + 1])));
  }
  return out;
}

// a || b || xG || yG for Z (GB/T 32918.2-2016 §5.5), from shared/conformance sm2_curves.json
// (GB/T 32918.5-2017 §2 and GB/T 32918.2-2016 Annex A.1).
Bytes curve_abg(const std::string& curve) {
  if (curve == "sm2p256v1")
    return hex(
        "fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc"
        "28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93"
        "32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7"
        "bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0");
  return hex(
      "787968b4fa32c3fd2417842e73bbfeff2f3c848b6831d7e0ec65228b3937e498"
      "63e4c6d3b23b0c849cf84241484bfe48f61d59a5b16ba06e6e12d1da27c5249a"
      "421debd61b62eab6746434ebc3cc315e32220b3badd50bdc4c4e6c147fedd43d"
      "0680512bcbb42c07d47349d2153b70c4e5d7fdfcbfa36ea1a85841b9e46e09a2");
}

const Sm2Impl* impl_for(FileTestCase& t, const std::string& curve) {
  if (curve == "sm2p256v1") return &guomi::sm2_impl();
  if (curve == "test-fp256") return &guomi::sm2_test_curve_impl();
  t.fail("unknown curve " + curve);
  return nullptr;
}

// za = SM3(ENTL || ID || a || b || xG || yG || xA || yA).
Bytes compute_za(const std::string& curve, const Bytes& id, const Bytes& pub65) {
  const Bytes abg = curve_abg(curve);
  guomi::Sm3Ctx c;
  guomi::sm3_init(&c);
  const uint8_t entl[2] = {static_cast<uint8_t>((id.size() * 8) >> 8),
                           static_cast<uint8_t>(id.size() * 8)};
  guomi::sm3_update(&c, entl, 2);
  guomi::sm3_update(&c, id.data(), id.size());
  guomi::sm3_update(&c, abg.data(), abg.size());
  guomi::sm3_update(&c, pub65.data() + 1, 64);
  Bytes za(32);
  guomi::sm3_final(&c, za.data());
  return za;
}

bool eq(const Bytes& a, const uint8_t* b, size_t n) {
  return a.size() == n && std::memcmp(a.data(), b, n) == 0;
}

void test_sign(FileTestCase& t) {
  const std::string curve = t.str("Curve");
  const Sm2Impl* impl = impl_for(t, curve);
  if (!impl) return;
  const Bytes pub = t.bytes("Pub"), sig = t.bytes("Sig");
  const bool valid = t.str("Result") == "valid";
  Bytes e;
  if (t.has("Msg")) {
    const Bytes za = compute_za(curve, t.bytes("Id"), pub);
    if (t.has("ZA") && t.bytes("ZA") != za) t.fail("ZA mismatch");
    Bytes m = za;
    const Bytes msg = t.bytes("Msg");
    m.insert(m.end(), msg.begin(), msg.end());
    e.resize(32);
    guomi::sm3(m.data(), m.size(), e.data());
    if (t.has("E") && t.bytes("E") != e) t.fail("e mismatch");
  } else {
    e = t.bytes("E");
  }
  if (e.size() != 32 || sig.size() != 64) return t.fail("bad lengths");
  // Both kinds of public key: with the split tables and with the plain w-NAF.
  Sm2PublicKey pk, light;
  if (impl->public_key_init(&pk, pub.data(), pub.size(), true) != Sm2Status::kOk ||
      impl->public_key_init(&light, pub.data(), pub.size(), false) != Sm2Status::kOk)
    return t.fail("public key rejected");
  if (impl->verify(&pk, e.data(), sig.data()) != valid) t.fail("verify gave the wrong answer");
  if (impl->verify(&light, e.data(), sig.data()) != valid)
    t.fail("verify (no tables) gave the wrong answer");
  // The compressed encoding decodes to the same key.
  uint8_t comp[33], back[65];
  impl->public_key_encode(&pk, true, comp);
  Sm2PublicKey pk2;
  if (impl->public_key_init(&pk2, comp, 33, false) != Sm2Status::kOk ||
      impl->public_key_encode(&pk2, false, back) != 65 || !eq(pub, back, 65))
    t.fail("compressed round trip");
  if (!t.has("D")) return;
  const Bytes d = t.bytes("D");
  Sm2PrivateKey sk;
  if (impl->private_key_init(&sk, d.data()) != Sm2Status::kOk) return t.fail("private key rejected");
  if (!eq(pub, sk.public_point, 65)) t.fail("public key from d mismatch");
  if (t.has("K")) {
    const Bytes k = t.bytes("K");
    uint8_t got[64];
    if (impl->sign_with_nonce(&sk, e.data(), k.data(), got) != Sm2Status::kOk || !eq(sig, got, 64))
      t.fail("signature with fixed k mismatch");
  }
  if (valid && impl == &guomi::sm2_impl()) {
    // Hedged signing through the public API: fresh each time, and verifies.
    uint8_t s1[64], s2[64];
    if (guomi::sm2_sign(&sk, e.data(), s1) != Sm2Status::kOk ||
        guomi::sm2_sign(&sk, e.data(), s2) != Sm2Status::kOk)
      return t.fail("sm2_sign failed");
    if (std::memcmp(s1, s2, 64) == 0) t.fail("two hedged signatures are equal");
    if (!guomi::sm2_verify(&pk, e.data(), s1)) t.fail("hedged signature does not verify");
    s1[63] ^= 1;
    if (guomi::sm2_verify(&pk, e.data(), s1)) t.fail("tampered signature verifies");
  }
  guomi::sm2_private_key_wipe(&sk);
}

void test_encrypt(FileTestCase& t) {
  const std::string curve = t.str("Curve");
  const Sm2Impl* impl = impl_for(t, curve);
  if (!impl) return;
  const Bytes d = t.bytes("D"), pub = t.bytes("Pub"), ct = t.bytes("Ciphertext");
  const bool valid = t.str("Result") == "valid";
  Sm2PrivateKey sk;
  Sm2PublicKey pk, light;
  if (impl->private_key_init(&sk, d.data()) != Sm2Status::kOk) return t.fail("private key rejected");
  if (!eq(pub, sk.public_point, 65)) t.fail("public key from d mismatch");
  if (impl->public_key_init(&pk, pub.data(), pub.size(), true) != Sm2Status::kOk ||
      impl->public_key_init(&light, pub.data(), pub.size(), false) != Sm2Status::kOk)
    return t.fail("public key rejected");
  Bytes msg;
  if (t.has("Msg")) msg = t.bytes("Msg");
  if (t.has("K")) {
    const Bytes k = t.bytes("K");
    for (const Sm2PublicKey* key : {&pk, &light}) {
      Bytes out(97 + msg.size());
      if (impl->encrypt_with_nonce(key, msg.data(), msg.size(), k.data(), out.data()) !=
              Sm2Status::kOk ||
          out != ct)
        t.fail(key == &pk ? "encryption with fixed k mismatch"
                          : "encryption with fixed k mismatch (no tables)");
    }
  }
  // Decrypt with the caller's split: C1 = 65 bytes, C3 = 32, C2 = the rest.
  if (ct.size() < 97) {
    if (valid) t.fail("short valid ciphertext");
    return;
  }
  const size_t len = ct.size() - 97;
  Bytes out(len + 1, 0xaa);
  const Sm2Status st = impl->decrypt(&sk, ct.data(), ct.data() + 65, ct.data() + 97, len, out.data());
  if (valid) {
    if (st != Sm2Status::kOk || !eq(msg, out.data(), len)) t.fail("decryption mismatch");
  } else {
    if (st != Sm2Status::kDecryptFailed) t.fail("invalid ciphertext decrypted");
    for (size_t i = 0; i < len; i++)
      if (out[i] != 0) return t.fail("output not wiped after a failure");
  }
  if (out[len] != 0xaa) t.fail("decrypt wrote past the end");
  if (valid && impl == &guomi::sm2_impl()) {
    // Random-nonce round trip through the public API, and in-place decryption.
    Bytes c(97 + msg.size());
    if (guomi::sm2_encrypt(&pk, msg.data(), msg.size(), c.data()) != Sm2Status::kOk)
      return t.fail("sm2_encrypt failed");
    if (guomi::sm2_decrypt(&sk, c.data(), c.data() + 65, c.data() + 97, msg.size(),
                           c.data() + 97) != Sm2Status::kOk ||
        !eq(msg, c.data() + 97, msg.size()))
      t.fail("random round trip");
  }
  guomi::sm2_private_key_wipe(&sk);
}

void test_key_exchange(FileTestCase& t) {
  const std::string curve = t.str("Curve");
  const Sm2Impl* impl = impl_for(t, curve);
  if (!impl) return;
  const Bytes ida = t.bytes("IdA"), idb = t.bytes("IdB");
  const Bytes da = t.bytes("DA"), pa = t.bytes("PA"), ra = t.bytes("RA"), pra = t.bytes("PointRA");
  const Bytes db = t.bytes("DB"), pb = t.bytes("PB"), rb = t.bytes("RB"), prb = t.bytes("PointRB");
  const Bytes want_u = t.bytes("U"), want_k = t.bytes("K");
  const Bytes want_s1 = t.bytes("S1"), want_s2 = t.bytes("S2");
  const size_t klen = t.num("KLen");
  const Bytes za = compute_za(curve, ida, pa), zb = compute_za(curve, idb, pb);
  if (t.bytes("ZA") != za || t.bytes("ZB") != zb) t.fail("ZA/ZB mismatch");
  Sm2PrivateKey ska, skb;
  Sm2PublicKey pka, pkb;
  if (impl->private_key_init(&ska, da.data()) != Sm2Status::kOk ||
      impl->private_key_init(&skb, db.data()) != Sm2Status::kOk ||
      impl->public_key_init(&pka, pa.data(), 65, true) != Sm2Status::kOk ||
      impl->public_key_init(&pkb, pb.data(), 65, false) != Sm2Status::kOk)
    return t.fail("key rejected");
  if (!eq(pa, ska.public_point, 65) || !eq(pb, skb.public_point, 65)) t.fail("static public keys");
  // The ephemeral points are [r]G (through the public entry point on the real curve).
  uint8_t point[65];
  auto mul_base = [&](const Bytes& r) {
    return impl == &guomi::sm2_impl() ? guomi::sm2_base_point_mul(r.data(), point)
                                      : impl->mul_base(r.data(), point);
  };
  if (mul_base(ra) != Sm2Status::kOk || !eq(pra, point, 65)) t.fail("RA");
  if (mul_base(rb) != Sm2Status::kOk || !eq(prb, point, 65)) t.fail("RB");
  // A (A4–A7) and B (B3–B6) reach the same point.
  uint8_t u[64], v[64];
  if (impl->key_exchange_point(&ska, ra.data(), pra.data(), &pkb, prb.data(), u) != Sm2Status::kOk ||
      impl->key_exchange_point(&skb, rb.data(), prb.data(), &pka, pra.data(), v) != Sm2Status::kOk)
    return t.fail("key_exchange_point failed");
  if (want_u.size() != 65 || std::memcmp(want_u.data() + 1, u, 64) != 0) t.fail("U mismatch");
  if (std::memcmp(u, v, 64) != 0) t.fail("U != V");
  // K = KDF(xU || yU || ZA || ZB, klen) (A8/B7).
  Bytes z(u, u + 64);
  z.insert(z.end(), za.begin(), za.end());
  z.insert(z.end(), zb.begin(), zb.end());
  Bytes k(klen);
  guomi::sm3_kdf(z.data(), z.size(), k.data(), k.size());
  if (k != want_k) t.fail("K mismatch");
  // inner = SM3(xU || ZA || ZB || x1 || y1 || x2 || y2); S = SM3(tag || yU || inner).
  Bytes inner_in(u, u + 32);
  inner_in.insert(inner_in.end(), za.begin(), za.end());
  inner_in.insert(inner_in.end(), zb.begin(), zb.end());
  inner_in.insert(inner_in.end(), pra.begin() + 1, pra.end());
  inner_in.insert(inner_in.end(), prb.begin() + 1, prb.end());
  uint8_t inner[32];
  guomi::sm3(inner_in.data(), inner_in.size(), inner);
  for (uint8_t tag : {uint8_t{2}, uint8_t{3}}) {
    Bytes s_in = {tag};
    s_in.insert(s_in.end(), u + 32, u + 64);
    s_in.insert(s_in.end(), inner, inner + 32);
    uint8_t s[32];
    guomi::sm3(s_in.data(), s_in.size(), s);
    if (!eq(tag == 2 ? want_s1 : want_s2, s, 32)) t.fail(tag == 2 ? "S1/SB mismatch" : "S2/SA mismatch");
  }
  // A tampered peer ephemeral point (off the curve) is refused.
  Bytes bad = prb;
  bad[64] ^= 1;
  if (impl->key_exchange_point(&ska, ra.data(), pra.data(), &pkb, bad.data(), u) !=
      Sm2Status::kInvalidPoint)
    t.fail("off-curve R accepted");
  guomi::sm2_private_key_wipe(&ska);
  guomi::sm2_private_key_wipe(&skb);
}

// test_point: decoding and validation of public points, both kinds of key object.
void test_point(FileTestCase& t) {
  const Bytes in = t.bytes("Point");
  const bool valid = t.str("Result") == "valid";
  for (bool precompute : {true, false}) {
    Sm2PublicKey pk;
    const Sm2Status st = guomi::sm2_public_key_init(&pk, in.data(), in.size(), precompute);
    if ((st == Sm2Status::kOk) != valid) return t.fail(valid ? "valid point rejected" : "invalid point accepted");
    if (!valid && st != Sm2Status::kInvalidPoint) t.fail("wrong status");
    if (valid) {
      uint8_t out[65];
      if (guomi::sm2_public_key_encode(&pk, false, out) != 65 || !eq(t.bytes("Uncompressed"), out, 65))
        t.fail("decoded point mismatch");
    }
  }
}

// test_drbg: the HMAC-SM3 DRBG behind the hedged signing nonces (CAVP-style sequence).
void test_drbg(FileTestCase& t) {
  const Bytes ent = t.bytes("Entropy"), nonce = t.bytes("Nonce"), pers = t.bytes("Pers");
  const Bytes add1 = t.bytes("Add1"), add2 = t.bytes("Add2"), want = t.bytes("Returned");
  guomi::HmacDrbgSm3 d;
  guomi::hmac_drbg_sm3_instantiate(&d, ent.data(), ent.size(), nonce.data(), nonce.size(),
                                   pers.data(), pers.size());
  if (t.has("EntropyReseed")) {
    const Bytes er = t.bytes("EntropyReseed"), ar = t.bytes("AddReseed");
    guomi::hmac_drbg_sm3_reseed(&d, er.data(), er.size(), ar.data(), ar.size());
  }
  Bytes out(want.size());
  if (!guomi::hmac_drbg_sm3_generate(&d, out.data(), out.size(), add1.data(), add1.size()) ||
      !guomi::hmac_drbg_sm3_generate(&d, out.data(), out.size(), add2.data(), add2.size()) ||
      out != want)
    t.fail("DRBG output mismatch");
  guomi::hmac_drbg_sm3_wipe(&d);
}

}  // namespace

int kat_sm2(const std::string& dir) {
  int failed = 0;
  failed += run_file_tests(dir + "/sm2_drbg.txt", test_drbg);
  failed += run_file_tests(dir + "/sm2_point.txt", test_point);
  failed += run_file_tests(dir + "/sm2_sign.txt", test_sign);
  failed += run_file_tests(dir + "/sm2_encrypt.txt", test_encrypt);
  failed += run_file_tests(dir + "/sm2_keyexchange.txt", test_key_exchange);
  return failed;
}

}  // namespace guomi_test
