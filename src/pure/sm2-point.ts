/**
 * Point arithmetic on sm2p256v1 (GB/T 32918.5-2017 §4; y² = x³ - 3x + b), over the limb field of
 * sm2-field.ts, implementing {@link CurveOps} for the pure backend.
 *
 * - Jacobian coordinates (x = X/Z², y = Y/Z³) with the a = -3 doubling (3M + 5S) and mixed
 *   Jacobian-affine addition (7M + 4S); every table holds affine points in Montgomery form.
 * - Secret scalars use regular signed-digit recoding: an odd scalar k (k + n when k is even,
 *   which names the same point) is written as Σ d_i·2^(w·i) + 2^(w·m) with every digit d_i odd
 *   in [-(2^w - 1), 2^w - 1], so every window adds a point, and each table entry is picked by
 *   reading the whole table with arithmetic masks. The sequence of field operations and memory
 *   reads is therefore the same for every scalar ("algorithmically constant time"; the JIT and
 *   the engine give no further guarantee — see the README).
 *   Fixed base [k]G: a comb of 43 windows of 6 bits over a table of (2j+1)·2^(6i)·G, i.e. 43
 *   mixed additions and no doublings. The table (1376 points, 242 KB) is built on first use,
 *   in a few milliseconds.
 *   Variable base [k]P: 52 windows of 5 bits over the odd multiples P, 3P, …, 31P.
 * - Public scalars (verification, key exchange) use the same comb with direct indexing for G and
 *   a width-6 NAF over the same odd multiples for P, which a public key computes once and keeps.
 * - The exceptional cases of the addition formulas (adding a point to itself or its negative,
 *   or to infinity) are tested and handled; with the recodings above they arise only for a
 *   negligible set of scalars, so the test almost never changes the path taken.
 *
 * Imports nothing from `node:*`.
 * @module
 */
import type { CurveOps, CurveParams } from './sm2-curve.js';
import {
  FE_ONE,
  LIMBS,
  P16,
  P2,
  P4,
  P8,
  feAdd,
  feAddLoose,
  feMulSmallLoose,
  feReduce,
  feSubLoose,
  feCmov,
  feCopy,
  feEqual,
  feFromBytes,
  feInv,
  feIsOdd,
  feIsZero,
  feMul,
  feNeg,
  feNew,
  feSqr,
  feSqrt,
  feSub,
  feToBytes,
  type Fe,
} from './sm2-field.js';

/**
 * sm2p256v1 (GB/T 32918.5-2017 §4).
 * @example SM2P256V1.n.toString(16) // 'fffffffeffffffff…39d54123'
 */
export const SM2P256V1: CurveParams = {
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
};

/**
 * A validated affine point (Montgomery-form coordinates), with its odd multiples once they have
 * been needed (a public key keeps them).
 * @example sm2p256v1.decodePoint(bytes) // FastPoint | null
 */
export class FastPoint {
  readonly x: Fe;
  readonly y: Fe;
  /** P, 3P, …, 31P as affine points, 2·LIMBS doubles each (x then y). */
  table: Float64Array | undefined;

  constructor(x: Fe, y: Fe) {
    this.x = x;
    this.y = y;
  }
}

/** A point in Jacobian coordinates; z ≡ 0 is infinity. */
interface Jac {
  x: Fe;
  y: Fe;
  z: Fe;
}

const jacNew = (): Jac => ({ x: feNew(), y: feNew(), z: feNew() });
const POINT = 2 * LIMBS;

function jacCopy(o: Jac, a: Jac): void {
  feCopy(o.x, a.x);
  feCopy(o.y, a.y);
  feCopy(o.z, a.z);
}

function jacFromAffine(o: Jac, x: Fe, y: Fe): void {
  feCopy(o.x, x);
  feCopy(o.y, y);
  feCopy(o.z, FE_ONE);
}

// Scratch for the formulas. None of them calls another while its scratch is live, except that
// madd and add call dbl (with their own output as input), which uses D* only.
const D1 = feNew(), D2 = feNew(), D3 = feNew(), D4 = feNew(), D5 = feNew(), D6 = feNew();
const M1 = feNew(), M2 = feNew(), M3 = feNew(), M4 = feNew(), M5 = feNew(), M6 = feNew();
const A1 = feNew(), A2 = feNew(), A3 = feNew();

