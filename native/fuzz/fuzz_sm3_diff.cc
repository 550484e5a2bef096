// fuzz_sm3_diff.cc — differential fuzzing of the SM3 family: every SM3 compression path of this
// CPU (portable; AVX2+BMI2 on x86-64; the SM3 instructions on ARM64) against an independent
// straight-from-the-standard SM3 (GB/T 32905-2016 §5) written here, for the one-shot hash,
// streaming in three pieces, a cloned context, HMAC (one-shot, streaming, prepared keys and
// batches), the SM2 KDF, HKDF and PBKDF2 — with fuzzer-chosen keys, data and split points.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "../core/sm3.h"
#include "fuzz_util.h"

using namespace guomi;
using guomi_fuzz::Path;
using guomi_fuzz::Reader;
using Bytes = std::vector<uint8_t>;

namespace {

// --- the reference: GB/T 32905-2016 §5, one block at a time, no shortcuts ---
uint32_t rol(uint32_t x, int n) { n &= 31; return n ? (x << n) | (x >> (32 - n)) : x; }
uint32_t p0(uint32_t x) { return x ^ rol(x, 9) ^ rol(x, 17); }
uint32_t p1(uint32_t x) { return x ^ rol(x, 15) ^ rol(x, 23); }

void ref_compress(uint32_t v[8], const uint8_t b[64]) {
  uint32_t w[68], w1[64];
  for (int j = 0; j < 16; j++)
    w[j] = (uint32_t{b[4 * j]} << 24) | (uint32_t{b[4 * j + 1]} << 16) | (uint32_t{b[4 * j + 2]} << 8) | b[4 * j + 3];
  for (int j = 16; j < 68; j++)
    w[j] = p1(w[j - 16] ^ w[j - 9] ^ rol(w[j - 3], 15)) ^ rol(w[j - 13], 7) ^ w[j - 6];
  for (int j = 0; j < 64; j++) w1[j] = w[j] ^ w[j + 4];
  uint32_t a = v[0], bb = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], h = v[7];
  for (int j = 0; j < 64; j++) {
    const uint32_t t = j < 16 ? 0x79cc4519u : 0x7a879d8au;
    const uint32_t ss1 = rol(rol(a, 12) + e + rol(t, j), 7);
    const uint32_t ss2 = ss1 ^ rol(a, 12);
    const uint32_t ff = j < 16 ? (a ^ bb ^ c) : ((a & bb) | (a & c) | (bb & c));
    const uint32_t gg = j < 16 ? (e ^ f ^ g) : ((e & f) | (~e & g));
    const uint32_t tt1 = ff + d + ss2 + w1[j];
    const uint32_t tt2 = gg + h + ss1 + w[j];
    d = c; c = rol(bb, 9); bb = a; a = tt1;
    h = g; g = rol(f, 19); f = e; e = p0(tt2);
  }
  v[0] ^= a; v[1] ^= bb; v[2] ^= c; v[3] ^= d; v[4] ^= e; v[5] ^= f; v[6] ^= g; v[7] ^= h;
}

Bytes ref_sm3(const Bytes& m) {
  uint32_t v[8] = {0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600,
                   0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e};
  Bytes p(m);
  p.push_back(0x80);
  while (p.size() % 64 != 56) p.push_back(0);
  const uint64_t bits = static_cast<uint64_t>(m.size()) * 8;
  for (int i = 7; i >= 0; i--) p.push_back(static_cast<uint8_t>(bits >> (8 * i)));
  for (size_t i = 0; i < p.size(); i += 64) ref_compress(v, &p[i]);
  Bytes out(32);
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < 4; j++) out[4 * i + j] = static_cast<uint8_t>(v[i] >> (24 - 8 * j));
  return out;
}

Bytes cat(Bytes a, const Bytes& b) { a.insert(a.end(), b.begin(), b.end()); return a; }

Bytes ref_hmac(Bytes key, const Bytes& m) {  // RFC 2104
  if (key.size() > 64) key = ref_sm3(key);
  key.resize(64, 0);
  Bytes ip(64), op(64);
  for (int i = 0; i < 64; i++) ip[i] = key[i] ^ 0x36, op[i] = key[i] ^ 0x5c;
  return ref_sm3(cat(op, ref_sm3(cat(ip, m))));
}

Bytes ref_kdf(const Bytes& z, size_t len) {  // GB/T 32918.4-2016 §5.4.3
  Bytes out;
  for (uint32_t ct = 1; out.size() < len; ct++)
    out = cat(out, ref_sm3(cat(z, Bytes{static_cast<uint8_t>(ct >> 24), static_cast<uint8_t>(ct >> 16),
                                         static_cast<uint8_t>(ct >> 8), static_cast<uint8_t>(ct)})));
  out.resize(len);
  return out;
}

Bytes ref_hkdf(const Bytes& salt, const Bytes& ikm, const Bytes& info, size_t len) {  // RFC 5869
  const Bytes prk = ref_hmac(salt, ikm);
  Bytes out, t;
  for (uint8_t i = 1; out.size() < len; i++) {
    t = ref_hmac(prk, cat(cat(t, info), Bytes{i}));
    out = cat(out, t);
  }
  out.resize(len);
  return out;
}

Bytes ref_pbkdf2(const Bytes& pw, const Bytes& salt, uint32_t iters, size_t len) {  // RFC 8018 §5.2
  Bytes out;
  for (uint32_t i = 1; out.size() < len; i++) {
    Bytes u = ref_hmac(pw, cat(salt, Bytes{static_cast<uint8_t>(i >> 24), static_cast<uint8_t>(i >> 16),
                                          static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)}));
    Bytes t = u;
    for (uint32_t j = 1; j < iters; j++) {
      u = ref_hmac(pw, u);
      for (size_t k = 0; k < 32; k++) t[k] ^= u[k];
    }
    out = cat(out, t);
  }
  out.resize(len);
  return out;
}

