// sm4_key.cc — SM4 dispatch, key expansion (GB/T 32907-2016 §7.3) and single blocks.
#include <cstring>

#include "cpu.h"
#include "ct.h"
#include "sm4.h"
#include "sm4_internal.h"

namespace guomi {

// The one dispatch point: the widest path the enabled features allow. Every path computes
// identical results (the tests compare each against the portable one).
const Sm4Kernels& sm4_kernels() {
#if defined(__x86_64__)
  if (cpu_has(kCpuGFNI | kCpuAVX512)) return kSm4GfniAvx512;
  if (cpu_has(kCpuGFNI | kCpuAVX2)) return kSm4GfniAvx2;
  if (cpu_has(kCpuVAES | kCpuAESNI | kCpuAVX2)) return kSm4VaesAvx2;
  if (cpu_has(kCpuAESNI | kCpuAVX2)) return kSm4AesniAvx2;
  if (cpu_has(kCpuGFNI | kCpuSSSE3)) return kSm4GfniSse;
  if (cpu_has(kCpuAESNI | kCpuSSSE3)) return kSm4AesniSse;
#endif
#if defined(__aarch64__)
  if (cpu_has(kCpuArmSM4)) return kSm4ArmCe;
  if (cpu_has(kCpuNEON)) return kSm4ArmNeon;
#endif
  return kSm4Portable;
}

const char* sm4_impl_name() { return sm4_kernels().name; }

void sm4_set_key(Sm4Key* key, const uint8_t user_key[kSm4KeySize]) {
  sm4_kernels().expand_key(user_key, key->rk_enc);
  // §7.2: decryption is the same structure with the round keys reversed.
  for (int i = 0; i < 32; i++) key->rk_dec[i] = key->rk_enc[31 - i];
}

void sm4_wipe_key(Sm4Key* key) { sm4_detail::wipe(key, sizeof(*key)); }

void sm4_encrypt_block(const Sm4Key* key, const uint8_t in[16], uint8_t out[16]) {
  sm4_kernels().crypt1(key->rk_enc, in, out);
}

void sm4_decrypt_block(const Sm4Key* key, const uint8_t in[16], uint8_t out[16]) {
  sm4_kernels().crypt1(key->rk_dec, in, out);
}

}  // namespace guomi
