// fuzz_sm2_roundtrip.cc — SM2 round trips and cross-implementation agreement on fuzzer-chosen
// private keys, nonces, digests and messages: key loading (the [1, n-2] range check and the
// public point), sign-then-verify (fixed nonce and hedged), encrypt-then-decrypt, ECDH in both
// directions and the GB/T 32918.3 key-exchange point for both roles. The portable and the
// BMI2/ADX implementations must produce identical keys, signatures and ciphertexts; verification
// must accept every signature made and refuse it with one bit changed or under another digest.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "../core/sm2.h"
#include "../core/sm2_impl.h"
#include "../core/sm2_params.h"
#include "fuzz_sm2.h"
#include "fuzz_util.h"

using namespace guomi;
using guomi_fuzz::Reader;
using Bytes = std::vector<uint8_t>;

namespace {

// In range [1, max] as big-endian bytes, compared bytewise against n - 1 or n - 2.
bool in_range(const uint8_t k[32], uint64_t minus) {
  Fe v, m = Sm2NParams::kM;
  fe_from_be32(&v, k);
  m.v[0] -= minus;  // n's low limb is far from 0, no borrow
  return !fe_is_zero_mask(&v) && !fe_lt_mask(&m, &v);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<const Sm2Impl*> is = guomi_fuzz::sm2_impls();
  Reader r(data, size);
  uint8_t d1[32], d2[32], k[32], ra[32], rb[32], e[32];
  r.bytes(d1, 32);
  r.bytes(d2, 32);
  r.bytes(k, 32);
  r.bytes(ra, 32);
  r.bytes(rb, 32);
  r.bytes(e, 32);
  const uint8_t flip = r.u8();
  Bytes msg = r.rest();
  if (msg.size() > 512) msg.resize(512);

  // Keys: the range check, and the same public point from every implementation.
  Sm2PrivateKey sk[2][2];  // [impl][which]
  const uint8_t* ds[2] = {d1, d2};
  bool valid[2];
  for (int w = 0; w < 2; w++) {
    valid[w] = in_range(ds[w], 2);
    for (size_t i = 0; i < is.size(); i++) {
      const Sm2Status s = is[i]->private_key_init(&sk[i][w], ds[w]);
      FUZZ_CHECK(s == (valid[w] ? Sm2Status::kOk : Sm2Status::kInvalidKey), "private key range");
      if (valid[w] && i > 0)
        FUZZ_CHECK(std::memcmp(sk[i][w].public_point, sk[0][w].public_point, 65) == 0 &&
                       std::memcmp(&sk[i][w].dinv, &sk[0][w].dinv, sizeof(Fe)) == 0,
                   "private keys agree");
    }
    if (valid[w]) {
      uint8_t g[65];
      FUZZ_CHECK(sm2_base_point_mul(ds[w], g) == Sm2Status::kOk, "[d]G");
      FUZZ_CHECK(std::memcmp(g, sk[0][w].public_point, 65) == 0, "public point == [d]G");
    }
  }
  if (!valid[0]) return 0;
  static Sm2PublicKey pk[2][2][2];  // [impl][which][tables]
  for (size_t i = 0; i < is.size(); i++)
    for (int w = 0; w < 2; w++)
      for (int t = 0; t < 2; t++)
        if (valid[w])
          FUZZ_CHECK(is[i]->public_key_init(&pk[i][w][t], sk[0][w].public_point, 65, t == 1) == Sm2Status::kOk,
                     "public key of a private key");

  // Sign with the fuzzer's nonce: identical everywhere; verifies; a changed bit or digest fails.
  uint8_t sig[64], sig2[64];
  const Sm2Status ss = is[0]->sign_with_nonce(&sk[0][0], e, k, sig);
  FUZZ_CHECK(ss == Sm2Status::kOk || ss == Sm2Status::kInvalidArgument, "sign status");
  if (!in_range(k, 1)) FUZZ_CHECK(ss == Sm2Status::kInvalidArgument, "nonce range");
  for (size_t i = 1; i < is.size(); i++) {
    FUZZ_CHECK(is[i]->sign_with_nonce(&sk[i][0], e, k, sig2) == ss, "sign status agrees");
    if (ss == Sm2Status::kOk) FUZZ_CHECK(std::memcmp(sig, sig2, 64) == 0, "signatures agree");
  }
  uint8_t hedged[64];
  FUZZ_CHECK(sm2_sign(&sk[0][0], e, hedged) == Sm2Status::kOk, "hedged sign");
  uint8_t e2[32];
  std::memcpy(e2, e, 32);
  e2[flip % 32] ^= static_cast<uint8_t>(1u << (flip % 8));
  for (size_t i = 0; i < is.size(); i++) {
    for (int t = 0; t < 2; t++) {
      const Sm2PublicKey* key = &pk[i][0][t];
      FUZZ_CHECK(is[i]->verify(key, e, hedged), "hedged signature verifies");
      FUZZ_CHECK(!is[i]->verify(key, e2, hedged), "hedged signature, other digest");
      if (ss != Sm2Status::kOk) continue;
      FUZZ_CHECK(is[i]->verify(key, e, sig), "fixed-nonce signature verifies");
      std::memcpy(sig2, sig, 64);
      sig2[(flip >> 2) % 64] ^= static_cast<uint8_t>(1u << (flip & 7));
      FUZZ_CHECK(!is[i]->verify(key, e, sig2), "changed signature fails");
      if (valid[1] && std::memcmp(d1, d2, 32) != 0)
        FUZZ_CHECK(!is[i]->verify(&pk[i][1][t], e, sig), "signature under another key fails");
    }
  }

  // Encrypt to key 0 with the fuzzer's nonce; identical everywhere; decrypts to the message.
  if (!msg.empty()) {
    Bytes ct(97 + msg.size()), ct2(ct.size()), back(msg.size());
    const Sm2Status es = is[0]->encrypt_with_nonce(&pk[0][0][1], msg.data(), msg.size(), k, ct.data());
    if (!in_range(k, 1)) FUZZ_CHECK(es == Sm2Status::kInvalidArgument, "encryption nonce range");
    for (size_t i = 0; i < is.size() && es == Sm2Status::kOk; i++) {
      for (int t = 0; t < 2; t++) {
        FUZZ_CHECK(is[i]->encrypt_with_nonce(&pk[i][0][t], msg.data(), msg.size(), k, ct2.data()) == es,
                   "encrypt status");
        FUZZ_CHECK(ct2 == ct, "ciphertexts agree");
      }
      FUZZ_CHECK(is[i]->decrypt(&sk[i][0], ct.data(), ct.data() + 65, ct.data() + 97, msg.size(),
                                back.data()) == Sm2Status::kOk,
                 "decrypt");
      FUZZ_CHECK(back == msg, "encrypt-then-decrypt round trip");
    }
    Bytes ct3(97 + msg.size());
    FUZZ_CHECK(sm2_encrypt(&pk[0][0][1], msg.data(), msg.size(), ct3.data()) == Sm2Status::kOk, "encrypt");
    FUZZ_CHECK(sm2_decrypt(&sk[0][0], ct3.data(), ct3.data() + 65, ct3.data() + 97, msg.size(),
                           back.data()) == Sm2Status::kOk && back == msg,
               "random-nonce round trip");
  }

  // ECDH both ways, and the key exchange both roles.
  if (valid[1]) {
    uint8_t a[64], b[64];
    for (size_t i = 0; i < is.size(); i++) {
      FUZZ_CHECK(is[i]->ecdh(&sk[i][0], &pk[i][1][i % 2], a) == Sm2Status::kOk, "ecdh A");
      FUZZ_CHECK(is[i]->ecdh(&sk[i][1], &pk[i][0][1 - i % 2], b) == Sm2Status::kOk, "ecdh B");
      FUZZ_CHECK(std::memcmp(a, b, 64) == 0, "ecdh agrees");
    }
    uint8_t pa[65], pb[65];
    if (sm2_base_point_mul(ra, pa) == Sm2Status::kOk && sm2_base_point_mul(rb, pb) == Sm2Status::kOk) {
      uint8_t first[64];
      Sm2Status first_status = Sm2Status::kOk;
      for (size_t i = 0; i < is.size(); i++) {
        const Sm2Status sa = is[i]->key_exchange_point(&sk[i][0], ra, pa, &pk[i][1][1], pb, a);
        const Sm2Status sb = is[i]->key_exchange_point(&sk[i][1], rb, pb, &pk[i][0][0], pa, b);
        FUZZ_CHECK(sa == sb, "kex statuses agree");
        if (i == 0) first_status = sa, std::memcpy(first, a, 64);
        FUZZ_CHECK(sa == first_status, "kex status agrees across implementations");
        if (sa != Sm2Status::kOk) continue;  // U = O: needs a crafted relation between the keys
        FUZZ_CHECK(std::memcmp(a, b, 64) == 0, "kex: both roles get the same point");
        FUZZ_CHECK(std::memcmp(a, first, 64) == 0, "kex agrees across implementations");
      }
    } else {
      FUZZ_CHECK(!in_range(ra, 1) || !in_range(rb, 1), "ephemeral range");
    }
  }
  for (size_t i = 0; i < is.size(); i++)
    for (int w = 0; w < 2; w++) sm2_private_key_wipe(&sk[i][w]);
  return 0;
}
