// ct_sm4.cc — constant-time check of SM4, its modes and GHASH under valgrind memcheck.
//
// Built with -DGUOMI_CT_VALGRIND, so GUOMI_SECRET marks memory as undefined and memcheck reports
// every conditional branch and every memory index that depends on it. Secret here: the keys, the
// IVs, nonces and tweaks, the plaintext, the AAD and the tags, and the GHASH key H. Lengths,
// modes and parameters (IV, nonce and tag lengths, the XTS variant) are public. The only values
// declassified are the verdict of a tag comparison (inside sm4_gcm_decrypt and sm4_ccm_decrypt)
// and the result of the PKCS#7 check, which are the public outcomes.
//
// Covered, on every path below: the key schedule; single blocks; ECB and CBC both ways; the
// PKCS#7 check on valid and invalid padding; CTR (with a 128-bit counter wrap), CFB and OFB both
// ways in uneven pieces; GCM one-shot with 1-, 7-, 12- and 16-byte IVs, 4-, 12- and 16-byte tags,
// empty and non-empty AAD and data, decryption with the right and with a wrong tag, and
// streaming GCM both ways; CCM with 7-, 12- and 13-byte nonces, 4-, 10- and 16-byte tags, AAD
// of 0, 40 and 65280 bytes (the 6-byte length encoding), right and wrong tags; XTS in both
// variants and directions at 16, 17, 32, 47 and 299 bytes (ciphertext stealing); GHASH
// directly with a secret H for 1, 4, 8 and 16 precomputed powers over 1 to 17 blocks.
//
// Paths: valgrind 3.19 implements neither GFNI nor VAES nor VPCLMULQDQ nor AVX-512 and hides
// them from CPUID, so the SM4 paths run here are AES-NI with AVX2, AES-NI with SSE and the
// portable bitsliced one, and the GHASH paths PCLMULQDQ and portable; each is forced in turn with
// cpu_set_disabled(). The GFNI, VAES and AVX-512 kernels cannot be checked this way (SECURITY.md).
//
// Run: valgrind --error-exitcode=1 ./ct_sm4          (exit 1 on any error or wrong result)
//      valgrind --error-exitcode=1 ./ct_sm4 --self-test
//        runs a deliberately leaky function instead (a branch on a secret byte and a table
//        lookup indexed by one); memcheck must report it, so this must exit non-zero — evidence
//        that the marking and the valgrind run really detect leaks on this machine.
#include <cstdio>
#include <cstring>
#include <initializer_list>

#include "../core/cpu.h"
#include "../core/ct.h"
#include "../core/ghash.h"
#include "../core/sm4.h"
#include "ct_selftest.h"

using namespace guomi;

