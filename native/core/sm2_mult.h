// sm2_mult.h — scalar multiplication:
//   mul_ct               any point, constant time: signed 5-bit windows, 255 doublings, 52
//                        complete additions (decryption, ECDH, key exchange).
//   mul_base_comb_ct     [k]G from the precomputed table of G (SM2 curve only), constant time:
//                        43 complete mixed additions, no doublings (signing, key generation,
//                        encryption's C1).
//   mul_split_ct         [k]P from a public key's split tables, constant time: 60 doublings and
//                        52 mixed additions (encryption to a key loaded with precomputation).
//   *_vartime            the same shapes (and w-NAF) for public scalars (verification).
// In the constant-time ones every table entry is chosen by reading the whole table, and the
// digit signs are applied by masked negation.
//
// Scalars are plain (not Montgomery) 256-bit integers below n.
#ifndef GUOMI_CORE_SM2_MULT_H_
#define GUOMI_CORE_SM2_MULT_H_

#include <cstdint>

#include "ct.h"
#include "sm2_base_table.h"
#include "sm2_fe.h"
#include "sm2_point.h"

namespace guomi {

namespace mult_detail {

// window_bits returns bits [s, s + nbits) of k, where s may be -1 (bit -1 reads as 0) and bits
// above 255 read as 0. s is public; k may be secret.
inline uint64_t window_bits(const Fe* k, int s, int nbits) {
  const uint64_t mask = (uint64_t{1} << nbits) - 1;
  if (s < 0) return (k->v[0] << 1) & mask;
  const int limb = s >> 6, off = s & 63;
  uint64_t v = k->v[limb] >> off;
  if (off + nbits > 64 && limb < 3) v |= k->v[limb + 1] << (64 - off);
  return v & mask;
}

// booth_digit turns the w+1 bits of a window (bit 0 = the top bit of the window below) into a
// signed digit d in [-2^(w-1), 2^(w-1)], returning |d| and setting *neg to an all-ones mask if
// d < 0. The digits satisfy k = Σ d_i 2^(w·i) (signed-window "Booth" recoding): each window adds
// its own bits plus the borrowed top bit of the window below and gives back its own top bit.
inline uint64_t booth_digit(uint64_t v, int w, uint64_t* neg) {
  const int64_t d = static_cast<int64_t>((v >> 1) + (v & 1)) - static_cast<int64_t>((v >> w) << w);
  const uint64_t sign = value_barrier_u64(static_cast<uint64_t>(d >> 63));
  *neg = sign;
  return (static_cast<uint64_t>(d) ^ sign) - sign;
}

}  // namespace mult_detail

template <class C>
struct ScalarMult {
  using F = typename C::F;
  using P = PointOps<C>;

  // cond_negate_y: y = -y where mask is all-ones.
  static void cond_negate_y(Fe* y, uint64_t mask) {
    Fe ny;
    F::neg(&ny, y);
    fe_cmov(y, &ny, mask);
  }

  // mul_ct: r = [k]p for a secret k < 2^256 and a public or secret affine p, in constant time.
  // Signed 5-bit windows: a table of 1p..16p, 255 doublings and 52 complete additions, each
  // table entry chosen by reading the whole table.
  static void mul_ct(JacobianPoint* r, const Fe* k, const AffinePoint* p) {
    constexpr int kW = 5;
    constexpr int kWindows = 52;  // ceil(257 / 5): the top digit absorbs the final carry
    JacobianPoint table[16];      // table[j] = (j + 1) p
    P::from_affine(&table[0], p);
    for (int j = 1; j < 16; j++) {
      if (j & 1) {
        P::dbl(&table[j], &table[j / 2]);
      } else {
        P::add_ct(&table[j], &table[j - 1], &table[0]);
      }
    }
    JacobianPoint acc;
    P::set_infinity(&acc);
    for (int i = kWindows - 1; i >= 0; i--) {
      if (i != kWindows - 1)
        for (int d = 0; d < kW; d++) P::dbl(&acc, &acc);
      uint64_t neg;
      const uint64_t digit =
          mult_detail::booth_digit(mult_detail::window_bits(k, kW * i - 1, kW + 1), kW, &neg);
      JacobianPoint t;
      select_jacobian(&t, table, 16, digit);
      cond_negate_y(&t.y, neg);
      P::add_ct(&acc, &acc, &t);
    }
    *r = acc;
    secure_zero(table, sizeof(table));
  }

