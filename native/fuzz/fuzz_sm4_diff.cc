// fuzz_sm4_diff.cc — differential fuzzing of SM4: every SM4 path of this CPU (portable bitsliced,
// AES-NI SSE/AVX2, VAES, GFNI SSE/AVX2/AVX-512; NEON/SM4E on ARM64) against the portable one, on
// every mode and both directions, with fuzzer-chosen keys, IVs, nonces, AAD, tag lengths, data
// and streaming split points. Under the portable path it also checks the round trips
// (decrypt(encrypt(x)) == x), that streaming equals one-shot, that a wrong tag is refused with
// the output wiped, and the PKCS#7 check against a plain reference.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "../core/sm4.h"
#include "fuzz_util.h"

using namespace guomi;
using guomi_fuzz::Path;
using guomi_fuzz::Reader;
using Bytes = std::vector<uint8_t>;

namespace {

struct Case {
  uint8_t key[16], key2[16], iv[16];
  Bytes gcm_iv, aad, data;
  size_t gcm_tag_len, ccm_nonce_len, ccm_tag_len;
  size_t split1, split2;
};

// stream runs a CTR/CFB/OFB state over data in three pieces (split1, split2, rest).
Bytes stream(const Sm4Key* k, Sm4StreamMode mode, bool dec, const uint8_t iv[16], const Bytes& in,
             size_t s1, size_t s2) {
  Bytes out(in.size());
  Sm4StreamState st;
  sm4_stream_init(&st, k, mode, dec, iv);
  const size_t a = in.empty() ? 0 : s1 % (in.size() + 1);
  const size_t b = in.size() - a == 0 ? 0 : s2 % (in.size() - a + 1);
  sm4_stream_update(&st, in.data(), out.data(), a);
  sm4_stream_update(&st, in.data() + a, out.data() + a, b);
  sm4_stream_update(&st, in.data() + a + b, out.data() + a + b, in.size() - a - b);
  sm4_stream_wipe(&st);
  return out;
}

// same: memcmp that allows empty (possibly null) buffers.
bool same(const uint8_t* a, const uint8_t* b, size_t n) { return n == 0 || std::memcmp(a, b, n) == 0; }

int reference_pkcs7(const uint8_t* d, size_t len) {
  const int n = d[len - 1];
  if (n < 1 || n > 16) return -1;
  for (int i = 1; i <= n; i++)
    if (d[len - i] != n) return -1;
  return n;
}

// run computes every output of one case on the current path; with |invariants| it also checks
// the properties that do not need another path.
Bytes run(const Case& c, bool invariants) {
  Bytes all;
  auto add = [&](const uint8_t* p, size_t n) {
    all.insert(all.end(), p, p + n);
    all.push_back(0xA5);
  };
  auto addv = [&](const Bytes& b) { add(b.data(), b.size()); };
  const Bytes& d = c.data;
  const size_t len = d.size(), nb = len / 16;

  Sm4Key k, k2;
  sm4_set_key(&k, c.key);
  sm4_set_key(&k2, c.key2);
  add(reinterpret_cast<const uint8_t*>(k.rk_enc), sizeof(k.rk_enc));
  add(reinterpret_cast<const uint8_t*>(k.rk_dec), sizeof(k.rk_dec));

  Bytes out(len + 16), back(len + 16);
  // Single blocks.
  if (len >= 16) {
    uint8_t b1[16], b2[16];
    sm4_encrypt_block(&k, d.data(), b1);
    sm4_decrypt_block(&k, b1, b2);
    add(b1, 16);
    if (invariants) FUZZ_CHECK(same(b2, d.data(), 16), "block round trip");
  }
  // ECB and CBC over whole blocks, both directions, out of place and in place.
  sm4_ecb_encrypt(&k, d.data(), out.data(), nb);
  add(out.data(), 16 * nb);
  sm4_ecb_decrypt(&k, out.data(), back.data(), nb);
  if (invariants) FUZZ_CHECK(same(back.data(), d.data(), 16 * nb), "ECB round trip");
  sm4_ecb_decrypt(&k, d.data(), out.data(), nb);
  add(out.data(), 16 * nb);
  {
    uint8_t v[16];
    std::memcpy(v, c.iv, 16);
    sm4_cbc_encrypt(&k, v, d.data(), out.data(), nb);
    add(out.data(), 16 * nb);
    add(v, 16);
    std::memcpy(v, c.iv, 16);
    Bytes inplace(out.begin(), out.begin() + 16 * nb);
    sm4_cbc_decrypt(&k, v, inplace.data(), inplace.data(), nb);
    if (invariants) FUZZ_CHECK(same(inplace.data(), d.data(), 16 * nb), "CBC round trip");
    std::memcpy(v, c.iv, 16);
    sm4_cbc_decrypt(&k, v, d.data(), out.data(), nb);
    add(out.data(), 16 * nb);
    add(v, 16);
    if (nb > 0) {
      const int pad = sm4_pkcs7_unpad_ct(d.data(), 16 * nb);
      if (invariants) FUZZ_CHECK(pad == reference_pkcs7(d.data(), 16 * nb), "PKCS#7 check");
      all.push_back(static_cast<uint8_t>(pad));
    }
  }
  // CTR, CFB, OFB: both directions, in three pieces and in one.
  for (int m = 0; m < 3; m++) {
    const auto mode = static_cast<Sm4StreamMode>(m);
    const Bytes enc = stream(&k, mode, false, c.iv, d, c.split1, c.split2);
    addv(enc);
    if (invariants) {
      FUZZ_CHECK(enc == stream(&k, mode, false, c.iv, d, 0, 0), "stream pieces == one call");
      FUZZ_CHECK(stream(&k, mode, true, c.iv, enc, c.split2, c.split1) == d, "stream round trip");
    }
    addv(stream(&k, mode, true, c.iv, d, c.split2, c.split1));
  }
  // GCM one-shot, then streaming (encrypt and decrypt) in pieces.
  {
    uint8_t tag[16];
    FUZZ_CHECK(sm4_gcm_encrypt(&k, c.gcm_iv.data(), c.gcm_iv.size(), c.aad.data(), c.aad.size(),
                               d.data(), len, out.data(), tag, c.gcm_tag_len),
               "GCM encrypt accepts valid parameters");
    add(out.data(), len);
    add(tag, c.gcm_tag_len);
    if (invariants) {
      FUZZ_CHECK(sm4_gcm_decrypt(&k, c.gcm_iv.data(), c.gcm_iv.size(), c.aad.data(), c.aad.size(),
                                 out.data(), len, tag, c.gcm_tag_len, back.data()),
                 "GCM decrypt of a fresh encryption");
      FUZZ_CHECK(same(back.data(), d.data(), len), "GCM round trip");
      tag[(c.split1 + c.split2) % c.gcm_tag_len] ^= static_cast<uint8_t>(1u << (c.split1 % 8));
      std::memset(back.data(), 0x77, len);
      FUZZ_CHECK(!sm4_gcm_decrypt(&k, c.gcm_iv.data(), c.gcm_iv.size(), c.aad.data(), c.aad.size(),
                                  out.data(), len, tag, c.gcm_tag_len, back.data()),
                 "GCM refuses a wrong tag");
      for (size_t i = 0; i < len; i++) FUZZ_CHECK(back[i] == 0, "GCM wipes output on failure");
    }
    for (int dec = 0; dec < 2; dec++) {
      Sm4GcmState st;
      FUZZ_CHECK(sm4_gcm_init(&st, &k, c.gcm_iv.data(), c.gcm_iv.size(), dec == 1), "GCM init");
      const size_t a = c.aad.empty() ? 0 : c.split1 % (c.aad.size() + 1);
      FUZZ_CHECK(sm4_gcm_aad(&st, c.aad.data(), a), "GCM aad");
      FUZZ_CHECK(sm4_gcm_aad(&st, c.aad.data() + a, c.aad.size() - a), "GCM aad 2");
      const size_t s = len ? c.split2 % (len + 1) : 0;
      Bytes so(len);
      FUZZ_CHECK(sm4_gcm_update(&st, d.data(), so.data(), s), "GCM update");
      FUZZ_CHECK(sm4_gcm_update(&st, d.data() + s, so.data() + s, len - s), "GCM update 2");
      FUZZ_CHECK(!sm4_gcm_aad(&st, c.aad.data(), 0), "GCM refuses AAD after data");
      uint8_t t2[16];
      sm4_gcm_final(&st, t2);
      FUZZ_CHECK(!sm4_gcm_update(&st, d.data(), so.data(), 0), "GCM refuses data after final");
      sm4_gcm_wipe(&st);
      addv(so);
      add(t2, 16);
      if (invariants && dec == 0) {
        FUZZ_CHECK(same(so.data(), out.data(), len), "GCM streaming == one-shot");
        // The one-shot tag was computed before the flip above; recompute to compare.
        uint8_t t1[16];
        sm4_gcm_encrypt(&k, c.gcm_iv.data(), c.gcm_iv.size(), c.aad.data(), c.aad.size(), d.data(),
                        len, back.data(), t1, 16);
        FUZZ_CHECK(same(t1, t2, 16), "GCM streaming tag == one-shot tag");
      }
    }
  }
  // CCM.
  {
    uint8_t tag[16];
    // A fresh key is rejected only for a message too long for the nonce length.
    const bool ok = sm4_ccm_encrypt(&k, c.iv, c.ccm_nonce_len, c.aad.data(), c.aad.size(), d.data(),
                                    len, out.data(), tag, c.ccm_tag_len);
    const size_t q = 15 - c.ccm_nonce_len;
    const bool fits = q >= 8 || len < (size_t{1} << (8 * q));
    if (invariants) FUZZ_CHECK(ok == fits, "CCM length limit");
    all.push_back(ok);
    if (ok) {
      add(out.data(), len);
      add(tag, c.ccm_tag_len);
      if (invariants) {
        FUZZ_CHECK(sm4_ccm_decrypt(&k, c.iv, c.ccm_nonce_len, c.aad.data(), c.aad.size(), out.data(),
                                   len, tag, c.ccm_tag_len, back.data()),
                   "CCM decrypt of a fresh encryption");
        FUZZ_CHECK(same(back.data(), d.data(), len), "CCM round trip");
        tag[c.split2 % c.ccm_tag_len] ^= 0x80;
        std::memset(back.data(), 0x77, len);
        FUZZ_CHECK(!sm4_ccm_decrypt(&k, c.iv, c.ccm_nonce_len, c.aad.data(), c.aad.size(),
                                    out.data(), len, tag, c.ccm_tag_len, back.data()),
                   "CCM refuses a wrong tag");
        for (size_t i = 0; i < len; i++) FUZZ_CHECK(back[i] == 0, "CCM wipes output on failure");
      }
    }
  }
  // XTS, both variants, both directions (ciphertext stealing for a partial last block).
  for (int v = 0; v < 2; v++) {
    const auto variant = static_cast<Sm4XtsVariant>(v);
    const bool ok = sm4_xts_encrypt(&k, &k2, c.iv, variant, d.data(), out.data(), len);
    FUZZ_CHECK(ok == (len >= 16), "XTS accepts exactly len >= 16");
    if (!ok) continue;
    add(out.data(), len);
    if (invariants) {
      FUZZ_CHECK(sm4_xts_decrypt(&k, &k2, c.iv, variant, out.data(), back.data(), len), "XTS dec");
      FUZZ_CHECK(same(back.data(), d.data(), len), "XTS round trip");
    }
    sm4_xts_decrypt(&k, &k2, c.iv, variant, d.data(), out.data(), len);
    add(out.data(), len);
  }
  sm4_wipe_key(&k);
  sm4_wipe_key(&k2);
  return all;
}

const std::vector<Path>& paths() {
  static const std::vector<Path> p = [] {
    auto v = guomi_fuzz::paths_by({[] { return std::string(sm4_impl_name()); },
                                   [] { return std::string(ghash_impl_name()); }});
    guomi_fuzz::print_paths("sm4/ghash", v);
    return v;
  }();
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<Path>& ps = paths();
  Reader r(data, size);
  Case c;
  r.bytes(c.key, 16);
  r.bytes(c.key2, 16);
  r.bytes(c.iv, 16);
  const uint8_t p1 = r.u8(), p2 = r.u8();
  c.gcm_tag_len = 4 + p1 % 13;             // 4..16
  c.ccm_nonce_len = 7 + (p1 >> 4) % 7;     // 7..13
  c.ccm_tag_len = 4 + 2 * (p2 % 7);        // 4, 6, ..., 16
  c.split1 = r.u16();
  c.split2 = r.u16();
  c.gcm_iv = r.piece(64);
  if (c.gcm_iv.empty()) c.gcm_iv.assign(c.iv, c.iv + 12);
  c.aad = r.piece(96);
  c.data = r.rest();
  if (c.data.size() > 4096) c.data.resize(4096);

  guomi::cpu_set_disabled(ps[0].disabled);  // portable first: the reference and the invariants
  const Bytes want = run(c, true);
  for (size_t i = 1; i < ps.size(); i++) {
    guomi::cpu_set_disabled(ps[i].disabled);
    const Bytes got = run(c, false);
    if (got != want) {
      std::fprintf(stderr, "path %s differs from %s\n", ps[i].name.c_str(), ps[0].name.c_str());
      FUZZ_CHECK(false, "accelerated SM4 path == portable");
    }
  }
  guomi::cpu_set_disabled(0);
  return 0;
}
