// sm2_impl_portable.cc — the SM2 operations over the portable field (sm2_fp.h).
#include "sm2_curves.h"
#include "sm2_impl.h"
#include "sm2_ops.h"

namespace guomi {

const Sm2Impl& sm2_impl_portable() {
  static const Sm2Impl impl = Sm2Ops<Sm2CurvePortable>::make("portable");
  return impl;
}

}  // namespace guomi
