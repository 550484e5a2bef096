// sm2_base_table.h — the precomputed multiples of the SM2 base point G for the fixed-base comb:
// row i holds j·2^(6i)·G for j = 1..32 (43 rows, 1376 affine points in Montgomery form, 88 KiB).
//
// The table is computed at first use (sm2_base_table()), once per process, under the
// thread-safe initialisation of a function-local static; it takes a few milliseconds (4 ms on
// the portable field on a loaded 2-core EPYC), which sm2_precompute() can move to start-up. It
// holds no secret, but the constant-time comb reads it only through sm2_base_table_select(),
// which touches every entry of a row, so the entry a secret digit picks does not show in the
// memory access pattern.
#ifndef GUOMI_CORE_SM2_BASE_TABLE_H_
#define GUOMI_CORE_SM2_BASE_TABLE_H_

#include <cstdint>

#include "ct.h"
#include "sm2_fe.h"
#include "sm2_point.h"

namespace guomi {

constexpr int kSm2BaseWindow = 6;
constexpr int kSm2BaseRowSize = 1 << (kSm2BaseWindow - 1);            // 32
constexpr int kSm2BaseRows = (256 + kSm2BaseWindow) / kSm2BaseWindow;  // 43 = ceil(257 / 6)

struct Sm2BaseTable {
  AffinePoint rows[kSm2BaseRows][kSm2BaseRowSize];
};

// sm2_base_table returns the table, computing it on first use.
const Sm2BaseTable& sm2_base_table();

// sm2_base_table_select: r = row[index - 1] for index in 1..32, and (0, 0) for index 0, reading
// all 32 entries.
inline void sm2_base_table_select(AffinePoint* r, const AffinePoint row[kSm2BaseRowSize],
                                  uint64_t index) {
  uint64_t acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int j = 0; j < kSm2BaseRowSize; j++) {
    const uint64_t m = ct_eq_u64(static_cast<uint64_t>(j + 1), index);
    for (int l = 0; l < 4; l++) {
      acc[l] |= row[j].x.v[l] & m;
      acc[4 + l] |= row[j].y.v[l] & m;
    }
  }
  for (int l = 0; l < 4; l++) {
    r->x.v[l] = acc[l];
    r->y.v[l] = acc[4 + l];
  }
}

}  // namespace guomi

#endif  // GUOMI_CORE_SM2_BASE_TABLE_H_
