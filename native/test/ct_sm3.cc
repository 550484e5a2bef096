// ct_sm3.cc — constant-time check of the SM3 family under valgrind memcheck.
//
// Built with -DGUOMI_CT_VALGRIND, so GUOMI_SECRET marks memory as undefined; memcheck then reports
// every branch and every memory index that depends on it. The secrets here are HMAC keys, the
// data hashed under them, KDF and HKDF inputs and PBKDF2 passwords; lengths are public. Each
// accelerated path valgrind can execute is forced in turn (valgrind's CPUID hides AVX-512 and
// GFNI; the SM3 paths need only AVX2+BMI2). Run: valgrind --error-exitcode=1 ./ct_sm3
// (and with --self-test, which must fail: ct_selftest.h).
#include <cstdio>
#include <cstring>
#include <initializer_list>

#include "../core/cpu.h"
#include "../core/ct.h"
#include "../core/sm3.h"
#include "ct_selftest.h"

using namespace guomi;

static void run_all() {
  uint8_t key[80], data[300], out[64], digest[32];
  for (size_t i = 0; i < sizeof(key); i++) key[i] = static_cast<uint8_t>(i * 7 + 1);
  for (size_t i = 0; i < sizeof(data); i++) data[i] = static_cast<uint8_t>(i * 13 + 5);
  GUOMI_SECRET(key, sizeof(key));
  GUOMI_SECRET(data, sizeof(data));

  // SM3 of secret data, one-shot and streamed across block boundaries.
  sm3(data, sizeof(data), digest);
  Sm3Ctx ctx;
  sm3_init(&ctx);
  sm3_update(&ctx, data, 1);
  sm3_update(&ctx, data + 1, 100);
  sm3_update(&ctx, data + 101, 199);
  sm3_final(&ctx, digest);
  // HMAC with short, block-sized and long (hashed) keys.
  for (size_t klen : {size_t{16}, size_t{64}, size_t{80}}) hmac_sm3(key, klen, data, 77, digest);
  // Streaming HMAC (the addon's hmacSm3.create) across block boundaries.
  HmacSm3Ctx hctx;
  hmac_sm3_init(&hctx, key, 40);
  hmac_sm3_update(&hctx, data, 3);
  hmac_sm3_update(&hctx, data + 3, 130);
  hmac_sm3_final(&hctx, digest);
  // The SM2 KDF, HKDF and PBKDF2 over secret inputs.
  sm3_kdf(data, 64, out, sizeof(out));
  uint8_t prk[32];
  hkdf_sm3_extract(key, 16, data, 32, prk);
  hkdf_sm3_expand(prk, 32, data, 10, out, sizeof(out));
  pbkdf2_sm3(key, 20, data, 16, 3, out, sizeof(out));
  // Prepared keys and a batch: keys and message bytes are secret; which and ends are public.
  // Four messages of up to 55 bytes (the lane kernel runs from three such), one of 56 and one of
  // 130 (one at a time).
  uint32_t prepared[2 * kHmacSm3PreparedWords];
  hmac_sm3_prepare(key, 20, prepared);
  hmac_sm3_prepare(key + 10, 70, prepared + kHmacSm3PreparedWords);  // key[10, 80): a hashed key
  const uint32_t which[6] = {0, 1, 0, 1, 1, 0};
  const uint32_t ends[6] = {11, 11 + 56, 11 + 56 + 130, 197 + 55, 197 + 55 + 0, 197 + 55 + 30};
  uint8_t tags[6 * 32];
  hmac_sm3_batch(prepared, 2, which, data, ends, 6, tags);
  GUOMI_DECLASSIFY(tags, sizeof(tags));
  GUOMI_DECLASSIFY(out, sizeof(out));
  GUOMI_DECLASSIFY(digest, sizeof(digest));
}

int main(int argc, char** argv) {
  if (guomi_ct::self_test_requested(argc, argv, "ct_sm3")) return 0;
  const uint32_t detected = cpu_detected();
  std::printf("ct_sm3: detected features %08x\n", detected);
  for (uint32_t mask : {0u, ~0u}) {
    cpu_set_disabled(mask);
    std::printf("ct_sm3: sm3=%s, batch lanes=%s\n", sm3_impl_name(), sm3_lanes_impl_name());
    run_all();
  }
  return 0;
}
