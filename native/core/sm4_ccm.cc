// sm4_ccm.cc — SM4-CCM (NIST SP 800-38C with SM4; RFC 8998 §3.5.2).
//
// Formatting (SP 800-38C Appendix A.2): with nonce length n (7..13), q = 15 - n and tag length t
// (4, 6, …, 16):
//   B0    = flags || N || [Plen]_q,  flags = 64·[Adata] + 8·((t - 2)/2) + (q - 1)
//   AAD   = [a]_2 if a < 2^16 - 2^8, 0xFFFE || [a]_4 if a < 2^32, else 0xFFFF || [a]_8; then A,
//           zero-padded with the length prefix to a block boundary
//   Ctr_i = (q - 1) || N || [i]_q
// The tag is MSB_t(CBC-MAC(B0 || AAD blocks || P blocks)) xor MSB_t(E(Ctr_0)); the payload is
// encrypted with E(Ctr_1), E(Ctr_2), … The counter never overflows its q bytes (Plen < 2^(8q)),
// so the kernels' 128-bit increment is the same as SP 800-38C's.
//
// The CBC-MAC is a chain (single-block kernel); the counter mode uses the multi-block kernel, in
// chunks interleaved with the MAC. Only lengths and public parameters are branched on.
#include <cstring>

#include "ct.h"
#include "sm4.h"
#include "sm4_internal.h"
#include "util.h"

namespace guomi {
namespace {

constexpr size_t kChunkBlocks = 64;

bool ccm_params_ok(size_t nonce_len, size_t len, size_t tag_len) {
  if (nonce_len < 7 || nonce_len > 13) return false;
  if (tag_len < 4 || tag_len > 16 || (tag_len & 1)) return false;
  const size_t q = 15 - nonce_len;
  return q >= 8 || static_cast<uint64_t>(len) < (uint64_t{1} << (8 * q));
}

// CbcMac is the running CBC-MAC Y_i = E(Y_{i-1} xor B_i) with byte-wise input (partial blocks
// collect in |buf| until 16 bytes or an explicit pad).
struct CbcMac {
  const Sm4Kernels* k;
  const uint32_t* rk;
  uint8_t y[16];
  size_t fill;  // bytes xored into y since the last encryption

