// util.h — byte-order loads and stores and rotations shared by the native core.
#ifndef GUOMI_CORE_UTIL_H_
#define GUOMI_CORE_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace guomi {

inline uint32_t rotl32(uint32_t x, unsigned n) {
  // n is always a compile-time constant in 1..31 here; the mask keeps n == 0 well defined.
  return (x << (n & 31)) | (x >> ((32 - n) & 31));
}

inline uint32_t load_be32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return __builtin_bswap32(v);
}

inline void store_be32(uint8_t* p, uint32_t v) {
  v = __builtin_bswap32(v);
  std::memcpy(p, &v, 4);
}

inline uint64_t load_be64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return __builtin_bswap64(v);
}

inline void store_be64(uint8_t* p, uint64_t v) {
  v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}

inline uint64_t load_le64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline void store_le64(uint8_t* p, uint64_t v) { std::memcpy(p, &v, 8); }

inline uint32_t load_le32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

inline void store_le32(uint8_t* p, uint32_t v) { std::memcpy(p, &v, 4); }

// xor_bytes writes a ^ b to out (out may alias a or b).
inline void xor_bytes(uint8_t* out, const uint8_t* a, const uint8_t* b, size_t len) {
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a + i, 8);
    std::memcpy(&y, b + i, 8);
    x ^= y;
    std::memcpy(out + i, &x, 8);
  }
  for (; i < len; i++) out[i] = static_cast<uint8_t>(a[i] ^ b[i]);
}

}  // namespace guomi

// Target regions: every function defined between GUOMI_TARGET_PUSH("avx2,gfni") and
// GUOMI_TARGET_POP is compiled for those extensions (and only called after cpu_has() says they
// are there), so one source text can be compiled for several instruction sets and the rest of
// the binary stays baseline.
#define GUOMI_STRINGIFY_(x) #x
#if defined(__clang__)
#define GUOMI_TARGET_PUSH(t) \
  _Pragma(GUOMI_STRINGIFY_(clang attribute push(__attribute__((target(t))), apply_to = function)))
#define GUOMI_TARGET_POP _Pragma("clang attribute pop")
#else
#define GUOMI_TARGET_PUSH(t) _Pragma("GCC push_options") _Pragma(GUOMI_STRINGIFY_(GCC target(t)))
#define GUOMI_TARGET_POP _Pragma("GCC pop_options")
#endif

#endif  // GUOMI_CORE_UTIL_H_
