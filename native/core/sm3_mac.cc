// sm3_mac.cc — HMAC-SM3 (RFC 2104), the SM2 KDF (GB/T 32918.4-2016 §5.4.3), HKDF-SM3 (RFC 5869)
// and PBKDF2-HMAC-SM3 (RFC 8018 §5.2).
#include <algorithm>
#include <cstring>

#include "cpu.h"
#include "ct.h"
#include "sm3.h"
#include "util.h"

namespace guomi {

void hmac_sm3_init(HmacSm3Ctx* ctx, const uint8_t* key, size_t key_len) {
  uint8_t block[kSm3BlockSize] = {0};
  // Keys longer than the block are hashed first (RFC 2104 §2).
  if (key_len > kSm3BlockSize) {
    sm3(key, key_len, block);
  } else if (key_len) {
    std::memcpy(block, key, key_len);
  }
  for (auto& b : block) b ^= 0x36;
  sm3_init(&ctx->inner);
  sm3_update(&ctx->inner, block, kSm3BlockSize);
  for (auto& b : block) b ^= 0x36 ^ 0x5c;
  sm3_init(&ctx->outer);
  sm3_update(&ctx->outer, block, kSm3BlockSize);
  secure_zero(block, sizeof(block));
}

void hmac_sm3_update(HmacSm3Ctx* ctx, const uint8_t* data, size_t len) {
  sm3_update(&ctx->inner, data, len);
}

void hmac_sm3_final(HmacSm3Ctx* ctx, uint8_t out[kSm3DigestSize]) {
  uint8_t inner[kSm3DigestSize];
  sm3_final(&ctx->inner, inner);
  sm3_update(&ctx->outer, inner, sizeof(inner));
  sm3_final(&ctx->outer, out);
  secure_zero(inner, sizeof(inner));
}

void hmac_sm3(const uint8_t* key, size_t key_len, const uint8_t* data, size_t len,
              uint8_t out[kSm3DigestSize]) {
  HmacSm3Ctx ctx;
  hmac_sm3_init(&ctx, key, key_len);
  hmac_sm3_update(&ctx, data, len);
  hmac_sm3_final(&ctx, out);
}

void hmac_sm3_prepare(const uint8_t* key, size_t key_len, uint32_t prepared[kHmacSm3PreparedWords]) {
  HmacSm3Ctx ctx;
  hmac_sm3_init(&ctx, key, key_len);
  // After init each state has absorbed exactly one 64-byte block and buffers nothing.
  std::memcpy(prepared, ctx.inner.h, 32);
  std::memcpy(prepared + 8, ctx.outer.h, 32);
  secure_zero(&ctx, sizeof(ctx));
}

namespace {

// pad_final writes the last |rest| (< 64) bytes of a message of |total| bytes followed by its
// GB/T 32905-2016 §5.2 padding: 0x80, zeros, the 64-bit big-endian bit length. That is one
// block, or two when the length no longer fits after the 0x80 byte (rest >= 56; |block| must
// then have room for two). Returns the number of blocks written.
size_t pad_final(uint8_t* block, const uint8_t* tail, size_t rest, uint64_t total) {
  if (rest) std::memcpy(block, tail, rest);  // tail may be null if rest == 0
  block[rest] = 0x80;
  const size_t blocks = rest < 56 ? 1 : 2;
  std::memset(block + rest + 1, 0, blocks * kSm3BlockSize - rest - 1 - 8);
  store_be64(block + blocks * kSm3BlockSize - 8, total * 8);
  return blocks;
}

// finish_from_state hashes |len| bytes of |msg| into |state|, which has already absorbed
// |prefix_blocks| 64-byte blocks, applies the §5.2 padding and writes the digest.
void finish_from_state(uint32_t state[8], uint64_t prefix_blocks, const uint8_t* msg, size_t len,
                       uint8_t out[kSm3DigestSize]) {
  const size_t full = len / kSm3BlockSize;
  if (full) sm3_block(state, msg, full);
  uint8_t block[2 * kSm3BlockSize];
  const size_t rest = len - full * kSm3BlockSize;
  const uint8_t* tail = rest ? msg + full * kSm3BlockSize : nullptr;  // msg may be null if len == 0
  const size_t blocks = pad_final(block, tail, rest, prefix_blocks * kSm3BlockSize + len);
  sm3_block(state, block, blocks);
  for (int i = 0; i < 8; i++) store_be32(out + 4 * i, state[i]);
  secure_zero(block, sizeof(block));
}

// The multi-lane kernels of this CPU (sm3_lanes_x86_64.cc): 16 lanes with AVX-512, 8 with AVX2,
// none elsewhere (ARMv8 has SM3 instructions, which are fast enough one message at a time).
// A group of at most 8 messages (one log record's fields) runs faster in an 8-lane kernel, so
// an AVX-512 CPU keeps its 8-lane AVX-512VL one as |narrow|.
using LaneFn = void (*)(uint32_t* state, const uint8_t* blocks);
struct LaneKernel {
  LaneFn wide;
  size_t lanes;  // of |wide|
  LaneFn narrow;  // for groups of at most 8, or null
  const char* name;
};

LaneKernel lane_kernel() {
#if defined(__x86_64__)
  if (cpu_has(kCpuAVX512 | kCpuAVX2)) {
    return {sm3_compress_lanes_avx512, 16, sm3_compress_lanes_avx512vl, "x86-64 avx512 16 lanes"};
  }
  if (cpu_has(kCpuAVX2)) return {sm3_compress_lanes_avx2, 8, nullptr, "x86-64 avx2 8 lanes"};
#endif
  return {nullptr, 0, nullptr, "none"};
}

// The longest message whose padding fits in the same block (GB/T 32905-2016 §5.2: 0x80 and the
// 8-byte bit length follow it): what the lane kernels take.
constexpr size_t kOneBlockMessage = kSm3BlockSize - 9;

// The short messages of a batch, one per lane: their chaining values (word-major) and their
// final blocks. A message of up to 55 bytes fits in one block with its padding, so its HMAC is
// one inner and one outer compression from the prepared states.
struct LaneBatch {
  alignas(64) uint32_t state[8 * kSm3LaneStride];
  alignas(64) uint8_t blocks[kSm3LaneStride * kSm3BlockSize];
  size_t index[kSm3LaneStride];
  const uint32_t* key[kSm3LaneStride];
  size_t used;
};

// run_lanes finishes the HMACs of the queued messages: the inner compression for all lanes at
// once, then the outer one over the inner digests, then the tags to out.
void run_lanes(LaneBatch* b, const LaneKernel& k, uint8_t* out) {
  const size_t used = b->used;
  b->used = 0;
  if (used == 0) return;
  const LaneFn compress = used <= 8 && k.narrow ? k.narrow : k.wide;
  compress(b->state, b->blocks);
  uint8_t digest[kSm3DigestSize];
  for (size_t lane = 0; lane < used; lane++) {
    for (int w = 0; w < 8; w++) {
      store_be32(digest + 4 * w, b->state[w * kSm3LaneStride + lane]);
      b->state[w * kSm3LaneStride + lane] = b->key[lane][8 + w];
    }
    pad_final(b->blocks + lane * kSm3BlockSize, digest, sizeof(digest), kSm3BlockSize + sizeof(digest));
  }
  compress(b->state, b->blocks);
  for (size_t lane = 0; lane < used; lane++) {
    uint8_t* tag = out + kSm3DigestSize * b->index[lane];
    for (int w = 0; w < 8; w++) store_be32(tag + 4 * w, b->state[w * kSm3LaneStride + lane]);
  }
  secure_zero(digest, sizeof(digest));
}

}  // namespace

const char* sm3_lanes_impl_name() { return lane_kernel().name; }

void hmac_sm3_batch(const uint32_t* prepared, size_t nkeys, const uint32_t* which,
                    const uint8_t* data, const uint32_t* ends, size_t n, uint8_t* out) {
  (void)nkeys;  // bounds are the caller's contract; kept for the reader
  LaneKernel kernel = lane_kernel();
  // A pass of an 8-lane kernel costs about two scalar compressions, whatever the number of lanes
  // in use: one or two short messages go faster one at a time.
  size_t short_messages = 0;
  for (size_t i = 0, start = 0; i < n; start = ends[i], i++) short_messages += ends[i] - start <= kOneBlockMessage;
  if (short_messages < 3) kernel.wide = nullptr;
  // Zeroed so that idle lanes compute on defined (and meaningless) values.
  LaneBatch lanes{};
  uint32_t state[8];
  uint8_t inner[kSm3DigestSize];
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    const uint32_t* key = prepared + kHmacSm3PreparedWords * which[i];
    const uint8_t* msg = data + start;
    const size_t len = ends[i] - start;
    start = ends[i];
    // The length of a message is public (it decides the number of blocks in any SM3), so
    // choosing a path by it leaks nothing more.
    if (kernel.wide && len <= kOneBlockMessage) {
      const size_t lane = lanes.used++;
      for (int w = 0; w < 8; w++) lanes.state[w * kSm3LaneStride + lane] = key[w];
      pad_final(lanes.blocks + lane * kSm3BlockSize, msg, len, kSm3BlockSize + len);  // one block
      lanes.index[lane] = i;
      lanes.key[lane] = key;
      if (lanes.used == kernel.lanes) run_lanes(&lanes, kernel, out);
      continue;
    }
    // Inner hash: SM3((K ^ ipad) || m), continuing from the state after the key block.
    std::memcpy(state, key, 32);
    finish_from_state(state, 1, msg, len, inner);
    // Outer hash: SM3((K ^ opad) || inner).
    std::memcpy(state, key + 8, 32);
    finish_from_state(state, 1, inner, sizeof(inner), out + kSm3DigestSize * i);
  }
  run_lanes(&lanes, kernel, out);
  secure_zero(&lanes, sizeof(lanes));
  secure_zero(state, sizeof(state));
  secure_zero(inner, sizeof(inner));
}

