// drbg.h — HMAC_DRBG (NIST SP 800-90A Rev. 1 §10.1.2) with HMAC-SM3 as the HMAC.
//
// Used for hedged SM2 signing nonces: instantiated per signature with fresh OS randomness as
// entropy input, the digest e as nonce and the private key as personalisation string, so that
// the nonce stays secret and unpredictable even when the OS generator is broken (then it is a
// deterministic function of d and e, as in RFC 6979) and differs between signatures of the
// same message when it is not.
#ifndef GUOMI_CORE_DRBG_H_
#define GUOMI_CORE_DRBG_H_

#include <cstddef>
#include <cstdint>

#include "sm3.h"

namespace guomi {

struct HmacDrbgSm3 {
  uint8_t v[kSm3DigestSize];
  HmacSm3Ctx key;            // HMAC state keyed with K (K itself is not kept)
  uint64_t reseed_counter;
};

// §10.1.2.3: seed_material = entropy || nonce || personalization.
void hmac_drbg_sm3_instantiate(HmacDrbgSm3* d, const uint8_t* entropy, size_t entropy_len,
                               const uint8_t* nonce, size_t nonce_len, const uint8_t* pers,
                               size_t pers_len);

// §10.1.2.4: seed_material = entropy || additional_input.
void hmac_drbg_sm3_reseed(HmacDrbgSm3* d, const uint8_t* entropy, size_t entropy_len,
                          const uint8_t* additional, size_t additional_len);

// §10.1.2.5. Returns false (and writes nothing) if a reseed is required (after 2^48 requests)
// or more than 2^16 bytes (the 2^19-bit limit of Table 2) are asked for.
bool hmac_drbg_sm3_generate(HmacDrbgSm3* d, uint8_t* out, size_t out_len,
                            const uint8_t* additional, size_t additional_len);

void hmac_drbg_sm3_wipe(HmacDrbgSm3* d);

}  // namespace guomi

#endif  // GUOMI_CORE_DRBG_H_
