/**
 * The pure-TypeScript SM2 internals against plain BigInt arithmetic: the 24-bit-limb Montgomery
 * field of sm2-field.ts, the fast sm2p256v1 point code of sm2-point.ts against the generic
 * BigInt curve (the reference also used for the test-curve examples), and the whole pure backend
 * against the same schemes run over the generic curve, and the HMAC-SM3 DRBG of the signing
 * nonces against vectors/sm2_drbg.txt. Edge scalars (1, 2, small, n-1, values
 * near the recoding boundaries) exercise the exceptional cases of the addition formulas.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bigToBytes, genericCurve } from '../src/pure/sm2-curve.js';
import * as F from '../src/pure/sm2-field.js';
import { SM2P256V1, sm2p256v1 } from '../src/pure/sm2-point.js';
import { HmacDrbgSm3 } from '../src/pure/sm2-drbg.js';
import { createPureSm2, pureSm2 } from '../src/pure/sm2.js';
import { forEachVector } from './filetest.js';

const P = F.P_BIG;
const N = SM2P256V1.n;
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const rand = (m: bigint): bigint => BigInt('0x' + crypto.randomBytes(40).toString('hex')) % m;
const powMod = (x: bigint, e: bigint, m: bigint): bigint => {
  let r = 1n;
  x %= m;
  for (; e > 0n; e >>= 1n, x = (x * x) % m) if (e & 1n) r = (r * x) % m;
  return r;
};

function fe(x: bigint): F.Fe {
  const o = F.feNew();
  expect(F.feFromBytes(o, bigToBytes(x), 0)).toBe(true);
  return o;
}
function val(a: F.Fe): bigint {
  const b = new Uint8Array(32);
  F.feToBytes(b, 0, a);
  return BigInt('0x' + toHex(b));
}
/** The representation invariant: limbs 0..9 in [0, 2^24), value in [0, 2p). */
function checkForm(a: F.Fe): void {
  let v = 0n;
  for (let i = 10; i >= 0; i--) {
    expect(Number.isInteger(a[i]!)).toBe(true);
    if (i < 10) expect(a[i]! >= 0 && a[i]! < 2 ** 24).toBe(true);
    v = (v << 24n) + BigInt(a[i]!);
  }
  expect(v < 2n * P).toBe(true);
}

describe('sm2p256v1 field (24-bit limbs, Montgomery form)', () => {
  const edges = [0n, 1n, 2n, 3n, P - 1n, P - 2n, P >> 1n, 1n << 255n, (1n << 224n) - 1n, 0xffffffn, (1n << 256n) - P];
  const values = [...edges, ...Array.from({ length: 400 }, () => rand(P))];

  it('mul, sqr, add, sub, neg agree with BigInt and keep the representation invariant', () => {
    const o = F.feNew();
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!, y = values[(i * 7 + 3) % values.length]!;
      const a = fe(x), b = fe(y);
      F.feMul(o, a, b);
      checkForm(o);
      expect(val(o)).toBe((x * y) % P);
      F.feSqr(o, a);
      checkForm(o);
      expect(val(o)).toBe((x * x) % P);
      F.feAdd(o, a, b);
      checkForm(o);
      expect(val(o)).toBe((x + y) % P);
      F.feSub(o, a, b);
      checkForm(o);
      expect(val(o)).toBe((((x - y) % P) + P) % P);
      F.feNeg(o, a);
      expect(val(o)).toBe((P - x) % P);
      expect(F.feIsZero(a)).toBe(x === 0n ? 1 : 0);
      expect(F.feEqual(a, b)).toBe(x === y ? 1 : 0);
    }
    // A value in [p, 2p) (p - 1 + p - 1 before reduction is kept below 2p).
    F.feAdd(o, fe(P - 1n), fe(P - 1n));
    checkForm(o);
    expect(val(o)).toBe(P - 2n);
  });

  it('inversion and square roots', () => {
    const o = F.feNew();
    for (const x of values.slice(0, 60)) {
      F.feInv(o, fe(x));
      expect(val(o)).toBe(powMod(x, P - 2n, P));
      const ok = F.feSqrt(o, fe(x));
      const isSquare = x === 0n || powMod(x, (P - 1n) / 2n, P) === 1n;
      expect(ok).toBe(isSquare ? 1 : 0);
      if (isSquare) expect((val(o) * val(o)) % P).toBe(x);
    }
  });

  it('reads only values below p', () => {
    const o = F.feNew();
    expect(F.feFromBytes(o, bigToBytes(P), 0)).toBe(false);
    expect(F.feFromBytes(o, bigToBytes(P + 1n), 0)).toBe(false);
    expect(F.feFromBytes(o, new Uint8Array(32).fill(0xff), 0)).toBe(false);
    expect(F.feFromBytes(o, bigToBytes(P - 1n), 0)).toBe(true);
  });
});

