// sm4_internal.h — what the SM4 implementations share: the S-box derived from its algebraic
// structure, the key-schedule constants, the kernels each CPU path provides, and small helpers.
//
// The S-box of GB/T 32907-2016 §6.2 is an affine map, an inversion in GF(2^8) and the same affine
// map again:
//
//   S(x) = A·inv(A·x ⊕ C) ⊕ C      over GF(2)[t]/(t^8+t^7+t^6+t^5+t^4+t^2+1)  (0x1F5),
//
// where A is the circulant 8×8 matrix whose row i is 0xA7 rotated left by i (bit i of A·x is the
// parity of row_i & x) and C = 0xD3. Nothing here is a typed-in table: every constant the
// implementations need (the 256-byte table for the tests, the AES-NI nibble maps, the GFNI
// matrices, the bitsliced circuit's linear layers) is computed at compile time from that formula
// and from field isomorphisms found by search. The 256-byte result equals the §6.2 table
// (SHA-256 1674d063…a4682d03; vectors/sm4.txt carries the table and the tests compare).
//
// No secret ever indexes these tables at run time: the SIMD paths put them in registers (pshufb,
// gf2p8affine, TBL), and the portable path uses them only as compile-time masks.
#ifndef GUOMI_CORE_SM4_INTERNAL_H_
#define GUOMI_CORE_SM4_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

#include "ct.h"
#include "util.h"

