// sm3.h — SM3 hash (GB/T 32905-2016) and the functions built on it: HMAC-SM3 (RFC 2104),
// the SM2 key-derivation function (GB/T 32918.4-2016 §5.4.3), HKDF (RFC 5869) and PBKDF2
// (RFC 8018 §5.2).
#ifndef GUOMI_CORE_SM3_H_
#define GUOMI_CORE_SM3_H_

#include <cstddef>
#include <cstdint>

namespace guomi {

constexpr size_t kSm3DigestSize = 32;
constexpr size_t kSm3BlockSize = 64;

// Sm3Ctx is a streaming hash state. It is plain data: copying it clones the hash.
struct Sm3Ctx {
  uint32_t h[8];
  uint64_t nblocks;  // complete 64-byte blocks compressed so far
  uint8_t buf[kSm3BlockSize];
  uint32_t buflen;
};

// A block function compresses |nblocks| 64-byte blocks into |state|.
using Sm3BlockFn = void (*)(uint32_t state[8], const uint8_t* blocks, size_t nblocks);

// The implementations. Only those built for this architecture exist; sm3_block() picks one.
void sm3_block_portable(uint32_t state[8], const uint8_t* blocks, size_t nblocks);
#if defined(__x86_64__)
void sm3_block_avx2(uint32_t state[8], const uint8_t* blocks, size_t nblocks);
#endif
#if defined(__aarch64__)
void sm3_block_armv8(uint32_t state[8], const uint8_t* blocks, size_t nblocks);
#endif

// Multi-lane compression: one 64-byte block for each of several independent chaining values,
// one per SIMD lane (for many short messages at once: hmac_sm3_batch). state[w·kSm3LaneStride + k]
// is word w of lane k; lane k's block is blocks[64k .. 64k + 64). The AVX2 and AVX-512VL kernels
// run lanes 0..7, the AVX-512 one lanes 0..15; both arrays are 64-byte aligned.
constexpr size_t kSm3LaneStride = 16;
#if defined(__x86_64__)
void sm3_compress_lanes_avx2(uint32_t* state, const uint8_t* blocks);
void sm3_compress_lanes_avx512(uint32_t* state, const uint8_t* blocks);
void sm3_compress_lanes_avx512vl(uint32_t* state, const uint8_t* blocks);  // 8 lanes
#endif

// sm3_lanes_impl_name names the multi-lane kernel hmac_sm3_batch uses for messages of up to 55
// bytes: "x86-64 avx512 16 lanes", "x86-64 avx2 8 lanes", or "none" (one message at a time).
const char* sm3_lanes_impl_name();

// sm3_block compresses through the implementation chosen for the enabled CPU features.
void sm3_block(uint32_t state[8], const uint8_t* blocks, size_t nblocks);

// sm3_impl_name names the implementation sm3_block() uses now ("x86-64 avx2", "portable", …).
const char* sm3_impl_name();

void sm3_init(Sm3Ctx* ctx);
void sm3_update(Sm3Ctx* ctx, const uint8_t* data, size_t len);
// sm3_final writes the digest and wipes the context.
void sm3_final(Sm3Ctx* ctx, uint8_t out[kSm3DigestSize]);
void sm3(const uint8_t* data, size_t len, uint8_t out[kSm3DigestSize]);

// HMAC-SM3. The context holds the inner and outer states after the padded key block, so a
// context can be copied to MAC many messages under one key (PBKDF2 does this).
struct HmacSm3Ctx {
  Sm3Ctx inner;
  Sm3Ctx outer;
};

void hmac_sm3_init(HmacSm3Ctx* ctx, const uint8_t* key, size_t key_len);
void hmac_sm3_update(HmacSm3Ctx* ctx, const uint8_t* data, size_t len);
// hmac_sm3_final writes the tag and wipes the context.
void hmac_sm3_final(HmacSm3Ctx* ctx, uint8_t out[kSm3DigestSize]);
void hmac_sm3(const uint8_t* key, size_t key_len, const uint8_t* data, size_t len,
              uint8_t out[kSm3DigestSize]);

// A prepared HMAC-SM3 key: the SM3 chaining values after the key block xor ipad (words 0..7) and
// after the key block xor opad (words 8..15). It is as secret as the key itself.
constexpr size_t kHmacSm3PreparedWords = 16;

// hmac_sm3_prepare computes the prepared form of |key| (hashing keys longer than 64 bytes first,
// RFC 2104 §2).
void hmac_sm3_prepare(const uint8_t* key, size_t key_len, uint32_t prepared[kHmacSm3PreparedWords]);

// hmac_sm3_batch computes n HMACs in one call: for i < n, out[32i .. 32i + 32) is HMAC-SM3 under
// prepared key which[i] (an index into |prepared|, nkeys keys of kHmacSm3PreparedWords words) of
// data[ends[i-1] .. ends[i]) with ends[-1] = 0. Starting from the prepared states, a message of
// up to 55 bytes costs two compressions instead of the four of hmac_sm3. The caller guarantees
// which[i] < nkeys, non-decreasing ends, and room for 32n bytes of output.
void hmac_sm3_batch(const uint32_t* prepared, size_t nkeys, const uint32_t* which,
                    const uint8_t* data, const uint32_t* ends, size_t n, uint8_t* out);

// sm3_kdf writes |out_len| bytes of KDF(Z, 8·out_len) (GB/T 32918.4-2016 §5.4.3): the
// concatenation of SM3(Z || ct) for ct = 1, 2, … as 32-bit big-endian counters. The caller
// bounds |out_len| (the standard allows fewer than 2^32 - 1 hash blocks).
void sm3_kdf(const uint8_t* z, size_t z_len, uint8_t* out, size_t out_len);

// hkdf_sm3_extract: PRK = HMAC-SM3(salt, IKM) (RFC 5869 §2.2). An empty salt means 32 zero
// bytes, which HMAC's zero-padding of short keys gives for free.
void hkdf_sm3_extract(const uint8_t* salt, size_t salt_len, const uint8_t* ikm, size_t ikm_len,
                      uint8_t prk[kSm3DigestSize]);

// hkdf_sm3_expand (RFC 5869 §2.3). Returns false if out_len > 255 * 32.
bool hkdf_sm3_expand(const uint8_t* prk, size_t prk_len, const uint8_t* info, size_t info_len,
                     uint8_t* out, size_t out_len);

// pbkdf2_sm3 (RFC 8018 §5.2 with HMAC-SM3 as the PRF). Returns false if iterations == 0 or
// out_len is larger than (2^32 - 1) * 32.
bool pbkdf2_sm3(const uint8_t* password, size_t password_len, const uint8_t* salt, size_t salt_len,
                uint32_t iterations, uint8_t* out, size_t out_len);

}  // namespace guomi

#endif  // GUOMI_CORE_SM3_H_
