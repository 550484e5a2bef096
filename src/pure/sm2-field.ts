/**
 * Arithmetic in the prime field of sm2p256v1 (GB/T 32918.5-2017 §4:
 * p = 2^256 - 2^224 - 2^96 + 2^64 - 1), in plain TypeScript without BigInt.
 *
 * Representation. An element is a Float64Array of 11 limbs of 24 bits, little-endian, holding
 * x·R mod p in Montgomery form with R = 2^264, as a value in [0, 2p) ("almost reduced"); limbs
 * 0..9 are in [0, 2^24) and limb 10 holds the rest (< 2^17). Each value has exactly one such
 * representation, so two elements are equal mod p iff their limbs equal or differ by exactly p.
 *
 * Why doubles: a product of two 24-bit limbs is below 2^48 and a column of 11 of them below
 * 2^51.5, so every intermediate is an integer that a double holds exactly (< 2^53); V8 keeps
 * Float64Array elements and local doubles unboxed, and one field multiplication costs about a
 * fifth of a 256-bit BigInt multiply-and-reduce, without allocating.
 *
 * Montgomery reduction is cheap here because p ≡ -1 (mod 2^64): the per-limb factor is
 * m = t mod 2^24 (n' = 1), and m·p = m·(2^256 - 2^224 - 2^96 + 2^64 - 1) touches only five limbs
 * (2^64 = limb 2 · 2^16, 2^96 = limb 4, 2^224 = limb 9 · 2^8, 2^256 = limb 10 · 2^16).
 *
 * feMul and feSqr are written out (their loop form, for reading: t[i+j] += a[i]·b[j] for all
 * i, j < 11; then for k = 0..10: m = t[k] mod 2^24, carry (t[k] - m)/2^24 into t[k+1] and add
 * m·2^16 to t[k+2], -m to t[k+4], -m·2^8 to t[k+9], m·2^16 to t[k+10]; the result is t[11..21]
 * with carries propagated). Written out they are about four times faster, as V8 then keeps every
 * column in a register.
 *
 * Timing: the same sequence of operations runs for every input (no branch or index depends on
 * a value), which is what "algorithmically constant time" means for JavaScript; the JIT and the
 * engine give no further guarantee (see the README).
 *
 * ```ts
 * const a = feNew(), b = feNew();
 * feFromBytes(a, xBytes, 0);            // false if x >= p
 * feMul(b, a, a); feAdd(b, b, a);       // b = x² + x
 * feToBytes(out, 0, b);                 // canonical big-endian bytes
 * ```
 *
 * Imports nothing from `node:*`.
 * @module
 */

/** A field element: 11 limbs of 24 bits in Montgomery form, value in [0, 2p). */
export type Fe = Float64Array;

/** Limbs per element. */
export const LIMBS = 11;

/** p of sm2p256v1. */
export const P_BIG = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;

/** Plain (non-Montgomery) limbs of a non-negative bigint below 2^264. */
function limbsOf(x: bigint): Fe {
  const out = new Float64Array(LIMBS);
  for (let i = 0; i < LIMBS; i++) {
    out[i] = Number(x & 0xffffffn);
    x >>= 24n;
  }
  return out;
}

/** p as plain limbs; R^2 mod p (to enter Montgomery form); plain 1 (to leave it). */
const P = /* @__PURE__ */ limbsOf(P_BIG);
const R2 = /* @__PURE__ */ limbsOf((1n << 528n) % P_BIG);
const ONE_PLAIN = /* @__PURE__ */ limbsOf(1n);

const ZERO = /* @__PURE__ */ new Float64Array(LIMBS);

/** A new element, zero. */
export function feNew(): Fe {
  return new Float64Array(LIMBS);
}

/** o = a. */
export function feCopy(o: Fe, a: Fe): void {
  o.set(a);
}

/**
 * o = a·b·R^-1 mod p (the Montgomery product). Inputs need normalised limbs and a·b < R·p (true
 * for any two values below 16p); the output is in [0, 2p). o may alias a or b.
 */
