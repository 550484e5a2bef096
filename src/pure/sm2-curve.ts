/**
 * The elliptic-curve operations that the SM2 schemes (src/pure/sm2.ts) need, as an interface with
 * two implementations:
 *
 * - sm2p256v1 (src/pure/sm2-point.ts): the recommended curve of GB/T 32918.5-2017 §4, fast, with
 *   a uniform sequence of operations for secret scalars;
 * - {@link genericCurve} below: any short Weierstrass curve y² = x³ + ax + b over F_p with
 *   p ≡ 3 (mod 4) and cofactor 1, in plain BigInt arithmetic. It exists so that the worked
 *   examples of GB/T 32918.2/.3/.4 Annex A, which use an Fp-256 test curve, can run through the
 *   same scheme code; it is also the reference the fast curve is tested against.
 *
 * Scalars are 32-byte big-endian arrays; points are opaque values made by decodePoint or the
 * multiplications, always affine and never the point at infinity (operations that could give
 * infinity return null).
 *
 * Imports nothing from `node:*`.
 * @module
 */

/** Parameters of a curve y² = x³ + ax + b over F_p with base point G of prime order n, h = 1. */
export interface CurveParams {
  p: bigint;
  a: bigint;
  b: bigint;
  gx: bigint;
  gy: bigint;
  n: bigint;
}

/** Curve operations over points of type Pt. */
export interface CurveOps<Pt> {
  readonly params: CurveParams;
  /**
   * Decodes a 65-byte uncompressed (04) or 33-byte compressed (02/03) point and validates it
   * (GB/T 32918.1-2016 §6.2.1: not infinity, coordinates below p, on the curve; [n]P = O holds
   * as h = 1). Returns null when it is not a valid point.
   */
  decodePoint(bytes: Uint8Array): Pt | null;
  /** 04 || x || y (65 bytes), or 02/03 || x (33 bytes). */
  encodePoint(pt: Pt, compressed: boolean): Uint8Array;
  /** x || y, 64 bytes. */
  pointXY(pt: Pt): Uint8Array;
  /** [k]G for a secret k in [1, n-1]. */
  mulBase(k: Uint8Array): Pt;
  /** [k]P for a secret k below n; null when the result is infinity (k = 0). */
  mulSecret(k: Uint8Array, pt: Pt): Pt | null;
  /**
   * For public s, t below n: whether [s]G + [t]P is not infinity and its x coordinate, reduced
   * mod n, equals `x` (the check of GB/T 32918.2-2016 §7.1 B6–B7).
   */
  sumHasX(s: Uint8Array, t: Uint8Array, pt: Pt, x: bigint): boolean;
  /** P + [c]R for a public c below n; null when the result is infinity. */
  addMulVartime(pt: Pt, c: Uint8Array, r: Pt): Pt | null;
}

/**
 * Big-endian bytes of x, left-padded to `len`.
 * @param x a non-negative integer below 2^(8·len)
 * @param len the output length (default 32)
 * @returns the bytes
 * @throws RangeError if x does not fit
 * @example bigToBytes(1n).at(-1) // 1
 */
