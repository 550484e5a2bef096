// sm2_base_table.cc — computes the fixed-base comb table of G at first use.
#include "sm2_base_table.h"

#include <memory>

#include "sm2_curves.h"
#include "sm2_point.h"

namespace guomi {

namespace {

// build_table fills rows[i][j-1] = j·2^(6i)·G. Each row is built in Jacobian coordinates by
// repeated addition and converted with one inversion; the next row's base 2^(6(i+1))·G is twice
// the row's last entry 32·2^(6i)·G. Uses the portable field, so the result does not depend on
// which CPU paths are enabled.
void build_table(Sm2BaseTable* t) {
  using C = Sm2CurvePortable;
  using P = PointOps<C>;
  JacobianPoint base;
  const AffinePoint g{C::kGx, C::kGy};
  P::from_affine(&base, &g);
  JacobianPoint row[kSm2BaseRowSize];
  Fe scratch[kSm2BaseRowSize];
  for (int i = 0; i < kSm2BaseRows; i++) {
    row[0] = base;
    P::dbl(&row[1], &base);
    for (int j = 2; j < kSm2BaseRowSize; j++) P::add_ct(&row[j], &row[j - 1], &base);
    P::batch_to_affine(t->rows[i], row, kSm2BaseRowSize, scratch);
    P::dbl(&base, &row[kSm2BaseRowSize - 1]);
  }
}

}  // namespace

const Sm2BaseTable& sm2_base_table() {
  // Built once; function-local statics are initialised thread-safely (C++11 §6.7).
  static const Sm2BaseTable* const table = [] {
    Sm2BaseTable* t = new Sm2BaseTable;  // 88 KiB, once per process, never freed
    build_table(t);
    return t;
  }();
  return *table;
}

}  // namespace guomi
