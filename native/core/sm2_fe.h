// sm2_fe.h — 256-bit integers as four 64-bit limbs: the representation shared by the SM2 field
// (mod p), the scalars (mod n) and the test curve of GB/T 32918.2-2016 Annex A.
//
// Everything here runs in time independent of the limb values: carries are computed with
// unsigned __int128 arithmetic and choices are made with masks (ct.h), never with branches.
#ifndef GUOMI_CORE_SM2_FE_H_
#define GUOMI_CORE_SM2_FE_H_

#include <cstdint>

#include "ct.h"
#include "util.h"

namespace guomi {

typedef unsigned __int128 u128;

// Fe is a 256-bit value, limb 0 least significant. Field elements are kept in Montgomery form
// (a·2^256 mod m); the type does not say which modulus a value belongs to.
struct Fe {
  uint64_t v[4];
};

// fe_from_be32 reads 32 big-endian bytes (GB/T 32918.1-2016 §4.2.x byte-string conversion).
inline void fe_from_be32(Fe* r, const uint8_t in[32]) {
  for (int i = 0; i < 4; i++) r->v[i] = load_be64(in + 8 * (3 - i));
}

inline void fe_to_be32(uint8_t out[32], const Fe* a) {
  for (int i = 0; i < 4; i++) store_be64(out + 8 * (3 - i), a->v[i]);
}

inline void fe_set_zero(Fe* r) { r->v[0] = r->v[1] = r->v[2] = r->v[3] = 0; }

// fe_is_zero_mask: all-ones if a == 0.
inline uint64_t fe_is_zero_mask(const Fe* a) {
  return ct_is_zero_u64(a->v[0] | a->v[1] | a->v[2] | a->v[3]);
}

inline uint64_t fe_eq_mask(const Fe* a, const Fe* b) {
  return ct_is_zero_u64((a->v[0] ^ b->v[0]) | (a->v[1] ^ b->v[1]) | (a->v[2] ^ b->v[2]) |
                        (a->v[3] ^ b->v[3]));
}

// fe_cmov sets r = a where mask is all-ones; leaves r alone where it is zero.
inline void fe_cmov(Fe* r, const Fe* a, uint64_t mask) {
  mask = value_barrier_u64(mask);
  for (int i = 0; i < 4; i++) r->v[i] = (r->v[i] & ~mask) | (a->v[i] & mask);
}

// fe_add_raw: r = a + b as 256-bit integers; returns the carry (0 or 1).
inline uint64_t fe_add_raw(Fe* r, const Fe* a, const Fe* b) {
  u128 c = 0;
  for (int i = 0; i < 4; i++) {
    c += static_cast<u128>(a->v[i]) + b->v[i];
    r->v[i] = static_cast<uint64_t>(c);
    c >>= 64;
  }
  return static_cast<uint64_t>(c);
}

// fe_sub_raw: r = a - b as 256-bit integers; returns the borrow (0 or 1).
inline uint64_t fe_sub_raw(Fe* r, const Fe* a, const Fe* b) {
  uint64_t borrow = 0;
  for (int i = 0; i < 4; i++) {
    const u128 d = static_cast<u128>(a->v[i]) - b->v[i] - borrow;
    r->v[i] = static_cast<uint64_t>(d);
    borrow = static_cast<uint64_t>(d >> 64) & 1;
  }
  return borrow;
}

// fe_lt_mask: all-ones if a < b (as integers).
inline uint64_t fe_lt_mask(const Fe* a, const Fe* b) {
  Fe t;
  return 0 - value_barrier_u64(fe_sub_raw(&t, a, b));
}

// fe_reduce_once: r = a - m if a >= m (with an extra carry bit |hi| above the 256 bits), else a.
// Callers guarantee a + hi·2^256 < 2m.
inline void fe_reduce_once(Fe* r, const Fe* a, uint64_t hi, const Fe* m) {
  Fe t;
  const uint64_t borrow = fe_sub_raw(&t, a, m);
  // Keep a when the subtraction borrowed and there was no carry above: a + hi·2^256 < m.
  const uint64_t keep = value_barrier_u64(0 - (borrow & (hi ^ 1)));
  for (int i = 0; i < 4; i++) r->v[i] = (a->v[i] & keep) | (t.v[i] & ~keep);
}

// fe_mod_add: r = a + b mod m for a, b < m.
inline void fe_mod_add(Fe* r, const Fe* a, const Fe* b, const Fe* m) {
  Fe s;
  const uint64_t carry = fe_add_raw(&s, a, b);
  fe_reduce_once(r, &s, carry, m);
}

// fe_mod_sub: r = a - b mod m for a, b < m.
inline void fe_mod_sub(Fe* r, const Fe* a, const Fe* b, const Fe* m) {
  Fe d, t;
  const uint64_t borrow = fe_sub_raw(&d, a, b);
  fe_add_raw(&t, &d, m);
  const uint64_t mask = value_barrier_u64(0 - borrow);
  for (int i = 0; i < 4; i++) r->v[i] = (t.v[i] & mask) | (d.v[i] & ~mask);
}

// fe_bit returns bit |i| (0 = least significant) of a; i must be public.
inline uint64_t fe_bit(const Fe* a, int i) { return (a->v[i >> 6] >> (i & 63)) & 1; }

}  // namespace guomi

#endif  // GUOMI_CORE_SM2_FE_H_