  void absorb(const uint8_t* p, size_t len) {
    while (len) {
      if (fill == 0 && len >= 16) {
        store_le64(y, load_le64(y) ^ load_le64(p));
        store_le64(y + 8, load_le64(y + 8) ^ load_le64(p + 8));
        k->crypt1(rk, y, y);
        p += 16;
        len -= 16;
        continue;
      }
      const size_t take = len < 16 - fill ? len : 16 - fill;
      for (size_t i = 0; i < take; i++) y[fill + i] ^= p[i];
      fill += take;
      p += take;
      len -= take;
      if (fill == 16) {
        k->crypt1(rk, y, y);
        fill = 0;
      }
    }
  }
  // pad completes a partial block with zeros (xoring zeros changes nothing).
  void pad() {
    if (fill) {
      k->crypt1(rk, y, y);
      fill = 0;
    }
  }
};

// ccm_core runs the MAC and the counter mode; |decrypt| decides whether the MAC reads the input
// (encrypt: plaintext) or the output (decrypt: plaintext after decryption). Writes the full
// 16-byte masked MAC to |tag|.
void ccm_core(const Sm4Key* key, const uint8_t* nonce, size_t nonce_len, const uint8_t* aad,
              size_t aad_len, const uint8_t* in, size_t len, uint8_t* out, size_t tag_len,
              uint8_t tag[16], bool decrypt) {
  const Sm4Kernels& k = sm4_kernels();
  const size_t q = 15 - nonce_len;
  CbcMac mac{&k, key->rk_enc, {}, 0};
  uint8_t b0[16];
  b0[0] = static_cast<uint8_t>((aad_len ? 64 : 0) + 8 * ((tag_len - 2) / 2) + (q - 1));
  std::memcpy(b0 + 1, nonce, nonce_len);
  uint64_t plen = len;
  for (size_t i = 0; i < q; i++, plen >>= 8) b0[15 - i] = static_cast<uint8_t>(plen);
  mac.absorb(b0, 16);
  if (aad_len) {
    uint8_t enc[10];
    size_t enc_len;
    const uint64_t a = aad_len;
    if (a < 0xFF00) {
      enc[0] = static_cast<uint8_t>(a >> 8);
      enc[1] = static_cast<uint8_t>(a);
      enc_len = 2;
    } else if (a <= 0xFFFFFFFFull) {
      enc[0] = 0xFF;
      enc[1] = 0xFE;
      store_be32(enc + 2, static_cast<uint32_t>(a));
      enc_len = 6;
    } else {
      enc[0] = 0xFF;
      enc[1] = 0xFF;
      store_be64(enc + 2, a);
      enc_len = 10;
    }
    mac.absorb(enc, enc_len);
    mac.absorb(aad, aad_len);
    mac.pad();
  }
  // Ctr_0 masks the tag; payload counters start at Ctr_1.
  uint8_t ctr[16] = {};
  ctr[0] = static_cast<uint8_t>(q - 1);
  std::memcpy(ctr + 1, nonce, nonce_len);
  uint8_t s0[16];
  k.crypt1(key->rk_enc, ctr, s0);
  ctr[15] = 1;
  size_t nblocks = len / 16;
  while (nblocks) {
    const size_t m = nblocks < kChunkBlocks ? nblocks : kChunkBlocks;
    if (!decrypt) mac.absorb(in, 16 * m);
    k.ctr128(key->rk_enc, ctr, in, out, m);
    if (decrypt) mac.absorb(out, 16 * m);
    in += 16 * m;
    out += 16 * m;
    nblocks -= m;
  }
  const size_t rem = len % 16;
  if (rem) {
    uint8_t block[16] = {};
    std::memcpy(block, in, rem);
    if (!decrypt) mac.absorb(block, rem);
    k.ctr128(key->rk_enc, ctr, block, block, 1);
    if (decrypt) mac.absorb(block, rem);
    std::memcpy(out, block, rem);
    sm4_detail::wipe(block, sizeof(block));
  }
  mac.pad();
  xor_bytes(tag, mac.y, s0, 16);
  sm4_detail::wipe(&mac, sizeof(mac));
  sm4_detail::wipe(s0, sizeof(s0));
  sm4_detail::wipe(b0, sizeof(b0));
}

}  // namespace

bool sm4_ccm_encrypt(const Sm4Key* key, const uint8_t* nonce, size_t nonce_len,
                     const uint8_t* aad, size_t aad_len, const uint8_t* in, size_t len,
                     uint8_t* out, uint8_t* tag, size_t tag_len) {
  if (!ccm_params_ok(nonce_len, len, tag_len)) return false;
  uint8_t full[16];
  ccm_core(key, nonce, nonce_len, aad, aad_len, in, len, out, tag_len, full, false);
  std::memcpy(tag, full, tag_len);
  sm4_detail::wipe(full, sizeof(full));
  return true;
}

bool sm4_ccm_decrypt(const Sm4Key* key, const uint8_t* nonce, size_t nonce_len,
                     const uint8_t* aad, size_t aad_len, const uint8_t* in, size_t len,
                     const uint8_t* tag, size_t tag_len, uint8_t* out) {
  if (!ccm_params_ok(nonce_len, len, tag_len)) {
    if (out != in) sm4_detail::wipe(out, len);
    return false;
  }
  uint8_t full[16];
  ccm_core(key, nonce, nonce_len, aad, aad_len, in, len, out, tag_len, full, true);
  uint32_t ok = ct_memeq_mask(full, tag, tag_len);
  sm4_detail::wipe(full, sizeof(full));
  GUOMI_DECLASSIFY(&ok, sizeof(ok));
  if (!ok) {
    sm4_detail::wipe(out, len);  // the unauthenticated plaintext never leaves
    return false;
  }
  return true;
}

}  // namespace guomi