describe('sm2p256v1 points: fast code against the generic BigInt curve', () => {
  const ref = genericCurve(SM2P256V1);
  const enc = (c: typeof ref | typeof sm2p256v1, pt: unknown): string =>
    toHex((c.encodePoint as (p: unknown, c: boolean) => Uint8Array)(pt, false));
  const scalars = [
    1n, 2n, 3n, 5n, 31n, 32n, 33n, 63n, 64n, 65n, 1n << 128n, N - 1n, N - 2n, N - 3n, N - 31n, N - 32n, N - 33n,
    (N + 1n) / 2n, (N - 1n) / 2n, (1n << 255n) % N, (1n << 256n) % N, (1n << 258n) % N, (1n << 259n) % N,
    ...Array.from({ length: 24 }, () => 1n + rand(N - 1n)),
  ];
  const q = ref.mulBase(bigToBytes(0x1234567890abcdefn));
  const qFast = sm2p256v1.decodePoint(ref.encodePoint(q, false))!;

  it('[k]G (comb) and [k]P (regular windows) for edge and random scalars', () => {
    for (const k of scalars) {
      const kb = bigToBytes(k);
      expect(enc(sm2p256v1, sm2p256v1.mulBase(kb)), `mulBase ${k}`).toBe(enc(ref, ref.mulBase(kb)));
      expect(enc(sm2p256v1, sm2p256v1.mulSecret(kb, qFast)), `mulSecret ${k}`).toBe(enc(ref, ref.mulSecret(kb, q)));
    }
    expect(sm2p256v1.mulSecret(bigToBytes(0n), qFast)).toBeNull();
    expect(() => sm2p256v1.mulBase(bigToBytes(0n))).toThrow(RangeError);
    expect(() => sm2p256v1.mulBase(bigToBytes(N))).toThrow(RangeError);
  });

  it('[s]G + [t]P (verification) and P + [c]R (key exchange), infinity included', () => {
    for (const [i, s] of scalars.entries()) {
      const t = scalars[(i * 5 + 1) % scalars.length]!;
      const sum = ref.addMulVartime(ref.mulBase(bigToBytes(s)), bigToBytes(t), q);
      const x = BigInt('0x' + toHex(ref.pointXY(sum!).subarray(0, 32))) % N;
      expect(sm2p256v1.sumHasX(bigToBytes(s), bigToBytes(t), qFast, x), `${s} ${t}`).toBe(true);
      expect(sm2p256v1.sumHasX(bigToBytes(s), bigToBytes(t), qFast, (x + 1n) % N)).toBe(false);
      const g = sm2p256v1.decodePoint(ref.encodePoint(ref.mulBase(bigToBytes(1n)), false))!;
      expect(enc(sm2p256v1, sm2p256v1.addMulVartime(qFast, bigToBytes(s), g)!)).toBe(
        enc(ref, ref.addMulVartime(q, bigToBytes(s), ref.mulBase(bigToBytes(1n)))!),
      );
    }
    // [1]G + [n-1]G = O; Q + [n-1]Q = O; G + [1]G = 2G.
    const g = sm2p256v1.decodePoint(ref.encodePoint(ref.mulBase(bigToBytes(1n)), false))!;
    expect(sm2p256v1.sumHasX(bigToBytes(1n), bigToBytes(N - 1n), g, 0n)).toBe(false);
    expect(sm2p256v1.addMulVartime(qFast, bigToBytes(N - 1n), qFast)).toBeNull();
    expect(enc(sm2p256v1, sm2p256v1.addMulVartime(g, bigToBytes(1n), g)!)).toBe(enc(ref, ref.mulBase(bigToBytes(2n))));
  });

  it('compressed points decode to the same point; invalid encodings are refused', () => {
    for (const k of scalars.slice(0, 12)) {
      const pt = ref.mulBase(bigToBytes(k));
      const c = ref.encodePoint(pt, true);
      expect(toHex(sm2p256v1.encodePoint(sm2p256v1.mulBase(bigToBytes(k)), true))).toBe(toHex(c));
      expect(enc(sm2p256v1, sm2p256v1.decodePoint(c)!)).toBe(enc(ref, pt));
    }
    for (const bad of [new Uint8Array(65), Uint8Array.of(0), new Uint8Array(33).fill(2), Uint8Array.of(5, ...new Uint8Array(32))]) {
      expect(sm2p256v1.decodePoint(bad)).toBeNull();
    }
  });
});

