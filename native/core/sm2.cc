// sm2.cc — the public SM2 entry points: implementation dispatch, key generation and hedged
// signing nonces (GB/T 32918.2-2016 §6.1 A3), encryption nonces (32918.4 §6.1 A1).
#include "sm2.h"

#include <cstring>

#include "cpu.h"
#include "ct.h"
#include "drbg.h"
#include "rand.h"
#include "sm2_base_table.h"
#include "sm2_fe.h"
#include "sm2_impl.h"
#include "sm2_params.h"

namespace guomi {

namespace {

// scalar_in_range: all-ones mask if 1 <= k <= max (k read big-endian).
uint64_t scalar_in_range(const uint8_t k_bytes[32], const Fe& max) {
  Fe k;
  fe_from_be32(&k, k_bytes);
  const uint64_t ok = ~fe_lt_mask(&max, &k) & ~fe_is_zero_mask(&k);
  secure_zero(&k, sizeof(k));
  return ok;
}

constexpr Fe kNMinus1{{Sm2NParams::kM.v[0] - 1, Sm2NParams::kM.v[1], Sm2NParams::kM.v[2],
                       Sm2NParams::kM.v[3]}};
constexpr Fe kNMinus2{{Sm2NParams::kM.v[0] - 2, Sm2NParams::kM.v[1], Sm2NParams::kM.v[2],
                       Sm2NParams::kM.v[3]}};

// random_scalar draws k in [1, max] by rejection: uniform, and the only thing a rejection
// reveals is that a discarded candidate was out of range (probability about 2^-32 each).
bool random_scalar(uint8_t k[32], const Fe& max) {
  for (;;) {
    if (!rand_bytes(k, 32)) return false;
    GUOMI_SECRET(k, 32);
    uint64_t ok = scalar_in_range(k, max);
    GUOMI_DECLASSIFY(&ok, sizeof(ok));
    if (ok) return true;
  }
}

}  // namespace

const Sm2Impl& sm2_impl() {
#if defined(__x86_64__)
  if (cpu_has(kCpuBMI2 | kCpuADX)) return sm2_impl_adx();
#endif
#if defined(__aarch64__)
  // The A64 field needs only base ARMv8-A instructions, so there is nothing to detect; "neon"
  // (always present on AArch64 Linux) is the switch that turns it off (GUOMI_DISABLE=neon), as
  // for the NEON SM4 path, so that its portable twin can be run on the same CPU.
  if (cpu_has(kCpuNEON)) return sm2_impl_arm64();
#endif
  return sm2_impl_portable();
}

const char* sm2_impl_name() { return sm2_impl().name; }

void sm2_precompute() { (void)sm2_base_table(); }

Sm2Status sm2_private_key_init(Sm2PrivateKey* key, const uint8_t d[kSm2ScalarSize]) {
  return sm2_impl().private_key_init(key, d);
}

void sm2_private_key_wipe(Sm2PrivateKey* key) { secure_zero(key, sizeof(*key)); }

Sm2Status sm2_generate_scalar(uint8_t d[kSm2ScalarSize]) {
  // GB/T 32918.1-2016 §6.1: d in [1, n-2].
  return random_scalar(d, kNMinus2) ? Sm2Status::kOk : Sm2Status::kRandomFailure;
}

Sm2Status sm2_public_key_init(Sm2PublicKey* key, const uint8_t* point, size_t len,
                              bool precompute) {
  return sm2_impl().public_key_init(key, point, len, precompute);
}

size_t sm2_public_key_encode(const Sm2PublicKey* key, bool compressed, uint8_t* out) {
  return sm2_impl().public_key_encode(key, compressed, out);
}

Sm2Status sm2_base_point_mul(const uint8_t k[kSm2ScalarSize], uint8_t out[kSm2PointSize]) {
  return sm2_impl().mul_base(k, out);
}

Sm2Status sm2_sign(const Sm2PrivateKey* key, const uint8_t e[32], uint8_t sig[kSm2SignatureSize]) {
  const Sm2Impl& impl = sm2_impl();
  // Hedged nonce: HMAC_DRBG(entropy = 32 OS bytes, nonce = e, personalisation = d). A broken OS
  // generator then degrades to a deterministic nonce (still secret); a good one makes every
  // signature fresh. Candidates outside [1, n-1] are rejected; so are the rare k for which
  // A5/A6 ask for another k.
  uint8_t entropy[32], d_bytes[32], k[32];
  if (!rand_bytes(entropy, sizeof(entropy))) return Sm2Status::kRandomFailure;
  fe_to_be32(d_bytes, &key->d);
  HmacDrbgSm3 drbg;
  hmac_drbg_sm3_instantiate(&drbg, entropy, sizeof(entropy), e, 32, d_bytes, sizeof(d_bytes));
  secure_zero(d_bytes, sizeof(d_bytes));
  secure_zero(entropy, sizeof(entropy));
  Sm2Status status = Sm2Status::kRandomFailure;
  for (;;) {
    if (!hmac_drbg_sm3_generate(&drbg, k, sizeof(k), nullptr, 0)) break;
    uint64_t in_range = scalar_in_range(k, kNMinus1);
    GUOMI_DECLASSIFY(&in_range, sizeof(in_range));
    if (!in_range) continue;
    status = impl.sign_with_nonce(key, e, k, sig);
    if (status == Sm2Status::kOk) break;
  }
  secure_zero(k, sizeof(k));
  hmac_drbg_sm3_wipe(&drbg);
  return status;
}

Sm2Status sm2_sign_with_nonce_for_testing(const Sm2PrivateKey* key, const uint8_t e[32],
                                          const uint8_t k[kSm2ScalarSize],
                                          uint8_t sig[kSm2SignatureSize]) {
  return sm2_impl().sign_with_nonce(key, e, k, sig);
}

bool sm2_verify(const Sm2PublicKey* key, const uint8_t e[32], const uint8_t sig[kSm2SignatureSize]) {
  return sm2_impl().verify(key, e, sig);
}

Sm2Status sm2_encrypt(const Sm2PublicKey* key, const uint8_t* msg, size_t len, uint8_t* out) {
  if (len == 0 || len > kSm2MaxMessageSize) return Sm2Status::kInvalidArgument;
  const Sm2Impl& impl = sm2_impl();
  uint8_t k[32];
  for (;;) {
    if (!random_scalar(k, kNMinus1)) return Sm2Status::kRandomFailure;
    // kInvalidArgument here can only mean an all-zero KDF output (A5): pick another k.
    if (impl.encrypt_with_nonce(key, msg, len, k, out) == Sm2Status::kOk) break;
  }
  secure_zero(k, sizeof(k));
  return Sm2Status::kOk;
}

Sm2Status sm2_encrypt_with_nonce_for_testing(const Sm2PublicKey* key, const uint8_t* msg,
                                             size_t len, const uint8_t k[kSm2ScalarSize],
                                             uint8_t* out) {
  return sm2_impl().encrypt_with_nonce(key, msg, len, k, out);
}

Sm2Status sm2_decrypt(const Sm2PrivateKey* key, const uint8_t c1[kSm2PointSize],
                      const uint8_t c3[32], const uint8_t* c2, size_t len, uint8_t* out) {
  return sm2_impl().decrypt(key, c1, c3, c2, len, out);
}

Sm2Status sm2_ecdh(const Sm2PrivateKey* key, const Sm2PublicKey* peer, uint8_t out[64]) {
  return sm2_impl().ecdh(key, peer, out);
}

Sm2Status sm2_key_exchange_point(const Sm2PrivateKey* key, const uint8_t r[kSm2ScalarSize],
                                 const uint8_t own_ephemeral_point[kSm2PointSize],
                                 const Sm2PublicKey* peer,
                                 const uint8_t peer_ephemeral_point[kSm2PointSize],
                                 uint8_t out[64]) {
  return sm2_impl().key_exchange_point(key, r, own_ephemeral_point, peer, peer_ephemeral_point,
                                       out);
}

}  // namespace guomi
