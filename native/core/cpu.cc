// cpu.cc — feature detection (CPUID/XGETBV on x86-64, AT_HWCAP on AArch64 and LoongArch64).
#include "cpu.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#endif
#if (defined(__aarch64__) || defined(__loongarch64)) && defined(__linux__)
#include <sys/auxv.h>
#endif

namespace guomi {
namespace {

struct FeatureName {
  uint32_t bit;
  const char* name;
};

constexpr FeatureName kNames[] = {
    {kCpuSSSE3, "ssse3"},   {kCpuAVX2, "avx2"},       {kCpuAESNI, "aesni"},
    {kCpuPCLMUL, "pclmul"}, {kCpuGFNI, "gfni"},       {kCpuAVX512, "avx512"},
    {kCpuVAES, "vaes"},     {kCpuVPCLMUL, "vpclmul"}, {kCpuBMI2, "bmi2"},
    {kCpuADX, "adx"},       {kCpuNEON, "neon"},       {kCpuArmAES, "aes"},
    {kCpuArmPMULL, "pmull"}, {kCpuArmSM3, "sm3"},     {kCpuArmSM4, "sm4"},
    {kCpuLSX, "lsx"},       {kCpuLASX, "lasx"},
};

#if defined(__x86_64__)
uint64_t xgetbv0() {
  uint32_t eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<uint64_t>(edx) << 32) | eax;
}

uint32_t detect() {
  uint32_t a, b, c, d;
  uint32_t f = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  const bool osxsave = (c >> 27) & 1;
  if ((c >> 9) & 1) f |= kCpuSSSE3;
  if ((c >> 25) & 1) f |= kCpuAESNI;
  if ((c >> 1) & 1) f |= kCpuPCLMUL;
  const uint64_t xcr0 = osxsave ? xgetbv0() : 0;
  const bool ymm_ok = (xcr0 & 0x6) == 0x6;
  const bool zmm_ok = (xcr0 & 0xe6) == 0xe6;
  if (__get_cpuid_max(0, nullptr) >= 7) {
    __cpuid_count(7, 0, a, b, c, d);
    if (((b >> 5) & 1) && ymm_ok) f |= kCpuAVX2;
    if ((b >> 8) & 1) f |= kCpuBMI2;
    if ((b >> 19) & 1) f |= kCpuADX;
    // F (16), DQ (17), BW (30), VL (31): the subset every AVX-512 path here assumes.
    const uint32_t avx512_bits = (1u << 16) | (1u << 17) | (1u << 30) | (1u << 31);
    if ((b & avx512_bits) == avx512_bits && zmm_ok) f |= kCpuAVX512;
    // GFNI (8) is usable with SSE encodings alone; VAES (9) and VPCLMULQDQ (10) need YMM.
    if ((c >> 8) & 1) f |= kCpuGFNI;
    if (((c >> 9) & 1) && ymm_ok) f |= kCpuVAES;
    if (((c >> 10) & 1) && ymm_ok) f |= kCpuVPCLMUL;
  }
  return f;
}
#elif defined(__aarch64__) && defined(__linux__)
uint32_t detect() {
  // Bit numbers from <asm/hwcap.h>; spelled out so the build does not depend on kernel headers.
  const unsigned long hw = getauxval(AT_HWCAP);
  uint32_t f = 0;
  if (hw & (1ul << 1)) f |= kCpuNEON;     // HWCAP_ASIMD
  if (hw & (1ul << 3)) f |= kCpuArmAES;   // HWCAP_AES
  if (hw & (1ul << 4)) f |= kCpuArmPMULL; // HWCAP_PMULL
  if (hw & (1ul << 18)) f |= kCpuArmSM3;  // HWCAP_SM3
  if (hw & (1ul << 19)) f |= kCpuArmSM4;  // HWCAP_SM4
  return f;
}
#elif defined(__loongarch64) && defined(__linux__)
uint32_t detect() {
  const unsigned long hw = getauxval(AT_HWCAP);
  uint32_t f = 0;
  if (hw & (1ul << 4)) f |= kCpuLSX;   // HWCAP_LOONGARCH_LSX
  if (hw & (1ul << 5)) f |= kCpuLASX;  // HWCAP_LOONGARCH_LASX
  return f;
}
#else
uint32_t detect() { return 0; }
#endif

std::atomic<uint32_t> g_detected{0};
std::atomic<uint32_t> g_disabled{0};
std::atomic<bool> g_initialised{false};

void ensure_init() {
  if (g_initialised.load(std::memory_order_acquire)) return;
  // Racing initialisations compute the same values, so no lock is needed.
  g_detected.store(detect(), std::memory_order_relaxed);
  const char* env = std::getenv("GUOMI_DISABLE");
  g_disabled.store(env ? cpu_parse_feature_list(env, nullptr) : 0, std::memory_order_relaxed);
  g_initialised.store(true, std::memory_order_release);
}

}  // namespace

uint32_t cpu_detected() {
  ensure_init();
  return g_detected.load(std::memory_order_relaxed);
}

uint32_t cpu_enabled() {
  ensure_init();
  return g_detected.load(std::memory_order_relaxed) & ~g_disabled.load(std::memory_order_relaxed);
}

uint32_t cpu_disabled() {
  ensure_init();
  return g_disabled.load(std::memory_order_relaxed);
}

void cpu_set_disabled(uint32_t mask) {
  ensure_init();
  g_disabled.store(mask, std::memory_order_relaxed);
}

uint32_t cpu_parse_feature_list(const char* list, int* unknown) {
  uint32_t mask = 0;
  int bad = 0;
  const char* p = list;
  while (*p) {
    while (*p == ',' || *p == ' ') p++;
    const char* start = p;
    while (*p && *p != ',' && *p != ' ') p++;
    const size_t len = static_cast<size_t>(p - start);
    if (len == 0) continue;
    if (len == 3 && std::strncmp(start, "all", 3) == 0) {
      mask = ~0u;
      continue;
    }
    bool found = false;
    for (const auto& n : kNames) {
      if (std::strlen(n.name) == len && std::strncmp(start, n.name, len) == 0) {
        mask |= n.bit;
        found = true;
      }
    }
    if (!found) bad++;
  }
  if (unknown) *unknown = bad;
  return mask;
}

const char* cpu_feature_name(uint32_t bit) {
  for (const auto& n : kNames)
    if (n.bit == bit) return n.name;
  return nullptr;
}

const char* cpu_arch() {
#if defined(__x86_64__)
  return "x86-64";
#elif defined(__aarch64__)
  return "arm64";
#elif defined(__loongarch64)
  return "loong64";
#else
  return "other";
#endif
}

}  // namespace guomi