export function bigToBytes(x: bigint, len = 32): Uint8Array {
  if (x < 0n || x >> BigInt(8 * len) !== 0n) throw new RangeError('integer too large');
  const out = new Uint8Array(len);
  let i = len;
  // Eight bytes at a time (BigInt shifts are the slow part), then the rest.
  if (len % 8 === 0) {
    const view = new DataView(out.buffer);
    for (; i > 0; i -= 8) {
      view.setBigUint64(i - 8, x & 0xffffffffffffffffn);
      x >>= 64n;
    }
    return out;
  }
  for (; i > 0; i--) {
    out[i - 1] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/**
 * The unsigned big-endian integer in `bytes`.
 * @param bytes the bytes (any length)
 * @returns the integer
 * @example bytesToBig(Uint8Array.of(1, 0)) // 256n
 */
export function bytesToBig(bytes: Uint8Array): bigint {
  if (bytes.length === 32) {
    const v = new DataView(bytes.buffer, bytes.byteOffset, 32);
    return (
      (v.getBigUint64(0) << 192n) | (v.getBigUint64(8) << 128n) | (v.getBigUint64(16) << 64n) | v.getBigUint64(24)
    );
  }
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += (bytes[i]! + 0x100).toString(16).slice(1);
  return hex === '' ? 0n : BigInt('0x' + hex);
}

/**
 * x mod m in [0, m), also for negative x.
 * @param x the integer
 * @param m the modulus
 * @returns the residue
 * @example mod(-1n, 7n) // 6n
 */
export function mod(x: bigint, m: bigint): bigint {
  const r = x % m;
  return r < 0n ? r + m : r;
}

/**
 * x^e mod m with fixed 4-bit windows: four squarings and one multiplication per window, the same
 * steps for every x (the exponent is public: p - 2, n - 2 or (p + 1)/4).
 * @param x the base
 * @param e the exponent (non-negative)
 * @param m the modulus
 * @returns x^e mod m
 * @example powMod(3n, 5n, 7n) // 5n
 */
export function powMod(x: bigint, e: bigint, m: bigint): bigint {
  const table: bigint[] = [1n, mod(x, m)];
  for (let i = 2; i < 16; i++) table.push((table[i - 1]! * table[1]!) % m);
  const digits = e.toString(16);
  let result = 1n;
  for (let i = 0; i < digits.length; i++) {
    for (let s = 0; s < 4; s++) result = (result * result) % m;
    result = (result * table[parseInt(digits[i]!, 16)]!) % m;
  }
  table.fill(0n);
  return result;
}

/** A point of the generic curve, affine. */
interface GPoint {
  x: bigint;
  y: bigint;
}

/** Jacobian coordinates (X/Z², Y/Z³); Z = 0 is infinity. */
interface GJac {
  x: bigint;
  y: bigint;
  z: bigint;
}

/**
 * Curve operations in BigInt arithmetic for any curve with p ≡ 3 (mod 4) and h = 1. Secret
 * scalars go through a Montgomery ladder (one addition and one doubling per bit). Slow (tens of
 * milliseconds per operation); for the standards' test-curve examples and as a test reference.
 * @param params the curve
 * @returns its operations
 * @throws RangeError if p is not 3 mod 4 or G is not on the curve
 * @example genericCurve(SM2P256V1).mulBase(bigToBytes(2n))
 */
export function genericCurve(params: CurveParams): CurveOps<GPoint> {
  const { p, a, b, n } = params;
  if (p % 4n !== 3n) throw new RangeError('genericCurve supports p ≡ 3 (mod 4) only');
  const len = Math.ceil(p.toString(16).length / 2);
  const fm = (x: bigint): bigint => mod(x, p);
  const onCurve = (x: bigint, y: bigint): boolean => fm(y * y - (x * x * x + a * x + b)) === 0n;
  if (!onCurve(params.gx, params.gy)) throw new RangeError('G is not on the curve');
  const G: GPoint = { x: params.gx, y: params.gy };
  const O: GJac = { x: 1n, y: 1n, z: 0n };
  const inv = (x: bigint): bigint => powMod(x, p - 2n, p);

  function dbl(q: GJac): GJac {
    if (q.z === 0n || q.y === 0n) return O;
    const yy = fm(q.y * q.y);
    const s = fm(4n * q.x * yy);
    const zz = fm(q.z * q.z);
    const m = fm(3n * q.x * q.x + a * zz * zz);
    const x = fm(m * m - 2n * s);
    const y = fm(m * (s - x) - 8n * yy * yy);
    const z = fm(2n * q.y * q.z);
    return { x, y, z };
  }

  function add(q: GJac, r: GJac): GJac {
    if (q.z === 0n) return r;
    if (r.z === 0n) return q;
    const z1z1 = fm(q.z * q.z);
    const z2z2 = fm(r.z * r.z);
    const u1 = fm(q.x * z2z2);
    const u2 = fm(r.x * z1z1);
    const s1 = fm(q.y * r.z * z2z2);
    const s2 = fm(r.y * q.z * z1z1);
    if (u1 === u2) return s1 === s2 ? dbl(q) : O;
    const h = fm(u2 - u1);
    const rr = fm(s2 - s1);
    const hh = fm(h * h);
    const hhh = fm(h * hh);
    const v = fm(u1 * hh);
    const x = fm(rr * rr - hhh - 2n * v);
    const y = fm(rr * (v - x) - s1 * hhh);
    const z = fm(q.z * r.z * h);
    return { x, y, z };
  }

  const jac = (q: GPoint): GJac => ({ x: q.x, y: q.y, z: 1n });

  function affine(q: GJac): GPoint | null {
    if (q.z === 0n) return null;
    const zi = inv(q.z);
    const zi2 = fm(zi * zi);
    return { x: fm(q.x * zi2), y: fm(q.y * zi2 * zi) };
  }

  /** Montgomery ladder over all `bits` bits of k: the same additions for every k. */
  function ladder(k: bigint, q: GPoint): GJac {
    let r0 = O;
    let r1 = jac(q);
    const bits = k.toString(2).padStart(n.toString(2).length, '0');
    for (let i = 0; i < bits.length; i++) {
      if (bits[i] === '1') {
        r0 = add(r0, r1);
        r1 = dbl(r1);
      } else {
        r1 = add(r0, r1);
        r0 = dbl(r0);
      }
    }
    return r0;
  }

  function mulVartime(k: bigint, q: GPoint): GJac {
    let acc = O;
    const qj = jac(q);
    const bits = k.toString(2);
    for (let i = 0; i < bits.length; i++) {
      acc = dbl(acc);
      if (bits[i] === '1') acc = add(acc, qj);
    }
    return acc;
  }

  return {
    params,
    decodePoint(bytes) {
      if (bytes.length === 2 * len + 1 && bytes[0] === 0x04) {
        const x = bytesToBig(bytes.subarray(1, 1 + len));
        const y = bytesToBig(bytes.subarray(1 + len));
        if (x >= p || y >= p || !onCurve(x, y)) return null;
        return { x, y };
      }
      if (bytes.length === len + 1 && (bytes[0] === 0x02 || bytes[0] === 0x03)) {
        const x = bytesToBig(bytes.subarray(1));
        if (x >= p) return null;
        const rhs = fm(x * x * x + a * x + b);
        let y = powMod(rhs, (p + 1n) / 4n, p);
        if (fm(y * y) !== rhs) return null;
        if (Number(y & 1n) !== (bytes[0] & 1)) y = fm(-y);
        if (fm(y * y) !== rhs || (y === 0n && bytes[0] === 0x03)) return null;
        return { x, y };
      }
      return null;
    },
    encodePoint(pt, compressed) {
      if (compressed) {
        const out = new Uint8Array(len + 1);
        out[0] = 0x02 | Number(pt.y & 1n);
        out.set(bigToBytes(pt.x, len), 1);
        return out;
      }
      const out = new Uint8Array(2 * len + 1);
      out[0] = 0x04;
      out.set(bigToBytes(pt.x, len), 1);
      out.set(bigToBytes(pt.y, len), 1 + len);
      return out;
    },
    pointXY(pt) {
      const out = new Uint8Array(2 * len);
      out.set(bigToBytes(pt.x, len), 0);
      out.set(bigToBytes(pt.y, len), len);
      return out;
    },
    mulBase(k) {
      const r = affine(ladder(bytesToBig(k), G));
      if (!r) throw new RangeError('k must be in [1, n-1]');
      return r;
    },
    mulSecret(k, pt) {
      return affine(ladder(bytesToBig(k), pt));
    },
    sumHasX(s, t, pt, x) {
      const r = affine(add(mulVartime(bytesToBig(s), G), mulVartime(bytesToBig(t), pt)));
      return r !== null && mod(r.x, n) === x;
    },
    addMulVartime(pt, c, r) {
      return affine(add(jac(pt), mulVartime(bytesToBig(c), r)));
    },
  };
}