Bytes digest_bytes(const uint8_t* d, size_t n) { return Bytes(d, d + n); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<Path> ps = [] {
    auto v = guomi_fuzz::paths_by({[] { return std::string(sm3_impl_name()); }});
    guomi_fuzz::print_paths("sm3", v);
    return v;
  }();
  Reader r(data, size);
  const Bytes key = r.piece(100);
  const Bytes salt = r.piece(40);
  const size_t s1 = r.u16(), s2 = r.u16();
  const size_t out_len = 1 + r.u8();            // 1..256 (KDF, HKDF, PBKDF2 output)
  const uint32_t iters = 1 + r.u8() % 3;        // PBKDF2 iterations
  const uint8_t nsplit = r.u8();                // batch shape
  Bytes msg = r.rest();
  if (msg.size() > 3000) msg.resize(3000);
  const size_t n = msg.size();
  const size_t a = n ? s1 % (n + 1) : 0;
  const size_t b = n - a ? s2 % (n - a + 1) : 0;

  // The reference values, once.
  const Bytes want_hash = ref_sm3(msg);
  const Bytes want_hmac = ref_hmac(key, msg);
  const Bytes want_kdf = ref_kdf(msg, out_len);
  const Bytes want_hkdf = ref_hkdf(salt, msg, key, out_len);
  const Bytes want_pbkdf2 = ref_pbkdf2(key, salt, iters, out_len > 64 ? 64 : out_len);

  for (const Path& p : ps) {
    cpu_set_disabled(p.disabled);
    uint8_t d[32];
    sm3(msg.data(), n, d);
    FUZZ_CHECK(digest_bytes(d, 32) == want_hash, p.name.c_str());
    // Streaming in three pieces, with a clone taken after the first.
    Sm3Ctx ctx;
    sm3_init(&ctx);
    sm3_update(&ctx, msg.data(), a);
    Sm3Ctx clone = ctx;
    sm3_update(&ctx, msg.data() + a, b);
    sm3_update(&ctx, msg.data() + a + b, n - a - b);
    sm3_final(&ctx, d);
    FUZZ_CHECK(digest_bytes(d, 32) == want_hash, "streaming SM3");
    sm3_update(&clone, msg.data() + a, n - a);
    sm3_final(&clone, d);
    FUZZ_CHECK(digest_bytes(d, 32) == want_hash, "cloned SM3");
    // HMAC: one-shot and streamed.
    hmac_sm3(key.data(), key.size(), msg.data(), n, d);
    FUZZ_CHECK(digest_bytes(d, 32) == want_hmac, "HMAC-SM3");
    HmacSm3Ctx h;
    hmac_sm3_init(&h, key.data(), key.size());
    hmac_sm3_update(&h, msg.data(), a);
    hmac_sm3_update(&h, msg.data() + a, n - a);
    hmac_sm3_final(&h, d);
    FUZZ_CHECK(digest_bytes(d, 32) == want_hmac, "streaming HMAC-SM3");
    // Prepared keys and a batch: key 0 is |key|, key 1 is |salt|; the message is cut into pieces.
    uint32_t prepared[2 * kHmacSm3PreparedWords];
    hmac_sm3_prepare(key.data(), key.size(), prepared);
    hmac_sm3_prepare(salt.data(), salt.size(), prepared + kHmacSm3PreparedWords);
    // Up to 20 pieces: groups that fill the 8- and 16-lane kernels (sm3_lanes_x86_64.cc).
    const size_t count = 1 + nsplit % 20;
    std::vector<uint32_t> which(count), ends(count);
    for (size_t i = 0; i < count; i++) {
      which[i] = static_cast<uint32_t>((nsplit >> (i % 8)) & 1);
      ends[i] = static_cast<uint32_t>(i + 1 == count ? n : (n * (i + 1)) / count);
    }
    Bytes tags(32 * count);
    hmac_sm3_batch(prepared, 2, which.data(), msg.data(), ends.data(), count, tags.data());
    for (size_t i = 0; i < count; i++) {
      const size_t from = i ? ends[i - 1] : 0;
      const Bytes piece(msg.begin() + from, msg.begin() + ends[i]);
      const Bytes want = ref_hmac(which[i] ? salt : key, piece);
      FUZZ_CHECK(Bytes(tags.begin() + 32 * i, tags.begin() + 32 * (i + 1)) == want, "HMAC batch");
    }
    // KDF, HKDF, PBKDF2.
    Bytes out(out_len);
    sm3_kdf(msg.data(), n, out.data(), out_len);
    FUZZ_CHECK(out == want_kdf, "SM2 KDF");
    uint8_t prk[32];
    hkdf_sm3_extract(salt.data(), salt.size(), msg.data(), n, prk);
    FUZZ_CHECK(hkdf_sm3_expand(prk, 32, key.data(), key.size(), out.data(), out_len), "HKDF expand");
    FUZZ_CHECK(out == want_hkdf, "HKDF-SM3");
    Bytes pb(want_pbkdf2.size());
    FUZZ_CHECK(pbkdf2_sm3(key.data(), key.size(), salt.data(), salt.size(), iters, pb.data(), pb.size()),
               "PBKDF2");
    FUZZ_CHECK(pb == want_pbkdf2, "PBKDF2-SM3");
  }
  cpu_set_disabled(0);
  return 0;
}
