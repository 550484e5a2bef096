// fuzz_sm2_decrypt.cc — SM2 decryption (GB/T 32918.4-2016 §7.1) of arbitrary and of tampered
// ciphertexts.
//
// Arbitrary C1 || C3 || C2: the outcome must match a reference decryption computed here from the
// core's separately tested pieces (point decoding, ECDH, the SM3 KDF and SM3): success exactly
// when C1 is a valid point, C2 is non-empty, the KDF output is not all zero and C3 matches — and
// then the plaintext is C2 xor KDF — otherwise kDecryptFailed with the output all zero. Every
// field implementation must agree, out of place and in place.
//
// Tampered: a ciphertext made with a fuzzer-chosen nonce and message (identical under every
// implementation) decrypts to the message, and with any one byte changed is refused, wiped.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "../core/sm2.h"
#include "../core/sm2_impl.h"
#include "../core/sm3.h"
#include "fuzz_sm2.h"
#include "fuzz_util.h"

using namespace guomi;
using guomi_fuzz::Reader;
using Bytes = std::vector<uint8_t>;

namespace {

bool all_zero(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i]) return false;
  return true;
}

// reference_decrypt: §7.1 B1–B7 from the pieces; returns whether it succeeds and the plaintext.
bool reference_decrypt(const Sm2PrivateKey& key, const uint8_t c1[65], const uint8_t c3[32],
                       const Bytes& c2, Bytes* plain) {
  if (c2.empty()) return false;
  Sm2PublicKey p;
  if (sm2_public_key_init(&p, c1, 65, false) != Sm2Status::kOk) return false;  // B1
  uint8_t xy[64];
  if (sm2_ecdh(&key, &p, xy) != Sm2Status::kOk) return false;  // B3 (h = 1)
  Bytes t(c2.size());
  sm3_kdf(xy, 64, t.data(), t.size());                        // B4
  if (all_zero(t.data(), t.size())) return false;
  plain->resize(c2.size());
  for (size_t i = 0; i < c2.size(); i++) (*plain)[i] = c2[i] ^ t[i];  // B5
  Sm3Ctx h;                                                    // B6
  sm3_init(&h);
  sm3_update(&h, xy, 32);
  sm3_update(&h, plain->data(), plain->size());
  sm3_update(&h, xy + 32, 32);
  uint8_t u[32];
  sm3_final(&h, u);
  return std::memcmp(u, c3, 32) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<const Sm2Impl*> is = guomi_fuzz::sm2_impls();
  static Sm2PrivateKey key;
  static Sm2PublicKey pub;
  static bool once = [] {
    uint8_t d[32];
    for (int i = 0; i < 32; i++) d[i] = static_cast<uint8_t>(0x3c + 17 * i);
    d[0] = 0x2b;
    FUZZ_CHECK(sm2_private_key_init(&key, d) == Sm2Status::kOk, "fixed key");
    FUZZ_CHECK(sm2_public_key_init(&pub, key.public_point, 65) == Sm2Status::kOk, "fixed pub");
    return true;
  }();
  (void)once;
  Reader r(data, size);
  const uint8_t sel = r.u8();

  if (sel % 2 == 0) {
    uint8_t c1[65], c3[32];
    r.bytes(c1, 65);
    r.bytes(c3, 32);
    if (sel & 2) c1[0] = 4;  // reach the point check more often
    Bytes c2 = r.rest();
    if (c2.size() > 1024) c2.resize(1024);
    Bytes want;
    const bool ok = reference_decrypt(key, c1, c3, c2, &want);
    for (const Sm2Impl* impl : is) {
      Bytes out(c2.size() + 1, 0x5A);
      const Sm2Status s = impl->decrypt(&key, c1, c3, c2.data(), c2.size(), out.data());
      FUZZ_CHECK(s == (ok ? Sm2Status::kOk : Sm2Status::kDecryptFailed), "status == reference");
      FUZZ_CHECK(out[c2.size()] == 0x5A, "no write past the output");
      if (ok) {
        FUZZ_CHECK(Bytes(out.begin(), out.end() - 1) == want, "plaintext == reference");
      } else {
        FUZZ_CHECK(all_zero(out.data(), c2.size()), "failure leaves the output zero");
      }
      Bytes inplace(c2);
      const Sm2Status s2 = impl->decrypt(&key, c1, c3, inplace.data(), inplace.size(), inplace.data());
      FUZZ_CHECK(s2 == s, "in place == out of place");
      FUZZ_CHECK(ok ? inplace == want : all_zero(inplace.data(), inplace.size()), "in-place output");
    }
    return 0;
  }

  // A real ciphertext, then one byte changed (or none, when the change is 0).
  uint8_t k[32];
  r.bytes(k, 32);
  const size_t where = r.u16();
  const uint8_t change = r.u8();
  Bytes msg = r.rest();
  if (msg.size() > 1024) msg.resize(1024);
  if (msg.empty()) msg.push_back(0);
  Bytes ct(97 + msg.size()), ct2(ct.size());
  const Sm2Status es = is[0]->encrypt_with_nonce(&pub, msg.data(), msg.size(), k, ct.data());
  for (size_t i = 1; i < is.size(); i++) {
    FUZZ_CHECK(is[i]->encrypt_with_nonce(&pub, msg.data(), msg.size(), k, ct2.data()) == es,
               "encrypt status agrees");
    if (es == Sm2Status::kOk) FUZZ_CHECK(ct2 == ct, "ciphertexts agree");
  }
  if (es != Sm2Status::kOk) {
    // Only for a nonce outside [1, n-1], or an all-zero KDF output (A5: likely for a short
    // message — 1 in 256 for one byte).
    uint8_t g[65], kp[65];
    if (sm2_base_point_mul(k, g) == Sm2Status::kInvalidArgument) return 0;
    FUZZ_CHECK(is[0]->mul_point(k, key.public_point, kp) == Sm2Status::kOk, "[k]P");
    Bytes t(msg.size());
    sm3_kdf(kp + 1, 64, t.data(), t.size());
    FUZZ_CHECK(all_zero(t.data(), t.size()), "encryption refuses only an all-zero KDF output");
    return 0;
  }
  ct[where % ct.size()] ^= change;
  for (const Sm2Impl* impl : is) {
    Bytes out(msg.size());
    const Sm2Status s = impl->decrypt(&key, ct.data(), ct.data() + 65, ct.data() + 97, msg.size(), out.data());
    if (change == 0) {
      FUZZ_CHECK(s == Sm2Status::kOk && out == msg, "encrypt-then-decrypt round trip");
    } else {
      FUZZ_CHECK(s == Sm2Status::kDecryptFailed, "a changed ciphertext is refused");
      FUZZ_CHECK(all_zero(out.data(), out.size()), "refused: output zero");
    }
  }
  return 0;
}