void sm3_kdf(const uint8_t* z, size_t z_len, uint8_t* out, size_t out_len) {
  // Hash Z once and clone the state for every counter value.
  Sm3Ctx base;
  sm3_init(&base);
  sm3_update(&base, z, z_len);
  uint8_t ct[4];
  uint8_t digest[kSm3DigestSize];
  for (uint32_t counter = 1; out_len > 0; counter++) {
    Sm3Ctx c = base;
    store_be32(ct, counter);
    sm3_update(&c, ct, 4);
    sm3_final(&c, digest);
    const size_t take = std::min(out_len, kSm3DigestSize);
    std::memcpy(out, digest, take);
    out += take;
    out_len -= take;
  }
  secure_zero(&base, sizeof(base));
  secure_zero(digest, sizeof(digest));
}

void hkdf_sm3_extract(const uint8_t* salt, size_t salt_len, const uint8_t* ikm, size_t ikm_len,
                      uint8_t prk[kSm3DigestSize]) {
  hmac_sm3(salt, salt_len, ikm, ikm_len, prk);
}

bool hkdf_sm3_expand(const uint8_t* prk, size_t prk_len, const uint8_t* info, size_t info_len,
                     uint8_t* out, size_t out_len) {
  if (out_len > 255 * kSm3DigestSize) return false;
  HmacSm3Ctx keyed;
  hmac_sm3_init(&keyed, prk, prk_len);
  uint8_t t[kSm3DigestSize];
  size_t t_len = 0;
  for (uint8_t i = 1; out_len > 0; i++) {
    // T(i) = HMAC(PRK, T(i-1) || info || i)
    HmacSm3Ctx c = keyed;
    hmac_sm3_update(&c, t, t_len);
    hmac_sm3_update(&c, info, info_len);
    hmac_sm3_update(&c, &i, 1);
    hmac_sm3_final(&c, t);
    t_len = kSm3DigestSize;
    const size_t take = std::min(out_len, kSm3DigestSize);
    std::memcpy(out, t, take);
    out += take;
    out_len -= take;
  }
  secure_zero(&keyed, sizeof(keyed));
  secure_zero(t, sizeof(t));
  return true;
}

