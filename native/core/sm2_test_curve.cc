// sm2_test_curve.cc — the SM2 operations on the Fp-256 example curve of GB/T 32918.2-2016
// Annex A (also used by 32918.3 and .4 Annex A), over the generic Montgomery field. Only the
// known-answer tests use it, to run the standard's worked examples through the same
// signature, encryption and key-exchange code as the real curve.
#include "sm2_curves.h"
#include "sm2_impl.h"
#include "sm2_ops.h"

namespace guomi {

const Sm2Impl& sm2_test_curve_impl() {
  static const Sm2Impl impl = Sm2Ops<TestCurve>::make("test curve (generic Montgomery)");
  return impl;
}

}  // namespace guomi