/**
 * o = 2a ("dbl-2001-b", a = -3): δ = Z², γ = Y², β = XY², α = 3(X - δ)(X + δ),
 * X' = α² - 8β, Z' = (Y + Z)² - γ - δ, Y' = α(4β - X') - 8γ². Infinity stays infinity.
 * Inputs and outputs are in [0, 2p); the bound of each loose intermediate is noted.
 */
function dbl(o: Jac, a: Jac): void {
  const delta = D1, gamma = D2, beta = D3, alpha = D4, t = D5;
  feSqr(delta, a.z);
  feSqr(gamma, a.y);
  feMul(beta, a.x, gamma);
  feSubLoose(t, a.x, delta, P2); // < 4p
  feAddLoose(alpha, a.x, delta); // < 4p
  feMul(alpha, alpha, t);
  feMulSmallLoose(alpha, alpha, 3); // α < 6p
  feAddLoose(t, a.y, a.z); // < 4p
  feSqr(t, t);
  feAddLoose(D6, gamma, delta); // < 4p
  feSubLoose(t, t, D6, P4); // < 6p
  feReduce(o.z, t);
  feMulSmallLoose(beta, beta, 4); // 4β < 8p
  feSqr(t, alpha);
  feAddLoose(D6, beta, beta); // 8β < 16p
  feSubLoose(t, t, D6, P16); // < 18p
  feReduce(o.x, t);
  feSubLoose(t, beta, o.x, P2); // 4β - X' < 10p
  feMul(t, alpha, t);
  feSqr(gamma, gamma);
  feMulSmallLoose(gamma, gamma, 8); // 8γ² < 16p
  feSubLoose(t, t, gamma, P16); // < 18p
  feReduce(o.y, t);
}

/**
 * o = a + (qx, qy) with q affine ("madd-2007-bl"): U2 = qx·Z², S2 = qy·Z³, H = U2 - X,
 * r = 2(S2 - Y), I = 4H², J = H·I, V = X·I, X' = r² - J - 2V, Y' = r(V - X') - 2Y·J,
 * Z' = (Z + H)² - Z² - H². a = infinity, a = q and a = -q are handled separately.
 */
function madd(o: Jac, a: Jac, qx: Fe, qy: Fe): void {
  const z1z1 = M1, h = M2, r = M3, i = M4, j = M5, v = M6;
  const aInf = feIsZero(a.z);
  feSqr(z1z1, a.z);
  feMul(h, qx, z1z1);
  feSub(h, h, a.x); // H = U2 - X1, reduced for the test below
  feMul(r, a.z, z1z1);
  feMul(r, r, qy);
  feSubLoose(r, r, a.y, P2); // S2 - Y1 < 4p
  if (feIsZero(h) === 1 && aInf === 0) {
    // Same x: a = q (double it) or a = -q (the sum is infinity).
    feReduce(r, r);
    if (feIsZero(r) === 1) {
      jacFromAffine(o, qx, qy);
      dbl(o, o);
    } else {
      feCopy(o.x, FE_ONE);
      feCopy(o.y, FE_ONE);
      feCopy(o.z, feZero);
    }
    return;
  }
  feAddLoose(r, r, r); // r < 8p
  feSqr(A2, h); // HH
  feMulSmallLoose(i, A2, 4); // I < 8p
  feMul(j, h, i);
  feMul(v, a.x, i);
  // Z3 = (Z1 + H)² - Z1Z1 - HH
  feAddLoose(A1, a.z, h);
  feSqr(A1, A1);
  feAddLoose(A2, z1z1, A2); // < 4p
  feSubLoose(A1, A1, A2, P4); // < 6p
  // 2·Y1·J before X1 and Y1 are overwritten.
  feMul(A2, a.y, j);
  feAddLoose(A2, A2, A2); // < 4p
  // X3 = r² - J - 2V
  feSqr(A3, r);
  feAddLoose(i, v, v);
  feAddLoose(i, i, j); // J + 2V < 6p
  feSubLoose(A3, A3, i, P8); // < 10p
  feReduce(o.x, A3);
  // Y3 = r(V - X3) - 2·Y1·J
  feSubLoose(v, v, o.x, P2); // < 4p
  feMul(v, r, v);
  feSubLoose(v, v, A2, P4); // < 6p
  feReduce(o.y, v);
  feReduce(o.z, A1);
  if (aInf === 1) jacFromAffine(o, qx, qy);
}

const feZero = feNew();
const B1 = feNew(), B2 = feNew(), B3 = feNew(), B4 = feNew(), B5 = feNew(), B6 = feNew();
const B7 = feNew();

