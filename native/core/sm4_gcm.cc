// sm4_gcm.cc — SM4-GCM (NIST SP 800-38D with SM4 as CIPH_K; RFC 8998 §3.5.1; GB/T 36624-2018).
//
//   H = E_K(0^128); J0 = IV || 0^31 || 1 for a 96-bit IV, else GHASH_H(IV || 0^(s+64) || [len(IV)]_64)
//   C = P xor E_K(inc32(J0)), E_K(inc32^2(J0)), …        (§7.1 steps 1-4; inc32 wraps the low 32 bits)
//   S = GHASH_H(A || 0^v || C || 0^u || [len(A)]_64 || [len(C)]_64)
//   T = MSB_t(E_K(J0) xor S)
//
// Bulk data is processed in chunks that interleave the counter-mode kernel and GHASH over the same
// few kilobytes while they are in L1 (GHASH reads the ciphertext: after encrypting a chunk, before
// decrypting one, so in == out works). Only lengths and public parameters are branched on.
#include <cstring>

#include "ct.h"
#include "ghash.h"
#include "sm4.h"
#include "sm4_internal.h"
#include "util.h"

namespace guomi {
namespace {

// Blocks per interleaved chunk (2 KiB): the widest kernel pass (8 sets of 16 blocks) and a
// multiple of the 16-block GHASH batch; small enough that the chunk is still in L1 for GHASH.
constexpr size_t kChunkBlocks = 128;

// Keystream blocks computed together with H and E_K(J0) for a 96-bit IV: short messages need
// a single multi-block kernel call for everything.
constexpr size_t kPrefixBlocks = 6;

// SP 800-38D §5.2.1.1: len(A) <= 2^64 - 1 bits.
constexpr uint64_t kMaxAad = (uint64_t{1} << 61) - 1;

unsigned powers_for(size_t longest_run_bytes) {
  const size_t blocks = (longest_run_bytes + 15) / 16;
  return blocks >= kGhashMaxPowers ? kGhashMaxPowers : blocks == 0 ? 1 : static_cast<unsigned>(blocks);
}

// ghash_padded hashes |len| bytes, the last partial block padded with zeros.
void ghash_padded(const GhashKey* gh, uint8_t xi[16], const uint8_t* p, size_t len) {
  const size_t full = len / 16;
  ghash_blocks(gh, xi, p, full);
  if (len % 16) {
    uint8_t block[16] = {};
    std::memcpy(block, p + 16 * full, len % 16);
    ghash_blocks(gh, xi, block, 1);
    sm4_detail::wipe(block, sizeof(block));
  }
}

void ghash_lengths(const GhashKey* gh, uint8_t xi[16], uint64_t aad_len, uint64_t data_len) {
  uint8_t block[16];
  store_be64(block, aad_len * 8);
  store_be64(block + 8, data_len * 8);
  ghash_blocks(gh, xi, block, 1);
}

// Per-message setup: H, the GHASH key, J0, E_K(J0) and the first counter block inc32(J0). For a
// 96-bit IV it also returns the keystream of the first |*prefix| data blocks.
struct GcmSetup {
  GhashKey gh;
  uint8_t ek_j0[16];
  uint8_t ctr[16];
  uint8_t prefix_ks[16 * kPrefixBlocks];
  size_t prefix_blocks;
};

void gcm_setup(const Sm4Kernels& k, const uint32_t rk[32], const uint8_t* iv, size_t iv_len,
               unsigned npowers, size_t data_blocks, GcmSetup* s) {
  if (iv_len == 12) {
    // One kernel call: E(0^128), E(J0), E(J0 + 1) … E(J0 + prefix).
    uint8_t blocks[16 * (2 + kPrefixBlocks)] = {};
    s->prefix_blocks = data_blocks < kPrefixBlocks ? data_blocks : kPrefixBlocks;
    uint8_t* j = blocks + 16;
    std::memcpy(j, iv, 12);
    store_be32(j + 12, 1);
    for (size_t i = 0; i < s->prefix_blocks; i++) {
      std::memcpy(j + 16 * (i + 1), j, 16);
      sm4_detail::ctr_add(j + 16 * (i + 1), i + 1, true);
    }
    std::memcpy(s->ctr, j, 16);
    sm4_detail::ctr_add(s->ctr, s->prefix_blocks + 1, true);
    k.crypt_blocks(rk, blocks, blocks, 2 + s->prefix_blocks);
    ghash_init(&s->gh, blocks, npowers);
    std::memcpy(s->ek_j0, blocks + 16, 16);
    std::memcpy(s->prefix_ks, blocks + 32, 16 * s->prefix_blocks);
    sm4_detail::wipe(blocks, sizeof(blocks));
    return;
  }
  // Any other length (§7.1 step 2): J0 = GHASH_H(IV || 0^(s+64) || [len(IV)]_64).
  uint8_t h[16] = {};
  k.crypt1(rk, h, h);
  const unsigned iv_powers = powers_for(iv_len);
  ghash_init(&s->gh, h, iv_powers > npowers ? iv_powers : npowers);
  sm4_detail::wipe(h, sizeof(h));
  uint8_t j0[16] = {};
  ghash_padded(&s->gh, j0, iv, iv_len);
  ghash_lengths(&s->gh, j0, 0, iv_len);
  k.crypt1(rk, j0, s->ek_j0);
  std::memcpy(s->ctr, j0, 16);
  sm4_detail::ctr_add(s->ctr, 1, true);
  s->prefix_blocks = 0;
  sm4_detail::wipe(j0, sizeof(j0));
}

// gcm_crypt en- or decrypts |len| bytes starting with the prefix keystream and then the counter,
// hashing the ciphertext into |xi|.
void gcm_crypt(const Sm4Kernels& k, const uint32_t rk[32], GcmSetup* s, uint8_t xi[16],
               const uint8_t* in, uint8_t* out, size_t len, bool decrypt) {
  // The prefix blocks (already-computed keystream).
  size_t pre = s->prefix_blocks * 16;
  if (pre > len) pre = len;
  if (pre) {
    if (decrypt) ghash_padded(&s->gh, xi, in, pre);
    xor_bytes(out, in, s->prefix_ks, pre);
    if (!decrypt) ghash_padded(&s->gh, xi, out, pre);
    in += pre;
    out += pre;
    len -= pre;
  }
  size_t nblocks = len / 16;
  while (nblocks) {
    const size_t m = nblocks < kChunkBlocks ? nblocks : kChunkBlocks;
    if (decrypt) ghash_blocks(&s->gh, xi, in, m);
    k.ctr32(rk, s->ctr, in, out, m);
    if (!decrypt) ghash_blocks(&s->gh, xi, out, m);
    in += 16 * m;
    out += 16 * m;
    nblocks -= m;
  }
  const size_t rem = len % 16;
  if (rem) {
    uint8_t block[16] = {};
    std::memcpy(block, in, rem);
    if (decrypt) ghash_blocks(&s->gh, xi, block, 1);
    k.ctr32(rk, s->ctr, block, block, 1);
    std::memset(block + rem, 0, 16 - rem);
    if (!decrypt) ghash_blocks(&s->gh, xi, block, 1);
    std::memcpy(out, block, rem);
    sm4_detail::wipe(block, sizeof(block));
  }
}

bool gcm_params_ok(size_t iv_len, size_t aad_len, size_t len, size_t tag_len) {
  return iv_len >= 1 && tag_len >= 4 && tag_len <= 16 && static_cast<uint64_t>(len) <= kSm4GcmMaxPlaintext &&
         static_cast<uint64_t>(aad_len) <= kMaxAad;
}

// gcm_oneshot computes the ciphertext (or plaintext) and the full tag.
void gcm_oneshot(const Sm4Key* key, const uint8_t* iv, size_t iv_len, const uint8_t* aad,
                 size_t aad_len, const uint8_t* in, size_t len, uint8_t* out, uint8_t tag[16],
                 bool decrypt) {
  const Sm4Kernels& k = sm4_kernels();
  GcmSetup s;
  const size_t longest = aad_len > len ? aad_len : len;
  gcm_setup(k, key->rk_enc, iv, iv_len, powers_for(longest), (len + 15) / 16, &s);
  uint8_t xi[16] = {};
  ghash_padded(&s.gh, xi, aad, aad_len);
  gcm_crypt(k, key->rk_enc, &s, xi, in, out, len, decrypt);
  ghash_lengths(&s.gh, xi, aad_len, len);
  xor_bytes(tag, xi, s.ek_j0, 16);
  sm4_detail::wipe(&s, sizeof(s));
  sm4_detail::wipe(xi, sizeof(xi));
}

}  // namespace

bool sm4_gcm_encrypt(const Sm4Key* key, const uint8_t* iv, size_t iv_len, const uint8_t* aad,
                     size_t aad_len, const uint8_t* in, size_t len, uint8_t* out, uint8_t* tag,
                     size_t tag_len) {
  if (!gcm_params_ok(iv_len, aad_len, len, tag_len)) return false;
  uint8_t full[16];
  gcm_oneshot(key, iv, iv_len, aad, aad_len, in, len, out, full, false);
  std::memcpy(tag, full, tag_len);
  sm4_detail::wipe(full, sizeof(full));
  return true;
}

bool sm4_gcm_decrypt(const Sm4Key* key, const uint8_t* iv, size_t iv_len, const uint8_t* aad,
                     size_t aad_len, const uint8_t* in, size_t len, const uint8_t* tag,
                     size_t tag_len, uint8_t* out) {
  if (!gcm_params_ok(iv_len, aad_len, len, tag_len)) {
    if (out != in) sm4_detail::wipe(out, len);
    return false;
  }
  uint8_t full[16];
  gcm_oneshot(key, iv, iv_len, aad, aad_len, in, len, out, full, true);
  // Constant-time comparison; only its verdict becomes public.
  uint32_t ok = ct_memeq_mask(full, tag, tag_len);
  sm4_detail::wipe(full, sizeof(full));
  GUOMI_DECLASSIFY(&ok, sizeof(ok));
  if (!ok) {
    sm4_detail::wipe(out, len);
    return false;
  }
  return true;
}

// ---- streaming ------------------------------------------------------------------------------------

bool sm4_gcm_init(Sm4GcmState* st, const Sm4Key* key, const uint8_t* iv, size_t iv_len,
                  bool decrypt) {
  if (iv_len == 0) return false;
  const Sm4Kernels& k = sm4_kernels();
  GcmSetup s;
  gcm_setup(k, key->rk_enc, iv, iv_len, kGhashMaxPowers, 0, &s);
  std::memcpy(st->rk, key->rk_enc, sizeof(st->rk));
  st->gh = s.gh;
  std::memcpy(st->ek_j0, s.ek_j0, 16);
  std::memcpy(st->ctr, s.ctr, 16);
  std::memset(st->xi, 0, 16);
  std::memset(st->ks, 0, 16);
  std::memset(st->pend, 0, 16);
  st->aad_len = 0;
  st->data_len = 0;
  st->ks_used = 16;
  st->pend_len = 0;
  st->phase = 0;
  st->decrypt = decrypt;
  sm4_detail::wipe(&s, sizeof(s));
  return true;
}

void sm4_gcm_wipe(Sm4GcmState* st) { sm4_detail::wipe(st, sizeof(*st)); }

bool sm4_gcm_aad(Sm4GcmState* st, const uint8_t* aad, size_t len) {
  if (st->phase != 0 || static_cast<uint64_t>(len) > kMaxAad - st->aad_len) return false;
  if (len == 0) return true;  // |aad| may be null then (memcpy from null is undefined even for 0)
  st->aad_len += len;
  if (st->pend_len) {
    const size_t take = len < 16 - st->pend_len ? len : 16 - st->pend_len;
    std::memcpy(st->pend + st->pend_len, aad, take);
    st->pend_len += static_cast<uint32_t>(take);
    aad += take;
    len -= take;
    if (st->pend_len < 16) return true;
    ghash_blocks(&st->gh, st->xi, st->pend, 1);
    st->pend_len = 0;
  }
  ghash_blocks(&st->gh, st->xi, aad, len / 16);
  std::memcpy(st->pend, aad + (len & ~size_t{15}), len % 16);
  st->pend_len = static_cast<uint32_t>(len % 16);
  return true;
}

namespace {

// finish_aad pads and hashes a partial AAD block when the data starts.
void finish_aad(Sm4GcmState* st) {
  if (st->phase == 0) {
    if (st->pend_len) {
      std::memset(st->pend + st->pend_len, 0, 16 - st->pend_len);
      ghash_blocks(&st->gh, st->xi, st->pend, 1);
      st->pend_len = 0;
    }
    st->phase = 1;
  }
}

// partial_data handles bytes within the current keystream block; the ciphertext bytes collect in
// pend (its fill level equals ks_used) and are hashed when the block is complete.
size_t partial_data(Sm4GcmState* st, const uint8_t* in, uint8_t* out, size_t len) {
  size_t i = 0;
  for (; i < len && st->ks_used < 16; i++) {
    const uint8_t x = in[i];
    const uint8_t y = static_cast<uint8_t>(x ^ st->ks[st->ks_used++]);
    st->pend[st->pend_len++] = st->decrypt ? x : y;
    out[i] = y;
  }
  if (st->pend_len == 16) {
    ghash_blocks(&st->gh, st->xi, st->pend, 1);
    st->pend_len = 0;
  }
  return i;
}

}  // namespace

bool sm4_gcm_update(Sm4GcmState* st, const uint8_t* in, uint8_t* out, size_t len) {
  if (st->phase == 2 || static_cast<uint64_t>(len) > kSm4GcmMaxPlaintext - st->data_len) return false;
  finish_aad(st);
  st->data_len += len;
  const Sm4Kernels& k = sm4_kernels();
  const size_t done = partial_data(st, in, out, len);
  in += done;
  out += done;
  len -= done;
  size_t nblocks = len / 16;
  while (nblocks) {
    const size_t m = nblocks < kChunkBlocks ? nblocks : kChunkBlocks;
    if (st->decrypt) ghash_blocks(&st->gh, st->xi, in, m);
    k.ctr32(st->rk, st->ctr, in, out, m);
    if (!st->decrypt) ghash_blocks(&st->gh, st->xi, out, m);
    in += 16 * m;
    out += 16 * m;
    nblocks -= m;
  }
  len %= 16;
  if (len) {
    static const uint8_t zero[16] = {};
    k.ctr32(st->rk, st->ctr, zero, st->ks, 1);
    st->ks_used = 0;
    partial_data(st, in, out, len);
  }
  return true;
}

void sm4_gcm_final(Sm4GcmState* st, uint8_t tag[16]) {
  finish_aad(st);
  if (st->pend_len) {
    std::memset(st->pend + st->pend_len, 0, 16 - st->pend_len);
    ghash_blocks(&st->gh, st->xi, st->pend, 1);
    st->pend_len = 0;
  }
  ghash_lengths(&st->gh, st->xi, st->aad_len, st->data_len);
  xor_bytes(tag, st->xi, st->ek_j0, 16);
  st->phase = 2;
  sm4_detail::wipe(st->ks, sizeof(st->ks));
}

}  // namespace guomi
