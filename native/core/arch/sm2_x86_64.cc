// sm2_x86_64.cc — the SM2 operations over the BMI2/ADX field (sm2_fp_adx.h). The portable twin
// is sm2_impl_portable.cc; sm2.cc chooses between them with cpu_has(kCpuBMI2 | kCpuADX).
#if defined(__x86_64__)
#include "../sm2_curves.h"
#include "../sm2_fp_adx.h"
#include "../sm2_impl.h"
#include "../sm2_ops.h"

namespace guomi {

using Sm2CurveAdx = CurveTraits<Sm2FpAdx, Sm2Fn, Sm2CurveConstants, true, true>;

const Sm2Impl& sm2_impl_adx() {
  static const Sm2Impl impl = Sm2Ops<Sm2CurveAdx>::make("x86-64 bmi2+adx");
  return impl;
}

}  // namespace guomi
#endif