  // select_jacobian: r = table[index - 1] for index in 1..n, all zero (infinity) for index 0.
  // Reads every entry.
  static void select_jacobian(JacobianPoint* r, const JacobianPoint* table, int n, uint64_t index) {
    fe_set_zero(&r->x);
    fe_set_zero(&r->y);
    fe_set_zero(&r->z);
    for (int j = 0; j < n; j++) {
      const uint64_t m = ct_eq_u64(static_cast<uint64_t>(j + 1), index);
      for (int l = 0; l < 4; l++) {
        r->x.v[l] |= table[j].x.v[l] & m;
        r->y.v[l] |= table[j].y.v[l] & m;
        r->z.v[l] |= table[j].z.v[l] & m;
      }
    }
  }

  // mul_base_comb_ct: r = [k]G for a secret k < 2^256 from the precomputed table (SM2 only).
  // Signed 6-bit windows, one table row per window, so there are no doublings: 43 complete mixed
  // additions in projective coordinates, each operand chosen by reading the whole row.
  static void mul_base_comb_ct(ProjectivePoint* r, const Fe* k, const Sm2BaseTable& table) {
    ProjectivePoint acc;
    fe_set_zero(&acc.x);
    acc.y = F::kOne;
    fe_set_zero(&acc.z);
    for (int i = 0; i < kSm2BaseRows; i++) {
      uint64_t neg;
      const uint64_t digit = mult_detail::booth_digit(
          mult_detail::window_bits(k, kSm2BaseWindow * i - 1, kSm2BaseWindow + 1), kSm2BaseWindow,
          &neg);
      AffinePoint t;
      sm2_base_table_select(&t, table.rows[i], digit);
      cond_negate_y(&t.y, neg);
      ProjectivePoint sum;
      P::madd_complete(&sum, &acc, &t);
      // A zero digit selected (0, 0), which is not a point: keep acc instead.
      const uint64_t keep = ct_is_zero_u64(digit);
      fe_cmov(&sum.x, &acc.x, keep);
      fe_cmov(&sum.y, &acc.y, keep);
      fe_cmov(&sum.z, &acc.z, keep);
      acc = sum;
    }
    *r = acc;
  }

  // mul_base_comb_vartime: r = [k]G from the table for a public k (verification).
  static void mul_base_comb_vartime(JacobianPoint* r, const Fe* k, const Sm2BaseTable& table) {
    P::set_infinity(r);
    for (int i = 0; i < kSm2BaseRows; i++) {
      uint64_t neg;
      const uint64_t digit = mult_detail::booth_digit(
          mult_detail::window_bits(k, kSm2BaseWindow * i - 1, kSm2BaseWindow + 1), kSm2BaseWindow,
          &neg);
      if (digit == 0) continue;
      AffinePoint t = table.rows[i][digit - 1];
      if (neg) F::neg(&t.y, &t.y);
      P::madd_vartime(r, r, &t);
    }
  }

  // --- per-key split tables ---
  //
  // For a public key P that is used many times, four sub-bases Q_j = 2^(65j)·P and their
  // multiples 1..16 (64 affine points, 4 KiB) turn the 52 signed 5-bit digits d_i of a scalar
  // into k·P = Σ_r 2^(5r) Σ_j d_(13j+r)·Q_j (r = 0..12): 60 doublings instead of 255, for the
  // same 52 additions, now mixed (the table is affine).
  static constexpr int kSplitWindows = 52;
  static constexpr int kSplitRows = 13;  // digits per sub-base