/** o = a + b, both Jacobian ("add-2007-bl"), with every exceptional case handled. */
function add(o: Jac, a: Jac, b: Jac): void {
  if (feIsZero(a.z) === 1) {
    jacCopy(o, b);
    return;
  }
  if (feIsZero(b.z) === 1) {
    jacCopy(o, a);
    return;
  }
  const z1z1 = B1, z2z2 = B2, u1 = B3, h = B4, s1 = B5, r = B6, t = B7;
  feSqr(z1z1, a.z);
  feSqr(z2z2, b.z);
  feMul(u1, a.x, z2z2);
  feMul(h, b.x, z1z1);
  feSub(h, h, u1); // H = U2 - U1
  feMul(s1, a.y, b.z);
  feMul(s1, s1, z2z2); // S1
  feMul(r, b.y, a.z);
  feMul(r, r, z1z1);
  feSub(r, r, s1); // S2 - S1
  if (feIsZero(h) === 1) {
    if (feIsZero(r) === 1) {
      dbl(o, a);
    } else {
      feCopy(o.x, FE_ONE);
      feCopy(o.y, FE_ONE);
      feCopy(o.z, feZero);
    }
    return;
  }
  feAdd(r, r, r); // r = 2(S2 - S1)
  // Z3 = ((Z1 + Z2)² - Z1Z1 - Z2Z2)·H
  feAdd(t, a.z, b.z);
  feSqr(t, t);
  feSub(t, t, z1z1);
  feSub(t, t, z2z2);
  feMul(o.z, t, h);
  const i = z1z1, j = z2z2, v = t;
  feAdd(i, h, h);
  feSqr(i, i); // I = (2H)²
  feMul(j, h, i); // J = H·I
  feMul(v, u1, i); // V = U1·I
  feSqr(o.x, r);
  feSub(o.x, o.x, j);
  feSub(o.x, o.x, v);
  feSub(o.x, o.x, v);
  feMul(s1, s1, j);
  feAdd(s1, s1, s1); // 2·S1·J
  feSub(v, v, o.x);
  feMul(v, r, v);
  feSub(o.y, v, s1);
}

const N1 = feNew(), N2 = feNew();

/** Writes the affine form of a into x, y; returns false (x, y untouched) for infinity. */
function toAffine(a: Jac, x: Fe, y: Fe): boolean {
  if (feIsZero(a.z) === 1) return false;
  feInv(N1, a.z);
  feSqr(N2, N1);
  feMul(x, a.x, N2);
  feMul(N2, N2, N1);
  feMul(y, a.y, N2);
  return true;
}

/**
 * Converts points (none of them infinity) to affine form into `out` (x then y, POINT doubles per
 * point) with one inversion (Montgomery's trick).
 */
function batchToAffine(points: Jac[], out: Float64Array): void {
  const count = points.length;
  const prefix = new Float64Array(count * LIMBS);
  const acc = feNew(), inv = feNew(), zi = feNew(), zi2 = feNew(), t = feNew();
  feCopy(acc, FE_ONE);
  for (let i = 0; i < count; i++) {
    prefix.set(acc, i * LIMBS);
    feMul(acc, acc, points[i]!.z);
  }
  feInv(inv, acc);
  const pre = feNew();
  for (let i = count - 1; i >= 0; i--) {
    const pt = points[i]!;
    pre.set(prefix.subarray(i * LIMBS, (i + 1) * LIMBS));
    feMul(zi, inv, pre); // 1/Z_i
    feMul(inv, inv, pt.z);
    feSqr(zi2, zi);
    feMul(t, pt.x, zi2);
    out.set(t, i * POINT);
    feMul(zi2, zi2, zi);
    feMul(t, pt.y, zi2);
    out.set(t, i * POINT + LIMBS);
  }
}

/** The odd multiples P, 3P, …, (2·count - 1)P of an affine point, as an affine table. */
function oddMultiples(x: Fe, y: Fe, count: number): Float64Array {
  const pts: Jac[] = [];
  const p1 = jacNew();
  jacFromAffine(p1, x, y);
  const twice = jacNew();
  dbl(twice, p1);
  pts.push(p1);
  for (let j = 1; j < count; j++) {
    const next = jacNew();
    add(next, pts[j - 1]!, twice);
    pts.push(next);
  }
  const out = new Float64Array(count * POINT);
  batchToAffine(pts, out);
  return out;
}

// --- the fixed-base comb ---

