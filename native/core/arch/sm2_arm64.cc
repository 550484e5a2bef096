// sm2_arm64.cc — the SM2 operations over the AArch64 field (sm2_fp.h, sm2_fp_mul_arm64 and its
// siblings: base A64 instructions, every ARMv8-A CPU). The portable twin is
// sm2_impl_portable.cc. sm2.cc chooses between them (the AArch64 one unless switched off).
#if defined(__aarch64__)
#include "../sm2_curves.h"
#include "../sm2_fp.h"
#include "../sm2_impl.h"
#include "../sm2_ops.h"

namespace guomi {

using Sm2CurveArm64 = CurveTraits<Sm2FpArm64, Sm2Fn, Sm2CurveConstants, true, true>;

const Sm2Impl& sm2_impl_arm64() {
  static const Sm2Impl impl = Sm2Ops<Sm2CurveArm64>::make("armv8 asm");
  return impl;
}

}  // namespace guomi
#endif