describe('pure backend = the same schemes over the generic curve (byte-identical)', () => {
  const slow = createPureSm2(SM2P256V1);

  it('keys, fixed-k signatures and encryptions, decryption, ECDH and the key-exchange point', () => {
    for (let i = 0; i < 4; i++) {
      const d = bigToBytes(1n + rand(N - 2n));
      const k = bigToBytes(i === 0 ? 1n : i === 1 ? N - 1n : 1n + rand(N - 1n));
      const e = crypto.randomBytes(32);
      const [fast, ref] = [pureSm2.sm2PrivateKey(d), slow.sm2PrivateKey(d)];
      const pub = pureSm2.sm2PrivateToPublic(fast);
      expect(toHex(pub)).toBe(toHex(slow.sm2PrivateToPublic(ref)));
      let sig: Uint8Array | undefined;
      try {
        sig = pureSm2.sm2Sign(fast, e, { k });
      } catch {
        // a k that §6.1 would replace: both must refuse it
        expect(() => slow.sm2Sign(ref, e, { k })).toThrow(RangeError);
      }
      if (sig) {
        expect(toHex(sig)).toBe(toHex(slow.sm2Sign(ref, e, { k })));
        expect(slow.sm2Verify(slow.sm2PublicKey(pub), e, sig)).toBe(true);
      }
      const m = crypto.randomBytes(1 + i * 40);
      let ct: Uint8Array | undefined;
      try {
        ct = pureSm2.sm2Encrypt(pureSm2.sm2PublicKey(pub), m, { k });
      } catch {
        // an all-zero key stream (probability 2^-8 for a 1-byte message): both must refuse k
        expect(() => slow.sm2Encrypt(slow.sm2PublicKey(pub), m, { k })).toThrow(RangeError);
      }
      if (ct) {
        expect(toHex(ct)).toBe(toHex(slow.sm2Encrypt(slow.sm2PublicKey(pub), m, { k })));
        expect(toHex(slow.sm2Decrypt(ref, ct.subarray(0, 65), ct.subarray(65, 97), ct.subarray(97)))).toBe(toHex(m));
      }
      const peer = bigToBytes(1n + rand(N - 2n));
      const peerPub = pureSm2.sm2PrivateToPublic(pureSm2.sm2PrivateKey(peer));
      expect(toHex(pureSm2.sm2Ecdh(fast, pureSm2.sm2PublicKey(peerPub)))).toBe(toHex(slow.sm2Ecdh(ref, slow.sm2PublicKey(peerPub))));
      const r = bigToBytes(1n + rand(N - 2n));
      const R = pureSm2.sm2PrivateToPublic(pureSm2.sm2PrivateKey(r));
      const rPeer = pureSm2.sm2PrivateToPublic(pureSm2.sm2PrivateKey(bigToBytes(1n + rand(N - 2n))));
      expect(toHex(pureSm2.sm2KeyExchangePoint(fast, r, R, pureSm2.sm2PublicKey(peerPub), rPeer))).toBe(
        toHex(slow.sm2KeyExchangePoint(ref, r, R, slow.sm2PublicKey(peerPub), rPeer)),
      );
    }
  });
});

describe('HMAC_DRBG with HMAC-SM3 (the signing-nonce generator)', () => {
  it('vectors/sm2_drbg.txt: instantiate, optional reseed, two generates (SP 800-90A §10.1.2)', () => {
    const n = forEachVector('sm2_drbg.txt', (t) => {
      const drbg = new HmacDrbgSm3(t.bytes('Entropy'), t.bytes('Nonce'), t.bytes('Pers'));
      if (t.has('EntropyReseed')) drbg.reseed(t.bytes('EntropyReseed'), t.bytes('AddReseed'));
      const want = t.bytes('Returned');
      drbg.generate(want.length, t.bytes('Add1'));
      expect(toHex(drbg.generate(want.length, t.bytes('Add2'))), t.where()).toBe(toHex(want));
      drbg.destroy();
    });
    expect(n).toBe(8);
  });
});