export function feMul(o: Fe, a: Fe, b: Fe): void {
  const a0 = a[0]!, b0 = b[0]!;
  const a1 = a[1]!, b1 = b[1]!;
  const a2 = a[2]!, b2 = b[2]!;
  const a3 = a[3]!, b3 = b[3]!;
  const a4 = a[4]!, b4 = b[4]!;
  const a5 = a[5]!, b5 = b[5]!;
  const a6 = a[6]!, b6 = b[6]!;
  const a7 = a[7]!, b7 = b[7]!;
  const a8 = a[8]!, b8 = b[8]!;
  const a9 = a[9]!, b9 = b[9]!;
  const a10 = a[10]!, b10 = b[10]!;
  const t0 = a0 * b0;
  let t1 = a0 * b1 + a1 * b0;
  let t2 = a0 * b2 + a1 * b1 + a2 * b0;
  let t3 = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0;
  let t4 = a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0;
  let t5 = a0 * b5 + a1 * b4 + a2 * b3 + a3 * b2 + a4 * b1 + a5 * b0;
  let t6 = a0 * b6 + a1 * b5 + a2 * b4 + a3 * b3 + a4 * b2 + a5 * b1 + a6 * b0;
  let t7 = a0 * b7 + a1 * b6 + a2 * b5 + a3 * b4 + a4 * b3 + a5 * b2 + a6 * b1 + a7 * b0;
  let t8 = a0 * b8 + a1 * b7 + a2 * b6 + a3 * b5 + a4 * b4 + a5 * b3 + a6 * b2 + a7 * b1 + a8 * b0;
  let t9 = a0 * b9 + a1 * b8 + a2 * b7 + a3 * b6 + a4 * b5 + a5 * b4 + a6 * b3 + a7 * b2 + a8 * b1 + a9 * b0;
  let t10 = a0 * b10 + a1 * b9 + a2 * b8 + a3 * b7 + a4 * b6 + a5 * b5 + a6 * b4 + a7 * b3 + a8 * b2 + a9 * b1 + a10 * b0;
  let t11 = a1 * b10 + a2 * b9 + a3 * b8 + a4 * b7 + a5 * b6 + a6 * b5 + a7 * b4 + a8 * b3 + a9 * b2 + a10 * b1;
  let t12 = a2 * b10 + a3 * b9 + a4 * b8 + a5 * b7 + a6 * b6 + a7 * b5 + a8 * b4 + a9 * b3 + a10 * b2;
  let t13 = a3 * b10 + a4 * b9 + a5 * b8 + a6 * b7 + a7 * b6 + a8 * b5 + a9 * b4 + a10 * b3;
  let t14 = a4 * b10 + a5 * b9 + a6 * b8 + a7 * b7 + a8 * b6 + a9 * b5 + a10 * b4;
  let t15 = a5 * b10 + a6 * b9 + a7 * b8 + a8 * b7 + a9 * b6 + a10 * b5;
  let t16 = a6 * b10 + a7 * b9 + a8 * b8 + a9 * b7 + a10 * b6;
  let t17 = a7 * b10 + a8 * b9 + a9 * b8 + a10 * b7;
  let t18 = a8 * b10 + a9 * b9 + a10 * b8;
  let t19 = a9 * b10 + a10 * b9;
  let t20 = a10 * b10;
  let t21 = 0, c: number, m: number;
  c = Math.floor(t0 * 5.9604644775390625e-8); m = t0 - c * 16777216;
  t1 += c; t2 += m * 65536; t4 -= m; t9 -= m * 256; t10 += m * 65536;
  c = Math.floor(t1 * 5.9604644775390625e-8); m = t1 - c * 16777216;
  t2 += c; t3 += m * 65536; t5 -= m; t10 -= m * 256; t11 += m * 65536;
  c = Math.floor(t2 * 5.9604644775390625e-8); m = t2 - c * 16777216;
  t3 += c; t4 += m * 65536; t6 -= m; t11 -= m * 256; t12 += m * 65536;
  c = Math.floor(t3 * 5.9604644775390625e-8); m = t3 - c * 16777216;
  t4 += c; t5 += m * 65536; t7 -= m; t12 -= m * 256; t13 += m * 65536;
  c = Math.floor(t4 * 5.9604644775390625e-8); m = t4 - c * 16777216;
  t5 += c; t6 += m * 65536; t8 -= m; t13 -= m * 256; t14 += m * 65536;
  c = Math.floor(t5 * 5.9604644775390625e-8); m = t5 - c * 16777216;
  t6 += c; t7 += m * 65536; t9 -= m; t14 -= m * 256; t15 += m * 65536;
  c = Math.floor(t6 * 5.9604644775390625e-8); m = t6 - c * 16777216;
  t7 += c; t8 += m * 65536; t10 -= m; t15 -= m * 256; t16 += m * 65536;
  c = Math.floor(t7 * 5.9604644775390625e-8); m = t7 - c * 16777216;
  t8 += c; t9 += m * 65536; t11 -= m; t16 -= m * 256; t17 += m * 65536;
  c = Math.floor(t8 * 5.9604644775390625e-8); m = t8 - c * 16777216;
  t9 += c; t10 += m * 65536; t12 -= m; t17 -= m * 256; t18 += m * 65536;
  c = Math.floor(t9 * 5.9604644775390625e-8); m = t9 - c * 16777216;
  t10 += c; t11 += m * 65536; t13 -= m; t18 -= m * 256; t19 += m * 65536;
  c = Math.floor(t10 * 5.9604644775390625e-8); m = t10 - c * 16777216;
  t11 += c; t12 += m * 65536; t14 -= m; t19 -= m * 256; t20 += m * 65536;
  c = Math.floor(t11 * 5.9604644775390625e-8); o[0] = t11 - c * 16777216; t12 += c;
  c = Math.floor(t12 * 5.9604644775390625e-8); o[1] = t12 - c * 16777216; t13 += c;
  c = Math.floor(t13 * 5.9604644775390625e-8); o[2] = t13 - c * 16777216; t14 += c;
  c = Math.floor(t14 * 5.9604644775390625e-8); o[3] = t14 - c * 16777216; t15 += c;
  c = Math.floor(t15 * 5.9604644775390625e-8); o[4] = t15 - c * 16777216; t16 += c;
  c = Math.floor(t16 * 5.9604644775390625e-8); o[5] = t16 - c * 16777216; t17 += c;
  c = Math.floor(t17 * 5.9604644775390625e-8); o[6] = t17 - c * 16777216; t18 += c;
  c = Math.floor(t18 * 5.9604644775390625e-8); o[7] = t18 - c * 16777216; t19 += c;
  c = Math.floor(t19 * 5.9604644775390625e-8); o[8] = t19 - c * 16777216; t20 += c;
  c = Math.floor(t20 * 5.9604644775390625e-8); o[9] = t20 - c * 16777216; t21 += c;
  o[10] = t21;
}

