// sm4_modes.cc — the confidentiality modes of NIST SP 800-38A (also GB/T 17964-2021) over SM4:
// ECB, CBC, CTR, CFB-128, OFB, and the constant-time PKCS#7 check (RFC 5652 §6.3).
//
// The parallel directions (ECB, CBC-decrypt, CTR, CFB-decrypt) go through the multi-block
// kernels; CBC-encrypt, CFB-encrypt and OFB are chained by definition and use the single-block
// kernel.
#include <cstring>

#include "ct.h"
#include "sm4.h"
#include "sm4_internal.h"
#include "util.h"

namespace guomi {

namespace {

// Blocks per pass through a stack buffer: large enough to keep the wide kernels busy and to
// amortise per-call setup, small enough to stay in L1.
constexpr size_t kChunkBlocks = 128;

}  // namespace

void sm4_ecb_encrypt(const Sm4Key* key, const uint8_t* in, uint8_t* out, size_t nblocks) {
  sm4_kernels().crypt_blocks(key->rk_enc, in, out, nblocks);
}

void sm4_ecb_decrypt(const Sm4Key* key, const uint8_t* in, uint8_t* out, size_t nblocks) {
  sm4_kernels().crypt_blocks(key->rk_dec, in, out, nblocks);
}

void sm4_cbc_encrypt(const Sm4Key* key, uint8_t iv[16], const uint8_t* in, uint8_t* out,
                     size_t nblocks) {
  const Sm4Kernels& k = sm4_kernels();
  uint8_t x[16];
  std::memcpy(x, iv, 16);
  for (size_t i = 0; i < nblocks; i++) {
    xor_bytes(x, x, in + 16 * i, 16);
    k.crypt1(key->rk_enc, x, x);
    std::memcpy(out + 16 * i, x, 16);
  }
  std::memcpy(iv, x, 16);
  sm4_detail::wipe(x, sizeof(x));
}

void sm4_cbc_decrypt(const Sm4Key* key, uint8_t iv[16], const uint8_t* in, uint8_t* out,
                     size_t nblocks) {
  const Sm4Kernels& k = sm4_kernels();
  uint8_t buf[kChunkBlocks * 16];
  while (nblocks) {
    const size_t m = nblocks < kChunkBlocks ? nblocks : kChunkBlocks;
    k.crypt_blocks(key->rk_dec, in, buf, m);
    uint8_t next_iv[16];
    std::memcpy(next_iv, in + 16 * (m - 1), 16);
    // P_i = D(C_i) ^ C_{i-1}. Backwards, so that in == out still reads each C_{i-1} before it
    // is overwritten.
    for (size_t i = m - 1; i > 0; i--) xor_bytes(out + 16 * i, buf + 16 * i, in + 16 * (i - 1), 16);
    xor_bytes(out, buf, iv, 16);
    std::memcpy(iv, next_iv, 16);
    in += 16 * m;
    out += 16 * m;
    nblocks -= m;
  }
  sm4_detail::wipe(buf, sizeof(buf));
}

int sm4_pkcs7_unpad_ct(const uint8_t* data, size_t len) {
  // |len| is public (a non-zero multiple of 16); everything below is branch-free in the data.
  // The last block is copied first and compared at constant positions: with a loop over
  // data[len - i], GCC merged the index with the secret n of the comparison into one induction
  // variable, and the load address was then computed from n (the valgrind harness caught it).
  uint8_t block[16];
  std::memcpy(block, data + len - 16, 16);
  const uint32_t n = value_barrier_u32(block[15]);
  uint32_t ok = ~ct_is_zero_u32(n) & ~static_cast<uint32_t>(ct_lt_u64(16, n));
  uint32_t diff = 0;
#pragma GCC unroll 16
  for (uint32_t j = 0; j < 16; j++) {
    // Byte j of the last block is padding iff j >= 16 - n, i.e. 15 - j < n.
    const uint32_t in_pad = static_cast<uint32_t>(ct_lt_u64(15 - j, n));
    diff |= in_pad & (block[j] ^ n);
  }
  ok &= ct_is_zero_u32(diff);
  sm4_detail::wipe(block, sizeof(block));
  return static_cast<int>(ct_select_u32(ok, n, 0xFFFFFFFFu));
}

// ---- streaming CTR / CFB-128 / OFB -----------------------------------------------------------

void sm4_stream_init(Sm4StreamState* st, const Sm4Key* key, Sm4StreamMode mode, bool decrypt,
                     const uint8_t iv[16]) {
  std::memcpy(st->rk, key->rk_enc, sizeof(st->rk));  // all three use the forward cipher
  std::memcpy(st->reg, iv, 16);
  std::memset(st->ks, 0, 16);
  st->used = 16;
  st->mode = mode;
  st->decrypt = decrypt;
}

void sm4_stream_wipe(Sm4StreamState* st) { sm4_detail::wipe(st, sizeof(*st)); }

namespace {

// next_keystream starts a new keystream block in st->ks.
void next_keystream(Sm4StreamState* st, const Sm4Kernels& k) {
  switch (st->mode) {
    case Sm4StreamMode::kCtr: {
      static const uint8_t zero[16] = {};
      k.ctr128(st->rk, st->reg, zero, st->ks, 1);
      break;
    }
    case Sm4StreamMode::kOfb:
      k.crypt1(st->rk, st->reg, st->ks);
      std::memcpy(st->reg, st->ks, 16);
      break;
    case Sm4StreamMode::kCfb:
      k.crypt1(st->rk, st->reg, st->ks);
      break;
  }
  st->used = 0;
}

// partial_bytes handles bytes inside the current keystream block (at most until it is used up).
size_t partial_bytes(Sm4StreamState* st, const uint8_t* in, uint8_t* out, size_t len) {
  size_t i = 0;
  for (; i < len && st->used < 16; i++, st->used++) {
    const uint8_t x = in[i];
    const uint8_t y = static_cast<uint8_t>(x ^ st->ks[st->used]);
    // CFB feeds the ciphertext byte back (the output when encrypting, the input when
    // decrypting); the mode and direction are public.
    if (st->mode == Sm4StreamMode::kCfb) st->reg[st->used] = st->decrypt ? x : y;
    out[i] = y;
  }
  return i;
}

}  // namespace

void sm4_stream_update(Sm4StreamState* st, const uint8_t* in, uint8_t* out, size_t len) {
  const Sm4Kernels& k = sm4_kernels();
  size_t done = partial_bytes(st, in, out, len);
  in += done;
  out += done;
  len -= done;
  size_t n = len / 16;
  if (n) {
    switch (st->mode) {
      case Sm4StreamMode::kCtr:
        k.ctr128(st->rk, st->reg, in, out, n);
        break;
      case Sm4StreamMode::kOfb:
        for (size_t i = 0; i < n; i++) {
          k.crypt1(st->rk, st->reg, st->reg);
          xor_bytes(out + 16 * i, in + 16 * i, st->reg, 16);
        }
        break;
      case Sm4StreamMode::kCfb:
        if (!st->decrypt) {
          for (size_t i = 0; i < n; i++) {
            k.crypt1(st->rk, st->reg, st->reg);
            xor_bytes(st->reg, st->reg, in + 16 * i, 16);
            std::memcpy(out + 16 * i, st->reg, 16);
          }
        } else {
          // P_i = C_i ^ E(C_{i-1}): the E inputs are the register and the ciphertext shifted by
          // one block, all known up front.
          uint8_t buf[kChunkBlocks * 16];
          size_t left = n;
          const uint8_t* ip = in;
          uint8_t* op = out;
          while (left) {
            const size_t m = left < kChunkBlocks ? left : kChunkBlocks;
            std::memcpy(buf, st->reg, 16);
            std::memcpy(buf + 16, ip, 16 * (m - 1));
            std::memcpy(st->reg, ip + 16 * (m - 1), 16);
            k.crypt_blocks(st->rk, buf, buf, m);
            xor_bytes(op, ip, buf, 16 * m);
            ip += 16 * m;
            op += 16 * m;
            left -= m;
          }
          sm4_detail::wipe(buf, sizeof(buf));
        }
        break;
    }
    in += 16 * n;
    out += 16 * n;
    len -= 16 * n;
  }
  if (len) {
    next_keystream(st, k);
    partial_bytes(st, in, out, len);
  }
}

}  // namespace guomi
