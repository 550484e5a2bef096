// kat_sm4.cc — SM4 known answers from vectors/ for the standalone runner: the block cipher, the
// SP 800-38A modes, GCM, CCM and XTS. Each vector is also fed through the streaming APIs in
// uneven pieces and in place, so the buffering and the multi-block kernels' tails are exercised
// on every CPU path the runner selects.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "../core/sm4.h"
#include "../core/sm4_internal.h"
#include "filetest.h"
#include "kat.h"

namespace guomi_test {

namespace {

using Bytes = std::vector<uint8_t>;

bool same(const Bytes& a, const uint8_t* b, size_t n) {
  return a.size() == n && (n == 0 || std::memcmp(a.data(), b, n) == 0);
}

Bytes key_bytes(FileTestCase& t, Bytes key) {
  if (key.size() != 16) t.fail("key must be 16 bytes");
  key.resize(16);
  return key;
}

// Piece sizes for the streaming checks: small, odd, block-sized and larger than a wide pass.
constexpr size_t kPieces[] = {1, 15, 16, 17, 3, 64, 5, 129, 31, 600};

void check_block(FileTestCase& t) {
  using namespace guomi;
  if (t.has("Sbox0")) {
    // The table of §6.2 against the one derived from the algebraic form in sm4_internal.h
    // (from which every path's S-box constants come).
    static const char* const kRows[] = {"Sbox0", "Sbox1", "Sbox2", "Sbox3", "Sbox4", "Sbox5",
                                        "Sbox6", "Sbox7", "Sbox8", "Sbox9", "SboxA", "SboxB",
                                        "SboxC", "SboxD", "SboxE", "SboxF"};
    for (int r = 0; r < 16; r++) {
      const Bytes row = t.bytes(kRows[r]);
      if (!same(row, sm4_detail::kSbox.v + 16 * r, 16)) t.fail(std::string("S-box row ") + kRows[r]);
    }
    return;
  }
  const Bytes key = key_bytes(t, t.bytes("Key"));
  const Bytes pt = t.bytes("Plaintext"), ct = t.bytes("Ciphertext");
  const uint64_t iterations = t.has("Iterations") ? t.num("Iterations") : 1;
  Sm4Key k;
  sm4_set_key(&k, key.data());
  if (t.has("RoundKey0")) {
    const Bytes rk0 = t.bytes("RoundKey0"), rk31 = t.bytes("RoundKey31");
    uint8_t b0[4], b31[4];
    store_be32(b0, k.rk_enc[0]);
    store_be32(b31, k.rk_enc[31]);
    if (!same(rk0, b0, 4) || !same(rk31, b31, 4)) t.fail("round keys");
  }
  if (pt.size() != 16 || ct.size() != 16) {
    t.fail("block vectors are 16 bytes");
    return;
  }
  uint8_t x[16];
  std::memcpy(x, pt.data(), 16);
  for (uint64_t i = 0; i < iterations; i++) sm4_encrypt_block(&k, x, x);
  if (!same(ct, x, 16)) t.fail("encrypt");
  for (uint64_t i = 0; i < iterations; i++) sm4_decrypt_block(&k, x, x);
  if (!same(pt, x, 16)) t.fail("decrypt");
  if (iterations == 1) {
    // The same block many times through the bulk kernels: every width, pass and tail.
    for (size_t n : {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 64, 65, 100}) {
      Bytes buf(16 * n);
      for (size_t i = 0; i < n; i++) std::memcpy(&buf[16 * i], pt.data(), 16);
      sm4_ecb_encrypt(&k, buf.data(), buf.data(), n);
      bool ok = true;
      for (size_t i = 0; i < n; i++) ok &= same(ct, &buf[16 * i], 16);
      sm4_ecb_decrypt(&k, buf.data(), buf.data(), n);
      for (size_t i = 0; i < n; i++) ok &= same(pt, &buf[16 * i], 16);
      if (!ok) t.fail("ECB of " + std::to_string(n) + " copies");
    }
  }
  sm4_wipe_key(&k);
}

Bytes pkcs7_pad(const Bytes& in) {
  Bytes out = in;
  const size_t n = 16 - in.size() % 16;
  out.insert(out.end(), n, static_cast<uint8_t>(n));
  return out;
}

// stream_pieces runs a CTR/CFB/OFB state over |in| in uneven pieces (in place when |inplace|).
Bytes stream_pieces(const guomi::Sm4Key& k, guomi::Sm4StreamMode mode, bool decrypt,
                    const Bytes& iv, const Bytes& in, size_t first_piece, bool inplace) {
  using namespace guomi;
  Sm4StreamState st;
  sm4_stream_init(&st, &k, mode, decrypt, iv.data());
  Bytes out = in;
  Bytes src = in;
  size_t off = 0, p = first_piece;
  while (off < in.size()) {
    size_t n = kPieces[p++ % (sizeof(kPieces) / sizeof(kPieces[0]))];
    if (n > in.size() - off) n = in.size() - off;
    sm4_stream_update(&st, inplace ? &out[off] : &src[off], &out[off], n);
    off += n;
  }
  sm4_stream_wipe(&st);
  return out;
}

void check_mode(FileTestCase& t) {
  using namespace guomi;
  const std::string mode = t.str("Mode");
  const Bytes key = key_bytes(t, t.bytes("Key"));
  Bytes iv = mode == "ECB" ? Bytes(16) : t.bytes("IV");
  const bool pkcs7 = t.has("Padding") && t.str("Padding") == "PKCS7";
  const Bytes pt0 = t.bytes("Plaintext"), ct = t.bytes("Ciphertext");
  const Bytes pt = pkcs7 ? pkcs7_pad(pt0) : pt0;
  if (iv.size() != 16 || pt.size() != ct.size()) {
    t.fail("bad vector lengths");
    return;
  }
  Sm4Key k;
  sm4_set_key(&k, key.data());
  const size_t n = pt.size();
  Bytes out(n);
  if (mode == "ECB" || mode == "CBC") {
    if (n % 16) {
      t.fail("ECB/CBC vectors are whole blocks");
      return;
    }
    const size_t nb = n / 16;
    if (mode == "ECB") {
      sm4_ecb_encrypt(&k, pt.data(), out.data(), nb);
      if (!same(ct, out.data(), n)) t.fail("ECB encrypt");
      sm4_ecb_decrypt(&k, out.data(), out.data(), nb);
      if (!same(pt, out.data(), n)) t.fail("ECB decrypt (in place)");
    } else {
      // Encrypt in two chained calls; decrypt in one call in place, then in two calls.
      Bytes v = iv;
      const size_t half = nb / 2;
      sm4_cbc_encrypt(&k, v.data(), pt.data(), out.data(), half);
      sm4_cbc_encrypt(&k, v.data(), pt.data() + 16 * half, out.data() + 16 * half, nb - half);
      if (!same(ct, out.data(), n)) t.fail("CBC encrypt");
      if (!same(Bytes(ct.end() - 16, ct.end()), v.data(), 16)) t.fail("CBC encrypt IV update");
      v = iv;
      sm4_cbc_decrypt(&k, v.data(), out.data(), out.data(), nb);
      if (!same(pt, out.data(), n)) t.fail("CBC decrypt (in place)");
      if (!same(Bytes(ct.end() - 16, ct.end()), v.data(), 16)) t.fail("CBC decrypt IV update");
      v = iv;
      sm4_cbc_decrypt(&k, v.data(), ct.data(), out.data(), 1);
      sm4_cbc_decrypt(&k, v.data(), ct.data() + 16, out.data() + 16, nb - 1);
      if (!same(pt, out.data(), n)) t.fail("CBC decrypt (chained)");
    }
    if (pkcs7) {
      const int pad = sm4_pkcs7_unpad_ct(out.data(), n);
      if (pad != static_cast<int>(n - pt0.size())) t.fail("PKCS#7 pad length");
      // RFC 5652 §6.3: a last byte of 0 or above 16, or any pad byte differing, is malformed.
      Bytes bad = out;
      bad[n - 1] = 0;
      if (sm4_pkcs7_unpad_ct(bad.data(), n) != -1) t.fail("PKCS#7 accepted a zero pad byte");
      bad[n - 1] = 17;
      if (sm4_pkcs7_unpad_ct(bad.data(), n) != -1) t.fail("PKCS#7 accepted a pad byte of 17");
      if (pad >= 2) {
        bad = out;
        bad[n - static_cast<size_t>(pad)] ^= 1;
        if (sm4_pkcs7_unpad_ct(bad.data(), n) != -1) t.fail("PKCS#7 accepted a modified pad");
      }
      if (pad < 16) {
        // Claiming one more pad byte than there is fails unless the byte before happens to match.
        bad = out;
        bad[n - 1] = static_cast<uint8_t>(pad + 1);
        const bool matches = bad[n - 1 - static_cast<size_t>(pad)] == pad + 1;
        for (int i = 2; i <= pad; i++) bad[n - static_cast<size_t>(i)] = static_cast<uint8_t>(pad + 1);
        if (!matches && sm4_pkcs7_unpad_ct(bad.data(), n) != -1) t.fail("PKCS#7 accepted a longer pad");
        if (matches && sm4_pkcs7_unpad_ct(bad.data(), n) != pad + 1) t.fail("PKCS#7 longer pad");
      }
    }
  } else {
    Sm4StreamMode m = Sm4StreamMode::kCtr;
    if (mode == "CFB") m = Sm4StreamMode::kCfb;
    else if (mode == "OFB") m = Sm4StreamMode::kOfb;
    else if (mode != "CTR") t.fail("unknown mode " + mode);
    for (size_t first = 0; first < 4; first++) {
      if (stream_pieces(k, m, false, iv, pt, first, first & 1) != ct) t.fail(mode + " encrypt in pieces");
      if (stream_pieces(k, m, true, iv, ct, first, !(first & 1)) != pt) t.fail(mode + " decrypt in pieces");
    }
    // One call for everything.
    Sm4StreamState st;
    sm4_stream_init(&st, &k, m, false, iv.data());
    sm4_stream_update(&st, pt.data(), out.data(), n);
    if (!same(ct, out.data(), n)) t.fail(mode + " encrypt");
  }
  sm4_wipe_key(&k);
}

// GCM: one-shot both ways (and in place), the streaming state in uneven pieces, and for the
// negative cases that decryption fails and leaves the output all zero.
void check_gcm(FileTestCase& t) {
  using namespace guomi;
  const Bytes key = key_bytes(t, t.bytes("Key"));
  const Bytes iv = t.bytes("IV"), aad = t.bytes("AAD"), pt = t.bytes("Plaintext"),
              ct = t.bytes("Ciphertext"), tag = t.bytes("Tag");
  const bool valid = !t.has("Result") || t.str("Result") != "invalid";
  Sm4Key k;
  sm4_set_key(&k, key.data());
  Bytes out(ct.size() + 1, 0xAA);
  const bool ok = sm4_gcm_decrypt(&k, iv.data(), iv.size(), aad.data(), aad.size(), ct.data(),
                                  ct.size(), tag.data(), tag.size(), out.data());
  if (!valid) {
    if (ok || !same(Bytes(ct.size()), out.data(), ct.size())) t.fail("GCM negative case accepted or output not wiped");
    sm4_wipe_key(&k);
    return;
  }
  if (!ok || !same(pt, out.data(), pt.size())) t.fail("GCM decrypt");
  uint8_t got_tag[16];
  out = pt;
  if (!sm4_gcm_encrypt(&k, iv.data(), iv.size(), aad.data(), aad.size(), out.data(), out.size(),
                       out.data(), got_tag, tag.size()) ||
      out != ct || !same(tag, got_tag, tag.size()))
    t.fail("GCM encrypt (in place)");
  // A flipped ciphertext bit must fail and wipe.
  if (!ct.empty()) {
    Bytes bad = ct;
    bad[bad.size() / 2] ^= 1;
    if (sm4_gcm_decrypt(&k, iv.data(), iv.size(), aad.data(), aad.size(), bad.data(), bad.size(),
                        tag.data(), tag.size(), bad.data()) ||
        bad != Bytes(ct.size()))
      t.fail("GCM accepted a modified ciphertext");
  }
  for (size_t first = 0; first < 3; first++) {
    for (int dir = 0; dir < 2; dir++) {
      const Bytes& in = dir ? ct : pt;
      Sm4GcmState st;
      if (!sm4_gcm_init(&st, &k, iv.data(), iv.size(), dir == 1)) t.fail("GCM init");
      size_t off = 0, p = first;
      while (off < aad.size()) {
        const size_t n = std::min(kPieces[p++ % 10], aad.size() - off);
        sm4_gcm_aad(&st, aad.data() + off, n);
        off += n;
      }
      Bytes o(in.size());
      off = 0;
      while (off < in.size()) {
        const size_t n = std::min(kPieces[p++ % 10], in.size() - off);
        sm4_gcm_update(&st, in.data() + off, o.data() + off, n);
        off += n;
      }
      uint8_t full[16];
      sm4_gcm_final(&st, full);
      sm4_gcm_wipe(&st);
      if (o != (dir ? pt : ct) || !same(tag, full, tag.size())) t.fail("GCM streaming");
    }
  }
  sm4_wipe_key(&k);
}

void check_ccm(FileTestCase& t) {
  using namespace guomi;
  const Bytes key = key_bytes(t, t.bytes("Key"));
  const Bytes nonce = t.bytes("Nonce"), aad = t.bytes("AAD"), pt = t.bytes("Plaintext"),
              ct = t.bytes("Ciphertext"), tag = t.bytes("Tag");
  const size_t tag_len = t.has("TagLength") ? static_cast<size_t>(t.num("TagLength")) : tag.size();
  const bool valid = !t.has("Result") || t.str("Result") != "invalid";
  Sm4Key k;
  sm4_set_key(&k, key.data());
  Bytes out(ct.size() + 1, 0xAA);
  const bool ok = sm4_ccm_decrypt(&k, nonce.data(), nonce.size(), aad.data(), aad.size(), ct.data(),
                                  ct.size(), tag.data(), tag_len, out.data());
  uint8_t got_tag[16];
  Bytes enc = pt;
  const bool enc_ok = sm4_ccm_encrypt(&k, nonce.data(), nonce.size(), aad.data(), aad.size(),
                                      enc.data(), enc.size(), enc.data(), got_tag, tag_len);
  if (!valid) {
    if (ok || !same(Bytes(ct.size()), out.data(), ct.size())) t.fail("CCM negative case accepted or output not wiped");
    // Parameters outside SP 800-38C are refused for encryption too.
    const bool bad_params = nonce.size() < 7 || nonce.size() > 13 || tag_len < 4 || tag_len > 16 || (tag_len & 1);
    if (bad_params && enc_ok) t.fail("CCM encrypted with invalid parameters");
  } else {
    if (!ok || !same(pt, out.data(), pt.size())) t.fail("CCM decrypt");
    if (!enc_ok || enc != ct || !same(tag, got_tag, tag_len)) t.fail("CCM encrypt (in place)");
  }
  sm4_wipe_key(&k);
}

void check_xts(FileTestCase& t) {
  using namespace guomi;
  const std::string variant = t.str("Variant");
  const Bytes k1 = key_bytes(t, t.bytes("Key1")), k2 = key_bytes(t, t.bytes("Key2"));
  const Bytes tweak = t.bytes("Tweak"), pt = t.bytes("Plaintext"), ct = t.bytes("Ciphertext");
  if (tweak.size() != 16 || pt.size() != ct.size() || (variant != "GB" && variant != "IEEE")) {
    t.fail("bad XTS vector");
    return;
  }
  const Sm4XtsVariant v = variant == "GB" ? Sm4XtsVariant::kGb : Sm4XtsVariant::kIeee;
  Sm4Key a, b;
  sm4_set_key(&a, k1.data());
  sm4_set_key(&b, k2.data());
  Bytes out(pt.size());
  if (!sm4_xts_encrypt(&a, &b, tweak.data(), v, pt.data(), out.data(), pt.size()) || out != ct)
    t.fail("XTS encrypt");
  if (!sm4_xts_decrypt(&a, &b, tweak.data(), v, out.data(), out.data(), out.size()) || out != pt)
    t.fail("XTS decrypt (in place)");
  sm4_wipe_key(&a);
  sm4_wipe_key(&b);
}

}  // namespace

int kat_sm4(const std::string& dir) {
  int failed = 0;
  failed += run_file_tests(dir + "/sm4.txt", check_block);
  failed += run_file_tests(dir + "/sm4_modes.txt", check_mode);
  failed += run_file_tests(dir + "/sm4_gcm.txt", check_gcm);
  failed += run_file_tests(dir + "/sm4_ccm.txt", check_ccm);
  failed += run_file_tests(dir + "/sm4_xts.txt", check_xts);
  return failed;
}

}  // namespace guomi_test