/** o = a²·R^-1 mod p (Montgomery square); as feMul(o, a, a), with the 55 cross products doubled. */
export function feSqr(o: Fe, a: Fe): void {
  const a0 = a[0]!;
  const a1 = a[1]!;
  const a2 = a[2]!;
  const a3 = a[3]!;
  const a4 = a[4]!;
  const a5 = a[5]!;
  const a6 = a[6]!;
  const a7 = a[7]!;
  const a8 = a[8]!;
  const a9 = a[9]!;
  const a10 = a[10]!;
  const t0 = a0 * a0;
  let t1 = 2 * a0 * a1;
  let t2 = 2 * a0 * a2 + a1 * a1;
  let t3 = 2 * (a0 * a3 + a1 * a2);
  let t4 = 2 * (a0 * a4 + a1 * a3) + a2 * a2;
  let t5 = 2 * (a0 * a5 + a1 * a4 + a2 * a3);
  let t6 = 2 * (a0 * a6 + a1 * a5 + a2 * a4) + a3 * a3;
  let t7 = 2 * (a0 * a7 + a1 * a6 + a2 * a5 + a3 * a4);
  let t8 = 2 * (a0 * a8 + a1 * a7 + a2 * a6 + a3 * a5) + a4 * a4;
  let t9 = 2 * (a0 * a9 + a1 * a8 + a2 * a7 + a3 * a6 + a4 * a5);
  let t10 = 2 * (a0 * a10 + a1 * a9 + a2 * a8 + a3 * a7 + a4 * a6) + a5 * a5;
  let t11 = 2 * (a1 * a10 + a2 * a9 + a3 * a8 + a4 * a7 + a5 * a6);
  let t12 = 2 * (a2 * a10 + a3 * a9 + a4 * a8 + a5 * a7) + a6 * a6;
  let t13 = 2 * (a3 * a10 + a4 * a9 + a5 * a8 + a6 * a7);
  let t14 = 2 * (a4 * a10 + a5 * a9 + a6 * a8) + a7 * a7;
  let t15 = 2 * (a5 * a10 + a6 * a9 + a7 * a8);
  let t16 = 2 * (a6 * a10 + a7 * a9) + a8 * a8;
  let t17 = 2 * (a7 * a10 + a8 * a9);
  let t18 = 2 * a8 * a10 + a9 * a9;
  let t19 = 2 * a9 * a10;
  let t20 = a10 * a10;
  let t21 = 0, c: number, m: number;
  c = Math.floor(t0 * 5.9604644775390625e-8); m = t0 - c * 16777216;
  t1 += c; t2 += m * 65536; t4 -= m; t9 -= m * 256; t10 += m * 65536;
  c = Math.floor(t1 * 5.9604644775390625e-8); m = t1 - c * 16777216;
  t2 += c; t3 += m * 65536; t5 -= m; t10 -= m * 256; t11 += m * 65536;
  c = Math.floor(t2 * 5.9604644775390625e-8); m = t2 - c * 16777216;
  t3 += c; t4 += m * 65536; t6 -= m; t11 -= m * 256; t12 += m * 65536;
  c = Math.floor(t3 * 5.9604644775390625e-8); m = t3 - c * 16777216;
  t4 += c; t5 += m * 65536; t7 -= m; t12 -= m * 256; t13 += m * 65536;
  c = Math.floor(t4 * 5.9604644775390625e-8); m = t4 - c * 16777216;
  t5 += c; t6 += m * 65536; t8 -= m; t13 -= m * 256; t14 += m * 65536;
  c = Math.floor(t5 * 5.9604644775390625e-8); m = t5 - c * 16777216;
  t6 += c; t7 += m * 65536; t9 -= m; t14 -= m * 256; t15 += m * 65536;
  c = Math.floor(t6 * 5.9604644775390625e-8); m = t6 - c * 16777216;
  t7 += c; t8 += m * 65536; t10 -= m; t15 -= m * 256; t16 += m * 65536;
  c = Math.floor(t7 * 5.9604644775390625e-8); m = t7 - c * 16777216;
  t8 += c; t9 += m * 65536; t11 -= m; t16 -= m * 256; t17 += m * 65536;
  c = Math.floor(t8 * 5.9604644775390625e-8); m = t8 - c * 16777216;
  t9 += c; t10 += m * 65536; t12 -= m; t17 -= m * 256; t18 += m * 65536;
  c = Math.floor(t9 * 5.9604644775390625e-8); m = t9 - c * 16777216;
  t10 += c; t11 += m * 65536; t13 -= m; t18 -= m * 256; t19 += m * 65536;
  c = Math.floor(t10 * 5.9604644775390625e-8); m = t10 - c * 16777216;
  t11 += c; t12 += m * 65536; t14 -= m; t19 -= m * 256; t20 += m * 65536;
  c = Math.floor(t11 * 5.9604644775390625e-8); o[0] = t11 - c * 16777216; t12 += c;
  c = Math.floor(t12 * 5.9604644775390625e-8); o[1] = t12 - c * 16777216; t13 += c;
  c = Math.floor(t13 * 5.9604644775390625e-8); o[2] = t13 - c * 16777216; t14 += c;
  c = Math.floor(t14 * 5.9604644775390625e-8); o[3] = t14 - c * 16777216; t15 += c;
  c = Math.floor(t15 * 5.9604644775390625e-8); o[4] = t15 - c * 16777216; t16 += c;
  c = Math.floor(t16 * 5.9604644775390625e-8); o[5] = t16 - c * 16777216; t17 += c;
  c = Math.floor(t17 * 5.9604644775390625e-8); o[6] = t17 - c * 16777216; t18 += c;
  c = Math.floor(t18 * 5.9604644775390625e-8); o[7] = t18 - c * 16777216; t19 += c;
  c = Math.floor(t19 * 5.9604644775390625e-8); o[8] = t19 - c * 16777216; t20 += c;
  c = Math.floor(t20 * 5.9604644775390625e-8); o[9] = t20 - c * 16777216; t21 += c;
  o[10] = t21;
}

