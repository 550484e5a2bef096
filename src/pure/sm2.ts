/**
 * SM2 (GB/T 32918.1–4-2016, GB/T 32918.5-2017) in plain TypeScript: the {@link Sm2Backend} of
 * the pure backend — keys, signatures over a given digest e (.2), public-key encryption (.4),
 * ECDH and the shared point of the key exchange (.3). Z_A and e = SM3(Z_A || M) are computed by
 * the public layer (src/sm2.ts); everything here works on bytes it has been given.
 *
 * The scheme code is written once over {@link CurveOps}: {@link pureSm2} runs it on sm2p256v1
 * with the fast limb arithmetic of sm2-point.ts, and {@link createPureSm2} on any other curve in
 * BigInt arithmetic — only so that the worked examples of GB/T 32918.2/.3/.4 Annex A, which use
 * an Fp-256 test curve, can run through the same code (an internal test entry, not public API).
 *
 * Scalar arithmetic mod n uses BigInt (a handful of operations per signature). BigInt values
 * cannot be wiped; the byte copies of secrets that this module owns are.
 *
 * Imports nothing from `node:*`.
 * @module
 */
import type {
  Sm2Backend,
  Sm2PrivateHandle,
  Sm2PublicHandle,
  Sm2TestNonce,
} from '../backend/types.js';
import { GuomiError } from '../errors.js';
import { copyBytes, equalBytes, nextTurn, randomBytes, wipe } from '../utils.js';
import {
  bigToBytes,
  bytesToBig,
  genericCurve,
  mod,
  powMod,
  type CurveOps,
  type CurveParams,
} from './sm2-curve.js';
import { HmacDrbgSm3 } from './sm2-drbg.js';
import { sm2p256v1 } from './sm2-point.js';
import { pureSm3 } from './sm3.js';

/** GB/T 32918.3-2016 §6.1: w = ⌈⌈log2 n⌉/2⌉ - 1 = 127 for a 256-bit n. */
const KEX_W = 127n;
const KEX_LOW = (1n << KEX_W) - 1n;

/** Tries before giving up on finding a nonce (each fails with probability about 2^-254). */
const MAX_TRIES = 64;

const destroyedError = (): GuomiError =>
  new GuomiError('ERR_INVALID_STATE', 'SM2 key used after destroy()');

/** Opaque private handle: d, (1+d)^-1 mod n and the public point. */
class PrivateHandle<Pt> implements Sm2PrivateHandle {
  dBytes: Uint8Array;
  d: bigint;
  dinv: bigint;
  readonly pub: Pt;
  readonly pubBytes: Uint8Array;
  destroyed = false;

  constructor(dBytes: Uint8Array, d: bigint, dinv: bigint, pub: Pt, pubBytes: Uint8Array) {
    this.dBytes = dBytes;
    this.d = d;
    this.dinv = dinv;
    this.pub = pub;
    this.pubBytes = pubBytes;
  }

  /** A copy for an async call, so that destroying the original after the call changes nothing. */
  clone(): PrivateHandle<Pt> {
    return new PrivateHandle(copyBytes(this.dBytes), this.d, this.dinv, this.pub, this.pubBytes);
  }

  destroy(): void {
    wipe(this.dBytes);
    this.d = 0n;
    this.dinv = 0n;
    this.destroyed = true;
  }
}

/** Opaque public handle: a validated point (with its odd multiples once computed). */
class PublicHandle<Pt> implements Sm2PublicHandle {
  readonly pt: Pt;
  readonly bytes: Uint8Array;
  destroyed = false;

  constructor(pt: Pt, bytes: Uint8Array) {
    this.pt = pt;
    this.bytes = bytes;
  }

  /** A copy for an async call (see PrivateHandle.clone). */
  clone(): PublicHandle<Pt> {
    return new PublicHandle(this.pt, this.bytes);
  }

  destroy(): void {
    this.destroyed = true;
  }
}

/**
 * Runs `fn` on a later turn of the event loop (the pure backend has no threads), so that an
 * async call never blocks its caller synchronously. Inputs must already be copied.
 */
function later<T>(fn: () => T): Promise<T> {
  return nextTurn().then(fn);
}

function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < bytes.length; i++) acc |= bytes[i]!;
  return acc === 0;
}

