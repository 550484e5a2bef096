// sm4_gfni_x86_64.cc — SM4 with GFNI: the S-box is gf2p8affineqb + gf2p8affineinvqb
// (sm4_internal.h derives both matrices). Three widths: SSE (4 blocks per xmm), AVX2 (8 per ymm)
// and AVX-512 (16 per zmm, two registers sets per pass = 32 blocks). The kernels themselves are in
// sm4_x86_64_kernel.inc.
#if defined(__x86_64__)

// GCC 12's AVX-512 headers initialise "undefined" vectors from themselves, which trips
// -Wmaybe-uninitialized once the intrinsics are inlined (GCC PR 105593, fixed in GCC 13).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

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

GUOMI_SM4_TARGET_PUSH("ssse3,gfni")
namespace sm4_gfni_sse {
#define GUOMI_SM4_VEC_BITS 128
#define GUOMI_SM4_SBOX GUOMI_SM4_SBOX_GFNI
#define GUOMI_SM4_BULK_VEC Vec128
#define GUOMI_SM4_SETS 8
#include "sm4_x86_64_kernel.inc"
#undef GUOMI_SM4_VEC_BITS
#undef GUOMI_SM4_SBOX
#undef GUOMI_SM4_BULK_VEC
#undef GUOMI_SM4_SETS
}  // namespace sm4_gfni_sse
GUOMI_SM4_TARGET_POP

GUOMI_SM4_TARGET_PUSH("avx2,gfni")
namespace sm4_gfni_avx2 {
#define GUOMI_SM4_VEC_BITS 256
#define GUOMI_SM4_SBOX GUOMI_SM4_SBOX_GFNI
#define GUOMI_SM4_BULK_VEC Vec256
#define GUOMI_SM4_SETS 8
#include "sm4_x86_64_kernel.inc"
#undef GUOMI_SM4_VEC_BITS
#undef GUOMI_SM4_SBOX
#undef GUOMI_SM4_BULK_VEC
#undef GUOMI_SM4_SETS
}  // namespace sm4_gfni_avx2
GUOMI_SM4_TARGET_POP

GUOMI_SM4_TARGET_PUSH("avx512f,avx512bw,avx512dq,avx512vl,gfni")
namespace sm4_gfni_avx512 {
#define GUOMI_SM4_VEC_BITS 512
#define GUOMI_SM4_SBOX GUOMI_SM4_SBOX_GFNI
#define GUOMI_SM4_BULK_VEC Vec512
#define GUOMI_SM4_SETS 8
#define GUOMI_SM4_EVEX 1
#include "sm4_x86_64_kernel.inc"
#undef GUOMI_SM4_VEC_BITS
#undef GUOMI_SM4_SBOX
#undef GUOMI_SM4_BULK_VEC
#undef GUOMI_SM4_SETS
#undef GUOMI_SM4_EVEX
}  // namespace sm4_gfni_avx512
GUOMI_SM4_TARGET_POP

#define GUOMI_SM4_KERNEL_TABLE(ns, name) \
  { name, ns::expand_key, ns::crypt1, ns::crypt_blocks, ns::crypt_blocks_masked, ns::ctr128, ns::ctr32 }
const Sm4Kernels kSm4GfniSse = GUOMI_SM4_KERNEL_TABLE(sm4_gfni_sse, "x86-64 gfni-sse");
const Sm4Kernels kSm4GfniAvx2 = GUOMI_SM4_KERNEL_TABLE(sm4_gfni_avx2, "x86-64 gfni-avx2");
const Sm4Kernels kSm4GfniAvx512 = GUOMI_SM4_KERNEL_TABLE(sm4_gfni_avx512, "x86-64 gfni-avx512");
#undef GUOMI_SM4_KERNEL_TABLE

}  // namespace guomi

#endif  // defined(__x86_64__)
