// ct.h — the only home of constant-time helpers in the native core.
//
// Every comparison, selection and wipe that touches secret data goes through these helpers, so
// that there is one place to audit. The style follows BoringSSL's crypto/internal.h: masks are
// all-ones or all-zeros words, and a value barrier hides masks from the optimiser so that it
// cannot turn a select back into a branch.
//
// The valgrind constant-time harness (native/test/ct_*.cc) builds the core with
// GUOMI_CT_VALGRIND defined; GUOMI_SECRET then marks memory as undefined, and memcheck reports
// any branch or memory index that depends on it. GUOMI_DECLASSIFY marks a value as public again
// (for example a signature that is about to be returned).
#ifndef GUOMI_CORE_CT_H_
#define GUOMI_CORE_CT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(GUOMI_CT_VALGRIND)
#include <valgrind/memcheck.h>
#define GUOMI_SECRET(p, len) VALGRIND_MAKE_MEM_UNDEFINED((p), (len))
#define GUOMI_DECLASSIFY(p, len) VALGRIND_MAKE_MEM_DEFINED((p), (len))
#else
#define GUOMI_SECRET(p, len) ((void)(p), (void)(len))
#define GUOMI_DECLASSIFY(p, len) ((void)(p), (void)(len))
#endif

namespace guomi {

// value_barrier returns |v| unchanged, but the compiler cannot see through it, so masks derived
// from it are not turned into branches.
inline uint64_t value_barrier_u64(uint64_t v) {
#if defined(__GNUC__) || defined(__clang__)
  __asm__("" : "+r"(v) : :);
#endif
  return v;
}

inline uint32_t value_barrier_u32(uint32_t v) {
#if defined(__GNUC__) || defined(__clang__)
  __asm__("" : "+r"(v) : :);
#endif
  return v;
}

// ct_is_zero_u64 returns an all-ones mask if |x| is zero and zero otherwise.
inline uint64_t ct_is_zero_u64(uint64_t x) {
  // (~x & (x - 1)) has its top bit set exactly when x == 0.
  return value_barrier_u64(0 - ((~x & (x - 1)) >> 63));
}

inline uint32_t ct_is_zero_u32(uint32_t x) {
  return value_barrier_u32(0 - ((~x & (x - 1)) >> 31));
}

// ct_eq_u64 returns an all-ones mask if a == b.
inline uint64_t ct_eq_u64(uint64_t a, uint64_t b) { return ct_is_zero_u64(a ^ b); }
inline uint32_t ct_eq_u32(uint32_t a, uint32_t b) { return ct_is_zero_u32(a ^ b); }

// ct_lt_u64 returns an all-ones mask if a < b (unsigned).
inline uint64_t ct_lt_u64(uint64_t a, uint64_t b) {
  // The borrow of a - b, computed without a branch (Hacker's Delight §2-12).
  return value_barrier_u64(0 - ((((a ^ b) & ((a - b) ^ a)) ^ (a - b)) >> 63));
}

// ct_select_u64 returns a if mask is all-ones and b if it is zero.
inline uint64_t ct_select_u64(uint64_t mask, uint64_t a, uint64_t b) {
  mask = value_barrier_u64(mask);
  return (mask & a) | (~mask & b);
}

inline uint32_t ct_select_u32(uint32_t mask, uint32_t a, uint32_t b) {
  mask = value_barrier_u32(mask);
  return (mask & a) | (~mask & b);
}

inline uint8_t ct_select_u8(uint8_t mask, uint8_t a, uint8_t b) {
  return static_cast<uint8_t>(ct_select_u32(static_cast<uint32_t>(static_cast<int8_t>(mask)), a, b));
}

// ct_memcmp returns zero if the |len| bytes at |a| and |b| are equal and non-zero otherwise. Its
// running time depends on |len| but not on the contents.
inline int ct_memcmp(const void* a, const void* b, size_t len) {
  const uint8_t* x = static_cast<const uint8_t*>(a);
  const uint8_t* y = static_cast<const uint8_t*>(b);
  uint8_t acc = 0;
  for (size_t i = 0; i < len; i++) acc |= static_cast<uint8_t>(x[i] ^ y[i]);
  return acc;
}

// ct_memeq_mask returns an all-ones 32-bit mask if the buffers are equal, zero otherwise.
inline uint32_t ct_memeq_mask(const void* a, const void* b, size_t len) {
  return ct_is_zero_u32(static_cast<uint32_t>(ct_memcmp(a, b, len)));
}

// ct_is_zero_bytes returns an all-ones mask if all |len| bytes are zero.
inline uint32_t ct_is_zero_bytes(const void* p, size_t len) {
  const uint8_t* x = static_cast<const uint8_t*>(p);
  uint8_t acc = 0;
  for (size_t i = 0; i < len; i++) acc |= x[i];
  return ct_is_zero_u32(acc);
}

// ct_cmov copies |len| bytes from |src| to |dst| if |mask| is all-ones, and leaves |dst| alone if
// it is zero, touching every byte either way.
inline void ct_cmov(void* dst, const void* src, size_t len, uint32_t mask) {
  uint8_t* d = static_cast<uint8_t*>(dst);
  const uint8_t* s = static_cast<const uint8_t*>(src);
  const uint8_t m = static_cast<uint8_t>(value_barrier_u32(mask));
  for (size_t i = 0; i < len; i++) d[i] = static_cast<uint8_t>((m & s[i]) | (~m & d[i]));
}

// secure_zero overwrites |len| bytes with zeros in a way the compiler may not elide: memset
// (vectorised, unlike a volatile byte loop, which cost 8-9% of a 16 KiB SM4 CBC decryption)
// followed by an empty asm statement that claims to read the memory, as BoringSSL's
// OPENSSL_cleanse does.
inline void secure_zero(void* p, size_t len) {
  if (len == 0) return;  // p may be null then, and memset(nullptr, 0, 0) is undefined
  std::memset(p, 0, len);
#if defined(__GNUC__) || defined(__clang__)
  __asm__ __volatile__("" : : "r"(p) : "memory");
#endif
}

}  // namespace guomi

#endif  // GUOMI_CORE_CT_H_
