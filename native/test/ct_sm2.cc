// ct_sm2.cc — constant-time check of SM2 under valgrind memcheck.
//
// Built with -DGUOMI_CT_VALGRIND, so GUOMI_SECRET marks memory as undefined; memcheck then reports
// every branch and every memory index that depends on it. The secrets are private scalars d,
// signing nonces (fixed ones marked here; hedged ones derived from d by the DRBG, which carries
// the mark), encryption nonces (marked where they are drawn, sm2.cc), key-exchange ephemerals and
// everything computed from them: shared points, KDF output, plaintext before C3 is checked.
// Covered: private-key loading ([d]G and (1+d)^-1), key generation from the OS, signing with a
// fixed and with a hedged nonce, encryption with a fixed and an OS nonce (to keys with and
// without precomputed tables), decryption (success and a bad C3), ECDH, [r]G and the key
// exchange point in both roles, each through the implementation tables and the public calls.
// The core declassifies only what the standard makes public: r and s, the public point, the
// "retry with another k" and "decryption failed" bits, and plaintext after the check.
//
// Each field implementation runs in turn: the one sm2_impl() picks, the portable one, and the
// BMI2/ADX one, which is called directly when the host has ADX, because valgrind's CPUID hides
// ADX (and AVX-512) but executes mulx/adcx/adox. Run: valgrind --error-exitcode=1 ./ct_sm2
// (and with --self-test, which must fail: ct_selftest.h).
#include <cstdio>
#include <cstring>
#include <initializer_list>

#include "../core/cpu.h"
#include "../core/ct.h"
#include "../core/sm2.h"
#include "../core/sm2_impl.h"
#include "ct_selftest.h"

using namespace guomi;