const COMB_W = 6;
const COMB_WINDOWS = 43; // 6·43 = 258 bits: enough for k + n < 2^257
const COMB_ENTRIES = 1 << (COMB_W - 1); // odd digits 1, 3, …, 63

let combTable: Float64Array | undefined;
let combTop: Float64Array | undefined; // 2^258·G, the constant top digit

/** Builds (on first use) T[i][j] = (2j + 1)·2^(6i)·G and 2^258·G. */
function comb(): Float64Array {
  if (combTable) return combTable;
  const g = jacNew();
  feFromBytes(g.x, bigBytes(SM2P256V1.gx), 0);
  feFromBytes(g.y, bigBytes(SM2P256V1.gy), 0);
  feCopy(g.z, FE_ONE);
  const pts: Jac[] = [];
  let base = g;
  for (let i = 0; i < COMB_WINDOWS; i++) {
    const twice = jacNew();
    dbl(twice, base);
    pts.push(base);
    for (let j = 1; j < COMB_ENTRIES; j++) {
      const next = jacNew();
      add(next, pts[pts.length - 1]!, twice);
      pts.push(next);
    }
    const nextBase = jacNew();
    dbl(nextBase, twice);
    for (let k = 2; k < COMB_W; k++) dbl(nextBase, nextBase);
    base = nextBase;
  }
  pts.push(base); // 2^258·G
  const all = new Float64Array(pts.length * POINT);
  batchToAffine(pts, all);
  combTop = all.slice(COMB_WINDOWS * COMB_ENTRIES * POINT);
  combTable = all.subarray(0, COMB_WINDOWS * COMB_ENTRIES * POINT);
  return combTable;
}

