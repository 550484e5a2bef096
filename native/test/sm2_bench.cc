// sm2_bench.cc — throughput of the SM2 core operations, for every field implementation this CPU
// has: the best of many short timed batches (the machines this runs on are shared and noisy).
//
// Usage: sm2_bench [seconds]   (default 0.2: about a second of batches per operation)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>

#include "../core/cpu.h"
#include "../core/sm2.h"
#include "../core/sm2_curves.h"
#include "../core/sm2_impl.h"
#include "../core/sm3.h"
#if defined(__x86_64__)
#include "../core/sm2_fp_adx.h"
#endif

namespace {

double g_round_seconds = 0.2;

// best_rate times fn in many short batches and returns the rate of the fastest batch: on a
// shared machine, the fastest batch is the one least disturbed by other work.
double best_rate(const std::function<void()>& fn) {
  using clock = std::chrono::steady_clock;
  // Size a batch to about 100 us.
  int batch = 1;
  for (;;) {
    const auto t0 = clock::now();
    for (int i = 0; i < batch; i++) fn();
    const double s = std::chrono::duration<double>(clock::now() - t0).count();
    if (s > 100e-6 || batch > (1 << 20)) break;
    batch *= 2;
  }
  double best = 1e30;
  const auto start = clock::now();
  do {
    const auto t0 = clock::now();
    for (int i = 0; i < batch; i++) fn();
    const double s = std::chrono::duration<double>(clock::now() - t0).count() / batch;
    if (s < best) best = s;
  } while (std::chrono::duration<double>(clock::now() - start).count() < g_round_seconds * 5);
  return 1 / best;
}

void report(const char* name, double rate) {
  if (rate > 1e6)
    std::printf("  %-38s %12.1f M/s  %9.1f ns/op\n", name, rate / 1e6, 1e9 / rate);
  else
    std::printf("  %-38s %12.0f /s   %9.2f us/op\n", name, rate, 1e6 / rate);
}

volatile uint8_t g_sink;

template <class F>
void bench_field(const char* label) {
  guomi::Fe a{{0x0123456789abcdef, 0xfedcba9876543210, 0x0f1e2d3c4b5a6978, 0x7fffffff12345678}};
  guomi::Fe b = a;
  std::printf("field %s\n", label);
  report("fp mul", best_rate([&] { F::mul(&a, &a, &b); }));
  report("fp sqr", best_rate([&] { F::sqr(&a, &a); }));
  report("fp inv", best_rate([&] { F::inv(&a, &a); }));
  report("fp inv (Fermat chain)", best_rate([&] { F::inv_fermat(&a, &a); }));
  g_sink = static_cast<uint8_t>(a.v[0]);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) g_round_seconds = std::atof(argv[1]);
  using namespace guomi;
  sm2_precompute();
  bench_field<Sm2FpPortable>("portable");
#if defined(__x86_64__)
  if (cpu_has(kCpuBMI2 | kCpuADX)) bench_field<Sm2FpAdx>("bmi2+adx");
#endif
  {
    Fe a{{1, 2, 3, 4}}, b{{5, 6, 7, 8}};
    report("fn mul (scalar mod n)", best_rate([&] { Sm2Fn::mul(&a, &a, &b); }));
    report("fn inv (divsteps)", best_rate([&] { Sm2Fn::inv(&a, &a); }));
    report("fn inv (Fermat)", best_rate([&] { Sm2Fn::inv_fermat(&a, &a); }));
    g_sink = static_cast<uint8_t>(a.v[0]);
  }

  uint8_t d[32], e[32], sig[64], k[32];
  sm2_generate_scalar(d);
  sm2_generate_scalar(k);
  sm3(d, 32, e);
  std::vector<uint32_t> masks = {0};
#if defined(__x86_64__)
  if (cpu_has(kCpuBMI2 | kCpuADX)) masks.push_back(kCpuADX);
#endif
  for (uint32_t mask : masks) {
    cpu_set_disabled(mask);
    std::printf("sm2 (%s)\n", sm2_impl_name());
    Sm2PrivateKey sk;
    Sm2PublicKey pk;
    sm2_private_key_init(&sk, d);
    sm2_public_key_init(&pk, sk.public_point, 65);
    const Sm2Impl& impl = sm2_impl();
    uint8_t point[65];
    report("[k]G (fixed-base comb)", best_rate([&] { impl.mul_base(k, point); }));
    report("[k]P (constant-time window)", best_rate([&] { impl.mul_point(k, sk.public_point, point); }));
    report("sign (hedged nonce)", best_rate([&] { sm2_sign(&sk, e, sig); }));
    report("sign (fixed nonce, no DRBG)", best_rate([&] { sm2_sign_with_nonce_for_testing(&sk, e, k, sig); }));
    sm2_sign(&sk, e, sig);
    Sm2PublicKey light;
    sm2_public_key_init(&light, sk.public_point, 65, false);
    report("verify", best_rate([&] { g_sink = sm2_verify(&pk, e, sig); }));
    report("verify (key without tables)", best_rate([&] { g_sink = sm2_verify(&light, e, sig); }));
    uint8_t msg[32] = {1, 2, 3}, ct[97 + 32], pt[32];
    report("encrypt 32 bytes", best_rate([&] { sm2_encrypt(&pk, msg, 32, ct); }));
    report("encrypt 32 bytes (key without tables)", best_rate([&] { sm2_encrypt(&light, msg, 32, ct); }));
    sm2_encrypt(&pk, msg, 32, ct);
    report("decrypt 32 bytes", best_rate([&] { sm2_decrypt(&sk, ct, ct + 65, ct + 97, 32, pt); }));
    report("keygen (scalar + private key)", best_rate([&] {
             uint8_t dd[32];
             Sm2PrivateKey kk;
             sm2_generate_scalar(dd);
             sm2_private_key_init(&kk, dd);
           }));
    report("private key load (d -> key)", best_rate([&] { sm2_private_key_init(&sk, d); }));
    report("public key load (65 bytes)", best_rate([&] { sm2_public_key_init(&pk, sk.public_point, 65); }));
    report("public key load, no tables", best_rate([&] { sm2_public_key_init(&light, sk.public_point, 65, false); }));
    uint8_t comp[33];
    sm2_public_key_encode(&pk, true, comp);
    report("public key load (33 bytes)", best_rate([&] { sm2_public_key_init(&pk, comp, 33); }));
    uint8_t shared[64];
    report("ecdh", best_rate([&] { sm2_ecdh(&sk, &pk, shared); }));
    uint8_t r[32], rp[65];
    sm2_generate_scalar(r);
    impl.mul_base(r, rp);
    report("key exchange point", best_rate([&] { sm2_key_exchange_point(&sk, r, rp, &pk, rp, shared); }));
    sm2_private_key_wipe(&sk);
  }
  cpu_set_disabled(0);
  return 0;
}
