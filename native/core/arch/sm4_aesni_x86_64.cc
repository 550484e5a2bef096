// sm4_aesni_x86_64.cc — SM4 with AES-NI: the SM4 S-box is the AES one conjugated by affine maps
// (sm4_internal.h), evaluated as pshufb nibble lookups around aesenclast. Three variants: SSE
// (4 blocks per xmm), AVX2 (8 per ymm, aesenclast on each 128-bit half) and VAES+AVX2 (8 per ymm,
// vaesenclast). The kernels themselves are in sm4_x86_64_kernel.inc.
#if defined(__x86_64__)

#include <immintrin.h>

#include <cstring>

#include "../ct.h"
#include "../sm4_internal.h"
#include "../util.h"

#define GUOMI_SM4_X86_KERNEL 1
#define GUOMI_SM4_SBOX_AESNI 1
#define GUOMI_SM4_SBOX_VAES 2
#define GUOMI_SM4_SBOX_GFNI 3

namespace guomi {

GUOMI_SM4_TARGET_PUSH("ssse3,aes")
namespace sm4_aesni_sse {
#define GUOMI_SM4_VEC_BITS 128
#define GUOMI_SM4_SBOX GUOMI_SM4_SBOX_AESNI
#define GUOMI_SM4_BULK_VEC Vec128
#define GUOMI_SM4_SETS 4
#include "sm4_x86_64_kernel.inc"
#undef GUOMI_SM4_VEC_BITS
#undef GUOMI_SM4_SBOX
#undef GUOMI_SM4_BULK_VEC
#undef GUOMI_SM4_SETS
}  // namespace sm4_aesni_sse
GUOMI_SM4_TARGET_POP

GUOMI_SM4_TARGET_PUSH("avx2,aes")
namespace sm4_aesni_avx2 {
#define GUOMI_SM4_VEC_BITS 256
#define GUOMI_SM4_SBOX GUOMI_SM4_SBOX_AESNI
#define GUOMI_SM4_BULK_VEC Vec256
#define GUOMI_SM4_SETS 4
#include "sm4_x86_64_kernel.inc"
#undef GUOMI_SM4_VEC_BITS
#undef GUOMI_SM4_SBOX
#undef GUOMI_SM4_BULK_VEC
#undef GUOMI_SM4_SETS
}  // namespace sm4_aesni_avx2
GUOMI_SM4_TARGET_POP

GUOMI_SM4_TARGET_PUSH("avx2,aes,vaes")
namespace sm4_vaes_avx2 {
#define GUOMI_SM4_VEC_BITS 256
#define GUOMI_SM4_SBOX GUOMI_SM4_SBOX_VAES
#define GUOMI_SM4_BULK_VEC Vec256
#define GUOMI_SM4_SETS 4
#include "sm4_x86_64_kernel.inc"
#undef GUOMI_SM4_VEC_BITS
#undef GUOMI_SM4_SBOX
#undef GUOMI_SM4_BULK_VEC
#undef GUOMI_SM4_SETS
}  // namespace sm4_vaes_avx2
GUOMI_SM4_TARGET_POP

#define GUOMI_SM4_KERNEL_TABLE(ns, name) \
  { name, ns::expand_key, ns::crypt1, ns::crypt_blocks, ns::crypt_blocks_masked, ns::ctr128, ns::ctr32 }
const Sm4Kernels kSm4AesniSse = GUOMI_SM4_KERNEL_TABLE(sm4_aesni_sse, "x86-64 aesni-sse");
const Sm4Kernels kSm4AesniAvx2 = GUOMI_SM4_KERNEL_TABLE(sm4_aesni_avx2, "x86-64 aesni-avx2");
const Sm4Kernels kSm4VaesAvx2 = GUOMI_SM4_KERNEL_TABLE(sm4_vaes_avx2, "x86-64 vaes-avx2");
#undef GUOMI_SM4_KERNEL_TABLE

}  // namespace guomi

#endif  // defined(__x86_64__)
