// diff_sm4.cc — differential test: every accelerated SM4 and GHASH path of this machine against
// the portable one, on random keys, IVs and lengths (0..600 bytes and a few large sizes), for
// every mode and both directions; the GHASH kernels against each other on random keys, data and
// numbers of precomputed powers. Expanded keys and GHASH keys made under one path are also used
// under the others (their formats are shared).
//
// Usage: diff_sm4 [iterations] [seed]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "../core/cpu.h"
#include "../core/ghash.h"
#include "../core/sm4.h"
#include "../core/sm4_internal.h"

namespace {

using Bytes = std::vector<uint8_t>;

uint64_t g_state;
uint64_t next_u64() {  // splitmix64
  uint64_t z = (g_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
size_t rnd(size_t n) { return n ? static_cast<size_t>(next_u64() % n) : 0; }
Bytes rnd_bytes(size_t n) {
  Bytes b(n);
  for (auto& x : b) x = static_cast<uint8_t>(next_u64());
  return b;
}

// A random length: mostly 0..600, sometimes large, sometimes around kernel pass sizes.
size_t rnd_len() {
  switch (rnd(10)) {
    case 0: return 16 * 1024 + rnd(40);
    case 1: return 16 * (1 + rnd(70));
    case 2: return 512 + rnd(3) - 1;
    default: return rnd(601);
  }
}

// A random 16-byte counter or IV, often close to a 32-, 64- or 128-bit wrap.
Bytes rnd_iv() {
  Bytes iv = rnd_bytes(16);
  const size_t k = rnd(5);
  if (k == 1) std::memset(&iv[12], 0xFF, 4), iv[15] = static_cast<uint8_t>(0xFF - rnd(40));
  if (k == 2) std::memset(&iv[8], 0xFF, 8), iv[15] = static_cast<uint8_t>(0xFF - rnd(40));
  if (k == 3) std::memset(&iv[0], 0xFF, 16), iv[15] = static_cast<uint8_t>(0xFF - rnd(40));
  return iv;
}

struct Case {
  Bytes key, key2, iv, aad, data;
  size_t iv_len, nonce_len, tag_len, ccm_tag_len, piece;
};

// run computes every output of one case on the current path, concatenated with separators.
Bytes run(const Case& c) {
  using namespace guomi;
  Bytes out;
  auto add = [&](const Bytes& b) { out.insert(out.end(), b.begin(), b.end()); out.push_back(0x5A); };
  Sm4Key k, k2;
  sm4_set_key(&k, c.key.data());
  sm4_set_key(&k2, c.key2.data());
  add(Bytes(reinterpret_cast<const uint8_t*>(k.rk_enc), reinterpret_cast<const uint8_t*>(k.rk_enc) + 128));
  const size_t nb = c.data.size() / 16;
  Bytes b(c.data.size()), v;
  sm4_ecb_encrypt(&k, c.data.data(), b.data(), nb);
  add(b);
  sm4_ecb_decrypt(&k, c.data.data(), b.data(), nb);
  add(b);
  v = c.iv;
  sm4_cbc_encrypt(&k, v.data(), c.data.data(), b.data(), nb);
  add(b);
  add(v);
  v = c.iv;
  b = c.data;
  sm4_cbc_decrypt(&k, v.data(), b.data(), b.data(), nb);  // in place
  add(b);
  add(v);
  for (int mode = 0; mode < 3; mode++) {
    for (int dec = 0; dec < 2; dec++) {
      Sm4StreamState st;
      sm4_stream_init(&st, &k, static_cast<Sm4StreamMode>(mode), dec == 1, c.iv.data());
      b.assign(c.data.size(), 0);
      for (size_t off = 0; off < c.data.size();) {
        const size_t n = std::min(c.piece, c.data.size() - off);
        sm4_stream_update(&st, c.data.data() + off, b.data() + off, n);
        off += n;
      }
      add(b);
      add(Bytes(st.reg, st.reg + 16));
    }
  }
  uint8_t tag[16];
  b.assign(c.data.size(), 0);
  const bool ge = sm4_gcm_encrypt(&k, c.iv.data(), c.iv_len, c.aad.data(), c.aad.size(), c.data.data(),
                                  c.data.size(), b.data(), tag, c.tag_len);
  add(b);
  add(Bytes(tag, tag + c.tag_len));
  Bytes d(c.data.size());
  const bool gd = sm4_gcm_decrypt(&k, c.iv.data(), c.iv_len, c.aad.data(), c.aad.size(), b.data(), b.size(),
                                  tag, c.tag_len, d.data());
  if (!ge || !gd || d != c.data) add(Bytes{0xEE, 0x01});
  {
    Sm4GcmState st;
    sm4_gcm_init(&st, &k, c.iv.data(), c.iv_len, false);
    for (size_t off = 0; off < c.aad.size();) {
      const size_t n = std::min(c.piece, c.aad.size() - off);
      sm4_gcm_aad(&st, c.aad.data() + off, n);
      off += n;
    }
    Bytes s(c.data.size());
    for (size_t off = 0; off < c.data.size();) {
      const size_t n = std::min(c.piece + 1, c.data.size() - off);
      sm4_gcm_update(&st, c.data.data() + off, s.data() + off, n);
      off += n;
    }
    uint8_t full[16];
    sm4_gcm_final(&st, full);
    if (s != b || std::memcmp(full, tag, c.tag_len) != 0) add(Bytes{0xEE, 0x02});
  }
  b.assign(c.data.size(), 0);
  const bool ce = sm4_ccm_encrypt(&k, c.iv.data(), c.nonce_len, c.aad.data(), c.aad.size(), c.data.data(),
                                  c.data.size(), b.data(), tag, c.ccm_tag_len);
  add(b);
  add(Bytes(tag, tag + c.ccm_tag_len));
  const bool cd = sm4_ccm_decrypt(&k, c.iv.data(), c.nonce_len, c.aad.data(), c.aad.size(), b.data(), b.size(),
                                  tag, c.ccm_tag_len, d.data());
  if (!ce || !cd || d != c.data) add(Bytes{0xEE, 0x03});
  if (c.data.size() >= 16) {
    for (int var = 0; var < 2; var++) {
      const Sm4XtsVariant xv = var ? Sm4XtsVariant::kIeee : Sm4XtsVariant::kGb;
      b.assign(c.data.size(), 0);
      sm4_xts_encrypt(&k, &k2, c.iv.data(), xv, c.data.data(), b.data(), b.size());
      add(b);
      sm4_xts_decrypt(&k, &k2, c.iv.data(), xv, b.data(), d.data(), d.size());
      if (d != c.data) add(Bytes{0xEE, 0x04});
    }
  }
  return out;
}

struct Path {
  uint32_t disabled;
  std::string name;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace guomi;
  const long iterations = argc > 1 ? std::atol(argv[1]) : 300;
  const uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 0) : 0x5EED5E4Dull;
  g_state = seed;
  // Every distinct pair of (SM4 path, GHASH path) reachable by switching features off.
  const uint32_t masks[] = {0,
                            kCpuAVX512,
                            kCpuAVX512 | kCpuGFNI,
                            kCpuAVX512 | kCpuGFNI | kCpuVAES,
                            kCpuAVX512 | kCpuGFNI | kCpuVAES | kCpuVPCLMUL,
                            kCpuAVX512 | kCpuAVX2 | kCpuVAES | kCpuVPCLMUL,
                            kCpuAVX512 | kCpuAVX2 | kCpuVAES | kCpuVPCLMUL | kCpuGFNI,
                            kCpuPCLMUL | kCpuVPCLMUL,
                            kCpuArmPMULL,
                            kCpuArmSM4,
                            kCpuArmSM4 | kCpuNEON,
                            kCpuArmSM4 | kCpuNEON | kCpuArmPMULL};
  std::vector<Path> paths;
  std::set<std::string> seen;
  for (uint32_t m : masks) {
    cpu_set_disabled(m);
    const std::string name = std::string(sm4_impl_name()) + " + " + ghash_impl_name();
    if (seen.insert(name).second && std::string(sm4_impl_name()) != "portable bitsliced") paths.push_back({m, name});
  }
  cpu_set_disabled(~0u);
  const std::string portable = std::string(sm4_impl_name()) + " + " + ghash_impl_name();
  std::printf("reference: %s; %zu other path(s); seed %#llx\n", portable.c_str(), paths.size(),
              static_cast<unsigned long long>(seed));
  long failures = 0;
  for (long it = 0; it < iterations; it++) {
    Case c;
    c.key = rnd_bytes(16);
    c.key2 = rnd_bytes(16);
    c.iv = rnd_iv();
    c.iv_len = rnd(3) ? 12 : 1 + rnd(16);
    c.nonce_len = 7 + rnd(7);
    c.tag_len = 4 + rnd(13);
    c.ccm_tag_len = 4 + 2 * rnd(7);
    c.piece = 1 + rnd(70);
    c.aad = rnd_bytes(rnd(4) ? rnd(100) : rnd(700));
    c.data = rnd_bytes(rnd_len());
    cpu_set_disabled(~0u);
    const Bytes ref = run(c);
    for (const auto& p : paths) {
      cpu_set_disabled(p.disabled);
      if (run(c) != ref) {
        if (failures++ < 10)
          std::printf("MISMATCH %s: iteration %ld, data %zu bytes, aad %zu, iv_len %zu\n", p.name.c_str(), it,
                      c.data.size(), c.aad.size(), c.iv_len);
      }
    }
  }
  // GHASH kernels: random H, data and numbers of powers; keys made by one path used by all.
  long ghash_cases = 0;
  for (long it = 0; it < iterations; it++) {
    const Bytes h = rnd_bytes(16), x0 = rnd_bytes(16);
    const Bytes data = rnd_bytes(16 * (rnd(3) ? rnd(70) : 1000 + rnd(30)));
    const unsigned np = 1 + static_cast<unsigned>(rnd(16));
    cpu_set_disabled(~0u);
    GhashKey ref_key;
    ghash_init(&ref_key, h.data(), np);
    Bytes ref = x0;
    ghash_blocks(&ref_key, ref.data(), data.data(), data.size() / 16);
    for (const auto& p : paths) {
      cpu_set_disabled(p.disabled);
      GhashKey key;
      ghash_init(&key, h.data(), np);
      Bytes x = x0, y = x0;
      ghash_blocks(&key, x.data(), data.data(), data.size() / 16);
      ghash_blocks(&ref_key, y.data(), data.data(), data.size() / 16);
      bool tables_equal = true;
      for (unsigned k = 16 - np; k < 16; k++)
        tables_equal &= key.htab[k][0] == ref_key.htab[k][0] && key.htab[k][1] == ref_key.htab[k][1];
      ghash_cases++;
      if (x != ref || y != ref || !tables_equal) {
        if (failures++ < 10) std::printf("GHASH MISMATCH %s: %zu blocks, %u powers\n", p.name.c_str(), data.size() / 16, np);
      }
    }
  }
  std::printf("%s: %ld random cases x %zu paths, %ld GHASH comparisons, %ld mismatches\n",
              failures ? "FAIL" : "PASS", iterations, paths.size(), ghash_cases, failures);
  return failures ? 1 : 0;
}
