// ct_sm4.cc — constant-time check of SM4, its modes and GHASH under valgrind memcheck.
//
// Built with -DGUOMI_CT_VALGRIND, so GUOMI_SECRET marks memory as undefined and memcheck reports
// every conditional branch and every memory index that depends on it. Secret here: the keys, the
// IVs, nonces and tweaks, the plaintext, the AAD and the tags. Lengths and modes are public. The
// only value declassified is the verdict of a tag comparison (inside sm4_gcm_decrypt and
// sm4_ccm_decrypt) and the result of the PKCS#7 check, which are the public outcomes.
//
// valgrind 3.19 implements neither GFNI nor VAES nor AVX-512 and hides them from CPUID, so the
// paths run here are AES-NI with AVX2, AES-NI with SSE and portable for SM4, and PCLMULQDQ and
// portable for GHASH; each is forced in turn with cpu_set_disabled().
// Run: valgrind --error-exitcode=1 ./ct_sm4
#include <cstdio>
#include <cstring>
#include <initializer_list>

#include "../core/cpu.h"
#include "../core/ct.h"
#include "../core/ghash.h"
#include "../core/sm4.h"

using namespace guomi;

namespace {

void run_all() {
  uint8_t key[16], key2[16], iv[16], nonce[13], aad[40], data[300], out[300], back[300], tag[16];
  for (size_t i = 0; i < sizeof(key); i++) key[i] = static_cast<uint8_t>(i * 7 + 1);
  for (size_t i = 0; i < sizeof(key2); i++) key2[i] = static_cast<uint8_t>(i * 5 + 3);
  for (size_t i = 0; i < sizeof(iv); i++) iv[i] = static_cast<uint8_t>(0xF0 + i);  // near a carry
  for (size_t i = 0; i < sizeof(nonce); i++) nonce[i] = static_cast<uint8_t>(i * 3);
  for (size_t i = 0; i < sizeof(aad); i++) aad[i] = static_cast<uint8_t>(i * 11 + 2);
  for (size_t i = 0; i < sizeof(data); i++) data[i] = static_cast<uint8_t>(i * 13 + 5);
  GUOMI_SECRET(key, sizeof(key));
  GUOMI_SECRET(key2, sizeof(key2));
  GUOMI_SECRET(iv, sizeof(iv));
  GUOMI_SECRET(nonce, sizeof(nonce));
  GUOMI_SECRET(aad, sizeof(aad));
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
  // PKCS#7 check of secret plaintext: only the result is public.
  int pad = sm4_pkcs7_unpad_ct(back, 16 * 18);
  GUOMI_DECLASSIFY(&pad, sizeof(pad));
  // CTR, CFB, OFB in uneven pieces, both directions.
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
  // GCM: 12-byte and other IV lengths; encrypt, then decrypt with the valid tag.
  for (size_t iv_len : {size_t{12}, size_t{16}, size_t{7}}) {
    sm4_gcm_encrypt(&k, iv, iv_len, aad, sizeof(aad), data, 257, out, tag, 16);
    const bool ok = sm4_gcm_decrypt(&k, iv, iv_len, aad, sizeof(aad), out, 257, tag, 16, back);
    if (!ok) std::printf("ct_sm4: GCM decryption failed unexpectedly\n");
  }
  // Streaming GCM.
  Sm4GcmState gs;
  sm4_gcm_init(&gs, &k, iv, 12, false);
  sm4_gcm_aad(&gs, aad, 7);
  sm4_gcm_aad(&gs, aad + 7, 33);
  sm4_gcm_update(&gs, data, out, 100);
  sm4_gcm_update(&gs, data + 100, out + 100, 200);
  sm4_gcm_final(&gs, tag);
  sm4_gcm_wipe(&gs);
  // CCM, encrypt then decrypt with the valid tag.
  sm4_ccm_encrypt(&k, nonce, 13, aad, sizeof(aad), data, 201, out, tag, 16);
  if (!sm4_ccm_decrypt(&k, nonce, 13, aad, sizeof(aad), out, 201, tag, 16, back))
    std::printf("ct_sm4: CCM decryption failed unexpectedly\n");
  // XTS, both variants, with ciphertext stealing.
  sm4_xts_encrypt(&k, &k2, iv, Sm4XtsVariant::kGb, data, out, 299);
  sm4_xts_decrypt(&k, &k2, iv, Sm4XtsVariant::kIeee, data, out, 299);
  // GHASH on a secret key and data.
  GhashKey gh;
  uint8_t xi[16] = {};
  ghash_init(&gh, key, 16);
  ghash_blocks(&gh, xi, data, 18);
  ghash_wipe(&gh);
  sm4_wipe_key(&k);
  sm4_wipe_key(&k2);
}

}  // namespace

int main() {
  std::printf("ct_sm4: detected features %08x\n", cpu_detected());
  // Default (the widest path valgrind exposes), AES-NI without AVX2, AES-NI with portable
  // GHASH, and everything portable.
  for (uint32_t mask : {0u, kCpuAVX2 | kCpuVPCLMUL, kCpuPCLMUL | kCpuVPCLMUL, ~0u}) {
    cpu_set_disabled(mask);
    std::printf("ct_sm4: sm4=%s ghash=%s\n", sm4_impl_name(), ghash_impl_name());
    run_all();
  }
  return 0;
}
