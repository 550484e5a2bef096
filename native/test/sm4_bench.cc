// sm4_bench.cc — SM4 and GHASH throughput on every CPU path of this machine, best of N runs.
//
// Usage: sm4_bench [--all-paths] [--quick]
//   Without --all-paths only the default path (everything enabled) and the portable one are
//   measured. Figures are MB/s (10^6 bytes per second) for 16 KiB and 1 MiB buffers, and
//   operations per second for the small one-shot cases.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "../core/cpu.h"
#include "../core/ghash.h"
#include "../core/sm4.h"

namespace {

using Clock = std::chrono::steady_clock;

int g_trials = 7;
double g_trial_seconds = 0.12;

// best_rate runs |fn| (one operation) repeatedly for about g_trial_seconds, g_trials times, and
// returns the best operations per second.
double best_rate(const std::function<void()>& fn) {
  double best = 0;
  for (int t = 0; t < g_trials; t++) {
    size_t iters = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    size_t batch = 1;
    while (elapsed < g_trial_seconds) {
      for (size_t i = 0; i < batch; i++) fn();
      iters += batch;
      elapsed = std::chrono::duration<double>(Clock::now() - start).count();
      if (batch < 1024) batch *= 2;
    }
    const double rate = static_cast<double>(iters) / elapsed;
    if (rate > best) best = rate;
  }
  return best;
}

struct Bufs {
  std::vector<uint8_t> in, out;
  explicit Bufs(size_t n) : in(n + 64), out(n + 64) {
    for (size_t i = 0; i < in.size(); i++) in[i] = static_cast<uint8_t>(i * 131 + 7);
  }
};

void run_path(const char* label, bool quick) {
  using namespace guomi;
  uint8_t keybytes[16], key2bytes[16], iv[16] = {1, 2, 3}, tag[16];
  const uint8_t nonce[16] = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};  // never modified
  for (int i = 0; i < 16; i++) {
    keybytes[i] = static_cast<uint8_t>(i * 17 + 3);
    key2bytes[i] = static_cast<uint8_t>(i * 29 + 5);
  }
  Sm4Key key, key2;
  sm4_set_key(&key, keybytes);
  sm4_set_key(&key2, key2bytes);
  std::printf("== %s: sm4=%s ghash=%s\n", label, sm4_impl_name(), ghash_impl_name());
  std::printf("%-22s %12s %12s\n", "MB/s", "16 KiB", "1 MiB");
  const size_t sizes[2] = {16 * 1024, 1024 * 1024};
  struct Case {
    const char* name;
    std::function<void(Bufs&, size_t)> fn;
  };
  GhashKey gh;
  ghash_init(&gh, keybytes, 16);
  Bufs bufs(sizes[1]);
  // Valid tags, so that the decryption benchmark measures the successful path.
  uint8_t good_tags[2][16];
  for (int i = 0; i < 2; i++) {
    // The tag of the input taken as ciphertext: a streaming decryption computes it.
    Sm4GcmState st;
    sm4_gcm_init(&st, &key, nonce, 12, true);
    sm4_gcm_aad(&st, nonce, 16);
    sm4_gcm_update(&st, bufs.in.data(), bufs.out.data(), sizes[i]);
    sm4_gcm_final(&st, good_tags[i]);
  }
  const std::vector<Case> cases = {
      {"ecb-encrypt", [&](Bufs& b, size_t n) { sm4_ecb_encrypt(&key, b.in.data(), b.out.data(), n / 16); }},
      {"cbc-encrypt", [&](Bufs& b, size_t n) { sm4_cbc_encrypt(&key, iv, b.in.data(), b.out.data(), n / 16); }},
      {"cbc-decrypt", [&](Bufs& b, size_t n) { sm4_cbc_decrypt(&key, iv, b.in.data(), b.out.data(), n / 16); }},
      {"ctr", [&](Bufs& b, size_t n) {
         Sm4StreamState st;
         sm4_stream_init(&st, &key, Sm4StreamMode::kCtr, false, iv);
         sm4_stream_update(&st, b.in.data(), b.out.data(), n);
       }},
      {"cfb-encrypt", [&](Bufs& b, size_t n) {
         Sm4StreamState st;
         sm4_stream_init(&st, &key, Sm4StreamMode::kCfb, false, iv);
         sm4_stream_update(&st, b.in.data(), b.out.data(), n);
       }},
      {"cfb-decrypt", [&](Bufs& b, size_t n) {
         Sm4StreamState st;
         sm4_stream_init(&st, &key, Sm4StreamMode::kCfb, true, iv);
         sm4_stream_update(&st, b.in.data(), b.out.data(), n);
       }},
      {"ofb", [&](Bufs& b, size_t n) {
         Sm4StreamState st;
         sm4_stream_init(&st, &key, Sm4StreamMode::kOfb, false, iv);
         sm4_stream_update(&st, b.in.data(), b.out.data(), n);
       }},
      {"gcm-encrypt", [&](Bufs& b, size_t n) {
         sm4_gcm_encrypt(&key, iv, 12, iv, 16, b.in.data(), n, b.out.data(), tag, 16);
       }},
      {"gcm-decrypt", [&](Bufs& b, size_t n) {
         const uint8_t* t = n == sizes[0] ? good_tags[0] : good_tags[1];
         if (!sm4_gcm_decrypt(&key, nonce, 12, nonce, 16, b.in.data(), n, t, 16, b.out.data())) std::abort();
       }},
      {"ccm-encrypt", [&](Bufs& b, size_t n) {
         sm4_ccm_encrypt(&key, iv, 12, iv, 16, b.in.data(), n, b.out.data(), tag, 16);
       }},
      {"xts-encrypt (gb)", [&](Bufs& b, size_t n) {
         sm4_xts_encrypt(&key, &key2, iv, Sm4XtsVariant::kGb, b.in.data(), b.out.data(), n);
       }},
      {"xts-decrypt (ieee)", [&](Bufs& b, size_t n) {
         sm4_xts_decrypt(&key, &key2, iv, Sm4XtsVariant::kIeee, b.in.data(), b.out.data(), n);
       }},
      {"ghash", [&](Bufs& b, size_t n) { ghash_blocks(&gh, tag, b.in.data(), n / 16); }},
  };
  for (const auto& c : cases) {
    if (quick && std::strcmp(c.name, "ecb-encrypt") && std::strcmp(c.name, "cbc-encrypt") &&
        std::strcmp(c.name, "gcm-encrypt") && std::strcmp(c.name, "ctr"))
      continue;
    std::printf("%-22s", c.name);
    for (size_t n : sizes) {
      const double ops = best_rate([&] { c.fn(bufs, n); });
      std::printf(" %12.1f", ops * static_cast<double>(n) / 1e6);
    }
    std::printf("\n");
  }
  // Small one-shot operations.
  uint8_t small_in[64] = {}, small_out[64];
  const double setup = best_rate([&] {
    Sm4Key k;
    sm4_set_key(&k, keybytes);
    __asm__ volatile("" : : "r"(&k) : "memory");
  });
  const double gcm64 = best_rate([&] {
    Sm4Key k;
    sm4_set_key(&k, keybytes);
    sm4_gcm_encrypt(&k, iv, 12, iv, 13, small_in, 64, small_out, tag, 16);
  });
  const double gcm64_keyed = best_rate([&] {
    sm4_gcm_encrypt(&key, iv, 12, iv, 13, small_in, 64, small_out, tag, 16);
  });
  const double block = best_rate([&] { sm4_encrypt_block(&key, small_in, small_in); });
  std::printf("%-40s %12.0f /s (%.0f ns)\n", "key setup", setup, 1e9 / setup);
  std::printf("%-40s %12.0f /s (%.0f ns)\n", "one block (sm4_encrypt_block)", block, 1e9 / block);
  std::printf("%-40s %12.0f /s (%.0f ns)\n", "gcm one-shot 64 B, 13 B AAD", gcm64_keyed, 1e9 / gcm64_keyed);
  std::printf("%-40s %12.0f /s (%.0f ns)\n", "gcm one-shot 64 B incl. key setup", gcm64, 1e9 / gcm64);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace guomi;
  bool all = false, quick = false;
  for (int i = 1; i < argc; i++) {
    if (!std::strcmp(argv[i], "--all-paths")) all = true;
    if (!std::strcmp(argv[i], "--quick")) {
      quick = true;
      g_trials = 3;
      g_trial_seconds = 0.05;
    }
  }
  struct Path {
    const char* label;
    uint32_t disabled;
  };
  std::vector<Path> paths = {{"default", 0}};
  if (all) {
    paths.push_back({"avx2 (no avx-512)", kCpuAVX512});
    paths.push_back({"vaes (no gfni, avx-512)", kCpuAVX512 | kCpuGFNI});
    paths.push_back({"aes-ni avx2 (no vaes, gfni, avx-512)", kCpuAVX512 | kCpuGFNI | kCpuVAES | kCpuVPCLMUL});
    paths.push_back({"gfni sse (no avx2)", kCpuAVX512 | kCpuAVX2 | kCpuVAES | kCpuVPCLMUL});
    paths.push_back({"aes-ni sse (no avx2, gfni)", kCpuAVX512 | kCpuAVX2 | kCpuVAES | kCpuVPCLMUL | kCpuGFNI});
  }
  paths.push_back({"portable", ~0u});
  for (const auto& p : paths) {
    cpu_set_disabled(p.disabled);
    run_path(p.label, quick && p.disabled == ~0u);
  }
  return 0;
}
