// sm2_impl.h — internal: one table of SM2 operations per curve instantiation (portable field,
// BMI2/ADX field, AArch64 field, test curve). sm2.cc picks a table at run time; the tests reach
// the test curve of GB/T 32918.2-2016 Annex A through sm2_test_curve_impl().
#ifndef GUOMI_CORE_SM2_IMPL_H_
#define GUOMI_CORE_SM2_IMPL_H_

#include <cstddef>
#include <cstdint>

#include "sm2.h"

namespace guomi {

struct Sm2Impl {
  const char* name;
  Sm2Status (*private_key_init)(Sm2PrivateKey* key, const uint8_t d[32]);
  Sm2Status (*public_key_init)(Sm2PublicKey* key, const uint8_t* point, size_t len,
                               bool precompute);
  size_t (*public_key_encode)(const Sm2PublicKey* key, bool compressed, uint8_t* out);
  // kInvalidArgument when k is out of range or the standard would retry with another k.
  Sm2Status (*sign_with_nonce)(const Sm2PrivateKey* key, const uint8_t e[32], const uint8_t k[32],
                               uint8_t sig[64]);
  bool (*verify)(const Sm2PublicKey* key, const uint8_t e[32], const uint8_t sig[64]);
  Sm2Status (*encrypt_with_nonce)(const Sm2PublicKey* key, const uint8_t* msg, size_t len,
                                  const uint8_t k[32], uint8_t* out);
  Sm2Status (*decrypt)(const Sm2PrivateKey* key, const uint8_t c1[65], const uint8_t c3[32],
                       const uint8_t* c2, size_t len, uint8_t* out);
  Sm2Status (*ecdh)(const Sm2PrivateKey* key, const Sm2PublicKey* peer, uint8_t out[64]);
  Sm2Status (*key_exchange_point)(const Sm2PrivateKey* key, const uint8_t r[32],
                                  const uint8_t own_point[65], const Sm2PublicKey* peer,
                                  const uint8_t peer_point[65], uint8_t out[64]);
  // [k]G as 04||x||y for k in [1, n-1] (constant time); kInvalidArgument otherwise.
  Sm2Status (*mul_base)(const uint8_t k[32], uint8_t out[65]);
  // [k]P for a 65-byte point P (constant time in k).
  Sm2Status (*mul_point)(const uint8_t k[32], const uint8_t point[65], uint8_t out[65]);
};

const Sm2Impl& sm2_impl_portable();
#if defined(__x86_64__)
const Sm2Impl& sm2_impl_adx();  // needs BMI2 and ADX
#endif
#if defined(__aarch64__)
const Sm2Impl& sm2_impl_arm64();  // base ARMv8-A; switched off with "neon"
#endif
const Sm2Impl& sm2_test_curve_impl();

// sm2_impl returns the table for the enabled CPU features.
const Sm2Impl& sm2_impl();

}  // namespace guomi

#endif  // GUOMI_CORE_SM2_IMPL_H_
