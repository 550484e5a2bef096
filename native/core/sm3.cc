// sm3.cc — SM3 (GB/T 32905-2016): the portable block function, dispatch and the streaming API.
#include "sm3.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "cpu.h"
#include "ct.h"
#include "sm3_internal.h"
#include "util.h"

namespace guomi {

namespace {

// sm3_step runs round J (§5.3.3) and, from round 12 on, expands the message word W[J+4] that
// round J+4 needs (§5.3.2) into a 16-word sliding window. All indices are compile-time
// constants, so the compiler keeps the window and the state in registers.
//
// The state array v holds A..H under the renaming of SM3_ROUND_GENERIC: in round J, A is
// v[(4 - J) mod 4], B the next one, and so on; E..H likewise in v[4..7].
template <int J>
inline void sm3_step(uint32_t v[8], uint32_t w[16]) {
  constexpr int r = J % 4;
  constexpr int ia = (4 - r) % 4, ib = (5 - r) % 4, ic = (6 - r) % 4, id = (7 - r) % 4;
  if constexpr (J >= 12) {
    // W[n] = P1(W[n-16] ^ W[n-9] ^ (W[n-3] <<< 15)) ^ (W[n-13] <<< 7) ^ W[n-6], n = J + 4.
    constexpr int n = J + 4;
    w[n % 16] = sm3_p1(w[n % 16] ^ w[(n - 9) % 16] ^ rotl32(w[(n - 3) % 16], 15)) ^
                rotl32(w[(n - 13) % 16], 7) ^ w[(n - 6) % 16];
  }
  const uint32_t wj = w[J % 16];
  const uint32_t wpj = wj ^ w[(J + 4) % 16];
  if constexpr (J < 16) {
    SM3_ROUND_GENERIC(v[ia], v[ib], v[ic], v[id], v[4 + ia], v[4 + ib], v[4 + ic], v[4 + id], J,
                      wj, wpj, SM3_FF0, SM3_GG0);
  } else {
    SM3_ROUND_GENERIC(v[ia], v[ib], v[ic], v[id], v[4 + ia], v[4 + ib], v[4 + ic], v[4 + id], J,
                      wj, wpj, SM3_FF1, SM3_GG1);
  }
}

template <size_t... J>
inline void sm3_rounds(uint32_t v[8], uint32_t w[16], std::index_sequence<J...>) {
  (sm3_step<static_cast<int>(J)>(v, w), ...);
}

}  // namespace

void sm3_block_portable(uint32_t state[8], const uint8_t* p, size_t nblocks) {
  while (nblocks--) {
    uint32_t w[16];
    for (int j = 0; j < 16; j++) w[j] = load_be32(p + 4 * j);
    uint32_t v[8];
    for (int i = 0; i < 8; i++) v[i] = state[i];
    sm3_rounds(v, w, std::make_index_sequence<64>());
    // V(i+1) = ABCDEFGH xor V(i) — xor, not addition as in SHA-2. After 64 rounds (a multiple
    // of 4) the renaming is back where it started.
    for (int i = 0; i < 8; i++) state[i] ^= v[i];
    p += kSm3BlockSize;
  }
}

namespace {

Sm3BlockFn choose_block_fn(const char** name) {
#if defined(__aarch64__)
  if (cpu_has(kCpuArmSM3)) {
    *name = "armv8 sm3";
    return sm3_block_armv8;
  }
#endif
#if defined(__x86_64__)
  // The AVX2 path also uses BMI2's rorx for the scalar rounds.
  if (cpu_has(kCpuAVX2 | kCpuBMI2)) {
    *name = "x86-64 avx2";
    return sm3_block_avx2;
  }
#endif
  *name = "portable";
  return sm3_block_portable;
}

constexpr uint32_t kIv[8] = {0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600,
                             0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e};

}  // namespace

void sm3_block(uint32_t state[8], const uint8_t* blocks, size_t nblocks) {
  const char* name;
  choose_block_fn(&name)(state, blocks, nblocks);
}

const char* sm3_impl_name() {
  const char* name;
  choose_block_fn(&name);
  return name;
}

void sm3_init(Sm3Ctx* ctx) {
  std::memcpy(ctx->h, kIv, sizeof(kIv));
  ctx->nblocks = 0;
  ctx->buflen = 0;
}

void sm3_update(Sm3Ctx* ctx, const uint8_t* data, size_t len) {
  if (len == 0) return;
  const char* name;
  const Sm3BlockFn block = choose_block_fn(&name);
  if (ctx->buflen) {
    const size_t take = std::min<size_t>(len, kSm3BlockSize - ctx->buflen);
    std::memcpy(ctx->buf + ctx->buflen, data, take);
    ctx->buflen += static_cast<uint32_t>(take);
    data += take;
    len -= take;
    if (ctx->buflen < kSm3BlockSize) return;
    block(ctx->h, ctx->buf, 1);
    ctx->nblocks++;
    ctx->buflen = 0;
  }
  const size_t n = len / kSm3BlockSize;
  if (n) {
    block(ctx->h, data, n);
    ctx->nblocks += n;
    data += n * kSm3BlockSize;
    len -= n * kSm3BlockSize;
  }
  if (len) {
    std::memcpy(ctx->buf, data, len);
    ctx->buflen = static_cast<uint32_t>(len);
  }
}

void sm3_final(Sm3Ctx* ctx, uint8_t out[kSm3DigestSize]) {
  // §5.2 padding: a 1 bit, zeros up to 448 mod 512, then the bit length as 64-bit big-endian.
  const uint64_t bits = (ctx->nblocks * kSm3BlockSize + ctx->buflen) * 8;
  uint8_t* buf = ctx->buf;
  size_t n = ctx->buflen;
  buf[n++] = 0x80;
  if (n > 56) {
    std::memset(buf + n, 0, kSm3BlockSize - n);
    sm3_block(ctx->h, buf, 1);
    n = 0;
  }
  std::memset(buf + n, 0, 56 - n);
  store_be64(buf + 56, bits);
  sm3_block(ctx->h, buf, 1);
  for (int i = 0; i < 8; i++) store_be32(out + 4 * i, ctx->h[i]);
  secure_zero(ctx, sizeof(*ctx));
}

void sm3(const uint8_t* data, size_t len, uint8_t out[kSm3DigestSize]) {
  Sm3Ctx ctx;
  sm3_init(&ctx);
  sm3_update(&ctx, data, len);
  sm3_final(&ctx, out);
}

}  // namespace guomi