namespace {

int g_failures = 0;

void expect(bool ok, const char* what) {
  if (!ok) {
    std::printf("ct_sm4: FAIL %s\n", what);
    g_failures++;
  }
}

// Large enough for the 65280-byte CCM AAD.
uint8_t g_aad[65280];

void run_all() {
  uint8_t key[16], key2[16], iv[16], nonce[13], data[300], out[300], back[300], tag[16];
  for (size_t i = 0; i < sizeof(key); i++) key[i] = static_cast<uint8_t>(i * 7 + 1);
  for (size_t i = 0; i < sizeof(key2); i++) key2[i] = static_cast<uint8_t>(i * 5 + 3);
  for (size_t i = 0; i < sizeof(iv); i++) iv[i] = static_cast<uint8_t>(0xF0 + i);  // near a carry
  for (size_t i = 0; i < sizeof(nonce); i++) nonce[i] = static_cast<uint8_t>(i * 3);
  for (size_t i = 0; i < sizeof(g_aad); i++) g_aad[i] = static_cast<uint8_t>(i * 11 + 2);
  for (size_t i = 0; i < sizeof(data); i++) data[i] = static_cast<uint8_t>(i * 13 + 5);
  const uint8_t* aad = g_aad;
  GUOMI_SECRET(key, sizeof(key));
  GUOMI_SECRET(key2, sizeof(key2));
  GUOMI_SECRET(iv, sizeof(iv));
  GUOMI_SECRET(nonce, sizeof(nonce));
  GUOMI_SECRET(g_aad, sizeof(g_aad));
  GUOMI_SECRET(data, sizeof(data));

  // Key setup.
  Sm4Key k, k2;
  sm4_set_key(&k, key);
  sm4_set_key(&k2, key2);
  // ECB and CBC (whole blocks), one block, both directions.
  sm4_encrypt_block(&k, data, out);
  sm4_decrypt_block(&k, data, out);
  sm4_ecb_encrypt(&k, data, out, 18);
  sm4_ecb_decrypt(&k, out, back, 18);
  uint8_t v[16];
  std::memcpy(v, iv, 16);
  sm4_cbc_encrypt(&k, v, data, out, 18);
  std::memcpy(v, iv, 16);
  sm4_cbc_decrypt(&k, v, out, back, 18);
  // PKCS#7 check of secret plaintext, malformed and well formed: only the result is public.
  int pad = sm4_pkcs7_unpad_ct(back, 16 * 18);
  GUOMI_DECLASSIFY(&pad, sizeof(pad));
  {
    uint8_t padded[32];
    std::memcpy(padded, data, 32);
    std::memset(padded + 21, 11, 11);
    GUOMI_SECRET(padded, sizeof(padded));
    int good = sm4_pkcs7_unpad_ct(padded, 32);
    GUOMI_DECLASSIFY(&good, sizeof(good));
    expect(good == 11, "PKCS#7 of a padded block");
  }
  // CTR, CFB, OFB in uneven pieces, both directions; CTR also across a 128-bit counter wrap.
  for (int mode = 0; mode < 3; mode++) {
    for (int dec = 0; dec < 2; dec++) {
      Sm4StreamState st;
      sm4_stream_init(&st, &k, static_cast<Sm4StreamMode>(mode), dec == 1, iv);
      sm4_stream_update(&st, data, out, 5);
      sm4_stream_update(&st, data + 5, out + 5, 200);
      sm4_stream_update(&st, data + 205, out + 205, 95);
      sm4_stream_wipe(&st);
    }
  }
  {
    uint8_t wrap[16];
    std::memset(wrap, 0xFF, 16);
    wrap[15] = 0xFD;
    GUOMI_SECRET(wrap, sizeof(wrap));
    Sm4StreamState st;
    sm4_stream_init(&st, &k, Sm4StreamMode::kCtr, false, wrap);
    sm4_stream_update(&st, data, out, 16 * 9 + 3);
    sm4_stream_wipe(&st);
  }
  // GCM one-shot: IV lengths, tag lengths, empty and non-empty AAD and data; right and wrong tag.
  for (size_t iv_len : {size_t{12}, size_t{16}, size_t{7}, size_t{1}}) {
    for (size_t tag_len : {size_t{16}, size_t{12}, size_t{4}}) {
      for (size_t len : {size_t{0}, size_t{15}, size_t{257}}) {
        const size_t aad_len = len == 15 ? 0 : 40;
        expect(sm4_gcm_encrypt(&k, iv, iv_len, aad, aad_len, data, len, out, tag, tag_len), "GCM encrypt");
        expect(sm4_gcm_decrypt(&k, iv, iv_len, aad, aad_len, out, len, tag, tag_len, back),
               "GCM decrypt with the right tag");
        tag[0] ^= 1;
        expect(!sm4_gcm_decrypt(&k, iv, iv_len, aad, aad_len, out, len, tag, tag_len, back),
               "GCM decrypt with a wrong tag");
      }
    }
  }
  // Streaming GCM, both directions.
  for (int dec = 0; dec < 2; dec++) {
    Sm4GcmState gs;
    sm4_gcm_init(&gs, &k, iv, 12, dec == 1);
    sm4_gcm_aad(&gs, aad, 7);
    sm4_gcm_aad(&gs, aad + 7, 33);
    sm4_gcm_update(&gs, data, out, 100);
    sm4_gcm_update(&gs, data + 100, out + 100, 200);
    sm4_gcm_final(&gs, tag);
    sm4_gcm_wipe(&gs);
  }
  // CCM: nonce lengths, tag lengths, AAD of 0, 40 and 65280 bytes; right and wrong tag.
  for (size_t nonce_len : {size_t{13}, size_t{12}, size_t{7}}) {
    for (size_t tag_len : {size_t{16}, size_t{10}, size_t{4}}) {
      for (size_t len : {size_t{0}, size_t{1}, size_t{201}}) {
        const size_t aad_len = len == 0 ? 40 : len == 1 ? 0 : (nonce_len == 12 ? sizeof(g_aad) : 40);
        expect(sm4_ccm_encrypt(&k, nonce, nonce_len, aad, aad_len, data, len, out, tag, tag_len),
               "CCM encrypt");
        expect(sm4_ccm_decrypt(&k, nonce, nonce_len, aad, aad_len, out, len, tag, tag_len, back),
               "CCM decrypt with the right tag");
        tag[tag_len - 1] ^= 0x80;
        expect(!sm4_ccm_decrypt(&k, nonce, nonce_len, aad, aad_len, out, len, tag, tag_len, back),
               "CCM decrypt with a wrong tag");
      }
    }
  }
  // XTS, both variants and directions, with and without ciphertext stealing.
  for (int variant = 0; variant < 2; variant++) {
    for (size_t len : {size_t{16}, size_t{17}, size_t{32}, size_t{47}, size_t{299}}) {
      const auto vt = static_cast<Sm4XtsVariant>(variant);
      expect(sm4_xts_encrypt(&k, &k2, iv, vt, data, out, len), "XTS encrypt");
      expect(sm4_xts_decrypt(&k, &k2, iv, vt, out, back, len), "XTS decrypt");
    }
  }
  // GHASH on a secret H (here the key bytes) and secret data, for several numbers of
  // precomputed powers and lengths around the aggregation widths.
  for (unsigned npowers : {1u, 4u, 8u, 16u}) {
    GhashKey gh;
    ghash_init(&gh, key, npowers);
    for (size_t nblocks : {size_t{1}, size_t{3}, size_t{8}, size_t{9}, size_t{17}}) {
      uint8_t xi[16] = {};
      ghash_blocks(&gh, xi, data, nblocks);
    }
    ghash_wipe(&gh);
  }
  sm4_wipe_key(&k);
  sm4_wipe_key(&k2);
  GUOMI_DECLASSIFY(g_aad, sizeof(g_aad));
}

}  // namespace

int main(int argc, char** argv) {
  if (guomi_ct::self_test_requested(argc, argv, "ct_sm4")) return 0;
  std::printf("ct_sm4: detected features %08x\n", cpu_detected());
  // Default (the widest path valgrind exposes), AES-NI without AVX2, AES-NI with portable
  // GHASH, and everything portable.
  for (uint32_t mask : {0u, kCpuAVX2 | kCpuVPCLMUL, kCpuPCLMUL | kCpuVPCLMUL, ~0u}) {
    cpu_set_disabled(mask);
    std::printf("ct_sm4: sm4=%s ghash=%s\n", sm4_impl_name(), ghash_impl_name());
    run_all();
  }
  std::printf("ct_sm4: %s\n", g_failures ? "FAIL" : "done");
  return g_failures ? 1 : 0;
}