/** o = a + b mod p, in [0, 2p) for inputs in [0, 2p). o may alias a or b. */
export function feAdd(o: Fe, a: Fe, b: Fe): void {
  // Two carry chains at once, in int32 arithmetic (every intermediate is below 2^26 in
  // magnitude): u = a + b and v = u - 2p; keep u exactly when v is negative.
  const u0 = (a[0]! + b[0]!) | 0; const v0 = (u0 & 0xffffff) - 16777214;
  const u1 = (a[1]! + b[1]!) + (u0 >> 24) | 0; const v1 = (u1 & 0xffffff) - 16777215 + (v0 >> 24);
  const u2 = (a[2]! + b[2]!) + (u1 >> 24) | 0; const v2 = (u2 & 0xffffff) - 131071 + (v1 >> 24);
  const u3 = (a[3]! + b[3]!) + (u2 >> 24) | 0; const v3 = (u3 & 0xffffff) - 0 + (v2 >> 24);
  const u4 = (a[4]! + b[4]!) + (u3 >> 24) | 0; const v4 = (u4 & 0xffffff) - 16777214 + (v3 >> 24);
  const u5 = (a[5]! + b[5]!) + (u4 >> 24) | 0; const v5 = (u5 & 0xffffff) - 16777215 + (v4 >> 24);
  const u6 = (a[6]! + b[6]!) + (u5 >> 24) | 0; const v6 = (u6 & 0xffffff) - 16777215 + (v5 >> 24);
  const u7 = (a[7]! + b[7]!) + (u6 >> 24) | 0; const v7 = (u7 & 0xffffff) - 16777215 + (v6 >> 24);
  const u8 = (a[8]! + b[8]!) + (u7 >> 24) | 0; const v8 = (u8 & 0xffffff) - 16777215 + (v7 >> 24);
  const u9 = (a[9]! + b[9]!) + (u8 >> 24) | 0; const v9 = (u9 & 0xffffff) - 16776703 + (v8 >> 24);
  const u10 = (a[10]! + b[10]!) + (u9 >> 24) | 0; const v10 = u10 - 131071 + (v9 >> 24);
  const k = -(v10 >> 31);
  o[0] = (v0 & 0xffffff) + ((u0 & 0xffffff) - (v0 & 0xffffff)) * k;
  o[1] = (v1 & 0xffffff) + ((u1 & 0xffffff) - (v1 & 0xffffff)) * k;
  o[2] = (v2 & 0xffffff) + ((u2 & 0xffffff) - (v2 & 0xffffff)) * k;
  o[3] = (v3 & 0xffffff) + ((u3 & 0xffffff) - (v3 & 0xffffff)) * k;
  o[4] = (v4 & 0xffffff) + ((u4 & 0xffffff) - (v4 & 0xffffff)) * k;
  o[5] = (v5 & 0xffffff) + ((u5 & 0xffffff) - (v5 & 0xffffff)) * k;
  o[6] = (v6 & 0xffffff) + ((u6 & 0xffffff) - (v6 & 0xffffff)) * k;
  o[7] = (v7 & 0xffffff) + ((u7 & 0xffffff) - (v7 & 0xffffff)) * k;
  o[8] = (v8 & 0xffffff) + ((u8 & 0xffffff) - (v8 & 0xffffff)) * k;
  o[9] = (v9 & 0xffffff) + ((u9 & 0xffffff) - (v9 & 0xffffff)) * k;
  o[10] = v10 + (u10 - v10) * k;
}