namespace {

// hmac_sm3_32 computes HMAC over a 32-byte message from a keyed context using exactly two
// compressions: the message fits in one padded block for both the inner and outer hash.
void hmac_sm3_32(const HmacSm3Ctx& keyed, const uint8_t msg[32], uint8_t out[32]) {
  uint8_t block[kSm3BlockSize];
  // Padding for a 96-byte total message (64-byte key block + 32 bytes): 0x80, zeros, length 768.
  std::memcpy(block, msg, 32);
  block[32] = 0x80;
  std::memset(block + 33, 0, 23);
  store_be64(block + 56, (kSm3BlockSize + 32) * 8);
  uint32_t st[8];
  std::memcpy(st, keyed.inner.h, sizeof(st));
  sm3_block(st, block, 1);
  for (int i = 0; i < 8; i++) store_be32(block + 4 * i, st[i]);
  std::memcpy(st, keyed.outer.h, sizeof(st));
  sm3_block(st, block, 1);
  for (int i = 0; i < 8; i++) store_be32(out + 4 * i, st[i]);
  secure_zero(block, sizeof(block));
  secure_zero(st, sizeof(st));
}

}  // namespace

bool pbkdf2_sm3(const uint8_t* password, size_t password_len, const uint8_t* salt, size_t salt_len,
                uint32_t iterations, uint8_t* out, size_t out_len) {
  if (iterations == 0) return false;
  if (out_len / kSm3DigestSize >= 0xffffffffull) return false;
  HmacSm3Ctx keyed;
  hmac_sm3_init(&keyed, password, password_len);
  uint8_t u[kSm3DigestSize], acc[kSm3DigestSize], be[4];
  for (uint32_t block = 1; out_len > 0; block++) {
    // U1 = PRF(P, S || INT(i)); Uj = PRF(P, Uj-1); T = U1 ^ … ^ Uc
    HmacSm3Ctx c = keyed;
    hmac_sm3_update(&c, salt, salt_len);
    store_be32(be, block);
    hmac_sm3_update(&c, be, 4);
    hmac_sm3_final(&c, u);
    std::memcpy(acc, u, sizeof(acc));
    for (uint32_t j = 1; j < iterations; j++) {
      hmac_sm3_32(keyed, u, u);
      xor_bytes(acc, acc, u, sizeof(acc));
    }
    const size_t take = std::min(out_len, kSm3DigestSize);
    std::memcpy(out, acc, take);
    out += take;
    out_len -= take;
  }
  secure_zero(&keyed, sizeof(keyed));
  secure_zero(u, sizeof(u));
  secure_zero(acc, sizeof(acc));
  return true;
}

}  // namespace guomi
