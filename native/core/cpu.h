// cpu.h — CPU feature detection and the switches that turn accelerated paths off.
//
// Every accelerated primitive asks cpu_enabled() at its single dispatch point and falls back to
// its portable twin when a feature is missing or switched off. Features are switched off with the
// environment variable GUOMI_DISABLE (a comma-separated list of the names below, or "all"),
// read once when the core is first used, or at run time by cpu_set_disabled() (tests use this to
// drive every path on one machine).
#ifndef GUOMI_CORE_CPU_H_
#define GUOMI_CORE_CPU_H_

#include <cstdint>

namespace guomi {

enum CpuFeature : uint32_t {
  // x86-64
  kCpuSSSE3 = 1u << 0,
  kCpuAVX2 = 1u << 1,      // AVX2 with OS support for YMM state
  kCpuAESNI = 1u << 2,
  kCpuPCLMUL = 1u << 3,
  kCpuGFNI = 1u << 4,
  kCpuAVX512 = 1u << 5,    // AVX-512 F+BW+VL+DQ with OS support for ZMM state
  kCpuVAES = 1u << 6,
  kCpuVPCLMUL = 1u << 7,
  kCpuBMI2 = 1u << 8,
  kCpuADX = 1u << 9,
  // AArch64
  kCpuNEON = 1u << 12,
  kCpuArmAES = 1u << 13,
  kCpuArmPMULL = 1u << 14,
  kCpuArmSM3 = 1u << 15,
  kCpuArmSM4 = 1u << 16,
  // LoongArch64
  kCpuLSX = 1u << 20,
  kCpuLASX = 1u << 21,
};

// cpu_detected returns the features the CPU and OS support, regardless of switches.
uint32_t cpu_detected();

// cpu_enabled returns cpu_detected() minus the features switched off.
uint32_t cpu_enabled();

// cpu_has returns true if every feature in |mask| is enabled.
inline bool cpu_has(uint32_t mask) { return (cpu_enabled() & mask) == mask; }

// cpu_set_disabled replaces the set of switched-off features (the GUOMI_DISABLE value is
// replaced too). Not thread-safe with respect to crypto running on other threads; meant for tests.
void cpu_set_disabled(uint32_t mask);

// cpu_disabled returns the features currently switched off.
uint32_t cpu_disabled();

// cpu_parse_feature_list turns "gfni,avx512" or "all" into a mask. Unknown names are ignored
// and reported through |unknown| (a count) when it is non-null.
uint32_t cpu_parse_feature_list(const char* list, int* unknown);

// cpu_feature_name returns the short name of one feature bit ("gfni"), or nullptr.
const char* cpu_feature_name(uint32_t bit);

// cpu_arch returns "x86-64", "arm64", "loong64" or "other".
const char* cpu_arch();

}  // namespace guomi

#endif  // GUOMI_CORE_CPU_H_