/** o = a - b mod p, in [0, 2p) for inputs in [0, 2p). o may alias a or b. */
export function feSub(o: Fe, a: Fe, b: Fe): void {
  // Two carry chains at once, in int32 arithmetic (every intermediate is below 2^26 in
  // magnitude): u = a - b and v = u + 2p; keep u unless it is negative.
  const u0 = (a[0]! - b[0]!) | 0; const v0 = (u0 & 0xffffff) + 16777214;
  const u1 = (a[1]! - b[1]!) + (u0 >> 24) | 0; const v1 = (u1 & 0xffffff) + 16777215 + (v0 >> 24);
  const u2 = (a[2]! - b[2]!) + (u1 >> 24) | 0; const v2 = (u2 & 0xffffff) + 131071 + (v1 >> 24);
  const u3 = (a[3]! - b[3]!) + (u2 >> 24) | 0; const v3 = (u3 & 0xffffff) + 0 + (v2 >> 24);
  const u4 = (a[4]! - b[4]!) + (u3 >> 24) | 0; const v4 = (u4 & 0xffffff) + 16777214 + (v3 >> 24);
  const u5 = (a[5]! - b[5]!) + (u4 >> 24) | 0; const v5 = (u5 & 0xffffff) + 16777215 + (v4 >> 24);
  const u6 = (a[6]! - b[6]!) + (u5 >> 24) | 0; const v6 = (u6 & 0xffffff) + 16777215 + (v5 >> 24);
  const u7 = (a[7]! - b[7]!) + (u6 >> 24) | 0; const v7 = (u7 & 0xffffff) + 16777215 + (v6 >> 24);
  const u8 = (a[8]! - b[8]!) + (u7 >> 24) | 0; const v8 = (u8 & 0xffffff) + 16777215 + (v7 >> 24);
  const u9 = (a[9]! - b[9]!) + (u8 >> 24) | 0; const v9 = (u9 & 0xffffff) + 16776703 + (v8 >> 24);
  const u10 = (a[10]! - b[10]!) + (u9 >> 24) | 0; const v10 = u10 + 131071 + (v9 >> 24);
  const k = (u10 >> 31) + 1;
  o[0] = (v0 & 0xffffff) + ((u0 & 0xffffff) - (v0 & 0xffffff)) * k;
  o[1] = (v1 & 0xffffff) + ((u1 & 0xffffff) - (v1 & 0xffffff)) * k;
  o[2] = (v2 & 0xffffff) + ((u2 & 0xffffff) - (v2 & 0xffffff)) * k;
  o[3] = (v3 & 0xffffff) + ((u3 & 0xffffff) - (v3 & 0xffffff)) * k;
  o[4] = (v4 & 0xffffff) + ((u4 & 0xffffff) - (v4 & 0xffffff)) * k;
  o[5] = (v5 & 0xffffff) + ((u5 & 0xffffff) - (v5 & 0xffffff)) * k;
  o[6] = (v6 & 0xffffff) + ((u6 & 0xffffff) - (v6 & 0xffffff)) * k;
  o[7] = (v7 & 0xffffff) + ((u7 & 0xffffff) - (v7 & 0xffffff)) * k;
  o[8] = (v8 & 0xffffff) + ((u8 & 0xffffff) - (v8 & 0xffffff)) * k;
  o[9] = (v9 & 0xffffff) + ((u9 & 0xffffff) - (v9 & 0xffffff)) * k;
  o[10] = v10 + (u10 - v10) * k;
}


