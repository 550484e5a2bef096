// sm2_params.h — the moduli and curve constants: the SM2 recommended curve (GB/T 32918.5-2017
// §2, RFC 8998 §3.2.1) and the Fp-256 example curve of GB/T 32918.2-2016 Annex A (used by the
// worked examples of parts 2–4 only; here only the tests reach it).
//
// Limbs are little-endian 64-bit words of the big-endian hex in the standard.
#ifndef GUOMI_CORE_SM2_PARAMS_H_
#define GUOMI_CORE_SM2_PARAMS_H_

#include "sm2_fe.h"
#include "sm2_mont.h"

namespace guomi {

// p = FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF 00000000 FFFFFFFF FFFFFFFF
//   = 2^256 - 2^224 - 2^96 + 2^64 - 1.
struct Sm2PParams {
  static constexpr Fe kM{{0xffffffffffffffff, 0xffffffff00000000, 0xffffffffffffffff,
                          0xfffffffeffffffff}};
};

// n = FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF 7203DF6B 21C6052B 53BBF409 39D54123 (the order of G).
struct Sm2NParams {
  static constexpr Fe kM{{0x53bbf40939d54123, 0x7203df6b21c6052b, 0xffffffffffffffff,
                          0xfffffffeffffffff}};
};

// The Fp-256 example curve of GB/T 32918.2-2016 Annex A (= 32918.3/.4 Annex A).
struct TestPParams {
  static constexpr Fe kM{{0x722edb8b08f1dfc3, 0x457283915c45517d, 0xe8b92435bf6ff7de,
                          0x8542d69e4c044f18}};
};
struct TestNParams {
  static constexpr Fe kM{{0x5ae74ee7c32e79b7, 0x297720630485628d, 0xe8b92435bf6ff7dd,
                          0x8542d69e4c044f18}};
};

namespace mont_detail {

// to_mont_const returns a·2^256 mod m at compile time (a < m), by 256 modular doublings.
constexpr Fe to_mont_const(const Fe& a, const Fe& m) {
  Fe r = a;
  for (int i = 0; i < 256; i++) r = double_mod(r, m);
  return r;
}

}  // namespace mont_detail

// Curve constants as plain integers; the curve traits turn them into Montgomery form.
struct Sm2CurveConstants {
  // a = p - 3.
  static constexpr Fe kA{{0xfffffffffffffffc, 0xffffffff00000000, 0xffffffffffffffff,
                          0xfffffffeffffffff}};
  static constexpr Fe kB{{0xddbcbd414d940e93, 0xf39789f515ab8f92, 0x4d5a9e4bcf6509a7,
                          0x28e9fa9e9d9f5e34}};
  static constexpr Fe kGx{{0x715a4589334c74c7, 0x8fe30bbff2660be1, 0x5f9904466a39c994,
                           0x32c4ae2c1f198119}};
  static constexpr Fe kGy{{0x02df32e52139f0a0, 0xd0a9877cc62a4740, 0x59bdcee36b692153,
                           0xbc3736a2f4f6779c}};
};

struct TestCurveConstants {
  static constexpr Fe kA{{0xec65228b3937e498, 0x2f3c848b6831d7e0, 0x2417842e73bbfeff,
                          0x787968b4fa32c3fd}};
  static constexpr Fe kB{{0x6e12d1da27c5249a, 0xf61d59a5b16ba06e, 0x9cf84241484bfe48,
                          0x63e4c6d3b23b0c84}};
  static constexpr Fe kGx{{0x4c4e6c147fedd43d, 0x32220b3badd50bdc, 0x746434ebc3cc315e,
                           0x421debd61b62eab6}};
  static constexpr Fe kGy{{0xa85841b9e46e09a2, 0xe5d7fdfcbfa36ea1, 0xd47349d2153b70c4,
                           0x0680512bcbb42c07}};
};

}  // namespace guomi

#endif  // GUOMI_CORE_SM2_PARAMS_H_
