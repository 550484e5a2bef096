// sm2_curves.h — the curve instantiations: the SM2 curve over the portable field (and, in
// sm2_fp_adx.h, over the BMI2/ADX field), and the Fp-256 test curve of GB/T 32918.2-2016 Annex A,
// which only the tests use.
#ifndef GUOMI_CORE_SM2_CURVES_H_
#define GUOMI_CORE_SM2_CURVES_H_

#include "sm2_fp.h"
#include "sm2_mont.h"
#include "sm2_params.h"
#include "sm2_point.h"

namespace guomi {

// Scalars mod n. Inversion is the constant-time divstep algorithm of modinv.h (MontField::inv),
// a fixed sequence of operations whatever the value.
using Sm2Fn = MontField<Sm2NParams>;

using Sm2CurvePortable = CurveTraits<Sm2FpPortable, Sm2Fn, Sm2CurveConstants, true, true>;

using TestCurve = CurveTraits<MontField<TestPParams>, MontField<TestNParams>, TestCurveConstants,
                              false, false>;

}  // namespace guomi

#endif  // GUOMI_CORE_SM2_CURVES_H_