// --- loose operations ---
//
// The point formulas chain additions into multiplications. feMul accepts inputs up to 16p (with
// normalised limbs: a·b < R·p keeps its output below 2p), so intermediate sums need not be
// reduced: these operations propagate carries once (int32 arithmetic: every intermediate is
// below 2^28 in magnitude) and leave the value unreduced; feReduce brings a result below 32p
// back to [0, 2p). The callers track the bounds (see sm2-point.ts).

/** 2p, 4p, 8p and 16p as normalised limbs, for feSubLoose. */
export const P2: Fe = /* @__PURE__ */ limbsOf(2n * P_BIG);
export const P4: Fe = /* @__PURE__ */ limbsOf(4n * P_BIG);
export const P8: Fe = /* @__PURE__ */ limbsOf(8n * P_BIG);
export const P16: Fe = /* @__PURE__ */ limbsOf(16n * P_BIG);

/** o = a + b with limbs normalised but not reduced (bound: the sum of the bounds). For inputs of mul/sqr and the loose operations below. */
export function feAddLoose(o: Fe, a: Fe, b: Fe): void {
  const u0 = (a[0]! + b[0]!) | 0;
  const u1 = (a[1]! + b[1]!) + (u0 >> 24) | 0;
  const u2 = (a[2]! + b[2]!) + (u1 >> 24) | 0;
  const u3 = (a[3]! + b[3]!) + (u2 >> 24) | 0;
  const u4 = (a[4]! + b[4]!) + (u3 >> 24) | 0;
  const u5 = (a[5]! + b[5]!) + (u4 >> 24) | 0;
  const u6 = (a[6]! + b[6]!) + (u5 >> 24) | 0;
  const u7 = (a[7]! + b[7]!) + (u6 >> 24) | 0;
  const u8 = (a[8]! + b[8]!) + (u7 >> 24) | 0;
  const u9 = (a[9]! + b[9]!) + (u8 >> 24) | 0;
  const u10 = (a[10]! + b[10]!) + (u9 >> 24) | 0;
  o[0] = u0 & 0xffffff;
  o[1] = u1 & 0xffffff;
  o[2] = u2 & 0xffffff;
  o[3] = u3 & 0xffffff;
  o[4] = u4 & 0xffffff;
  o[5] = u5 & 0xffffff;
  o[6] = u6 & 0xffffff;
  o[7] = u7 & 0xffffff;
  o[8] = u8 & 0xffffff;
  o[9] = u9 & 0xffffff;
  o[10] = u10;
}

/** o = a - b + k (k a multiple of p at least b's bound: P2, P4, P8, P16), limbs normalised, not reduced. */
export function feSubLoose(o: Fe, a: Fe, b: Fe, k: Fe): void {
  const u0 = (a[0]! - b[0]! + k[0]!) | 0;
  const u1 = (a[1]! - b[1]! + k[1]!) + (u0 >> 24) | 0;
  const u2 = (a[2]! - b[2]! + k[2]!) + (u1 >> 24) | 0;
  const u3 = (a[3]! - b[3]! + k[3]!) + (u2 >> 24) | 0;
  const u4 = (a[4]! - b[4]! + k[4]!) + (u3 >> 24) | 0;
  const u5 = (a[5]! - b[5]! + k[5]!) + (u4 >> 24) | 0;
  const u6 = (a[6]! - b[6]! + k[6]!) + (u5 >> 24) | 0;
  const u7 = (a[7]! - b[7]! + k[7]!) + (u6 >> 24) | 0;
  const u8 = (a[8]! - b[8]! + k[8]!) + (u7 >> 24) | 0;
  const u9 = (a[9]! - b[9]! + k[9]!) + (u8 >> 24) | 0;
  const u10 = (a[10]! - b[10]! + k[10]!) + (u9 >> 24) | 0;
  o[0] = u0 & 0xffffff;
  o[1] = u1 & 0xffffff;
  o[2] = u2 & 0xffffff;
  o[3] = u3 & 0xffffff;
  o[4] = u4 & 0xffffff;
  o[5] = u5 & 0xffffff;
  o[6] = u6 & 0xffffff;
  o[7] = u7 & 0xffffff;
  o[8] = u8 & 0xffffff;
  o[9] = u9 & 0xffffff;
  o[10] = u10;
}