namespace guomi {
namespace sm4_detail {

// ---------------------------------------------------------------------------------------------
// GF(2) linear algebra on bytes.

// Matrix8 is an 8×8 matrix over GF(2) kept by rows: bit i of M·x is parity(row[i] & x).
struct Matrix8 {
  uint8_t row[8];
};

constexpr uint8_t parity8(uint32_t v) {
  v ^= v >> 4;
  v ^= v >> 2;
  v ^= v >> 1;
  return static_cast<uint8_t>(v & 1);
}

constexpr uint8_t rotl8(uint8_t x, int n) {
  return static_cast<uint8_t>(((x << (n & 7)) | (x >> ((8 - n) & 7))) & 0xff);
}

constexpr uint8_t mat_apply(const Matrix8& m, uint8_t x) {
  uint8_t y = 0;
  for (int i = 0; i < 8; i++) y = static_cast<uint8_t>(y | (parity8(m.row[i] & x) << i));
  return y;
}

// mat_compose returns a∘b (first b, then a).
constexpr Matrix8 mat_compose(const Matrix8& a, const Matrix8& b) {
  Matrix8 r{};
  for (int i = 0; i < 8; i++) {
    uint8_t acc = 0;
    for (int j = 0; j < 8; j++)
      if ((a.row[i] >> j) & 1) acc = static_cast<uint8_t>(acc ^ b.row[j]);
    r.row[i] = acc;
  }
  return r;
}

// mat_from_columns builds the matrix whose column k is col[k] = M·e_k.
constexpr Matrix8 mat_from_columns(const uint8_t col[8]) {
  Matrix8 r{};
  for (int i = 0; i < 8; i++) {
    uint8_t acc = 0;
    for (int k = 0; k < 8; k++) acc = static_cast<uint8_t>(acc | (((col[k] >> i) & 1) << k));
    r.row[i] = acc;
  }
  return r;
}

// mat_inverse inverts an invertible matrix: column k of the inverse is the x with M·x = e_k.
constexpr Matrix8 mat_inverse(const Matrix8& m) {
  uint8_t col[8] = {};
  for (int x = 1; x < 256; x++) {
    const uint8_t y = mat_apply(m, static_cast<uint8_t>(x));
    for (int k = 0; k < 8; k++)
      if (y == (1u << k)) col[k] = static_cast<uint8_t>(x);
  }
  return mat_from_columns(col);
}

// mat_circulant: row i is r0 rotated left by i.
constexpr Matrix8 mat_circulant(uint8_t r0) {
  Matrix8 r{};
  for (int i = 0; i < 8; i++) r.row[i] = rotl8(r0, i);
  return r;
}

// ---------------------------------------------------------------------------------------------
// The fields.

// gf_mul multiplies in GF(2)[t]/(poly) with elements as bytes (bit i = coefficient of t^i).
constexpr uint8_t gf_mul(uint8_t a, uint8_t b, uint32_t poly) {
  uint32_t x = a, r = 0;
  for (int i = 0; i < 8; i++) {
    if ((b >> i) & 1) r ^= x;
    x <<= 1;
    if (x & 0x100) x ^= poly;
  }
  return static_cast<uint8_t>(r);
}

// gf_inv is x^254 (so inv(0) = 0, the convention of both SM4 and AES).
constexpr uint8_t gf_inv(uint8_t a, uint32_t poly) {
  uint8_t r = 1, base = a;
  for (int e = 254; e; e >>= 1) {
    if (e & 1) r = gf_mul(r, base, poly);
    base = gf_mul(base, base, poly);
  }
  return r;
}

constexpr uint32_t kSm4FieldPoly = 0x1F5;  // t^8+t^7+t^6+t^5+t^4+t^2+1
constexpr uint32_t kAesFieldPoly = 0x11B;  // x^8+x^4+x^3+x+1 (FIPS 197 §4.2)
constexpr Matrix8 kSm4Affine = mat_circulant(0xA7);
constexpr uint8_t kSm4AffineConst = 0xD3;
// The FIPS 197 §5.1.1 affine map of SubBytes: bit i of the result is b_i ^ b_{i+4} ^ b_{i+5} ^
// b_{i+6} ^ b_{i+7} ^ c_i with c = 0x63, i.e. rows are 0xF1 rotated.
constexpr Matrix8 kAesAffine = mat_circulant(0xF1);
constexpr uint8_t kAesAffineConst = 0x63;

// Tower field GF(((2^2)^2)^2), used by the bitsliced circuit because its inversion needs only a
// few small multiplications. GF(4) = GF(2)[w]/(w^2+w+1); a GF(4) element is 2 bits (bit 1 is the
// coefficient of w). GF(16) = GF(4)[z]/(z^2+z+N): bits 3..2 hold the z coefficient. GF(256) =
// GF(16)[y]/(y^2+y+L): bits 7..4 hold the y coefficient. N and L are the smallest constants that
// make the quadratics irreducible.
constexpr uint8_t gf4_mul(uint8_t a, uint8_t b) {
  // (a1 w + a0)(b1 w + b0) = a1b1 (w + 1) + (a1b0 + a0b1) w + a0b0.
  const uint8_t a1 = (a >> 1) & 1, a0 = a & 1, b1 = (b >> 1) & 1, b0 = b & 1;
  const uint8_t hi = static_cast<uint8_t>((a1 & b1) ^ (a1 & b0) ^ (a0 & b1));
  const uint8_t lo = static_cast<uint8_t>((a1 & b1) ^ (a0 & b0));
  return static_cast<uint8_t>((hi << 1) | lo);
}

constexpr uint8_t find_tower_n() {
  for (uint8_t n = 1; n < 4; n++) {
    bool root = false;
    for (uint8_t z = 0; z < 4; z++)
      if ((gf4_mul(z, z) ^ z ^ n) == 0) root = true;
    if (!root) return n;
  }
  return 0;
}
constexpr uint8_t kTowerN = find_tower_n();

constexpr uint8_t gf16_mul(uint8_t a, uint8_t b) {
  // (A1 z + A0)(B1 z + B0) = A1B1 (z + N) + (A1B0 + A0B1) z + A0B0.
  const uint8_t a1 = (a >> 2) & 3, a0 = a & 3, b1 = (b >> 2) & 3, b0 = b & 3;
  const uint8_t p11 = gf4_mul(a1, b1);
  const uint8_t hi = static_cast<uint8_t>(p11 ^ gf4_mul(a1, b0) ^ gf4_mul(a0, b1));
  const uint8_t lo = static_cast<uint8_t>(gf4_mul(a0, b0) ^ gf4_mul(p11, kTowerN));
  return static_cast<uint8_t>((hi << 2) | lo);
}

constexpr uint8_t find_tower_l() {
  for (uint8_t l = 1; l < 16; l++) {
    bool root = false;
    for (uint8_t y = 0; y < 16; y++)
      if ((gf16_mul(y, y) ^ y ^ l) == 0) root = true;
    if (!root) return l;
  }
  return 0;
}
constexpr uint8_t kTowerL = find_tower_l();

constexpr uint8_t tower_mul(uint8_t a, uint8_t b) {
  const uint8_t a1 = a >> 4, a0 = a & 15, b1 = b >> 4, b0 = b & 15;
  const uint8_t p11 = gf16_mul(a1, b1);
  const uint8_t hi = static_cast<uint8_t>(p11 ^ gf16_mul(a1, b0) ^ gf16_mul(a0, b1));
  const uint8_t lo = static_cast<uint8_t>(gf16_mul(a0, b0) ^ gf16_mul(p11, kTowerL));
  return static_cast<uint8_t>((hi << 4) | lo);
}

// Field isomorphisms out of the SM4 field: t ↦ β for a root β of the SM4 field polynomial in the
// target field, extended linearly (column i of the matrix is β^i).
template <class Mul>
constexpr Matrix8 isomorphism_from_sm4_field(Mul mul) {
  for (int b = 2; b < 256; b++) {
    const uint8_t beta = static_cast<uint8_t>(b);
    uint8_t pw[9] = {1};
    for (int i = 1; i < 9; i++) pw[i] = mul(pw[i - 1], beta);
    uint8_t v = 0;
    for (int i = 0; i < 9; i++)
      if ((kSm4FieldPoly >> i) & 1) v = static_cast<uint8_t>(v ^ pw[i]);
    if (v == 0) return mat_from_columns(pw);
  }
  return Matrix8{};
}

constexpr uint8_t aes_mul(uint8_t a, uint8_t b) { return gf_mul(a, b, kAesFieldPoly); }
constexpr Matrix8 kSm4ToAes = isomorphism_from_sm4_field(aes_mul);
constexpr Matrix8 kSm4ToTower = isomorphism_from_sm4_field(tower_mul);

// ---------------------------------------------------------------------------------------------
// The S-box as a table (tests and compile-time checks only).

struct SboxTable {
  uint8_t v[256];
};

constexpr SboxTable make_sbox() {
  SboxTable s{};
  for (int x = 0; x < 256; x++) {
    const uint8_t u = static_cast<uint8_t>(mat_apply(kSm4Affine, static_cast<uint8_t>(x)) ^ kSm4AffineConst);
    s.v[x] = static_cast<uint8_t>(mat_apply(kSm4Affine, gf_inv(u, kSm4FieldPoly)) ^ kSm4AffineConst);
  }
  return s;
}
constexpr SboxTable kSbox = make_sbox();

// Spot checks against GB/T 32907-2016 §6.2 (row 0 starts D6 90 E9 FE; Sbox(EF) = 84; row F ends
// 39 48). The full table is compared with vectors/sm4.txt by the known-answer runner.
static_assert(kSbox.v[0x00] == 0xD6 && kSbox.v[0x01] == 0x90 && kSbox.v[0x02] == 0xE9 &&
                  kSbox.v[0x03] == 0xFE && kSbox.v[0xEF] == 0x84 && kSbox.v[0xFE] == 0x39 &&
                  kSbox.v[0xFF] == 0x48,
              "SM4 S-box derivation does not match GB/T 32907-2016 §6.2");

// ---------------------------------------------------------------------------------------------
// S-box through the AES field (AES-NI and GFNI).
//
// With φ the isomorphism from the SM4 field to the AES field, inv_sm4(u) = φ⁻¹·inv_aes(φ·u), so
//   S(x) = (A·φ⁻¹)·inv_aes((φ·A)·x ⊕ φ·C) ⊕ C.
// GFNI: gf2p8affineqb computes M·x ⊕ c, gf2p8affineinvqb computes M·inv_aes(x) ⊕ c.
// AES-NI: aesenclast with a zero round key computes SubBytes = Aaes·inv_aes(·) ⊕ 0x63 (after
// ShiftRows), so the output map is A·φ⁻¹·Aaes⁻¹ applied to (y ⊕ 0x63), plus C.

constexpr Matrix8 kPreAesMatrix = mat_compose(kSm4ToAes, kSm4Affine);
constexpr uint8_t kPreAesConst = mat_apply(kSm4ToAes, kSm4AffineConst);
constexpr Matrix8 kPostInvMatrix = mat_compose(kSm4Affine, mat_inverse(kSm4ToAes));
constexpr Matrix8 kPostAesniMatrix = mat_compose(kPostInvMatrix, mat_inverse(kAesAffine));
constexpr uint8_t kPostAesniConst =
    static_cast<uint8_t>(mat_apply(kPostAesniMatrix, kAesAffineConst) ^ kSm4AffineConst);

// gfni_matrix encodes M for gf2p8affine(inv)qb: bit i of the result is parity(byte[7-i] of the
// qword & x) (Intel SDM, GF2P8AFFINEQB).
constexpr uint64_t gfni_matrix(const Matrix8& m) {
  uint64_t q = 0;
  for (int i = 0; i < 8; i++) q |= static_cast<uint64_t>(m.row[i]) << (8 * (7 - i));
  return q;
}
constexpr uint64_t kGfniPre = gfni_matrix(kPreAesMatrix);
constexpr uint8_t kGfniPreConst = kPreAesConst;
constexpr uint64_t kGfniPost = gfni_matrix(kPostInvMatrix);
constexpr uint8_t kGfniPostConst = kSm4AffineConst;

// The single-block GFNI kernel runs the cipher on words mapped bytewise by the pre matrix:
// x̂ = M1·x with M1 = φ·A. Then the S-box input is x̂1 ^ x̂2 ^ x̂3 ^ (M1·rk ⊕ φ·C), which is exactly
// what gf2p8affineinvqb wants, and the image of L(s) under M1 is assembled from
//   M1·s          = (M1·Mpost)·inv(u) ⊕ M1·C
//   M1·R2(s)      = P·s ⊕ R8(Q·s),  P = M1·shl2, Q = M1·shr6  (R2 moves the top two bits of each
//                   byte into the next byte; R8 commutes with bytewise maps)
// as M1·L(s) = M1·s ⊕ R24(M1·s) ⊕ B ⊕ R8(B) ⊕ R16(B) with B = M1·R2(s). Each of the three images
// is one gf2p8affineinvqb straight from the S-box input, so a round costs one GFNI latency.
constexpr Matrix8 byte_shift_matrix(int left) {
  uint8_t col[8] = {};
  for (int k = 0; k < 8; k++) {
    const int to = k + left;
    col[k] = (to >= 0 && to < 8) ? static_cast<uint8_t>(1u << to) : 0;
  }
  return mat_from_columns(col);
}
constexpr Matrix8 kHatM1 = kPreAesMatrix;
constexpr Matrix8 kHatP = mat_compose(kHatM1, byte_shift_matrix(2));
constexpr Matrix8 kHatQ = mat_compose(kHatM1, byte_shift_matrix(-6));
constexpr uint64_t kGfniHatIn = gfni_matrix(kHatM1);
constexpr uint64_t kGfniHatOut = gfni_matrix(mat_inverse(kHatM1));
constexpr uint64_t kGfniHatA = gfni_matrix(mat_compose(kHatM1, kPostInvMatrix));
constexpr uint8_t kGfniHatAConst = mat_apply(kHatM1, kSm4AffineConst);
constexpr uint64_t kGfniHatP = gfni_matrix(mat_compose(kHatP, kPostInvMatrix));
constexpr uint8_t kGfniHatPConst = mat_apply(kHatP, kSm4AffineConst);
constexpr uint64_t kGfniHatQ = gfni_matrix(mat_compose(kHatQ, kPostInvMatrix));
constexpr uint8_t kGfniHatQConst = mat_apply(kHatQ, kSm4AffineConst);

// Nibble tables for an affine map y = M·x ⊕ c evaluated with two 16-entry byte shuffles:
// y = lo[x & 15] ⊕ hi[x >> 4] (c folded into hi).
struct NibbleTables {
  uint8_t lo[16];
  uint8_t hi[16];
};

constexpr NibbleTables nibble_tables(const Matrix8& m, uint8_t c) {
  NibbleTables t{};
  for (int n = 0; n < 16; n++) {
    t.lo[n] = mat_apply(m, static_cast<uint8_t>(n));
    t.hi[n] = static_cast<uint8_t>(mat_apply(m, static_cast<uint8_t>(n << 4)) ^ c);
  }
  return t;
}
constexpr NibbleTables kAesniPre = nibble_tables(kPreAesMatrix, kPreAesConst);
constexpr NibbleTables kAesniPost = nibble_tables(kPostAesniMatrix, kPostAesniConst);
// The x̂-domain maps of the single-block kernel for AES-NI: into and out of the domain, and the
// three images M1·s, P·s, Q·s taken from the aesenclast output.
constexpr NibbleTables kAesniHatIn = nibble_tables(kHatM1, 0);
constexpr NibbleTables kAesniHatOut = nibble_tables(mat_inverse(kHatM1), 0);
constexpr NibbleTables kAesniHatA = nibble_tables(mat_compose(kHatM1, kPostAesniMatrix), mat_apply(kHatM1, kPostAesniConst));
constexpr NibbleTables kAesniHatP = nibble_tables(mat_compose(kHatP, kPostAesniMatrix), mat_apply(kHatP, kPostAesniConst));
constexpr NibbleTables kAesniHatQ = nibble_tables(mat_compose(kHatQ, kPostAesniMatrix), mat_apply(kHatQ, kPostAesniConst));

// Compile-time check that the AES-field route reproduces the S-box for every byte (the AES S-box
// is evaluated from its own definition, FIPS 197 §5.1.1).
constexpr bool check_aes_route() {
  for (int x = 0; x < 256; x++) {
    const uint8_t pre = static_cast<uint8_t>(kAesniPre.lo[x & 15] ^ kAesniPre.hi[x >> 4]);
    const uint8_t sub = static_cast<uint8_t>(mat_apply(kAesAffine, gf_inv(pre, kAesFieldPoly)) ^ kAesAffineConst);
    const uint8_t post = static_cast<uint8_t>(kAesniPost.lo[sub & 15] ^ kAesniPost.hi[sub >> 4]);
    const uint8_t gfni = static_cast<uint8_t>(
        mat_apply(kPostInvMatrix, gf_inv(static_cast<uint8_t>(mat_apply(kPreAesMatrix, static_cast<uint8_t>(x)) ^ kPreAesConst),
                                         kAesFieldPoly)) ^ kSm4AffineConst);
    if (post != kSbox.v[x] || gfni != kSbox.v[x]) return false;
  }
  return true;
}
static_assert(check_aes_route(), "AES-field form of the SM4 S-box is wrong");

// ---------------------------------------------------------------------------------------------
// Bitsliced S-box circuit (portable path). A byte is spread over 8 words ("planes"): plane i
// holds bit i of many bytes, one per bit position, so one pass of the circuit evaluates the S-box
// on as many bytes as a word has bits. Only AND, XOR and NOT: no table, no branch.
//
// Circuit: input layer (φ_T·A)·x ⊕ φ_T·C into the tower basis, inversion in GF(((2^2)^2)^2) by
// the norm method at each level, output layer (A·φ_T⁻¹)·u ⊕ C.

constexpr Matrix8 kTowerIn = mat_compose(kSm4ToTower, kSm4Affine);
constexpr uint8_t kTowerInConst = mat_apply(kSm4ToTower, kSm4AffineConst);
constexpr Matrix8 kTowerOut = mat_compose(kSm4Affine, mat_inverse(kSm4ToTower));
constexpr uint8_t kTowerOutConst = kSm4AffineConst;

// The linear pieces of the tower inversion, as matrices (only the first rows are used):
//   GF(256): d = L·B1² ⊕ B0²   (8 bits → 4 bits; the product B1·B0 is added separately)
//   GF(16):  e = N·A1² ⊕ A0²   (4 bits → 2 bits)
template <class F>
constexpr Matrix8 mat_from_function(F f) {
  uint8_t col[8] = {};
  for (int k = 0; k < 8; k++) col[k] = f(static_cast<uint8_t>(1u << k));
  return mat_from_columns(col);
}
constexpr uint8_t tower_norm_linear(uint8_t b) {
  const uint8_t b1 = b >> 4, b0 = b & 15;
  return static_cast<uint8_t>(gf16_mul(kTowerL, gf16_mul(b1, b1)) ^ gf16_mul(b0, b0));
}
constexpr uint8_t gf16_norm_linear(uint8_t a) {
  const uint8_t a1 = (a >> 2) & 3, a0 = a & 3;
  return static_cast<uint8_t>(gf4_mul(kTowerN, gf4_mul(a1, a1)) ^ gf4_mul(a0, a0));
}
constexpr Matrix8 kTowerNormLinear = mat_from_function(tower_norm_linear);
constexpr Matrix8 kGf16NormLinear = mat_from_function(gf16_norm_linear);

// xor_selected returns the xor of x[j] over the set bits j of Row (a compile-time constant).
template <uint8_t Row, class W, size_t... J>
constexpr W xor_selected(const W* x, std::index_sequence<J...>) {
  return static_cast<W>((W(0) ^ ... ^ (((Row >> J) & 1) ? x[J] : W(0))));
}

// Compile-time matrix × plane vector, rows [0, NOut), inputs x[0..NIn).
template <const Matrix8& M, size_t NIn, class W, size_t... I>
constexpr void linear_planes(const W* x, W* y, std::index_sequence<I...>) {
  ((y[I] = xor_selected<M.row[I]>(x, std::make_index_sequence<NIn>())), ...);
}

// GF(4) multiply on planes: a = (a[1] w + a[0]). Karatsuba: 3 AND, 4 XOR.
template <class W>
constexpr void bs_gf4_mul(const W* a, const W* b, W* r) {
  const W p1 = a[1] & b[1], p0 = a[0] & b[0];
  const W m = (a[1] ^ a[0]) & (b[1] ^ b[0]);
  r[1] = static_cast<W>(m ^ p0);
  r[0] = static_cast<W>(p0 ^ p1);
}

// Multiplication by the constant N of the GF(16) tower step (linear in the 2 planes).
template <class W>
constexpr void bs_gf4_mul_n(const W* a, W* r) {
  W t[2] = {};
  for (int k = 0; k < 2; k++) {
    const uint8_t col = gf4_mul(kTowerN, static_cast<uint8_t>(1u << k));
    for (int i = 0; i < 2; i++)
      if ((col >> i) & 1) t[i] = static_cast<W>(t[i] ^ a[k]);
  }
  r[0] = t[0];
  r[1] = t[1];
}

// GF(16) multiply on planes (4 planes: [0..1] = A0, [2..3] = A1). Karatsuba over GF(4).
template <class W>
constexpr void bs_gf16_mul(const W* a, const W* b, W* r) {
  W p0[2] = {}, p1[2] = {}, pm[2] = {}, np1[2] = {};
  const W as[2] = {static_cast<W>(a[0] ^ a[2]), static_cast<W>(a[1] ^ a[3])};
  const W bs[2] = {static_cast<W>(b[0] ^ b[2]), static_cast<W>(b[1] ^ b[3])};
  bs_gf4_mul(a, b, p0);
  bs_gf4_mul(a + 2, b + 2, p1);
  bs_gf4_mul(as, bs, pm);
  bs_gf4_mul_n(p1, np1);
  // z coefficient: (A1+A0)(B1+B0) + A0B0; constant: A0B0 + N·A1B1.
  r[2] = static_cast<W>(pm[0] ^ p0[0]);
  r[3] = static_cast<W>(pm[1] ^ p0[1]);
  r[0] = static_cast<W>(p0[0] ^ np1[0]);
  r[1] = static_cast<W>(p0[1] ^ np1[1]);
}

// GF(16) inverse: e = N·A1² + A1·A0 + A0² in GF(4), e⁻¹ = e², result (A1 e⁻¹) z + (A1 + A0) e⁻¹.
template <class W>
constexpr void bs_gf16_inv(const W* a, W* r) {
  W lin[2] = {}, prod[2] = {};
  linear_planes<kGf16NormLinear, 4>(a, lin, std::make_index_sequence<2>());
  bs_gf4_mul(a + 2, a, prod);
  const W e1 = static_cast<W>(lin[1] ^ prod[1]), e0 = static_cast<W>(lin[0] ^ prod[0]);
  // Squaring in GF(4): (e1 w + e0)² = e1 w + (e1 + e0).
  const W einv[2] = {static_cast<W>(e1 ^ e0), e1};
  const W s[2] = {static_cast<W>(a[2] ^ a[0]), static_cast<W>(a[3] ^ a[1])};
  bs_gf4_mul(a + 2, einv, r + 2);
  bs_gf4_mul(s, einv, r);
}

// GF(256) inverse in the tower: d = L·B1² + B1·B0 + B0², result (B1 d⁻¹) y + (B1 + B0) d⁻¹.
template <class W>
constexpr void bs_tower_inv(const W* b, W* r) {
  W lin[4] = {}, prod[4] = {}, d[4] = {}, dinv[4] = {};
  linear_planes<kTowerNormLinear, 8>(b, lin, std::make_index_sequence<4>());
  bs_gf16_mul(b + 4, b, prod);
  for (int i = 0; i < 4; i++) d[i] = static_cast<W>(lin[i] ^ prod[i]);
  bs_gf16_inv(d, dinv);
  const W s[4] = {static_cast<W>(b[4] ^ b[0]), static_cast<W>(b[5] ^ b[1]),
                  static_cast<W>(b[6] ^ b[2]), static_cast<W>(b[7] ^ b[3])};
  bs_gf16_mul(b + 4, dinv, r + 4);
  bs_gf16_mul(s, dinv, r);
}

template <uint8_t C, class W, size_t... I>
constexpr void complement_selected(W* x, std::index_sequence<I...>) {
  ((x[I] = ((C >> I) & 1) ? static_cast<W>(~x[I]) : x[I]), ...);
}

// bs_sbox applies the SM4 S-box to every bit position of the 8 planes p[0..7] in place.
template <class W>
constexpr void bs_sbox(W* p) {
  W t[8] = {}, u[8] = {};
  linear_planes<kTowerIn, 8>(p, t, std::make_index_sequence<8>());
  complement_selected<kTowerInConst>(t, std::make_index_sequence<8>());
  bs_tower_inv(t, u);
  linear_planes<kTowerOut, 8>(u, p, std::make_index_sequence<8>());
  complement_selected<kTowerOutConst>(p, std::make_index_sequence<8>());
}

// Compile-time proof that the circuit is the S-box: all 256 inputs, 64 per pass.
constexpr bool check_bitsliced_sbox() {
  for (int base = 0; base < 256; base += 64) {
    uint64_t p[8] = {};
    for (int j = 0; j < 64; j++)
      for (int i = 0; i < 8; i++) p[i] |= static_cast<uint64_t>(((base + j) >> i) & 1) << j;
    bs_sbox(p);
    for (int j = 0; j < 64; j++) {
      int y = 0;
      for (int i = 0; i < 8; i++) y |= static_cast<int>((p[i] >> j) & 1) << i;
      if (y != kSbox.v[base + j]) return false;
    }
  }
  return true;
}
static_assert(check_bitsliced_sbox(), "bitsliced SM4 S-box circuit is wrong");

// ---------------------------------------------------------------------------------------------
// Key schedule constants (GB/T 32907-2016 §7.3).

constexpr uint32_t kFK[4] = {0xA3B1BAC6, 0x56AA3350, 0x677D9197, 0xB27022DC};

// CK_i: byte j of CK_i is (4i + j)·7 mod 256.
struct CkTable {
  uint32_t v[32];
};
constexpr CkTable make_ck() {
  CkTable t{};
  for (int i = 0; i < 32; i++) {
    uint32_t w = 0;
    for (int j = 0; j < 4; j++) w = (w << 8) | (((4 * i + j) * 7) & 0xff);
    t.v[i] = w;
  }
  return t;
}
constexpr CkTable kCK = make_ck();
static_assert(kCK.v[0] == 0x00070E15 && kCK.v[1] == 0x1C232A31 && kCK.v[31] == 0x646B7279,
              "CK constants");

// §6.2 linear transforms of the round function (L) and of the key schedule (L').
inline uint32_t sm4_l(uint32_t b) {
  return b ^ rotl32(b, 2) ^ rotl32(b, 10) ^ rotl32(b, 18) ^ rotl32(b, 24);
}
inline uint32_t sm4_l_key(uint32_t b) { return b ^ rotl32(b, 13) ^ rotl32(b, 23); }

// ---------------------------------------------------------------------------------------------
// wipe zeroes |len| bytes of a secret buffer (ct.h's secure_zero).
inline void wipe(void* p, size_t len) { secure_zero(p, len); }

// ---------------------------------------------------------------------------------------------
// Counter blocks. The counter is a 16-byte big-endian block; CTR mode increments all 128 bits,
// GCM only the low 32 (inc32, SP 800-38D §6.2). Carries are computed arithmetically (no branch),
// since in TLS-style use the counter derives from a secret IV.

inline void ctr_add(uint8_t ctr[16], uint64_t n, bool inc32) {
  uint64_t hi = load_be64(ctr), lo = load_be64(ctr + 8);
  if (inc32) {  // |inc32| is a public mode flag
    const uint32_t low = static_cast<uint32_t>(lo) + static_cast<uint32_t>(n);
    lo = (lo & 0xFFFFFFFF00000000ull) | low;
  } else {
    const uint64_t sum = lo + n;
    hi += static_cast<uint64_t>(sum < lo);  // compiles to a carry flag, not a branch
    lo = sum;
  }
  store_be64(ctr, hi);
  store_be64(ctr + 8, lo);
}

}  // namespace sm4_detail

// ---------------------------------------------------------------------------------------------
// Kernels of one CPU path. Round keys are the 32 words rk_0..rk_31 of §7.3 (reversed for
// decryption); blocks are 16 bytes, any alignment, in and out may be equal (not partially
// overlapping).
struct Sm4Kernels {
  const char* name;
  // Encryption round keys from a 16-byte key (§7.3).
  void (*expand_key)(const uint8_t key[16], uint32_t rk[32]);
  // One block, for the chained modes (CBC-encrypt, CFB-encrypt, OFB, CCM's CBC-MAC): optimised
  // for latency.
  void (*crypt1)(const uint32_t rk[32], const uint8_t in[16], uint8_t out[16]);
  // Many independent blocks: optimised for throughput.
  void (*crypt_blocks)(const uint32_t rk[32], const uint8_t* in, uint8_t* out, size_t nblocks);
  // out_i = E(in_i xor mask_i) xor mask_i (XTS with precomputed tweaks), in one pass.
  void (*crypt_blocks_masked)(const uint32_t rk[32], const uint8_t* in, uint8_t* out,
                              size_t nblocks, const uint8_t* mask);
  // out = in xor E(counter), E(counter+1), …; counter advances by nblocks, carrying through all
  // 128 bits (ctr128) or only the low 32 (ctr32, GCM).
  void (*ctr128)(const uint32_t rk[32], uint8_t counter[16], const uint8_t* in, uint8_t* out,
                 size_t nblocks);
  void (*ctr32)(const uint32_t rk[32], uint8_t counter[16], const uint8_t* in, uint8_t* out,
                size_t nblocks);
};

extern const Sm4Kernels kSm4Portable;
#if defined(__x86_64__)
extern const Sm4Kernels kSm4AesniSse;     // AES-NI + SSSE3, 4 blocks per xmm
extern const Sm4Kernels kSm4AesniAvx2;    // AES-NI + AVX2, 8 blocks per ymm (aesenclast per half)
extern const Sm4Kernels kSm4VaesAvx2;     // VAES + AVX2, 8 blocks per ymm
extern const Sm4Kernels kSm4GfniSse;      // GFNI + SSSE3, 4 blocks per xmm
extern const Sm4Kernels kSm4GfniAvx2;     // GFNI + AVX2, 8 blocks per ymm
extern const Sm4Kernels kSm4GfniAvx512;   // GFNI + AVX-512, 16 blocks per zmm
#endif
#if defined(__aarch64__)
extern const Sm4Kernels kSm4ArmNeon;      // NEON TBL S-box, 4 blocks per vector
extern const Sm4Kernels kSm4ArmCe;        // SM4E / SM4EKEY
#endif

// sm4_kernels returns the kernels for the enabled CPU features (the one dispatch point).
const Sm4Kernels& sm4_kernels();

}  // namespace guomi

// Target regions (util.h): every function defined between GUOMI_SM4_TARGET_PUSH("avx2,gfni")
// and GUOMI_SM4_TARGET_POP is compiled for those extensions.
#define GUOMI_SM4_TARGET_PUSH(t) GUOMI_TARGET_PUSH(t)
#define GUOMI_SM4_TARGET_POP GUOMI_TARGET_POP

#endif  // GUOMI_CORE_SM4_INTERNAL_H_