/** The SM2 schemes over the given curve operations. */
function makeSm2<Pt>(curve: CurveOps<Pt>): Sm2Backend {
  const { n } = curve.params;
  const len = Math.ceil(curve.params.p.toString(16).length / 2);

  function priv(key: Sm2PrivateHandle): PrivateHandle<Pt> {
    if (!(key instanceof PrivateHandle)) throw new TypeError('not a pure-backend SM2 private key');
    if (key.destroyed) throw destroyedError();
    return key as PrivateHandle<Pt>;
  }

  function pub(key: Sm2PublicHandle): PublicHandle<Pt> {
    if (!(key instanceof PublicHandle)) throw new TypeError('not a pure-backend SM2 public key');
    if (key.destroyed) throw destroyedError();
    return key as PublicHandle<Pt>;
  }

  /** A fresh scalar in [1, max] by rejection sampling from the CSPRNG. */
  function randomScalar(max: bigint): Uint8Array {
    for (;;) {
      const b = randomBytes(32);
      const v = bytesToBig(b);
      if (v >= 1n && v <= max) return b;
      wipe(b);
    }
  }

  function loadPrivate(d: Uint8Array): PrivateHandle<Pt> {
    const dv = bytesToBig(d);
    // GB/T 32918.1-2016 §6.1: d ∈ [1, n-2] (n-1 is excluded: 1 + d must be invertible).
    if (d.length !== 32 || dv < 1n || dv > n - 2n) {
      throw new GuomiError('ERR_SM2_INVALID_KEY', 'SM2 private key must be in [1, n-2]');
    }
    const dBytes = copyBytes(d);
    const p = curve.mulBase(dBytes);
    // (1 + d)^-1 mod n, once per key (GB/T 32918.2-2016 §6.1 A6), by Fermat (n is prime).
    const dinv = powMod(1n + dv, n - 2n, n);
    return new PrivateHandle(dBytes, dv, dinv, p, curve.encodePoint(p, false));
  }

  /**
   * GB/T 32918.2-2016 §6.1 A4–A6 with nonce k: r = (e + x1) mod n, s = (1+d)^-1·(k + r) - r
   * (= (1+d)^-1·(k - r·d)). Returns null when k must be replaced (r = 0, r + k = n, s = 0).
   */
  function signWith(h: PrivateHandle<Pt>, e: Uint8Array, kBytes: Uint8Array): Uint8Array | null {
    const k = bytesToBig(kBytes);
    if (k < 1n || k >= n) return null;
    const p1 = curve.mulBase(kBytes);
    const x1 = bytesToBig(curve.pointXY(p1).subarray(0, len));
    const r = mod(bytesToBig(e) + x1, n);
    if (r === 0n || r + k === n) return null;
    const s = mod(h.dinv * (k + r) - r, n);
    if (s === 0n) return null;
    const out = new Uint8Array(64);
    out.set(bigToBytes(r, 32), 0);
    out.set(bigToBytes(s, 32), 32);
    return out;
  }

  function sign(key: Sm2PrivateHandle, e: Uint8Array, test?: Sm2TestNonce): Uint8Array {
    const h = priv(key);
    if (test?.k !== undefined) {
      const sig = test.k.length === 32 ? signWith(h, e, test.k) : null;
      if (!sig) {
        throw new RangeError('test nonce k is out of range or would be replaced (r = 0, r + k = n, s = 0)');
      }
      return sig;
    }
    // Hedged nonce: HMAC_DRBG(entropy = 32 fresh bytes, nonce = e, personalization = d), as the
    // native core does; k is drawn until it is in [1, n-1] and usable (§6.1 A3, A5, A6).
    const entropy = randomBytes(32);
    const drbg = new HmacDrbgSm3(entropy, e, h.dBytes);
    wipe(entropy);
    try {
      for (let i = 0; i < MAX_TRIES; i++) {
        const k = drbg.generate(32);
        const sig = signWith(h, e, k);
        wipe(k);
        if (sig) return sig;
      }
    } finally {
      drbg.destroy();
    }
    throw new GuomiError('ERR_INVALID_STATE', 'SM2 signing found no usable nonce');
  }

  /** GB/T 32918.2-2016 §7.1 B1–B7 (public data only). */
  function verify(key: Sm2PublicHandle, e: Uint8Array, signature: Uint8Array): boolean {
    return verifyWith(pub(key), e, signature);
  }

  function verifyWith(h: PublicHandle<Pt>, e: Uint8Array, signature: Uint8Array): boolean {
    if (signature.length !== 64) return false;
    const rb = signature.subarray(0, 32), sb = signature.subarray(32);
    const r = bytesToBig(rb), s = bytesToBig(sb);
    // B1, B2: r, s ∈ [1, n-1].
    if (r < 1n || r >= n || s < 1n || s >= n) return false;
    // B5: t = (r + s) mod n, t ≠ 0.
    const t = mod(r + s, n);
    if (t === 0n) return false;
    // B6, B7: (x1', y1') = [s]G + [t]P ≠ O and (e + x1') mod n = r, i.e. x1' ≡ r - e (mod n).
    return curve.sumHasX(sb, bigToBytes(t, 32), h.pt, mod(r - bytesToBig(e), n));
  }

  /**
   * GB/T 32918.4-2016 §6.1 A2–A8 with nonce k: C1 = [k]G, (x2, y2) = [k]P,
   * t = KDF(x2 || y2, 8·len), C2 = M ⊕ t, C3 = SM3(x2 || M || y2); returns C1 || C3 || C2, or
   * null when t is all zero (A5: pick another k).
   */
  function encryptWith(h: PublicHandle<Pt>, m: Uint8Array, k: Uint8Array): Uint8Array | null {
    const c1 = curve.encodePoint(curve.mulBase(k), false);
    const s = curve.mulSecret(k, h.pt);
    if (!s) return null;
    const xy = curve.pointXY(s);
    const t = pureSm3.sm3Kdf(xy, m.length);
    if (isAllZero(t)) {
      wipe(xy);
      return null;
    }
    const out = new Uint8Array(c1.length + 32 + m.length);
    out.set(c1, 0);
    const c2 = out.subarray(c1.length + 32);
    for (let i = 0; i < m.length; i++) c2[i] = m[i]! ^ t[i]!;
    const c3 = pureSm3.sm3Create();
    c3.update(xy.subarray(0, len));
    c3.update(m);
    c3.update(xy.subarray(len));
    out.set(c3.digest(), c1.length);
    wipe(xy, t);
    return out;
  }

  function encrypt(key: Sm2PublicHandle, message: Uint8Array, test?: Sm2TestNonce): Uint8Array {
    const h = pub(key);
    if (message.length === 0) throw new RangeError('"message" must not be empty');
    if (test?.k !== undefined) {
      const kv = test.k.length === 32 ? bytesToBig(test.k) : 0n;
      const out = kv >= 1n && kv < n ? encryptWith(h, message, test.k) : null;
      if (!out) throw new RangeError('test nonce k is out of range or gives an all-zero key stream');
      return out;
    }
    for (let i = 0; i < MAX_TRIES; i++) {
      const k = randomScalar(n - 1n);
      const out = encryptWith(h, message, k);
      wipe(k);
      if (out) return out;
    }
    throw new GuomiError('ERR_INVALID_STATE', 'SM2 encryption found no usable nonce');
  }

  const decryptFailed = (): GuomiError =>
    new GuomiError('ERR_SM2_DECRYPT_FAILED', 'SM2 decryption failed');

  /** GB/T 32918.4-2016 §7.1 B1–B7, with one error for every failure. */
  function decrypt(key: Sm2PrivateHandle, c1: Uint8Array, c3: Uint8Array, c2: Uint8Array): Uint8Array {
    const h = priv(key);
    // B1: C1 must be a point on the curve (uncompressed, as the backend contract says).
    const point = c1.length === 2 * len + 1 && c1[0] === 0x04 ? curve.decodePoint(c1) : null;
    if (!point || c3.length !== 32 || c2.length === 0) throw decryptFailed();
    // B3: (x2, y2) = [d]C1 (B2, [h]C1 ≠ O, holds as h = 1).
    const s = curve.mulSecret(h.dBytes, point);
    if (!s) throw decryptFailed();
    const xy = curve.pointXY(s);
    // B4: t = KDF(x2 || y2, klen), not all zero.
    const t = pureSm3.sm3Kdf(xy, c2.length);
    const m = new Uint8Array(c2.length);
    for (let i = 0; i < m.length; i++) m[i] = c2[i]! ^ t[i]!;
    // B6: u = SM3(x2 || M' || y2) must equal C3 (constant-time comparison).
    const u = pureSm3.sm3Create();
    u.update(xy.subarray(0, len));
    u.update(m);
    u.update(xy.subarray(len));
    const ok = equalBytes(u.digest(), c3) && !isAllZero(t);
    wipe(xy, t);
    if (!ok) {
      wipe(m);
      throw decryptFailed();
    }
    return m;
  }

  /** x̄ = 2^w + (x mod 2^w) (GB/T 32918.3-2016 §6.1 A4/B3), from an encoded point's x. */
  function xBar(point: Uint8Array): bigint {
    return (1n << KEX_W) + (bytesToBig(point.subarray(1, 1 + len)) & KEX_LOW);
  }

  const invalidPoint = (what: string): GuomiError =>
    new GuomiError('ERR_SM2_INVALID_POINT', what);

  return {
    sm2PrivateKey: (d) => loadPrivate(d),
    sm2PrivateToPublic: (key) => copyBytes(priv(key).pubBytes),
    sm2GenerateScalar: () => randomScalar(n - 2n),
    sm2PublicKey(point) {
      const pt = curve.decodePoint(point);
      if (!pt) throw invalidPoint('not a valid SM2 public point');
      return new PublicHandle(pt, curve.encodePoint(pt, false));
    },
    sm2PublicBytes: (key, compressed) => {
      const h = pub(key);
      return compressed ? curve.encodePoint(h.pt, true) : copyBytes(h.bytes);
    },
    sm2Sign: sign,
    sm2Verify: verify,
    sm2Encrypt: encrypt,
    sm2Decrypt: decrypt,
    sm2Ecdh(key, peer) {
      const s = curve.mulSecret(priv(key).dBytes, pub(peer).pt);
      if (!s) throw invalidPoint('ECDH result is the point at infinity');
      return curve.pointXY(s);
    },
    sm2KeyExchangePoint(key, ownEphemeral, ownEphemeralPoint, peer, peerEphemeral) {
      const h = priv(key);
      const peerKey = pub(peer);
      const r = bytesToBig(ownEphemeral);
      if (ownEphemeral.length !== 32 || r < 1n || r >= n) {
        throw new RangeError('the ephemeral private key must be in [1, n-1]');
      }
      if (ownEphemeralPoint.length !== 2 * len + 1 || ownEphemeralPoint[0] !== 0x04) {
        throw new RangeError('the own ephemeral point must be an uncompressed point');
      }
      // A4/B3: t = (d + x̄_own·r) mod n.
      const t = bigToBytes(mod(h.d + xBar(ownEphemeralPoint) * r, n), 32);
      // A6/B5: check R_peer, then U = [h·t](P_peer + [x̄_peer]R_peer), h = 1.
      const rPeer = curve.decodePoint(peerEphemeral);
      if (!rPeer || peerEphemeral[0] !== 0x04) throw invalidPoint('the peer ephemeral point is not valid');
      const q = curve.addMulVartime(peerKey.pt, bigToBytes(xBar(peerEphemeral), 32), rPeer);
      const u = q ? curve.mulSecret(t, q) : null;
      wipe(t);
      if (!u) throw invalidPoint('the key exchange gives the point at infinity');
      return curve.pointXY(u);
    },
    // The async calls take their keys and inputs when called, as the native backend does (the
    // addon copies the key structs), so the caller may destroy a key or reuse a buffer as soon
    // as the call returns.
    sm2SignAsync(key, e) {
      const h = priv(key).clone(), ec = copyBytes(e);
      return later(() => {
        try {
          return sign(h, ec);
        } finally {
          h.destroy();
        }
      });
    },
    sm2VerifyAsync(key, e, signature) {
      const h = pub(key), ec = copyBytes(e), sc = copyBytes(signature);
      return later(() => verifyWith(h, ec, sc));
    },
    // Each item on its own later turn, as sm2VerifyAsync.
    sm2VerifyBatchAsync(jobs) {
      const work = jobs.map((j) => [pub(j.key), copyBytes(j.e), copyBytes(j.signature)] as const);
      return Promise.all(work.map(([h, e, sig]) => later(() => verifyWith(h, e, sig))));
    },
    sm2EncryptAsync(key, message) {
      const h = pub(key).clone(), m = copyBytes(message);
      return later(() => {
        try {
          return encrypt(h, m);
        } finally {
          wipe(m);
        }
      });
    },
    sm2DecryptAsync(key, c1, c3, c2) {
      const h = priv(key).clone(), a = copyBytes(c1), b = copyBytes(c3), c = copyBytes(c2);
      return later(() => {
        try {
          return decrypt(h, a, b, c);
        } finally {
          h.destroy();
        }
      });
    },
  };
}

/**
 * The SM2 part of the pure backend (sm2p256v1).
 * @example pureSm2.sm2Verify(pureSm2.sm2PublicKey(point), e, rs)
 */
export const pureSm2: Sm2Backend = /* @__PURE__ */ makeSm2(sm2p256v1);

/**
 * The same SM2 schemes on another curve (BigInt arithmetic, slow), for the worked examples of
 * GB/T 32918.2/.3/.4 Annex A on their Fp-256 test curve. Not part of the public API.
 * @param params the curve (p ≡ 3 mod 4, cofactor 1)
 * @returns an Sm2Backend over that curve
 * @throws RangeError for an unsupported curve
 * @example createPureSm2(testCurve).sm2Sign(key, e, { k })
 * @internal
 */
export function createPureSm2(params: CurveParams): Sm2Backend {
  return makeSm2(genericCurve(params));
}

export type { CurveParams } from './sm2-curve.js';