function bigBytes(x: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

// --- scalar recodings ---

const N_LE = /* @__PURE__ */ (() => bigBytes(SM2P256V1.n).reverse())();
const K_LE = new Uint8Array(33);
const KN_LE = new Uint8Array(33);

/**
 * Loads k (32 bytes big-endian) into K_LE as k when k is odd and k + n when k is even (33
 * bytes little-endian), with the same operations either way.
 */
function loadOdd(k: Uint8Array): void {
  let carry = 0;
  for (let i = 0; i < 32; i++) {
    const v = k[31 - i]!;
    K_LE[i] = v;
    const s = v + N_LE[i]! + carry;
    KN_LE[i] = s & 0xff;
    carry = s >>> 8;
  }
  K_LE[32] = 0;
  KN_LE[32] = carry;
  const even = 1 - (k[31]! & 1);
  const mask = -even & 0xff;
  for (let i = 0; i < 33; i++) K_LE[i] = K_LE[i]! ^ ((K_LE[i]! ^ KN_LE[i]!) & mask);
  KN_LE.fill(0);
}

/** Bits [pos, pos + width) of K_LE (0 beyond its end). */
function bitsAt(pos: number, width: number): number {
  let v = 0;
  for (let b = 0; b < width; b++) {
    const bit = pos + b;
    const byte = bit >>> 3;
    if (byte < 33) v |= ((K_LE[byte]! >>> (bit & 7)) & 1) << b;
  }
  return v;
}

/** Regular recoding of K_LE into `count` odd digits of width w: d_i = (bits[wi, wi+w] | 1) - 2^w. */
function regularDigits(w: number, count: number, out: Int32Array): void {
  for (let i = 0; i < count; i++) out[i] = (bitsAt(w * i, w + 1) | 1) - (1 << w);
}

const DIGITS = new Int32Array(64);
const QX = feNew(), QY = feNew(), QN = feNew();

/**
 * Copies entry `index` of `count` affine points starting at `base` in `table` into QX, QY,
 * reading every entry (masked), then negates QY when `negate` is 1.
 */
function selectCt(table: Float64Array, base: number, count: number, index: number, negate: number): void {
  QX.fill(0);
  QY.fill(0);
  for (let e = 0; e < count; e++) {
    const m = +(e === index);
    const off = base + e * POINT;
    for (let i = 0; i < LIMBS; i++) {
      QX[i] = QX[i]! + table[off + i]! * m;
      QY[i] = QY[i]! + table[off + LIMBS + i]! * m;
    }
  }
  feNeg(QN, QY);
  feCmov(QY, QN, negate);
}

/** Copies entry `index` directly (public indices only), negating y when `negate`. */
function selectVartime(table: Float64Array, base: number, index: number, negate: boolean): void {
  const off = base + index * POINT;
  for (let i = 0; i < LIMBS; i++) {
    QX[i] = table[off + i]!;
    QY[i] = table[off + LIMBS + i]!;
  }
  if (negate) feNeg(QY, QY);
}

/** acc = [k]G by the comb; k below n. `secret` selects the constant-time table reads. */
function combMul(acc: Jac, k: Uint8Array, secret: boolean): void {
  const table = comb();
  loadOdd(k);
  regularDigits(COMB_W, COMB_WINDOWS, DIGITS);
  for (let i = 0; i < COMB_WINDOWS; i++) {
    const d = DIGITS[i]!;
    const neg = d >>> 31; // 1 for a negative digit
    const mag = (d ^ -neg) + neg; // |d|
    const base = i * COMB_ENTRIES * POINT;
    if (secret) selectCt(table, base, COMB_ENTRIES, (mag - 1) >>> 1, neg);
    else selectVartime(table, base, (mag - 1) >>> 1, neg === 1);
    if (i === 0) jacFromAffine(acc, QX, QY);
    else madd(acc, acc, QX, QY);
  }
  const top = combTop!;
  madd(acc, acc, top.subarray(0, LIMBS), top.subarray(LIMBS, POINT));
  K_LE.fill(0);
  DIGITS.fill(0);
}

const VAR_W = 5;
const VAR_WINDOWS = 52; // 5·52 = 260 bits
const VAR_ENTRIES = 1 << (VAR_W - 1); // P, 3P, …, 31P

function tableOf(pt: FastPoint): Float64Array {
  return pt.table ?? (pt.table = oddMultiples(pt.x, pt.y, VAR_ENTRIES));
}

/** acc = [k]P for a secret k below n (regular windows, constant-time reads). */
function varMul(acc: Jac, k: Uint8Array, table: Float64Array): void {
  loadOdd(k);
  regularDigits(VAR_W, VAR_WINDOWS, DIGITS);
  // The top digit K_52 = (k' >> 260) | 1 is 1: start from P.
  jacFromAffine(acc, table.subarray(0, LIMBS), table.subarray(LIMBS, POINT));
  for (let i = VAR_WINDOWS - 1; i >= 0; i--) {
    for (let s = 0; s < VAR_W; s++) dbl(acc, acc);
    const d = DIGITS[i]!;
    const neg = d >>> 31;
    const mag = (d ^ -neg) + neg;
    selectCt(table, 0, VAR_ENTRIES, (mag - 1) >>> 1, neg);
    madd(acc, acc, QX, QY);
  }
  K_LE.fill(0);
  DIGITS.fill(0);
}

const NAF = new Int8Array(260);

/** Width-w NAF of the public scalar k (32 bytes big-endian) into NAF; returns its length. */
function wnaf(k: Uint8Array, w: number): number {
  // Little-endian bits, then the usual right-to-left NAF with a carry.
  for (let i = 0; i < 32; i++) K_LE[i] = k[31 - i]!;
  K_LE[32] = 0;
  NAF.fill(0);
  const full = 1 << w, half = 1 << (w - 1);
  let carry = 0;
  let len = 0;
  for (let pos = 0; pos < 258; ) {
    const bit = ((bitsAt(pos, 1) + carry) & 1);
    if (bit === 0) {
      // bit + carry is 0 or 2: digit 0, and a carry of 2 moves on as 1.
      carry = bitsAt(pos, 1) & carry;
      pos++;
      continue;
    }
    let window = bitsAt(pos, w) + carry;
    carry = 0;
    if (window >= half) {
      window -= full;
      carry = 1;
    }
    NAF[pos] = window;
    len = pos + 1;
    pos += w;
    // The window's remaining bits are consumed; its carry applies from bit pos on.
  }
  return len;
}

/** acc = [t]P for a public t, by width-6 NAF over P's odd multiples. */
function nafMul(acc: Jac, t: Uint8Array, table: Float64Array): void {
  const len = wnaf(t, 6);
  feCopy(acc.x, FE_ONE);
  feCopy(acc.y, FE_ONE);
  feCopy(acc.z, feZero);
  for (let i = len - 1; i >= 0; i--) {
    dbl(acc, acc);
    const d = NAF[i]!;
    if (d !== 0) {
      selectVartime(table, 0, ((d < 0 ? -d : d) - 1) >>> 1, d < 0);
      madd(acc, acc, QX, QY);
    }
  }
}

const ACC = jacNew(), ACC2 = jacNew();

function affinePoint(acc: Jac): FastPoint | null {
  const x = feNew(), y = feNew();
  return toAffine(acc, x, y) ? new FastPoint(x, y) : null;
}

const SQRT_T = feNew(), B_MONT = feNew(), THREE = feNew();

/** Whether (x, y) satisfies y² = x³ - 3x + b. */
function onCurve(x: Fe, y: Fe): boolean {
  const lhs = feNew(), rhs = feNew();
  feSqr(lhs, y);
  rhsOf(rhs, x);
  return feEqual(lhs, rhs) === 1;
}

/** o = x³ - 3x + b. */
function rhsOf(o: Fe, x: Fe): void {
  if (feIsZero(B_MONT) === 1) {
    feFromBytes(B_MONT, bigBytes(SM2P256V1.b), 0);
    feAdd(THREE, FE_ONE, FE_ONE);
    feAdd(THREE, THREE, FE_ONE);
  }
  const t = feNew();
  feSqr(t, x);
  feSub(t, t, THREE);
  feMul(o, t, x);
  feAdd(o, o, B_MONT);
}

const N_BIG = SM2P256V1.n;
const X_CAND = feNew(), ZZ = feNew(), XZ = feNew();
const CAND_BYTES = new Uint8Array(32);

/**
 * The fast sm2p256v1 operations.
 * @example sm2p256v1.encodePoint(sm2p256v1.mulBase(k), false)
 */
export const sm2p256v1: CurveOps<FastPoint> = {
  params: SM2P256V1,

  decodePoint(bytes) {
    if (bytes.length === 65 && bytes[0] === 0x04) {
      const x = feNew(), y = feNew();
      if (!feFromBytes(x, bytes, 1) || !feFromBytes(y, bytes, 33)) return null;
      return onCurve(x, y) ? new FastPoint(x, y) : null;
    }
    if (bytes.length === 33 && (bytes[0] === 0x02 || bytes[0] === 0x03)) {
      // GB/T 32918.1-2016 §A.5.2: y = sqrt(x³ + ax + b), the root whose parity is the prefix's.
      const x = feNew(), y = feNew();
      if (!feFromBytes(x, bytes, 1)) return null;
      rhsOf(SQRT_T, x);
      if (feSqrt(y, SQRT_T) !== 1) return null;
      if (feIsOdd(y) !== (bytes[0] & 1)) {
        if (feIsZero(y) === 1) return null; // y = 0 has no odd twin
        feNeg(y, y);
      }
      return new FastPoint(x, y);
    }
    return null;
  },

  encodePoint(pt, compressed) {
    if (compressed) {
      const out = new Uint8Array(33);
      out[0] = 0x02 | feIsOdd(pt.y);
      feToBytes(out, 1, pt.x);
      return out;
    }
    const out = new Uint8Array(65);
    out[0] = 0x04;
    feToBytes(out, 1, pt.x);
    feToBytes(out, 33, pt.y);
    return out;
  },

  pointXY(pt) {
    const out = new Uint8Array(64);
    feToBytes(out, 0, pt.x);
    feToBytes(out, 32, pt.y);
    return out;
  },

  mulBase(k) {
    combMul(ACC, k, true);
    const r = affinePoint(ACC);
    if (!r) throw new RangeError('k must be in [1, n-1]');
    return r;
  },

  mulSecret(k, pt) {
    varMul(ACC, k, tableOf(pt));
    return affinePoint(ACC);
  },

  sumHasX(s, t, pt, x) {
    // [t]P by NAF, then the comb additions for [s]G on top (the comb needs no doublings).
    nafMul(ACC, t, tableOf(pt));
    combMul(ACC2, s, false);
    add(ACC, ACC, ACC2);
    if (feIsZero(ACC.z) === 1) return false;
    // B7 without an inversion: the affine x is X/Z², and x mod n = target means x = target or
    // target + n (x < p < 2n); compare X with candidate·Z² for each candidate below p.
    feSqr(ZZ, ACC.z);
    for (let cand = x; cand < SM2P256V1.p; cand += N_BIG) {
      let c = cand;
      for (let i = 31; i >= 0; i--) {
        CAND_BYTES[i] = Number(c & 0xffn);
        c >>= 8n;
      }
      feFromBytes(X_CAND, CAND_BYTES, 0);
      feMul(XZ, X_CAND, ZZ);
      if (feEqual(XZ, ACC.x) === 1) return true;
    }
    return false;
  },

  addMulVartime(pt, c, r) {
    nafMul(ACC, c, tableOf(r));
    madd(ACC, ACC, pt.x, pt.y);
    return affinePoint(ACC);
  },
};
