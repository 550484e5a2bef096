// fuzz_sm4_decrypt.cc — the SM4 decoders on arbitrary input: one-shot GCM and CCM decryption with
// fuzzer-chosen key, IV/nonce (any length, valid or not), AAD, tag (any length) and ciphertext,
// out of place and in place; and the constant-time PKCS#7 check on arbitrary blocks.
//
// The outcome must be consistent, not just crash-free: decryption succeeds exactly when the tag
// equals the leftmost tag_len bytes of the tag an encryption of the candidate plaintext gives
// (candidate = ciphertext xor the key stream, which an encryption of zeros yields), the
// plaintext is then that candidate, and on every failure the output is all zero. Out-of-range
// parameters (empty IV, nonce outside 7..13, bad tag length, CCM length limit) fail the same way.
// The PKCS#7 check must agree with a plain branching reference.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "../core/sm4.h"
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

bool same(const uint8_t* a, const uint8_t* b, size_t n) { return n == 0 || std::memcmp(a, b, n) == 0; }

int reference_pkcs7(const uint8_t* d, size_t len) {
  const int n = d[len - 1];
  if (n < 1 || n > 16) return -1;
  for (int i = 1; i <= n; i++)
    if (d[len - i] != n) return -1;
  return n;
}

struct Aead {
  bool gcm;
  bool params_ok(size_t nonce_len, size_t len, size_t tag_len) const {
    if (gcm) return nonce_len >= 1 && tag_len >= 4 && tag_len <= 16;
    const size_t q = 15 - (nonce_len < 15 ? nonce_len : 15);
    return nonce_len >= 7 && nonce_len <= 13 && tag_len >= 4 && tag_len <= 16 && tag_len % 2 == 0 &&
           (q >= 8 || len < (size_t{1} << (8 * q)));
  }
  bool enc(const Sm4Key* k, const Bytes& n, const Bytes& aad, const uint8_t* in, size_t len,
           uint8_t* out, uint8_t* tag, size_t tag_len) const {
    return gcm ? sm4_gcm_encrypt(k, n.data(), n.size(), aad.data(), aad.size(), in, len, out, tag, tag_len)
               : sm4_ccm_encrypt(k, n.data(), n.size(), aad.data(), aad.size(), in, len, out, tag, tag_len);
  }
  bool dec(const Sm4Key* k, const Bytes& n, const Bytes& aad, const uint8_t* in, size_t len,
           const uint8_t* tag, size_t tag_len, uint8_t* out) const {
    return gcm ? sm4_gcm_decrypt(k, n.data(), n.size(), aad.data(), aad.size(), in, len, tag, tag_len, out)
               : sm4_ccm_decrypt(k, n.data(), n.size(), aad.data(), aad.size(), in, len, tag, tag_len, out);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader r(data, size);
  const uint8_t sel = r.u8();
  uint8_t key_bytes[16];
  r.bytes(key_bytes, 16);
  const Bytes nonce = r.piece(40);
  const Bytes aad = r.piece(80);
  const Bytes tag = r.piece(20);
  Bytes ct = r.rest();
  if (ct.size() > 2048) ct.resize(2048);
  const size_t len = ct.size();

  if (sel % 3 == 2) {
    // PKCS#7 on the whole blocks of the input.
    const size_t n = len & ~size_t{15};
    if (n) FUZZ_CHECK(sm4_pkcs7_unpad_ct(ct.data(), n) == reference_pkcs7(ct.data(), n), "PKCS#7");
    return 0;
  }
  const Aead a{sel % 3 == 0};
  Sm4Key k;
  sm4_set_key(&k, key_bytes);
  const bool ok_params = a.params_ok(nonce.size(), len, tag.size());

  // Out of place, the output pre-filled so that a missing wipe shows.
  Bytes out(len + 1, 0x5A);
  const bool got = a.dec(&k, nonce, aad, ct.data(), len, tag.data(), tag.size(), out.data());
  FUZZ_CHECK(out[len] == 0x5A, "no write past the output");
  // In place.
  Bytes inplace(ct);
  const bool got2 = a.dec(&k, nonce, aad, inplace.data(), len, tag.data(), tag.size(), inplace.data());
  FUZZ_CHECK(got == got2, "in-place decryption agrees");

  if (!ok_params) {
    FUZZ_CHECK(!got, "out-of-range parameters are refused");
    FUZZ_CHECK(all_zero(out.data(), len), "refused parameters leave the output zero");
    FUZZ_CHECK(inplace == ct, "refused parameters leave in-place input alone");
    return 0;
  }
  // The candidate plaintext and the tag it would get (at this tag length: CCM's first block
  // encodes the length, so a CCM tag is not a truncation of the 16-byte one).
  Bytes zeros(len, 0), stream(len), cand(len), ct2(len);
  uint8_t full[16];
  FUZZ_CHECK(a.enc(&k, nonce, aad, zeros.data(), len, stream.data(), full, tag.size()), "encrypt zeros");
  for (size_t i = 0; i < len; i++) cand[i] = ct[i] ^ stream[i];
  FUZZ_CHECK(a.enc(&k, nonce, aad, cand.data(), len, ct2.data(), full, tag.size()), "encrypt candidate");
  FUZZ_CHECK(ct2 == ct, "the key stream is independent of the plaintext");
  const bool should = std::memcmp(full, tag.data(), tag.size()) == 0;
  FUZZ_CHECK(got == should, "decryption succeeds exactly when the tag matches");
  if (got) {
    FUZZ_CHECK(same(out.data(), cand.data(), len), "plaintext of a successful decryption");
    FUZZ_CHECK(same(inplace.data(), cand.data(), len), "in-place plaintext");
  } else {
    FUZZ_CHECK(all_zero(out.data(), len), "failed decryption wipes the output");
    FUZZ_CHECK(all_zero(inplace.data(), len), "failed in-place decryption wipes the buffer");
    // And the right tag (truncated to the same length) is accepted.
    Bytes back(len);
    FUZZ_CHECK(a.dec(&k, nonce, aad, ct.data(), len, full, tag.size(), back.data()), "right tag");
    FUZZ_CHECK(back == cand, "plaintext under the right tag");
  }
  sm4_wipe_key(&k);
  return 0;
}