/** o = c·a for a small c (c·bound below 2^261), limbs normalised, not reduced. */
export function feMulSmallLoose(o: Fe, a: Fe, c: number): void {
  const u0 = a[0]! * c | 0;
  const u1 = a[1]! * c + (u0 >> 24) | 0;
  const u2 = a[2]! * c + (u1 >> 24) | 0;
  const u3 = a[3]! * c + (u2 >> 24) | 0;
  const u4 = a[4]! * c + (u3 >> 24) | 0;
  const u5 = a[5]! * c + (u4 >> 24) | 0;
  const u6 = a[6]! * c + (u5 >> 24) | 0;
  const u7 = a[7]! * c + (u6 >> 24) | 0;
  const u8 = a[8]! * c + (u7 >> 24) | 0;
  const u9 = a[9]! * c + (u8 >> 24) | 0;
  const u10 = a[10]! * c + (u9 >> 24) | 0;
  o[0] = u0 & 0xffffff;
  o[1] = u1 & 0xffffff;
  o[2] = u2 & 0xffffff;
  o[3] = u3 & 0xffffff;
  o[4] = u4 & 0xffffff;
  o[5] = u5 & 0xffffff;
  o[6] = u6 & 0xffffff;
  o[7] = u7 & 0xffffff;
  o[8] = u8 & 0xffffff;
  o[9] = u9 & 0xffffff;
  o[10] = u10;
}

/**
 * o = a mod p, as a value in [0, 2p), for a below 2^261 with normalised limbs (e.g. a loose result
 * below 32p). The bits at 2^256 and above, h < 32, are folded in with
 * 2^256 ≡ 2^224 + 2^96 - 2^64 + 1 (mod p); the result is below 2^256 + 2^229 < 2p.
 */
export function feReduce(o: Fe, a: Fe): void {
  const top = a[10]!;
  const h = top >> 16;
  const u0 = (a[0]! + h) | 0;
  const u1 = (a[1]!) + (u0 >> 24) | 0;
  const u2 = (a[2]! - h * 65536) + (u1 >> 24) | 0;
  const u3 = (a[3]!) + (u2 >> 24) | 0;
  const u4 = (a[4]! + h) + (u3 >> 24) | 0;
  const u5 = (a[5]!) + (u4 >> 24) | 0;
  const u6 = (a[6]!) + (u5 >> 24) | 0;
  const u7 = (a[7]!) + (u6 >> 24) | 0;
  const u8 = (a[8]!) + (u7 >> 24) | 0;
  const u9 = (a[9]! + h * 256) + (u8 >> 24) | 0;
  const u10 = ((top & 0xffff)) + (u9 >> 24) | 0;
  o[0] = u0 & 0xffffff;
  o[1] = u1 & 0xffffff;
  o[2] = u2 & 0xffffff;
  o[3] = u3 & 0xffffff;
  o[4] = u4 & 0xffffff;
  o[5] = u5 & 0xffffff;
  o[6] = u6 & 0xffffff;
  o[7] = u7 & 0xffffff;
  o[8] = u8 & 0xffffff;
  o[9] = u9 & 0xffffff;
  o[10] = u10;
}


/** o = -a mod p. */
export function feNeg(o: Fe, a: Fe): void {
  feSub(o, ZERO, a);
}

/** o = a when flag is 1, unchanged when flag is 0 (flag must be 0 or 1); no branch. */
export function feCmov(o: Fe, a: Fe, flag: number): void {
  for (let i = 0; i < LIMBS; i++) o[i] = o[i]! + (a[i]! - o[i]!) * flag;
}


/** The element 1 (R mod p in Montgomery form). */
export const FE_ONE: Fe = /* @__PURE__ */ limbsOf((1n << 264n) % P_BIG);

/** 1 if a ≡ 0 (mod p), else 0. A value in [0, 2p) is 0 mod p iff it is 0 or p. */
export function feIsZero(a: Fe): number {
  let z = 0, q = 0;
  for (let i = 0; i < LIMBS; i++) {
    z += Math.abs(a[i]!);
    q += Math.abs(a[i]! - P[i]!);
  }
  return +(z === 0) | +(q === 0);
}

const EQ_T = /* @__PURE__ */ new Float64Array(LIMBS);

/** 1 if a ≡ b (mod p), else 0. */
export function feEqual(a: Fe, b: Fe): number {
  feSub(EQ_T, a, b);
  return feIsZero(EQ_T);
}

/** o = the canonical plain value of a (in [0, p)), not in Montgomery form. */
function feToCanonical(o: Fe, a: Fe): void {
  // a·1·R^-1 is below p + 1 for a < 2p, so it is canonical except that 0 may come out as p.
  feMul(o, a, ONE_PLAIN);
  let q = 0;
  for (let i = 0; i < LIMBS; i++) q += Math.abs(o[i]! - P[i]!);
  const isP = +(q === 0);
  for (let i = 0; i < LIMBS; i++) o[i] = o[i]! * (1 - isP);
}

const BYTES_T = /* @__PURE__ */ new Float64Array(LIMBS);

/**
 * Reads a 32-byte big-endian integer into o (Montgomery form). Returns false, leaving o
 * unspecified, if it is not below p (GB/T 32918.1-2016 §6.2.1 b: coordinates in [0, p-1]).
 */