  // split_tables: t[j][i] = (i + 1)·2^(65j)·p. p is public (variable time).
  static void split_tables(AffinePoint t[4][16], const AffinePoint* p) {
    JacobianPoint jac[64], base;
    Fe scratch[64];
    P::from_affine(&base, p);
    for (int j = 0; j < 4; j++) {
      JacobianPoint* row = &jac[16 * j];
      row[0] = base;
      P::dbl(&row[1], &base);
      for (int i = 2; i < 16; i++) P::add_vartime(&row[i], &row[i - 1], &base);
      if (j == 3) break;
      P::dbl(&base, &row[15]);  // 32·base = 2^5·base
      for (int d = 5; d < 65; d++) P::dbl(&base, &base);
    }
    P::batch_to_affine(&t[0][0], jac, 64, scratch);
  }

  // booth_digits_5: the 52 signed 5-bit digits of k, with their signs as masks.
  static void booth_digits_5(uint64_t digit[kSplitWindows], uint64_t neg[kSplitWindows],
                             const Fe* k) {
    for (int i = 0; i < kSplitWindows; i++)
      digit[i] = mult_detail::booth_digit(mult_detail::window_bits(k, 5 * i - 1, 6), 5, &neg[i]);
  }

  // select_affine16: r = table[index - 1] (index 1..16), (0, 0) for index 0; reads all 16.
  static void select_affine16(AffinePoint* r, const AffinePoint table[16], uint64_t index) {
    uint64_t acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int j = 0; j < 16; j++) {
      const uint64_t m = ct_eq_u64(static_cast<uint64_t>(j + 1), index);
      for (int l = 0; l < 4; l++) {
        acc[l] |= table[j].x.v[l] & m;
        acc[4 + l] |= table[j].y.v[l] & m;
      }
    }
    for (int l = 0; l < 4; l++) {
      r->x.v[l] = acc[l];
      r->y.v[l] = acc[4 + l];
    }
  }

  // mul_split_ct: r = [k]p from p's split tables, in constant time.
  static void mul_split_ct(JacobianPoint* r, const Fe* k, const AffinePoint t[4][16]) {
    uint64_t digit[kSplitWindows], neg[kSplitWindows];
    booth_digits_5(digit, neg, k);
    JacobianPoint acc;
    P::set_infinity(&acc);
    for (int row = kSplitRows - 1; row >= 0; row--) {
      if (row != kSplitRows - 1)
        for (int d = 0; d < 5; d++) P::dbl(&acc, &acc);
      for (int j = 0; j < 4; j++) {
        const int i = kSplitRows * j + row;
        AffinePoint q;
        select_affine16(&q, t[j], digit[i]);
        cond_negate_y(&q.y, neg[i]);
        P::madd_ct(&acc, &acc, &q, ~ct_is_zero_u64(digit[i]));
      }
    }
    *r = acc;
    secure_zero(digit, sizeof(digit));
    secure_zero(neg, sizeof(neg));
  }

  // mul_split_vartime: r = [k]p from p's split tables, for public k (verification).
  static void mul_split_vartime(JacobianPoint* r, const Fe* k, const AffinePoint t[4][16]) {
    uint64_t digit[kSplitWindows], neg[kSplitWindows];
    booth_digits_5(digit, neg, k);
    P::set_infinity(r);
    for (int row = kSplitRows - 1; row >= 0; row--) {
      if (row != kSplitRows - 1)
        for (int d = 0; d < 5; d++) P::dbl(r, r);
      for (int j = 0; j < 4; j++) {
        const int i = kSplitRows * j + row;
        if (digit[i] == 0) continue;
        AffinePoint q = t[j][digit[i] - 1];
        if (neg[i]) F::neg(&q.y, &q.y);
        P::madd_vartime(r, r, &q);
      }
    }
  }

