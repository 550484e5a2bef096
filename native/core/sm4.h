// sm4.h — the SM4 block cipher (GB/T 32907-2016) and its modes: ECB and CBC over whole blocks,
// CTR (128-bit big-endian counter), CFB-128 and OFB as streaming states (NIST SP 800-38A;
// GB/T 17964-2021), GCM (SP 800-38D; RFC 8998 §3.5.1), CCM (SP 800-38C; RFC 8998 §3.5.2) and XTS
// (GB/T 17964-2021 and IEEE 1619-2018).
//
// Everything here is constant time with respect to keys, data, IVs and nonces: no branch and no
// memory index depends on them (lengths and the public parameters are not secret). Every struct is
// plain data; copying one copies the state, and each has a wipe function. Nothing allocates.
//
// The implementation is chosen at run time from the CPU features (cpu.h): GFNI/AES-NI with
// SSE/AVX2/AVX-512 on x86-64, SM4E or NEON on ARM64, and a bitsliced portable path elsewhere.
// Expanded keys are identical on every path, so a key made under one path works under another.
#ifndef GUOMI_CORE_SM4_H_
#define GUOMI_CORE_SM4_H_

#include <cstddef>
#include <cstdint>

#include "ghash.h"

namespace guomi {

constexpr size_t kSm4BlockSize = 16;
constexpr size_t kSm4KeySize = 16;

// An expanded key: the 32 round keys of GB/T 32907-2016 §7.3 in encryption order and reversed
// for decryption (§7.2).
struct Sm4Key {
  alignas(16) uint32_t rk_enc[32];
  alignas(16) uint32_t rk_dec[32];
};

void sm4_set_key(Sm4Key* key, const uint8_t user_key[kSm4KeySize]);
void sm4_wipe_key(Sm4Key* key);

// The implementation in use: "x86-64 gfni-avx512", "x86-64 aesni-avx2", "armv8 sm4",
// "armv8 neon", "portable bitsliced", …
const char* sm4_impl_name();

// One block.
void sm4_encrypt_block(const Sm4Key* key, const uint8_t in[16], uint8_t out[16]);
void sm4_decrypt_block(const Sm4Key* key, const uint8_t in[16], uint8_t out[16]);

// ECB over |nblocks| whole blocks. |in| and |out| may be equal.
void sm4_ecb_encrypt(const Sm4Key* key, const uint8_t* in, uint8_t* out, size_t nblocks);
void sm4_ecb_decrypt(const Sm4Key* key, const uint8_t* in, uint8_t* out, size_t nblocks);

// CBC over |nblocks| whole blocks; |iv| is updated in place to the last ciphertext block so calls
// chain. |in| and |out| may be equal.
void sm4_cbc_encrypt(const Sm4Key* key, uint8_t iv[16], const uint8_t* in, uint8_t* out,
                     size_t nblocks);
void sm4_cbc_decrypt(const Sm4Key* key, uint8_t iv[16], const uint8_t* in, uint8_t* out,
                     size_t nblocks);

// sm4_pkcs7_unpad_ct checks the PKCS#7 padding (RFC 5652 §6.3) at the end of |data| (|len| a
// non-zero multiple of 16) without branching on the padding or the data, and returns the pad
// length 1..16, or -1 if the padding is malformed (last byte 0 or > 16, or the pad bytes differ).
// Only the returned value reveals anything.
int sm4_pkcs7_unpad_ct(const uint8_t* data, size_t len);

// Streaming CTR, CFB-128 and OFB. Each call takes any number of bytes; |in| and |out| may be
// equal. The state keeps its own copy of the round keys.
enum class Sm4StreamMode : uint8_t { kCtr = 0, kCfb = 1, kOfb = 2 };

struct Sm4StreamState {
  alignas(16) uint32_t rk[32];
  // CTR: the next counter block. CFB: the feedback register (the previous ciphertext block,
  // filled byte by byte). OFB: the last output block.
  uint8_t reg[16];
  uint8_t ks[16];  // keystream block being consumed
  uint32_t used;   // bytes of ks already consumed (16: none left)
  Sm4StreamMode mode;
  bool decrypt;    // only CFB differs between directions
};

void sm4_stream_init(Sm4StreamState* st, const Sm4Key* key, Sm4StreamMode mode, bool decrypt,
                     const uint8_t iv[16]);
void sm4_stream_update(Sm4StreamState* st, const uint8_t* in, uint8_t* out, size_t len);
void sm4_stream_wipe(Sm4StreamState* st);

// ---------------------------------------------------------------------------------------------
// GCM (NIST SP 800-38D with SM4; RFC 8998 §3.5.1).

constexpr size_t kSm4GcmMaxTag = 16;
// SP 800-38D §5.2.1.1: len(P) <= 2^39 - 256 bits.
constexpr uint64_t kSm4GcmMaxPlaintext = (uint64_t{1} << 36) - 32;

// One-shot GCM. |iv_len| >= 1 (12 bytes is the recommended, fast case; other lengths derive J0
// through GHASH, §7.1 step 2). |tag_len| 4..16: the tag is the leftmost |tag_len| bytes. |out|
// receives |len| bytes and may equal |in|. Returns false, writing nothing, if a parameter is out
// of range.
bool sm4_gcm_encrypt(const Sm4Key* key, const uint8_t* iv, size_t iv_len, const uint8_t* aad,
                     size_t aad_len, const uint8_t* in, size_t len, uint8_t* out, uint8_t* tag,
                     size_t tag_len);
// One-shot GCM decryption. The tag (|tag_len| 4..16 bytes) is compared in constant time; on a
// mismatch |out| is wiped (all zero) before false is returned, so no unauthenticated plaintext
// leaves. Out-of-range parameters return false too (|out| zeroed unless it is |in|; nothing has
// been decrypted then).
bool sm4_gcm_decrypt(const Sm4Key* key, const uint8_t* iv, size_t iv_len, const uint8_t* aad,
                     size_t aad_len, const uint8_t* in, size_t len, const uint8_t* tag,
                     size_t tag_len, uint8_t* out);

// Streaming GCM: init, aad (any number of calls), update (any number), final. Decryption through
// the streaming state returns plaintext before the tag can be checked (as node:crypto's
// decipher does); callers that must not release it use the one-shot function or hold it back.
struct Sm4GcmState {
  alignas(16) uint32_t rk[32];
  GhashKey gh;
  uint8_t ek_j0[16];   // E_K(J0), masks the tag
  uint8_t ctr[16];     // next counter block (inc32 of the last one used)
  uint8_t xi[16];      // GHASH accumulator
  uint8_t ks[16];      // keystream of the current partial block
  uint8_t pend[16];    // a partial block of AAD or ciphertext not yet hashed
  uint64_t aad_len;
  uint64_t data_len;
  uint32_t ks_used;    // bytes of ks used (16: none left)
  uint32_t pend_len;
  uint8_t phase;       // 0: AAD, 1: data, 2: finished
  bool decrypt;
};

// Returns false if iv_len == 0.
bool sm4_gcm_init(Sm4GcmState* st, const Sm4Key* key, const uint8_t* iv, size_t iv_len,
                  bool decrypt);
// Returns false if called after data or the AAD length would exceed 2^61 - 1 bytes.
bool sm4_gcm_aad(Sm4GcmState* st, const uint8_t* aad, size_t len);
// Returns false if the total would exceed kSm4GcmMaxPlaintext or after final.
bool sm4_gcm_update(Sm4GcmState* st, const uint8_t* in, uint8_t* out, size_t len);
// Writes the full 16-byte tag (callers truncate and, when decrypting, compare).
void sm4_gcm_final(Sm4GcmState* st, uint8_t tag[16]);
void sm4_gcm_wipe(Sm4GcmState* st);

// ---------------------------------------------------------------------------------------------
// CCM (NIST SP 800-38C with SM4; RFC 8998 §3.5.2). |nonce_len| 7..13, |tag_len| 4, 6, …, 16,
// len < 2^(8·(15 - nonce_len)). Returns false (writing nothing) on a bad parameter.
bool sm4_ccm_encrypt(const Sm4Key* key, const uint8_t* nonce, size_t nonce_len,
                     const uint8_t* aad, size_t aad_len, const uint8_t* in, size_t len,
                     uint8_t* out, uint8_t* tag, size_t tag_len);
// As GCM: constant-time tag check; on a mismatch |out| is wiped and false returned (bad
// parameters: false, |out| zeroed unless it is |in|).
bool sm4_ccm_decrypt(const Sm4Key* key, const uint8_t* nonce, size_t nonce_len,
                     const uint8_t* aad, size_t aad_len, const uint8_t* in, size_t len,
                     const uint8_t* tag, size_t tag_len, uint8_t* out);

// ---------------------------------------------------------------------------------------------
// XTS over one data unit of |len| >= 16 bytes, ciphertext stealing for a partial last block.
// |data_key| encrypts the data, |tweak_key| the 16-byte tweak. The two variants differ only in
// how the tweak is multiplied by α between blocks:
//   kGb   GB/T 17964-2021: the GCM bit order (shift right; 0xE1 into the first byte) — OpenSSL's
//         default SM4-XTS mode;
//   kIeee IEEE 1619: little-endian (shift left; 0x87 into the first byte).
// Returns false if len < 16. |in| and |out| may be equal.
enum class Sm4XtsVariant : uint8_t { kGb = 0, kIeee = 1 };

bool sm4_xts_encrypt(const Sm4Key* data_key, const Sm4Key* tweak_key, const uint8_t tweak[16],
                     Sm4XtsVariant variant, const uint8_t* in, uint8_t* out, size_t len);
bool sm4_xts_decrypt(const Sm4Key* data_key, const Sm4Key* tweak_key, const uint8_t tweak[16],
                     Sm4XtsVariant variant, const uint8_t* in, uint8_t* out, size_t len);

}  // namespace guomi

#endif  // GUOMI_CORE_SM4_H_