export function feFromBytes(o: Fe, bytes: Uint8Array, offset: number): boolean {
  const t = BYTES_T;
  for (let i = 0; i < 10; i++) {
    const j = offset + 31 - 3 * i;
    t[i] = bytes[j]! | (bytes[j - 1]! << 8) | (bytes[j - 2]! << 16);
  }
  t[10] = bytes[offset + 1]! | (bytes[offset]! << 8);
  // Compare with p from the top limb down (public data: the result is the validation outcome).
  let less = false;
  for (let i = LIMBS - 1; i >= 0; i--) {
    if (t[i]! !== P[i]!) {
      less = t[i]! < P[i]!;
      break;
    }
  }
  feMul(o, t, R2);
  return less;
}

/** Writes the canonical value of a as 32 big-endian bytes at out[offset..]. */
export function feToBytes(out: Uint8Array, offset: number, a: Fe): void {
  const t = BYTES_T;
  feToCanonical(t, a);
  for (let i = 0; i < 10; i++) {
    const j = offset + 31 - 3 * i;
    const v = t[i]!;
    out[j] = v & 0xff;
    out[j - 1] = (v >>> 8) & 0xff;
    out[j - 2] = (v >>> 16) & 0xff;
  }
  out[offset + 1] = t[10]! & 0xff;
  out[offset] = (t[10]! >>> 8) & 0xff;
}

/** 1 if the canonical value of a is odd (the 02/03 prefix of a compressed point, §4.2.9). */
export function feIsOdd(a: Fe): number {
  const t = BYTES_T;
  feToCanonical(t, a);
  return t[0]! & 1;
}

/** o = a^(2^k) (k squarings). */
function sqrN(o: Fe, a: Fe, k: number): void {
  feSqr(o, a);
  for (let i = 1; i < k; i++) feSqr(o, o);
}

const I1 = /* @__PURE__ */ new Float64Array(LIMBS);
const I2 = /* @__PURE__ */ new Float64Array(LIMBS);
const I3 = /* @__PURE__ */ new Float64Array(LIMBS);
const I4 = /* @__PURE__ */ new Float64Array(LIMBS);
const I5 = /* @__PURE__ */ new Float64Array(LIMBS);

/**
 * The common start of the exponentiation chains below: with x_k = a^(2^k - 1), leaves x30 in
 * I1, x31 in I2 and x32 in I3 (I4 and I5 are scratch).
 */
function ladderStart(a: Fe): void {
  const t = I5;
  feSqr(t, a);
  feMul(I1, t, a); // x2
  feSqr(t, I1);
  feMul(I2, t, a); // x3
  sqrN(t, I2, 3);
  feMul(I3, t, I2); // x6
  feSqr(t, I3);
  feMul(I3, t, a); // x7
  sqrN(t, I3, 7);
  feMul(I4, t, I3); // x14
  feSqr(t, I4);
  feMul(I4, t, a); // x15
  sqrN(t, I4, 15);
  feMul(I1, t, I4); // x30
  feSqr(t, I1);
  feMul(I2, t, a); // x31
  feSqr(t, I2);
  feMul(I3, t, a); // x32
}

/**
 * o = a^-1 mod p (0 for a ≡ 0), by Fermat: a^(p-2) with a fixed addition chain. From the most
 * significant bit, p - 2 is 31 ones, a zero, 128 ones, 32 zeros, 62 ones, a zero and a one.
 */
export function feInv(o: Fe, a: Fe): void {
  ladderStart(a);
  const x30 = I1, x31 = I2, x32 = I3, t = I5;
  feSqr(t, x31); // 31 ones, a zero
  for (let i = 0; i < 4; i++) {
    sqrN(t, t, 32);
    feMul(t, t, x32); // 128 ones
  }
  sqrN(t, t, 64);
  feMul(t, t, x32); // 32 zeros, 32 ones
  sqrN(t, t, 30);
  feMul(t, t, x30); // 30 ones
  sqrN(t, t, 2);
  feMul(o, t, a); // a zero and a one
}

/**
 * o = a^((p+1)/4), a square root of a when one exists (p ≡ 3 mod 4); returns 1 if o² ≡ a,
 * else 0. From the most significant bit, (p+1)/4 is 31 ones, a zero, 128 ones, 31 zeros, a one
 * and 62 zeros. o must not alias a.
 */
export function feSqrt(o: Fe, a: Fe): number {
  ladderStart(a);
  const x31 = I2, x32 = I3, t = I5;
  feSqr(t, x31); // 31 ones, a zero
  for (let i = 0; i < 4; i++) {
    sqrN(t, t, 32);
    feMul(t, t, x32); // 128 ones
  }
  sqrN(t, t, 32);
  feMul(t, t, a); // 31 zeros, a one
  sqrN(o, t, 62); // 62 zeros
  feSqr(t, o);
  return feEqual(t, a);
}