  // odd_multiples: out[j] = (2j + 1) p for j = 0..7, affine, for w-NAF. p is public.
  static void odd_multiples(AffinePoint out[8], const AffinePoint* p) {
    JacobianPoint jac[8], twice;
    Fe scratch[8];
    P::from_affine(&jac[0], p);
    P::dbl(&twice, &jac[0]);
    for (int j = 1; j < 8; j++) P::add_vartime(&jac[j], &jac[j - 1], &twice);
    P::batch_to_affine(out, jac, 8, scratch);
  }

  // wnaf computes the width-5 NAF of a public k: digits in {0, ±1, ±3, …, ±15}, k = Σ d_i 2^i.
  // Returns the number of digits (at most 257).
  static int wnaf(int8_t digits[257], const Fe* k) {
    uint64_t x[5] = {k->v[0], k->v[1], k->v[2], k->v[3], 0};
    int len = 0;
    while ((x[0] | x[1] | x[2] | x[3] | x[4]) != 0) {
      int d = 0;
      if (x[0] & 1) {
        d = static_cast<int>(x[0] & 31);
        if (d >= 16) d -= 32;
        // x -= d, making x divisible by 32.
        if (d > 0) {
          u128 c = static_cast<u128>(x[0]) - static_cast<uint64_t>(d);
          x[0] = static_cast<uint64_t>(c);
          for (int l = 1; l < 5 && (c >> 64); l++) {
            c = static_cast<u128>(x[l]) - 1;
            x[l] = static_cast<uint64_t>(c);
          }
        } else {
          u128 c = static_cast<u128>(x[0]) + static_cast<uint64_t>(-d);
          x[0] = static_cast<uint64_t>(c);
          for (int l = 1; l < 5 && (c >> 64); l++) {
            c = static_cast<u128>(x[l]) + 1;
            x[l] = static_cast<uint64_t>(c);
          }
        }
      }
      digits[len++] = static_cast<int8_t>(d);
      for (int l = 0; l < 4; l++) x[l] = (x[l] >> 1) | (x[l + 1] << 63);
      x[4] >>= 1;
    }
    return len;
  }

  // mul_wnaf_vartime: r = [k]p given the odd multiples of p, for public k and p.
  static void mul_wnaf_vartime(JacobianPoint* r, const Fe* k, const AffinePoint odd[8]) {
    int8_t digits[257];
    const int len = wnaf(digits, k);
    P::set_infinity(r);
    for (int i = len - 1; i >= 0; i--) {
      P::dbl(r, r);
      const int d = digits[i];
      if (d > 0) {
        P::madd_vartime(r, r, &odd[d >> 1]);
      } else if (d < 0) {
        AffinePoint t = odd[(-d) >> 1];
        F::neg(&t.y, &t.y);
        P::madd_vartime(r, r, &t);
      }
    }
  }

  // mul2_wnaf_vartime: r = [k1]p1 + [k2]p2 (Shamir's trick: one chain of doublings) for public
  // data, given the odd multiples of both points.
  static void mul2_wnaf_vartime(JacobianPoint* r, const Fe* k1, const AffinePoint odd1[8],
                                const Fe* k2, const AffinePoint odd2[8]) {
    int8_t d1[257] = {0}, d2[257] = {0};
    const int len1 = wnaf(d1, k1), len2 = wnaf(d2, k2);
    const int len = len1 > len2 ? len1 : len2;
    P::set_infinity(r);
    for (int i = len - 1; i >= 0; i--) {
      P::dbl(r, r);
      const int digits[2] = {d1[i], d2[i]};
      const AffinePoint* tables[2] = {odd1, odd2};
      for (int s = 0; s < 2; s++) {
        const int d = digits[s];
        if (d > 0) {
          P::madd_vartime(r, r, &tables[s][d >> 1]);
        } else if (d < 0) {
          AffinePoint t = tables[s][(-d) >> 1];
          F::neg(&t.y, &t.y);
          P::madd_vartime(r, r, &t);
        }
      }
    }
  }
};

}  // namespace guomi

#endif  // GUOMI_CORE_SM2_MULT_H_