namespace {

int g_failures = 0;

void expect(bool ok, const char* what) {
  if (!ok) {
    std::printf("ct_sm2: FAIL %s\n", what);
    g_failures++;
  }
}

// run_all runs every secret-handling operation through |impl| (a field implementation's table);
// with |public_api| also through the public entry points, which add the hedged-nonce DRBG, OS
// nonces and key generation on top of whichever table sm2_impl() picks.
void run_all(const Sm2Impl& impl, bool public_api) {
  // Fixed inputs keep runs reproducible; the bytes are secret as far as memcheck is concerned.
  uint8_t d[32], d2[32], k[32], r[32], e[32];
  for (int i = 0; i < 32; i++) {
    d[i] = static_cast<uint8_t>(0x31 + 7 * i);
    d2[i] = static_cast<uint8_t>(0x52 + 11 * i);
    k[i] = static_cast<uint8_t>(0x17 + 5 * i);
    r[i] = static_cast<uint8_t>(0x23 + 3 * i);
    e[i] = static_cast<uint8_t>(0x90 + i);
  }
  d[0] = d2[0] = k[0] = r[0] = 0x3f;  // below n
  GUOMI_SECRET(d, sizeof(d));
  GUOMI_SECRET(d2, sizeof(d2));
  GUOMI_SECRET(k, sizeof(k));
  GUOMI_SECRET(r, sizeof(r));

  // Key generation: the public point from d (and (1+d)^-1).
  Sm2PrivateKey sk, sk2;
  expect(impl.private_key_init(&sk, d) == Sm2Status::kOk, "private key");
  expect(impl.private_key_init(&sk2, d2) == Sm2Status::kOk, "private key 2");
  Sm2PublicKey pk, pk2, light;
  expect(impl.public_key_init(&pk, sk.public_point, 65, true) == Sm2Status::kOk, "public key");
  expect(impl.public_key_init(&pk2, sk2.public_point, 65, true) == Sm2Status::kOk, "public key 2");
  expect(impl.public_key_init(&light, sk.public_point, 65, false) == Sm2Status::kOk, "light key");

  // Signing with a fixed secret nonce: r || s are declassified inside before they are returned;
  // verification is on public data.
  uint8_t sig[64];
  expect(impl.sign_with_nonce(&sk, e, k, sig) == Sm2Status::kOk, "sign fixed k");
  expect(impl.verify(&pk, e, sig), "verify fixed-k signature");

  // Encryption with a fixed secret nonce, to a key with split tables and to one without, and
  // decryption: the success path and a failing C3.
  uint8_t msg[40], ct[97 + 40], pt[40];
  for (int i = 0; i < 40; i++) msg[i] = static_cast<uint8_t>(i);
  GUOMI_SECRET(msg, sizeof(msg));
  expect(impl.encrypt_with_nonce(&light, msg, sizeof(msg), k, ct) == Sm2Status::kOk,
         "encrypt fixed k, no tables");
  expect(impl.encrypt_with_nonce(&pk, msg, sizeof(msg), k, ct) == Sm2Status::kOk, "encrypt fixed k");
  expect(impl.decrypt(&sk, ct, ct + 65, ct + 97, sizeof(msg), pt) == Sm2Status::kOk, "decrypt");
  ct[70] ^= 1;
  expect(impl.decrypt(&sk, ct, ct + 65, ct + 97, sizeof(msg), pt) == Sm2Status::kDecryptFailed,
         "decrypt with a bad C3");

  // ECDH and the key-exchange point, both roles; the results are secret, compared after
  // declassifying them here.
  uint8_t s1[64], s2[64];
  expect(impl.ecdh(&sk, &pk2, s1) == Sm2Status::kOk, "ecdh 1");
  expect(impl.ecdh(&sk2, &pk, s2) == Sm2Status::kOk, "ecdh 2");
  GUOMI_DECLASSIFY(s1, 64);
  GUOMI_DECLASSIFY(s2, 64);
  expect(std::memcmp(s1, s2, 64) == 0, "ecdh agree");
  uint8_t r2[32], ra[65], rb[65];
  for (int i = 0; i < 32; i++) r2[i] = static_cast<uint8_t>(0x29 + 13 * i);
  r2[0] = 0x2a;
  GUOMI_SECRET(r2, sizeof(r2));
  expect(impl.mul_base(r, ra) == Sm2Status::kOk, "RA = [rA]G");  // ephemeral points are public
  expect(impl.mul_base(r2, rb) == Sm2Status::kOk, "RB = [rB]G");
  expect(impl.key_exchange_point(&sk, r, ra, &pk2, rb, s1) == Sm2Status::kOk, "kex A");
  expect(impl.key_exchange_point(&sk2, r2, rb, &pk, ra, s2) == Sm2Status::kOk, "kex B");
  GUOMI_DECLASSIFY(s1, 64);
  GUOMI_DECLASSIFY(s2, 64);
  expect(std::memcmp(s1, s2, 64) == 0, "kex agree");

  if (public_api) {
    // Hedged signing (the DRBG output carries the mark of d), encryption with an OS nonce
    // (marked where it is drawn, sm2.cc), and key generation from the OS.
    expect(sm2_sign(&sk, e, sig) == Sm2Status::kOk, "sign");
    expect(sm2_verify(&pk, e, sig), "verify hedged signature");
    expect(sm2_encrypt(&pk, msg, sizeof(msg), ct) == Sm2Status::kOk, "encrypt");
    expect(sm2_decrypt(&sk, ct, ct + 65, ct + 97, sizeof(msg), pt) == Sm2Status::kOk,
           "decrypt random-nonce ciphertext");
    // ECDH, the ephemeral point and the key-exchange point through the public entry points
    // (the addon's calls), which dispatch to whichever table sm2_impl() picks.
    expect(sm2_ecdh(&sk, &pk2, s1) == Sm2Status::kOk, "public ecdh 1");
    expect(sm2_ecdh(&sk2, &pk, s2) == Sm2Status::kOk, "public ecdh 2");
    GUOMI_DECLASSIFY(s1, 64);
    GUOMI_DECLASSIFY(s2, 64);
    expect(std::memcmp(s1, s2, 64) == 0, "public ecdh agree");
    expect(sm2_base_point_mul(r, ra) == Sm2Status::kOk, "public RA = [rA]G");
    expect(sm2_base_point_mul(r2, rb) == Sm2Status::kOk, "public RB = [rB]G");
    expect(sm2_key_exchange_point(&sk, r, ra, &pk2, rb, s1) == Sm2Status::kOk, "public kex A");
    expect(sm2_key_exchange_point(&sk2, r2, rb, &pk, ra, s2) == Sm2Status::kOk, "public kex B");
    GUOMI_DECLASSIFY(s1, 64);
    GUOMI_DECLASSIFY(s2, 64);
    expect(std::memcmp(s1, s2, 64) == 0, "public kex agree");
    uint8_t fresh[32];
    expect(sm2_generate_scalar(fresh) == Sm2Status::kOk, "generate scalar");
    Sm2PrivateKey sk3;
    expect(sm2_private_key_init(&sk3, fresh) == Sm2Status::kOk, "private key from fresh scalar");
    sm2_private_key_wipe(&sk3);
  }
  sm2_private_key_wipe(&sk);
  sm2_private_key_wipe(&sk2);
}

// host_has_adx reads the kernel's view of the CPU: valgrind's CPUID hides ADX from the program
// (so cpu_detected() says no), but it executes mulx/adcx/adox, so that path can be checked too.
bool host_has_adx() {
  std::FILE* f = std::fopen("/proc/cpuinfo", "r");
  if (!f) return false;
  char line[4096];
  bool adx = false, bmi2 = false;
  while (std::fgets(line, sizeof(line), f)) {
    if (std::strncmp(line, "flags", 5) != 0) continue;
    adx = std::strstr(line, " adx") != nullptr;
    bmi2 = std::strstr(line, " bmi2") != nullptr;
    break;
  }
  std::fclose(f);
  return adx && bmi2;
}

}  // namespace

int main(int argc, char** argv) {
  if (guomi_ct::self_test_requested(argc, argv, "ct_sm2")) return 0;
  const uint32_t detected = cpu_detected();
  std::printf("ct_sm2: detected features %08x\n", detected);
  sm2_precompute();
  for (uint32_t mask : {0u, ~0u}) {
    cpu_set_disabled(mask);
    std::printf("ct_sm2: public API and %s\n", sm2_impl_name());
    run_all(sm2_impl(), true);
  }
  cpu_set_disabled(0);
#if defined(__x86_64__)
  if (host_has_adx()) {
    std::printf("ct_sm2: %s (forced)\n", sm2_impl_adx().name);
    run_all(sm2_impl_adx(), false);
  }
#endif
  std::printf("ct_sm2: %s\n", g_failures ? "FAIL" : "done");
  return g_failures ? 1 : 0;
}
