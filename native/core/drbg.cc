// drbg.cc — HMAC_DRBG with HMAC-SM3 (NIST SP 800-90A Rev. 1 §10.1.2).
#include "drbg.h"

#include <cstring>

#include "ct.h"

namespace guomi {

namespace {

constexpr uint64_t kReseedInterval = uint64_t{1} << 48;  // SP 800-90A Table 2
constexpr size_t kMaxRequestBytes = (1u << 19) / 8;

struct Input {
  const uint8_t* p;
  size_t len;
};

// update is HMAC_DRBG_Update (§10.1.2.2) with provided_data given in up to three pieces.
void update(HmacDrbgSm3* d, const Input* parts, int nparts) {
  size_t provided_len = 0;
  for (int i = 0; i < nparts; i++) provided_len += parts[i].len;
  for (uint8_t round = 0; round < 2; round++) {
    // K = HMAC(K, V || round || provided_data)
    HmacSm3Ctx c = d->key;
    hmac_sm3_update(&c, d->v, sizeof(d->v));
    hmac_sm3_update(&c, &round, 1);
    for (int i = 0; i < nparts; i++) hmac_sm3_update(&c, parts[i].p, parts[i].len);
    uint8_t k[kSm3DigestSize];
    hmac_sm3_final(&c, k);
    hmac_sm3_init(&d->key, k, sizeof(k));
    secure_zero(k, sizeof(k));
    // V = HMAC(K, V)
    c = d->key;
    hmac_sm3_update(&c, d->v, sizeof(d->v));
    hmac_sm3_final(&c, d->v);
    // With no provided data the second round is skipped.
    if (provided_len == 0) break;
  }
}

// zero_key_hmac is HMAC-SM3 keyed with the initial K = 0x00…00 (§10.1.2.3 step 2), computed
// once: every instantiation starts from it, and signing instantiates once per signature.
const HmacSm3Ctx& zero_key_hmac() {
  static const HmacSm3Ctx ctx = [] {
    HmacSm3Ctx c;
    const uint8_t k[kSm3DigestSize] = {0};
    hmac_sm3_init(&c, k, sizeof(k));
    return c;
  }();
  return ctx;
}

}  // namespace

void hmac_drbg_sm3_instantiate(HmacDrbgSm3* d, const uint8_t* entropy, size_t entropy_len,
                               const uint8_t* nonce, size_t nonce_len, const uint8_t* pers,
                               size_t pers_len) {
  std::memset(d->v, 0x01, sizeof(d->v));
  d->key = zero_key_hmac();
  const Input parts[3] = {{entropy, entropy_len}, {nonce, nonce_len}, {pers, pers_len}};
  update(d, parts, 3);
  d->reseed_counter = 1;
}

void hmac_drbg_sm3_reseed(HmacDrbgSm3* d, const uint8_t* entropy, size_t entropy_len,
                          const uint8_t* additional, size_t additional_len) {
  const Input parts[2] = {{entropy, entropy_len}, {additional, additional_len}};
  update(d, parts, 2);
  d->reseed_counter = 1;
}

bool hmac_drbg_sm3_generate(HmacDrbgSm3* d, uint8_t* out, size_t out_len,
                            const uint8_t* additional, size_t additional_len) {
  if (d->reseed_counter > kReseedInterval || out_len > kMaxRequestBytes) return false;
  const Input add[1] = {{additional, additional_len}};
  if (additional_len) update(d, add, 1);
  while (out_len > 0) {
    HmacSm3Ctx c = d->key;
    hmac_sm3_update(&c, d->v, sizeof(d->v));
    hmac_sm3_final(&c, d->v);
    const size_t take = out_len < sizeof(d->v) ? out_len : sizeof(d->v);
    std::memcpy(out, d->v, take);
    out += take;
    out_len -= take;
  }
  update(d, add, additional_len ? 1 : 0);
  d->reseed_counter++;
  return true;
}

void hmac_drbg_sm3_wipe(HmacDrbgSm3* d) { secure_zero(d, sizeof(*d)); }

}  // namespace guomi
