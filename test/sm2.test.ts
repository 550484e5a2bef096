/**
 * SM2 through the public API and the Sm2Backend contract, once per backend: the standards' worked
 * examples (vectors/, GB/T 32918.2–.5, test-curve examples on the pure implementation), the
 * conformance corpus (shared/conformance), key containers, the API's behaviour and bad input.
 * Every expected value comes from a standard, a published vector or a round trip.
 */
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  SM2_DEFAULT_ID,
  Sm2KeyExchangeInitiator,
  Sm2KeyExchangeResponder,
  Sm2PrivateKey,
  Sm2PublicKey,
  computeZ,
  convertCiphertext,
  decrypt,
  decryptAsync,
  ecdh,
  encrypt,
  encryptAsync,
  generateKeyPair,
  sign,
  signAsync,
  signatureToDer,
  signatureToRaw,
  verify,
  verifyAsync,
  verifyBatch,
  verifyBatchAsync,
  type Sm2CiphertextFormat,
} from '../src/sm2.js';
import { getBackend } from '../src/backend/select.js';
import { GuomiError } from '../src/errors.js';
import { createPureSm2, type CurveParams } from '../src/pure/sm2.js';
import { pureSm3 } from '../src/pure/sm3.js';
import { kexDerive, setEphemeralForTesting } from '../src/sm2/kex.js';
import { zValue, type Sm2ZCurve } from '../src/sm2/params.js';
import { selfTest } from '../src/selftest.js';
import { sm3, sm3Kdf } from '../src/sm3.js';
import { forEachBackend } from './backends.js';
import { forEachVector, type FileTestCase } from './filetest.js';
import { CONFORMANCE_DIR, HAVE_CONFORMANCE, hex, readConformance } from './conformance.js';

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const big = (h: string): bigint => BigInt('0x' + h);
const be32 = (x: bigint): Uint8Array => hex(x.toString(16).padStart(64, '0'));
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));

/** sm2p256v1 order (GB/T 32918.5-2017 §4). */
const N = big('fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123');
const P = big('fffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff');

/**
 * The Fp-256 example curve of GB/T 32918.2/.3/.4-2016 Annex A (GM/T 0003-2012 Annex A.1),
 * transcribed; also in shared/conformance sm2_curves.json (sm2-test-fp256).
 */
const TEST_CURVE: CurveParams = {
  p: big('8542d69e4c044f18e8b92435bf6ff7de457283915c45517d722edb8b08f1dfc3'),
  a: big('787968b4fa32c3fd2417842e73bbfeff2f3c848b6831d7e0ec65228b3937e498'),
  b: big('63e4c6d3b23b0c849cf84241484bfe48f61d59a5b16ba06e6e12d1da27c5249a'),
  gx: big('421debd61b62eab6746434ebc3cc315e32220b3badd50bdc4c4e6c147fedd43d'),
  gy: big('0680512bcbb42c07d47349d2153b70c4e5d7fdfcbfa36ea1a85841b9e46e09a2'),
  n: big('8542d69e4c044f18e8b92435bf6ff7dd297720630485628d5ae74ee7c32e79b7'),
};
const TEST_Z: Sm2ZCurve = {
  a: be32(TEST_CURVE.a),
  b: be32(TEST_CURVE.b),
  gx: be32(TEST_CURVE.gx),
  gy: be32(TEST_CURVE.gy),
};
/** The SM2 schemes of the pure implementation on the test curve (internal test entry). */
const testCurve = createPureSm2(TEST_CURVE);

/** Expects fn to throw a GuomiError with `code`. */
function expectCode(fn: () => unknown, code: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, `expected ${code}`).toBeInstanceOf(GuomiError);
  expect((err as GuomiError).code).toBe(code);
}

async function expectCodeAsync(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toBeInstanceOf(GuomiError);
  await expect(p).rejects.toMatchObject({ code });
}

function idOf(t: FileTestCase, name = 'Id'): Uint8Array | undefined {
  return t.has(name) ? t.bytes(name) : undefined;
}

forEachBackend(() => {
  describe('known answers (vectors/)', () => {
    it('signatures: GB/T 32918.5 Annex A and 32918.2 Annex A (test curve), with the fixed k', () => {
      let signed = 0, valid = 0, invalid = 0;
      forEachVector('sm2_sign.txt', (t) => {
        const curve = t.str('Curve');
        const pubBytes = t.bytes('Pub');
        const d = t.optBytes('D');
        const id = idOf(t);
        const msg = t.optBytes('Msg');
        const za = t.optBytes('ZA');
        const eGiven = t.optBytes('E');
        const k = t.optBytes('K');
        const sig = t.bytes('Sig');
        const ok = t.str('Result') === 'valid';
        if (curve === 'test-fp256') {
          // GB/T 32918.2-2016 Annex A on the pure implementation over the test curve.
          const z = zValue(pureSm3, TEST_Z, pubBytes, id!);
          if (za) expect(toHex(z), t.where()).toBe(toHex(za));
          const e = pureSm3.sm3(concat(z, msg!));
          if (eGiven) expect(toHex(e), t.where()).toBe(toHex(eGiven));
          const pub = testCurve.sm2PublicKey(pubBytes);
          expect(testCurve.sm2Verify(pub, e, sig), t.where()).toBe(ok);
          const priv = testCurve.sm2PrivateKey(d!);
          expect(toHex(testCurve.sm2PrivateToPublic(priv))).toBe(toHex(pubBytes));
          expect(toHex(testCurve.sm2Sign(priv, e, { k: k! })), t.where()).toBe(toHex(sig));
          signed++;
          valid++;
          return;
        }
        expect(curve).toBe('sm2p256v1');
        const pub = Sm2PublicKey.from(pubBytes);
        let e: Uint8Array;
        if (msg) {
          if (za) expect(toHex(pub.computeZ(id)), t.where()).toBe(toHex(za));
          e = sm3(concat(pub.computeZ(id), msg));
          if (eGiven) expect(toHex(e), t.where()).toBe(toHex(eGiven));
          expect(pub.verify(msg, sig, { id, encoding: 'raw' }), t.where()).toBe(ok);
          expect(verify(msg, signatureToDer(sig), pubBytes, { id }), t.where()).toBe(ok);
          expect(verify(msg, sig, pub, { id }), t.where()).toBe(ok);
        } else {
          e = eGiven!;
        }
        expect(pub.verify(e, sig, { prehashed: true }), t.where()).toBe(ok);
        if (d) {
          const key = Sm2PrivateKey.from(d);
          expect(toHex(key.publicKey.toBytes()), t.where()).toBe(toHex(pubBytes));
          if (k) {
            // Fixed-k signing goes through the backend's test nonce (never public API).
            const b = getBackend();
            const h = b.sm2PrivateKey(d);
            expect(toHex(b.sm2Sign(h, e, { k })), t.where()).toBe(toHex(sig));
            h.destroy();
            signed++;
          }
          if (ok) expect(key.publicKey.verify(e, key.sign(e, { prehashed: true }), { prehashed: true })).toBe(true);
        }
        if (ok) valid++;
        else invalid++;
      });
      expect([signed, valid, invalid]).toEqual([3, 6, 11]);
    });

    it('encryption: GB/T 32918.5 Annex C and 32918.4 Annex A (test curve), with the fixed k', () => {
      let encrypted = 0, valid = 0, invalid = 0;
      forEachVector('sm2_encrypt.txt', (t) => {
        const curve = t.str('Curve');
        const d = t.bytes('D');
        const pubBytes = t.bytes('Pub');
        const msg = t.optBytes('Msg');
        const k = t.optBytes('K');
        const ct = t.bytes('Ciphertext');
        const ok = t.str('Result') === 'valid';
        if (curve === 'test-fp256') {
          const priv = testCurve.sm2PrivateKey(d);
          expect(toHex(testCurve.sm2PrivateToPublic(priv))).toBe(toHex(pubBytes));
          const pub = testCurve.sm2PublicKey(pubBytes);
          expect(toHex(testCurve.sm2Encrypt(pub, msg!, { k: k! })), t.where()).toBe(toHex(ct));
          const m = testCurve.sm2Decrypt(priv, ct.subarray(0, 65), ct.subarray(65, 97), ct.subarray(97));
          expect(toHex(m), t.where()).toBe(toHex(msg!));
          encrypted++;
          valid++;
          return;
        }
        const key = Sm2PrivateKey.from(d);
        expect(toHex(key.publicKey.toBytes())).toBe(toHex(pubBytes));
        if (k) {
          const b = getBackend();
          const h = b.sm2PublicKey(pubBytes);
          expect(toHex(b.sm2Encrypt(h, msg!, { k })), t.where()).toBe(toHex(ct));
          h.destroy();
          encrypted++;
        }
        if (ok) {
          expect(toHex(key.decrypt(ct)), t.where()).toBe(toHex(msg!));
          for (const format of ['c1c3c2', 'c1c2c3', 'der'] as const) {
            const other = convertCiphertext(ct, { to: format });
            expect(toHex(decrypt(key, other, { format })), `${t.where()} ${format}`).toBe(toHex(msg!));
          }
          valid++;
        } else {
          expectCode(() => key.decrypt(ct), 'ERR_SM2_DECRYPT_FAILED');
          invalid++;
        }
      });
      expect([encrypted, valid, invalid]).toEqual([3, 7, 6]);
    });

    it('points: GB/T 32918.1 §4.2.9 encodings and §6.2.1 validation (vectors/sm2_point.txt)', () => {
      let valid = 0, invalid = 0;
      forEachVector('sm2_point.txt', (t) => {
        const point = t.bytes('Point');
        if (t.str('Result') === 'valid') {
          const pub = Sm2PublicKey.from(point);
          expect(toHex(pub.toBytes()), t.where()).toBe(toHex(t.bytes('Uncompressed')));
          expect(Sm2PublicKey.from(pub.toBytes({ compressed: true })).equals(pub)).toBe(true);
          valid++;
        } else {
          expectCode(() => Sm2PublicKey.from(point), 'ERR_SM2_INVALID_POINT');
          invalid++;
        }
      });
      expect([valid, invalid]).toEqual([10, 12]);
    });

    it('key exchange: GB/T 32918.5 Annex B (public API) and 32918.3 Annex A (test curve)', () => {
      let count = 0;
      forEachVector('sm2_keyexchange.txt', (t) => {
        const curve = t.str('Curve');
        const idA = t.bytes('IdA'), idB = t.bytes('IdB');
        const dA = t.bytes('DA'), pA = t.bytes('PA'), rA = t.bytes('RA'), pointRA = t.bytes('PointRA');
        const dB = t.bytes('DB'), pB = t.bytes('PB'), rB = t.bytes('RB'), pointRB = t.bytes('PointRB');
        const za = t.bytes('ZA'), zb = t.bytes('ZB');
        const klen = t.num('KLen');
        const u = t.bytes('U').subarray(1);
        const kExpected = toHex(t.bytes('K')), s1 = toHex(t.bytes('S1')), s2 = toHex(t.bytes('S2'));
        count++;
        if (curve === 'test-fp256') {
          const b = testCurve;
          expect(toHex(zValue(pureSm3, TEST_Z, pA, idA))).toBe(toHex(za));
          expect(toHex(zValue(pureSm3, TEST_Z, pB, idB))).toBe(toHex(zb));
          const hA = b.sm2PrivateKey(dA), hB = b.sm2PrivateKey(dB);
          expect(toHex(b.sm2PrivateToPublic(hA))).toBe(toHex(pA));
          expect(toHex(b.sm2PrivateToPublic(b.sm2PrivateKey(rA)))).toBe(toHex(pointRA));
          expect(toHex(b.sm2PrivateToPublic(b.sm2PrivateKey(rB)))).toBe(toHex(pointRB));
          const uA = b.sm2KeyExchangePoint(hA, rA, pointRA, b.sm2PublicKey(pB), pointRB);
          const vB = b.sm2KeyExchangePoint(hB, rB, pointRB, b.sm2PublicKey(pA), pointRA);
          expect(toHex(uA)).toBe(toHex(u));
          expect(toHex(vB)).toBe(toHex(u));
          const v = kexDerive(pureSm3, uA, za, zb, pointRA, pointRB, klen);
          expect([toHex(v.key), toHex(v.s02), toHex(v.s03)], t.where()).toEqual([kExpected, s1, s2]);
          return;
        }
        const keyA = Sm2PrivateKey.from(dA), keyB = Sm2PrivateKey.from(dB);
        expect(toHex(keyA.publicKey.toBytes())).toBe(toHex(pA));
        expect(toHex(computeZ(pA, idA))).toBe(toHex(za));
        expect(toHex(computeZ(pB, idB))).toBe(toHex(zb));
        // The shared point through the backend contract, both roles.
        const be = getBackend();
        const [hA, hB] = [be.sm2PrivateKey(dA), be.sm2PrivateKey(dB)];
        expect(toHex(be.sm2KeyExchangePoint(hA, rA, pointRA, be.sm2PublicKey(pB), pointRB))).toBe(toHex(u));
        expect(toHex(be.sm2KeyExchangePoint(hB, rB, pointRB, be.sm2PublicKey(pA), pointRA))).toBe(toHex(u));
        // The whole protocol through the public API, with the published ephemeral keys.
        setEphemeralForTesting(rA);
        const a = new Sm2KeyExchangeInitiator({ privateKey: keyA, peerPublicKey: pB, id: idA, peerId: idB, keyLength: klen });
        setEphemeralForTesting(rB);
        const bb = new Sm2KeyExchangeResponder({ privateKey: keyB, peerPublicKey: pA, id: idB, peerId: idA, keyLength: klen });
        expect(toHex(a.ephemeralPublicKey)).toBe(toHex(pointRA));
        const resp = bb.respond(a.ephemeralPublicKey);
        expect(toHex(resp.ephemeralPublicKey)).toBe(toHex(pointRB));
        expect(toHex(resp.confirmation!), t.where()).toBe(s1);
        const fin = a.finish(resp.ephemeralPublicKey, resp.confirmation);
        expect(toHex(fin.key), t.where()).toBe(kExpected);
        expect(toHex(fin.confirmation!), t.where()).toBe(s2);
        expect(toHex(bb.finish(fin.confirmation)), t.where()).toBe(kExpected);
      });
      expect(count).toBe(5);
    });
  });

  it('selfTest(): the SM2 known answers pass on this backend', () => {
    const sm2 = selfTest().results.filter((r) => r.algorithm.startsWith('SM2'));
    expect(sm2.map((r) => r.algorithm)).toEqual(['SM2 sign', 'SM2 verify', 'SM2 encrypt', 'SM2 decrypt', 'SM2 key exchange']);
    for (const r of sm2) expect(r, r.error).toMatchObject({ ok: true });
  });

  describe.runIf(HAVE_CONFORMANCE)('conformance corpus (shared/conformance)', () => {
    interface SignCase {
      id: string;
      curve: string;
      pub_hex: string;
      d_hex?: string;
      id_hex?: string;
      msg_hex?: string;
      k_hex?: string;
      za_hex?: string;
      e_hex?: string;
      sig_rs_hex: string;
      sig_der_hex: string;
      result: string;
      verify_mode?: string;
      invalid_encoding_only?: boolean;
    }

    it('sm2_sign.json: every case (6 valid, 13 invalid, 1 implementation-specific)', () => {
      const cases = readConformance<{ cases: SignCase[] }>('sm2_sign.json').cases;
      const tally = { valid: 0, invalid: 0, derOnly: 0, specific: 0 };
      for (const c of cases) {
        const sigRaw = hex(c.sig_rs_hex), sigDer = hex(c.sig_der_hex);
        if (c.curve === 'sm2-test-fp256') {
          const z = zValue(pureSm3, TEST_Z, hex(c.pub_hex), hex(c.id_hex!));
          const e = pureSm3.sm3(concat(z, hex(c.msg_hex!)));
          expect(testCurve.sm2Verify(testCurve.sm2PublicKey(hex(c.pub_hex)), e, sigRaw), c.id).toBe(true);
          const priv = testCurve.sm2PrivateKey(hex(c.d_hex!));
          expect(toHex(testCurve.sm2Sign(priv, e, { k: hex(c.k_hex!) })), c.id).toBe(c.sig_rs_hex);
          tally.valid++;
          continue;
        }
        const pub = Sm2PublicKey.from(hex(c.pub_hex));
        const opts = c.verify_mode === 'precomputed-e' ? { prehashed: true } : { id: hex(c.id_hex ?? '') };
        const message = c.verify_mode === 'precomputed-e' ? hex(c.e_hex!) : hex(c.msg_hex!);
        if (c.result === 'implementation-specific') {
          // sm2-sig-007: e is a 64-byte SHA-512 value. GB/T 32918.2 defines e as the SM3 value,
          // so guomi (like Tongsuo) accepts only a 32-byte prehashed e: a RangeError.
          expect(c.id).toBe('sm2-sig-007');
          expect(() => pub.verify(message, sigDer, opts)).toThrow(RangeError);
          tally.specific++;
          continue;
        }
        const want = c.result === 'valid';
        if (c.invalid_encoding_only) {
          // Strict DER rejects the encoding; the raw r || s is the genuine signature.
          expect(pub.verify(message, sigDer, opts), c.id).toBe(false);
          expect(pub.verify(message, sigDer, { ...opts, encoding: 'der' }), c.id).toBe(false);
          expect(pub.verify(message, sigRaw, { ...opts, encoding: 'raw' }), c.id).toBe(true);
          expectCode(() => signatureToRaw(sigDer), 'ERR_SM2_INVALID_SIGNATURE');
          tally.derOnly++;
          tally.invalid++;
          continue;
        }
        expect(pub.verify(message, sigDer, opts), c.id).toBe(want);
        expect(pub.verify(message, sigRaw, opts), c.id).toBe(want);
        expect(pub.verify(message, sigRaw, { ...opts, encoding: 'raw' }), c.id).toBe(want);
        if (c.d_hex && c.k_hex && want) {
          const e = c.verify_mode === 'precomputed-e' ? message : sm3(concat(pub.computeZ(hex(c.id_hex!)), message));
          const b = getBackend();
          expect(toHex(b.sm2Sign(b.sm2PrivateKey(hex(c.d_hex)), e, { k: hex(c.k_hex) })), c.id).toBe(c.sig_rs_hex);
          expect(toHex(signatureToDer(hex(c.sig_rs_hex))), c.id).toBe(c.sig_der_hex);
        }
        if (want) tally.valid++;
        else tally.invalid++;
      }
      expect(tally).toEqual({ valid: 6, invalid: 13, derOnly: 2, specific: 1 });
    });

    interface EncCase {
      id: string;
      curve: string;
      d_hex: string;
      pub_hex: string;
      msg_hex?: string;
      k_hex?: string;
      c1c3c2_hex?: string;
      c1c2c3_hex?: string;
      der_hex?: string;
      c1c3c2_nopc_hex?: string;
      result: string;
    }

    it('sm2_encrypt.json: every layout of every case (7 valid, 6 invalid)', () => {
      const cases = readConformance<{ cases: EncCase[] }>('sm2_encrypt.json').cases;
      const tally = { valid: 0, invalid: 0, layouts: 0, encrypted: 0 };
      for (const c of cases) {
        const layouts: [string, Uint8Array, { format?: Sm2CiphertextFormat; c1Prefix?: boolean }][] = [];
        if (c.c1c3c2_hex) layouts.push(['c1c3c2', hex(c.c1c3c2_hex), {}]);
        if (c.c1c2c3_hex) layouts.push(['c1c2c3', hex(c.c1c2c3_hex), { format: 'c1c2c3' }]);
        if (c.der_hex) layouts.push(['der', hex(c.der_hex), {}], ['der!', hex(c.der_hex), { format: 'der' }]);
        if (c.c1c3c2_nopc_hex) layouts.push(['nopc', hex(c.c1c3c2_nopc_hex), { c1Prefix: false }]);
        if (c.curve === 'sm2-test-fp256') {
          const priv = testCurve.sm2PrivateKey(hex(c.d_hex));
          const ct = testCurve.sm2Encrypt(testCurve.sm2PublicKey(hex(c.pub_hex)), hex(c.msg_hex!), { k: hex(c.k_hex!) });
          expect(toHex(ct), c.id).toBe(c.c1c3c2_hex);
          expect(toHex(testCurve.sm2Decrypt(priv, ct.subarray(0, 65), ct.subarray(65, 97), ct.subarray(97)))).toBe(c.msg_hex);
          tally.valid++;
          tally.encrypted++;
          continue;
        }
        const key = Sm2PrivateKey.from(hex(c.d_hex));
        expect(toHex(key.publicKey.toBytes()), c.id).toBe(c.pub_hex);
        for (const [name, ct, opts] of layouts) {
          tally.layouts++;
          if (c.result === 'valid') expect(toHex(key.decrypt(ct, opts)), `${c.id} ${name}`).toBe(c.msg_hex);
          else expectCode(() => key.decrypt(ct, opts), 'ERR_SM2_DECRYPT_FAILED');
        }
        if (c.k_hex) {
          const b = getBackend();
          const raw = b.sm2Encrypt(b.sm2PublicKey(hex(c.pub_hex)), hex(c.msg_hex!), { k: hex(c.k_hex) });
          expect(toHex(raw), c.id).toBe(c.c1c3c2_hex);
          expect(toHex(convertCiphertext(raw, { to: 'c1c2c3' })), c.id).toBe(c.c1c2c3_hex);
          expect(toHex(convertCiphertext(raw, { to: 'der' })), c.id).toBe(c.der_hex);
          tally.encrypted++;
        }
        if (c.result === 'valid') tally.valid++;
        else tally.invalid++;
      }
      expect(tally).toEqual({ valid: 7, invalid: 6, layouts: 22, encrypted: 3 });
    });

    interface KexCase {
      id: string;
      curve: string;
      id_a_ascii: string;
      id_b_ascii: string;
      d_a_hex: string;
      p_a_hex: string;
      r_a_hex: string;
      R_a_hex: string;
      d_b_hex: string;
      p_b_hex: string;
      r_b_hex: string;
      R_b_hex: string;
      za_hex: string;
      zb_hex: string;
      klen_bytes: number;
      U_hex: string;
      k_hex: string;
      s1_sb_hex: string;
      s2_sa_hex: string;
    }

    it('sm2_keyexchange.json: every case, both roles, with confirmation', () => {
      const cases = readConformance<{ cases: KexCase[] }>('sm2_keyexchange.json').cases;
      let n = 0;
      for (const c of cases) {
        if (c.curve === 'sm2-test-fp256') {
          const b = testCurve;
          const u = b.sm2KeyExchangePoint(b.sm2PrivateKey(hex(c.d_a_hex)), hex(c.r_a_hex), hex(c.R_a_hex), b.sm2PublicKey(hex(c.p_b_hex)), hex(c.R_b_hex));
          const v = kexDerive(pureSm3, u, hex(c.za_hex), hex(c.zb_hex), hex(c.R_a_hex), hex(c.R_b_hex), c.klen_bytes);
          expect([toHex(u), toHex(v.key), toHex(v.s02), toHex(v.s03)], c.id).toEqual([c.U_hex.slice(2), c.k_hex, c.s1_sb_hex, c.s2_sa_hex]);
          n++;
          continue;
        }
        setEphemeralForTesting(hex(c.r_a_hex));
        const a = new Sm2KeyExchangeInitiator({
          privateKey: hex(c.d_a_hex), peerPublicKey: hex(c.p_b_hex), id: c.id_a_ascii, peerId: c.id_b_ascii, keyLength: c.klen_bytes,
        });
        setEphemeralForTesting(hex(c.r_b_hex));
        const b = new Sm2KeyExchangeResponder({
          privateKey: hex(c.d_b_hex), peerPublicKey: hex(c.p_a_hex), id: c.id_b_ascii, peerId: c.id_a_ascii, keyLength: c.klen_bytes,
        });
        expect(toHex(a.ephemeralPublicKey), c.id).toBe(c.R_a_hex);
        const r = b.respond(a.ephemeralPublicKey);
        expect(toHex(r.ephemeralPublicKey), c.id).toBe(c.R_b_hex);
        const f = a.finish(r.ephemeralPublicKey, r.confirmation);
        expect([toHex(f.key), toHex(r.confirmation!), toHex(f.confirmation!)], c.id).toEqual([c.k_hex, c.s1_sb_hex, c.s2_sa_hex]);
        expect(toHex(b.finish(f.confirmation)), c.id).toBe(c.k_hex);
        n++;
      }
      expect(n).toBe(5);
    });

    it('certs/keys: all 6 test keys load (PKCS#8 with either algorithm, leading text, EC PARAMETERS) and match their certificates', () => {
      const keys = readConformance<{ keys: { file: string; certificate: string }[] }>('certs/keys/keys.json').keys;
      const certs = readConformance<{ certificates: { file: string; public_key_hex: string }[] }>('certs/certs.json').certificates;
      let n = 0;
      for (const k of keys) {
        const pem = readFileSync(join(CONFORMANCE_DIR, k.file), 'utf8');
        const key = Sm2PrivateKey.from(pem);
        const cert = certs.find((c) => c.file === k.certificate)!;
        expect(toHex(key.publicKey.toBytes()), k.file).toBe(cert.public_key_hex);
        // Export and re-import in every container.
        for (const type of ['pkcs8', 'sec1'] as const) {
          expect(toHex(Sm2PrivateKey.from(key.export({ type })).export({ format: 'raw' }))).toBe(toHex(key.export({ format: 'raw' })));
          expect(toHex(Sm2PrivateKey.from(key.export({ type, format: 'der' })).publicKey.toBytes())).toBe(cert.public_key_hex);
        }
        const sig = key.sign('certs/keys round trip');
        expect(verify('certs/keys round trip', sig, hex(cert.public_key_hex))).toBe(true);
        n++;
      }
      expect(n).toBe(6);
    });
  });

  // Keys are made in beforeAll, after forEachBackend has selected the backend (describe bodies
  // run at collection time, before any hook).
  describe('signatures', () => {
    let key: Sm2PrivateKey, pub: Sm2PublicKey;
    beforeAll(() => {
      key = Sm2PrivateKey.generate();
      pub = key.publicKey;
    });

    it('DER by default, raw on request (always 64 bytes), IDs as strings or bytes', () => {
      const der = sign('abc', key);
      expect(der[0]).toBe(0x30);
      expect(verify('abc', der, pub)).toBe(true);
      expect(verify('abc', der, pub, { encoding: 'der' })).toBe(true);
      expect(verify('abc', der, pub, { encoding: 'raw' })).toBe(false);
      expect(verify('abd', der, pub)).toBe(false);
      const raw = sign(utf8('abc'), key, { encoding: 'raw', id: 'ALICE' });
      expect(raw.length).toBe(64);
      expect(verify('abc', raw, pub, { id: utf8('ALICE') })).toBe(true);
      expect(verify('abc', raw, pub)).toBe(false); // default ID
      expect(verify('abc', raw, pub, { id: '' })).toBe(false);
      expect(toHex(signatureToRaw(signatureToDer(raw)))).toBe(toHex(raw));
      const empty = sign('', key, { id: '' });
      expect(verify(new Uint8Array(0), empty, pub, { id: new Uint8Array(0) })).toBe(true);
    });

    it('raw r || s keeps leading zeros; DER INTEGERs are minimal', () => {
      let seen = 0;
      for (let i = 0; i < 3000 && seen < 2; i++) {
        const raw = key.sign(`m${i}`, { encoding: 'raw' });
        expect(raw.length).toBe(64);
        if (raw[0] === 0 || raw[32] === 0) {
          seen++;
          const der = signatureToDer(raw);
          expect(der.length).toBeLessThan(72);
          expect(toHex(signatureToRaw(der))).toBe(toHex(raw));
          expect(pub.verify(`m${i}`, der)).toBe(true);
          expect(pub.verify(`m${i}`, raw)).toBe(true);
        }
      }
      expect(seen).toBeGreaterThan(0);
    });

    it('prehashed: message = e = SM3(Z || M)', () => {
      const e = sm3(concat(pub.computeZ(), utf8('hello')));
      expect(verify('hello', sign(e, key, { prehashed: true }), pub)).toBe(true);
      expect(verify(e, sign('hello', key), pub, { prehashed: true })).toBe(true);
      expect(() => sign('hello', key, { prehashed: true })).toThrow(TypeError);
      expect(() => sign(new Uint8Array(31), key, { prehashed: true })).toThrow(RangeError);
      expect(() => sign(e, key, { prehashed: true, id: 'x' })).toThrow(RangeError);
    });

    it('hedged nonces: two signatures of one message differ and both verify', () => {
      const a = key.sign('same'), b = key.sign('same');
      expect(toHex(a)).not.toBe(toHex(b));
      expect(pub.verify('same', a) && pub.verify('same', b)).toBe(true);
    });

    it('async variants and batch verification', async () => {
      const sig = await signAsync('async', key, { encoding: 'raw' });
      expect(await verifyAsync('async', sig, pub)).toBe(true);
      expect(await key.publicKey.verifyAsync('asynX', sig)).toBe(false);
      const der = await key.signAsync('async');
      const items = [
        { message: 'async', signature: sig, publicKey: pub },
        { message: 'async', signature: der, publicKey: pub.toBytes() },
        { message: 'other', signature: der, publicKey: pub },
        { message: 'async', signature: new Uint8Array(10), publicKey: pub },
      ];
      expect(verifyBatch(items)).toEqual([true, true, false, false]);
      expect(await verifyBatchAsync(items)).toEqual([true, true, false, false]);
      await expect(signAsync('x', key, { encoding: 'bad' as 'der' })).rejects.toThrow(RangeError);
    });

    it('Z: GB/T 32918.5 Annex A ZA for the default ID; cached per ID; ID length limits', () => {
      const annexA = Sm2PublicKey.from(hex('0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13'));
      const za = 'b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3';
      expect(toHex(annexA.computeZ())).toBe(za);
      expect(toHex(computeZ(annexA, SM2_DEFAULT_ID))).toBe(za);
      expect(toHex(computeZ(annexA.export(), utf8(SM2_DEFAULT_ID)))).toBe(za);
      const z = annexA.computeZ('x');
      z.fill(0);
      expect(toHex(annexA.computeZ('x'))).not.toBe(toHex(z)); // callers get copies
      expect(annexA.computeZ('a'.repeat(8191)).length).toBe(32);
      expect(() => annexA.computeZ('a'.repeat(8192))).toThrow(RangeError);
      expect(() => annexA.computeZ(5 as unknown as string)).toThrow(TypeError);
    });
  });

  describe('encryption', () => {
    let key: Sm2PrivateKey, pub: Sm2PublicKey;
    beforeAll(() => {
      key = Sm2PrivateKey.generate();
      pub = key.publicKey;
    });
    const msg = utf8('encryption standard');

    it('C1 || C3 || C2 with 04 by default; every layout round-trips; auto-detection', () => {
      const ct = encrypt(pub, msg);
      expect(ct.length).toBe(97 + msg.length);
      expect(ct[0]).toBe(0x04);
      expect(toHex(decrypt(key, ct))).toBe(toHex(msg));
      const c123 = pub.encrypt(msg, { format: 'c1c2c3' });
      expect(toHex(key.decrypt(c123, { format: 'c1c2c3' }))).toBe(toHex(msg));
      expectCode(() => key.decrypt(c123), 'ERR_SM2_DECRYPT_FAILED'); // not auto-detected
      expect(toHex(convertCiphertext(c123, { from: 'c1c2c3', to: 'c1c3c2' }).subarray(0, 65))).toBe(toHex(c123.subarray(0, 65)));
      const der = pub.encrypt(msg, { format: 'der' });
      expect(der[0]).toBe(0x30);
      expect(toHex(key.decrypt(der))).toBe(toHex(msg)); // auto-detected
      expect(toHex(key.decrypt(der, { format: 'der' }))).toBe(toHex(msg));
      expectCode(() => key.decrypt(der, { format: 'c1c3c2' }), 'ERR_SM2_DECRYPT_FAILED');
      const noPrefix = pub.encrypt(msg, { c1Prefix: false });
      expect(noPrefix.length).toBe(96 + msg.length);
      expect(toHex(key.decrypt(noPrefix, { c1Prefix: false }))).toBe(toHex(msg));
      const noPrefix123 = pub.encrypt(msg, { c1Prefix: false, format: 'c1c2c3' });
      expect(toHex(key.decrypt(noPrefix123, { c1Prefix: false, format: 'c1c2c3' }))).toBe(toHex(msg));
      expect(() => pub.encrypt(msg, { c1Prefix: false, format: 'der' })).toThrow(RangeError);
      expect(toHex(decrypt(key, convertCiphertext(noPrefix, { fromC1Prefix: false, to: 'der' })))).toBe(toHex(msg));
    });

    it('strings are UTF-8; long messages; async variants', async () => {
      expect(new TextDecoder().decode(decrypt(key, encrypt(pub, '国密 SM2')))).toBe('国密 SM2');
      const long = crypto.randomBytes(5000);
      expect(Buffer.from(decrypt(key, encrypt(pub, long))).equals(long)).toBe(true);
      const ct = await encryptAsync(pub, msg, { format: 'der' });
      expect(toHex(await decryptAsync(key, ct))).toBe(toHex(msg));
      expect(toHex(await key.decryptAsync(await pub.encryptAsync(msg)))).toBe(toHex(msg));
      await expectCodeAsync(decryptAsync(key, ct.subarray(0, 50)), 'ERR_SM2_DECRYPT_FAILED');
    });

    it('an empty plaintext is refused (GB/T 32918.4 needs klen > 0)', () => {
      expect(() => encrypt(pub, '')).toThrow(RangeError);
    });
  });

  describe('ECDH', () => {
    it('x of [dA]PB = x of [dB]PA, and equals node:crypto diffieHellman on the SM2 curve', () => {
      // Keys made by node:crypto (type 'ec', curve SM2), read through KeyObject.
      const na = crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' });
      const nb = crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' });
      const a = Sm2PrivateKey.from(na.privateKey), b = Sm2PrivateKey.from(nb.privateKey);
      const s1 = ecdh(a, nb.publicKey), s2 = ecdh(b, a.publicKey.toBytes({ compressed: true }));
      expect(s1.length).toBe(32);
      expect(toHex(s1)).toBe(toHex(s2));
      const node = crypto.diffieHellman({ privateKey: na.privateKey, publicKey: nb.publicKey });
      expect(toHex(s1)).toBe(node.toString('hex'));
    });
  });

  describe('key exchange (random keys)', () => {
    let keyA: Sm2PrivateKey, keyB: Sm2PrivateKey;
    beforeAll(() => {
      keyA = Sm2PrivateKey.generate();
      keyB = Sm2PrivateKey.generate();
    });
    const opts = (mine: Sm2PrivateKey, peer: Sm2PrivateKey, extra: object = {}) => ({
      privateKey: mine, peerPublicKey: peer.publicKey, keyLength: 32, ...extra,
    });

    it('with and without confirmation, with IDs, any key length', () => {
      const a = new Sm2KeyExchangeInitiator(opts(keyA, keyB, { id: 'alice', peerId: 'bob' }));
      const b = new Sm2KeyExchangeResponder(opts(keyB, keyA, { id: 'bob', peerId: 'alice' }));
      const r = b.respond(a.ephemeralPublicKey);
      const f = a.finish(r.ephemeralPublicKey, r.confirmation);
      expect(toHex(b.finish(f.confirmation))).toBe(toHex(f.key));
      const a2 = new Sm2KeyExchangeInitiator(opts(keyA, keyB, { confirm: false, keyLength: 100 }));
      const b2 = new Sm2KeyExchangeResponder(opts(keyB, keyA, { confirm: false, keyLength: 100 }));
      const r2 = b2.respond(a2.ephemeralPublicKey);
      expect(r2.confirmation).toBeUndefined();
      const f2 = a2.finish(r2.ephemeralPublicKey);
      expect(f2.key.length).toBe(100);
      expect(toHex(b2.finish())).toBe(toHex(f2.key));
    });

    it('a wrong ID, a tampered SB or SA fails with ERR_SM2_KEY_CONFIRMATION', () => {
      const a = new Sm2KeyExchangeInitiator(opts(keyA, keyB, { peerId: 'mallory' }));
      const b = new Sm2KeyExchangeResponder(opts(keyB, keyA));
      const r = b.respond(a.ephemeralPublicKey);
      expectCode(() => a.finish(r.ephemeralPublicKey, r.confirmation), 'ERR_SM2_KEY_CONFIRMATION');
      expectCode(() => a.finish(r.ephemeralPublicKey, r.confirmation), 'ERR_INVALID_STATE');
      const a2 = new Sm2KeyExchangeInitiator(opts(keyA, keyB));
      const b2 = new Sm2KeyExchangeResponder(opts(keyB, keyA));
      const r2 = b2.respond(a2.ephemeralPublicKey);
      const f2 = a2.finish(r2.ephemeralPublicKey, r2.confirmation);
      const bad = f2.confirmation!.slice();
      bad[0]! ^= 1;
      expectCode(() => b2.finish(bad), 'ERR_SM2_KEY_CONFIRMATION');
      expectCode(() => b2.finish(f2.confirmation), 'ERR_INVALID_STATE');
    });

    it('an invalid ephemeral point fails with ERR_SM2_INVALID_POINT; argument checks', () => {
      const b = new Sm2KeyExchangeResponder(opts(keyB, keyA));
      const off = keyA.publicKey.toBytes();
      off[64]! ^= 1;
      expectCode(() => b.respond(off), 'ERR_SM2_INVALID_POINT');
      expect(() => new Sm2KeyExchangeInitiator(opts(keyA, keyB, { keyLength: 0 }))).toThrow(RangeError);
      expect(() => new Sm2KeyExchangeInitiator(opts(keyA, keyB, { confirm: 'yes' }))).toThrow(TypeError);
      const a = new Sm2KeyExchangeInitiator(opts(keyA, keyB));
      expect(() => a.finish(new Uint8Array(64))).toThrow(RangeError);
      expect(() => a.finish(keyB.publicKey.toBytes())).toThrow(TypeError); // SB missing
    });
  });

  describe('keys', () => {
    it('generate(): with or without the pairwise consistency test, a working key pair', () => {
      for (const options of [undefined, { consistencyTest: true }, { consistencyTest: false }]) {
        const { privateKey, publicKey } = generateKeyPair(options);
        const d = BigInt('0x' + toHex(privateKey.export({ format: 'raw' })));
        expect(d >= 1n && d <= N - 2n).toBe(true);
        expect(publicKey.verify('m', privateKey.sign('m'))).toBe(true);
        expect(toHex(decrypt(privateKey, encrypt(publicKey, 'secret')))).toBe(toHex(Buffer.from('secret')));
      }
      expect(() => Sm2PrivateKey.generate({ consistencyTest: 'no' as never })).toThrow(TypeError);
      expect(() => Sm2PrivateKey.generate({ consistencyTest: 'no' as never })).toThrow(/"consistencyTest"/);
    });

    it('PKCS#8 and SEC 1, PEM and DER, raw: exports as OpenSSL 3 writes them and re-imports', () => {
      const key = Sm2PrivateKey.generate();
      const d = key.export({ format: 'raw' });
      expect(d.length).toBe(32);
      const p8 = key.export({ format: 'der' });
      expect(p8.length).toBe(138);
      expect(toHex(p8.subarray(0, 27))).toBe('308187020100301306072a8648ce3d020106082a811ccf5501822d');
      const sec1 = key.export({ format: 'der', type: 'sec1' });
      expect(sec1.length).toBe(121);
      expect(key.export()).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect(key.export({ type: 'sec1' })).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
      for (const input of [d, p8, sec1, key.export(), key.export({ type: 'sec1' }), key.toKeyObject()]) {
        expect(toHex(Sm2PrivateKey.from(input).export({ format: 'raw' }))).toBe(toHex(d));
      }
      expect(toHex(Sm2PrivateKey.from(sec1, { type: 'sec1' }).export({ format: 'raw' }))).toBe(toHex(d));
      const spki = key.publicKey.export({ format: 'der' });
      expect(spki.length).toBe(91);
      expect(toHex(spki.subarray(0, 27))).toBe('3059301306072a8648ce3d020106082a811ccf5501822d03420004');
      for (const input of [spki, key.publicKey.export(), key.publicKey.toKeyObject(), key.toKeyObject(), key, key.publicKey.toBytes({ compressed: true })]) {
        expect(Sm2PublicKey.from(input).equals(key.publicKey)).toBe(true);
      }
      expect(key.publicKey.export({ format: 'raw', compressed: true }).length).toBe(33);
    });

    it('reads the variants: sm2 OID as algorithm, no [0]/[1], short d, text and EC PARAMETERS around the PEM', () => {
      const key = Sm2PrivateKey.generate();
      const pubPoint = key.publicKey.toBytes();
      // SPKI with AlgorithmIdentifier { 1.2.156.10197.1.301, 1.2.156.10197.1.301 } (OpenSSL 3.1 form).
      const sm2Alg = hex('301406082a811ccf5501822d06082a811ccf5501822d');
      const bitString = concat(hex('034200'), pubPoint);
      const spkiSm2 = concat(hex('305a'), sm2Alg, bitString);
      expect(Sm2PublicKey.from(spkiSm2).equals(pubPoint)).toBe(true);
      const spkiSm2Null = concat(hex('3052'), hex('300c06082a811ccf5501822d0500'), bitString);
      expect(Sm2PublicKey.from(spkiSm2Null).equals(pubPoint)).toBe(true);
      const spkiSm2Bare = concat(hex('3050'), hex('300a06082a811ccf5501822d'), bitString);
      expect(Sm2PublicKey.from(spkiSm2Bare).equals(pubPoint)).toBe(true);
      // PKCS#8 with the sm2 OID as algorithm and no [1]; SEC 1 with neither [0] nor [1].
      const d = key.export({ format: 'raw' });
      const ecpk = concat(hex('3025020101'), hex('0420'), d);
      const p8 = concat(hex('3042020100'), hex('301406082a811ccf5501822d06082a811ccf5501822d'), hex('0427'), ecpk);
      expect(toHex(Sm2PrivateKey.from(p8).export({ format: 'raw' }))).toBe(toHex(d));
      expect(toHex(Sm2PrivateKey.from(ecpk).export({ format: 'raw' }))).toBe(toHex(d));
      // A d with a leading zero byte dropped (31 bytes) is left-padded.
      const small = Sm2PrivateKey.from(concat(new Uint8Array(1), crypto.randomBytes(31)));
      const sd = small.export({ format: 'raw' });
      const short = concat(hex('3024020101'), hex('041f'), sd.subarray(1));
      expect(toHex(Sm2PrivateKey.from(short).export({ format: 'raw' }))).toBe(toHex(sd));
      // Leading text and an EC PARAMETERS block, CRLF line ends.
      const pem = 'ASN1 OID: SM2\r\n-----BEGIN EC PARAMETERS-----\r\nBggqgRzPVQGCLQ==\r\n-----END EC PARAMETERS-----\r\n' + key.export().replace(/\n/g, '\r\n');
      expect(Sm2PrivateKey.from(pem).publicKey.equals(key.publicKey)).toBe(true);
    });

    it('refuses other curves, encrypted keys, mismatched public keys and malformed containers', () => {
      const p256 = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      expectCode(() => Sm2PrivateKey.from(p256.privateKey), 'ERR_UNSUPPORTED');
      expectCode(() => Sm2PublicKey.from(p256.publicKey), 'ERR_UNSUPPORTED');
      expectCode(() => Sm2PublicKey.from(p256.publicKey.export({ format: 'pem', type: 'spki' }) as string), 'ERR_UNSUPPORTED');
      const ed = crypto.generateKeyPairSync('ed25519');
      expectCode(() => Sm2PrivateKey.from(ed.privateKey), 'ERR_UNSUPPORTED');
      const encrypted = crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' }).privateKey.export({
        format: 'pem', type: 'pkcs8', cipher: 'aes-128-cbc', passphrase: 'x',
      }) as string;
      // Encrypted PKCS#8 needs its passphrase; guomi's PBES2 reader has SM4-CBC only, not AES.
      expect(() => Sm2PrivateKey.from(encrypted)).toThrow(TypeError);
      expectCode(() => Sm2PrivateKey.from(encrypted, { passphrase: 'x' }), 'ERR_UNSUPPORTED');
      const sm4Encrypted = crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' }).privateKey;
      const sm4Pem = sm4Encrypted.export({ format: 'pem', type: 'pkcs8', cipher: 'sm4-cbc', passphrase: 'pw' }) as string;
      expect(Sm2PrivateKey.from(sm4Pem, { passphrase: 'pw' }).publicKey.equals(Sm2PublicKey.from(crypto.createPublicKey(sm4Encrypted)))).toBe(true);
      expectCode(() => Sm2PrivateKey.from(sm4Pem, { passphrase: 'wrong' }), 'ERR_DECODE');
      // SEC 1 whose [1] public key belongs to another key.
      const a = Sm2PrivateKey.generate(), b = Sm2PrivateKey.generate();
      const mixed = concat(hex('30770201010420'), a.export({ format: 'raw' }), hex('a00a06082a811ccf5501822d'), hex('a144034200'), b.publicKey.toBytes());
      expectCode(() => Sm2PrivateKey.from(mixed), 'ERR_SM2_INVALID_KEY');
      const good = a.export({ format: 'der' });
      expectCode(() => Sm2PrivateKey.from(good.subarray(0, good.length - 1)), 'ERR_DECODE');
      expectCode(() => Sm2PrivateKey.from(concat(good, new Uint8Array(1))), 'ERR_DECODE');
      expectCode(() => Sm2PrivateKey.from('not a pem'), 'ERR_DECODE');
      expectCode(() => Sm2PublicKey.from('-----BEGIN PUBLIC KEY-----\nMFkw!!==\n-----END PUBLIC KEY-----\n'), 'ERR_DECODE');
      expect(() => Sm2PrivateKey.from(42 as unknown as Uint8Array)).toThrow(TypeError);
      expect(() => Sm2PublicKey.from({} as unknown as Uint8Array)).toThrow(TypeError);
      expect(() => Sm2PrivateKey.from(new Uint8Array(31), { format: 'raw' })).toThrow(RangeError);
      expect(() => Sm2PrivateKey.from(good, { type: 'x' as 'sec1' })).toThrow(RangeError);
    });

    it('private keys 0, n-1, n and above are refused; n-2 is the largest', () => {
      for (const d of [0n, N - 1n, N, N + 1n, (1n << 256n) - 1n]) {
        expectCode(() => Sm2PrivateKey.from(be32(d)), 'ERR_SM2_INVALID_KEY');
      }
      expect(Sm2PrivateKey.from(be32(N - 2n)).sign('x').length).toBeGreaterThan(0);
      expect(Sm2PrivateKey.from(be32(1n)).publicKey.toBytes()[0]).toBe(0x04);
    });

    it('destroy(): wipes and refuses later use', () => {
      const key = Sm2PrivateKey.generate();
      const pub = key.publicKey;
      key.destroy();
      key.destroy();
      expect(key.destroyed).toBe(true);
      expectCode(() => key.sign('x'), 'ERR_INVALID_STATE');
      expectCode(() => key.export(), 'ERR_INVALID_STATE');
      expect(pub.toBytes().length).toBe(65); // the public key stays usable
      pub.destroy();
      expectCode(() => pub.verify('x', new Uint8Array(64)), 'ERR_INVALID_STATE');
    });

    it('Buffers are copied, never kept as views: destroy() leaves the caller\'s buffer, async calls survive reuse', async () => {
      const d = Buffer.from(Sm2PrivateKey.generate().export({ format: 'raw' }));
      const before = d.toString('hex');
      const key = Sm2PrivateKey.from(d);
      key.destroy();
      expect(d.toString('hex')).toBe(before);
      const k2 = Sm2PrivateKey.from(d);
      const msg = Buffer.from('reused buffer');
      const ct = Buffer.from(k2.publicKey.encrypt(msg));
      const pending = decryptAsync(k2, ct);
      const sigPending = signAsync(msg, k2, { encoding: 'raw' });
      const encPending = encryptAsync(k2.publicKey, msg);
      ct.fill(0);
      msg.fill(0x41);
      expect(Buffer.from(await pending).toString()).toBe('reused buffer');
      expect(k2.publicKey.verify('reused buffer', await sigPending)).toBe(true);
      expect(Buffer.from(k2.decrypt(await encPending)).toString()).toBe('reused buffer');
    });

    it('generateKeyPair()', () => {
      const { privateKey, publicKey } = generateKeyPair();
      expect(publicKey.verify('m', privateKey.sign('m'))).toBe(true);
    });
  });

  describe('bad input', () => {
    let key: Sm2PrivateKey, pub: Sm2PublicKey, point: Uint8Array;
    beforeAll(() => {
      key = Sm2PrivateKey.generate();
      pub = key.publicKey;
      point = pub.toBytes();
    });

    it('public points: off the curve, infinity, wrong lengths and prefixes, x or y >= p, no square root', () => {
      const bad: Uint8Array[] = [];
      const off = point.slice();
      off[64]! ^= 1;
      bad.push(off, Uint8Array.of(0), new Uint8Array(65), point.subarray(1), concat(point, Uint8Array.of(0)));
      const hybrid = point.slice();
      hybrid[0] = 0x06;
      bad.push(hybrid);
      bad.push(concat(Uint8Array.of(4), be32(P), point.subarray(33)));
      bad.push(concat(Uint8Array.of(4), point.subarray(1, 33), be32(P + big(toHex(point.subarray(33))) - P + P)));
      bad.push(concat(Uint8Array.of(2), be32(P)));
      bad.push(concat(Uint8Array.of(2), new Uint8Array(32).fill(0xff)));
      // A compressed x with no square root of x³ - 3x + b (found by Euler's criterion).
      const b = big('28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93');
      const pow = (x: bigint, e: bigint): bigint => {
        let r = 1n;
        x %= P;
        for (; e > 0n; e >>= 1n, x = (x * x) % P) if (e & 1n) r = (r * x) % P;
        return r;
      };
      let x = 1n;
      while (pow((((x * x * x - 3n * x + b) % P) + P) % P, (P - 1n) / 2n) === 1n) x++;
      bad.push(concat(Uint8Array.of(2), be32(x)), concat(Uint8Array.of(3), be32(x)));
      for (const p of bad) {
        expectCode(() => Sm2PublicKey.from(p), p[0] === 0x30 ? 'ERR_DECODE' : 'ERR_SM2_INVALID_POINT');
        // The backend contract takes 65- or 33-byte points (callers check lengths first).
        if (p.length === 65 || p.length === 33) expectCode(() => getBackend().sm2PublicKey(p), 'ERR_SM2_INVALID_POINT');
        expectCode(() => encrypt(p, 'x'), 'ERR_SM2_INVALID_POINT');
        expectCode(() => ecdh(key, p), 'ERR_SM2_INVALID_POINT');
      }
      expect(Sm2PublicKey.from(pub.toBytes({ compressed: true })).equals(pub)).toBe(true);
    });

    it('signatures: r or s = 0 or >= n, malformed, truncated, overlong or BER DER, trailing bytes -> false', () => {
      const raw = key.sign('m', { encoding: 'raw' });
      const r = raw.subarray(0, 32), s = raw.subarray(32);
      const der = signatureToDer(raw);
      const variants: Uint8Array[] = [
        concat(new Uint8Array(32), s), concat(r, new Uint8Array(32)),
        concat(be32(N), s), concat(r, be32(N)), concat(be32(N + big(toHex(r))), s).subarray(0, 64),
        concat(new Uint8Array(32).fill(0xff), s),
        new Uint8Array(0), raw.subarray(0, 63), concat(raw, Uint8Array.of(0)),
        der.subarray(0, der.length - 1), concat(der, Uint8Array.of(0)),
        Uint8Array.of(0x30, 0x80, ...der.subarray(2), 0, 0), // indefinite length
        Uint8Array.of(0x30, 0x81, der[1]!, ...der.subarray(2)), // non-minimal length
        Uint8Array.of(0x31, ...der.subarray(1)), // SET instead of SEQUENCE
        Uint8Array.of(0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0xff), // s negative
        Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01), // one INTEGER
        signatureToDer(concat(r, s)).map((v, i) => (i === 0 ? 0x30 : v)),
        concat(hex('3046022100'), be32(N), hex('0221'), new Uint8Array(1), s), // r = n in DER
        concat(hex('30460222'), new Uint8Array(2), r.subarray(0, 32), hex('0220'), s), // 33+ byte r
      ];
      for (const [i, v] of variants.entries()) {
        if (toHex(v) === toHex(der)) continue;
        expect(pub.verify('m', v), `variant ${i}`).toBe(false);
        expect(pub.verify('m', v, { encoding: 'der' }), `variant ${i}`).toBe(false);
        expect(pub.verify('m', v, { encoding: 'raw' }), `variant ${i}`).toBe(false);
        expect(getBackend().sm2Verify(getBackend().sm2PublicKey(point), sm3(concat(pub.computeZ(), utf8('m'))), v.length === 64 ? v : raw.map((x) => x ^ 0xff))).toBe(false);
      }
      expect(pub.verify('m', der)).toBe(true);
      expect(() => pub.verify('m', 'abc' as unknown as Uint8Array)).toThrow(TypeError);
      expect(() => pub.verify('m', der, { encoding: 'pem' as 'der' })).toThrow(RangeError);
      expect(() => verify('m', der, pub, null as unknown as object)).toThrow(TypeError);
    });

    it('ciphertexts: truncated, wrong C3, C1 off the curve or missing 04, bad DER -> ERR_SM2_DECRYPT_FAILED', () => {
      const ct = pub.encrypt('hello');
      for (let len = 0; len < ct.length; len++) {
        if (len === 97 + 0) continue;
        expectCode(() => key.decrypt(ct.subarray(0, len)), 'ERR_SM2_DECRYPT_FAILED');
      }
      expectCode(() => key.decrypt(ct.subarray(0, 97)), 'ERR_SM2_DECRYPT_FAILED');
      const c3 = ct.slice();
      c3[70]! ^= 0x80;
      expectCode(() => key.decrypt(c3), 'ERR_SM2_DECRYPT_FAILED');
      const c1 = ct.slice();
      c1[10]! ^= 1;
      expectCode(() => key.decrypt(c1), 'ERR_SM2_DECRYPT_FAILED');
      const other = Sm2PrivateKey.generate();
      expectCode(() => other.decrypt(ct), 'ERR_SM2_DECRYPT_FAILED');
      expectCode(() => key.decrypt(ct.subarray(1), { c1Prefix: true }), 'ERR_SM2_DECRYPT_FAILED');
      const der = pub.encrypt('hello', { format: 'der' });
      expectCode(() => key.decrypt(der.subarray(0, der.length - 1)), 'ERR_SM2_DECRYPT_FAILED');
      expectCode(() => key.decrypt(concat(der, Uint8Array.of(0))), 'ERR_SM2_DECRYPT_FAILED');
      // hash OCTET STRING of 31 bytes
      const p = convertCiphertext(ct, { to: 'c1c3c2' });
      const shortHash = concat(hex('30'), Uint8Array.of(0), hex('0220'), p.subarray(1, 33));
      expectCode(() => key.decrypt(shortHash), 'ERR_SM2_DECRYPT_FAILED');
      expect(() => key.decrypt('abc' as unknown as Uint8Array)).toThrow(TypeError);
      expect(() => key.decrypt(ct, { format: 'c3c2c1' as 'der' })).toThrow(RangeError);
      expect(() => key.decrypt(ct, { c1Prefix: false, format: 'der' })).toThrow(RangeError);
    });

    it('all-zero key stream t: decryption fails (B4) and a fixed k that gives it is refused (A5)', () => {
      const b = getBackend();
      const dh = b.sm2PrivateKey(key.export({ format: 'raw' }));
      // Find k with KDF([d]C1, 1 byte) = 00 for C1 = [k]G (probability 1/256 per try); then
      // [k]P = [d]C1 too, so encrypting with that k gives the same all-zero t.
      let found = false;
      for (let i = 0; i < 5000 && !found; i++) {
        const kBytes = b.sm2GenerateScalar();
        const kh = b.sm2PrivateKey(kBytes);
        const c1 = b.sm2PrivateToPublic(kh);
        kh.destroy();
        const xy = b.sm2Ecdh(dh, b.sm2PublicKey(c1));
        if (sm3Kdf(xy, 1)[0] !== 0) continue;
        found = true;
        // M = C2 xor t = C2; a ciphertext that is otherwise consistent must still fail.
        const m = Uint8Array.of(0x5a);
        const c3 = sm3(concat(xy.subarray(0, 32), m, xy.subarray(32)));
        expectCode(() => key.decrypt(concat(c1, c3, m)), 'ERR_SM2_DECRYPT_FAILED');
        // The same k used to encrypt a 1-byte message to this key: t is zero, so k is refused.
        const pubH = b.sm2PublicKey(key.publicKey.toBytes());
        expect(() => b.sm2Encrypt(pubH, m, { k: kBytes })).toThrow(RangeError);
        // …while encrypt() with a random k works on the same message.
        expect(toHex(key.decrypt(key.publicKey.encrypt(m)))).toBe('5a');
      }
      expect(found).toBe(true);
    });

    it('signing retry rules with a fixed k: r = 0, r + k = n and s = 0 are refused', () => {
      const b = getBackend();
      const d = big(toHex(key.export({ format: 'raw' })));
      const h = b.sm2PrivateKey(be32(d));
      const kKey = Sm2PrivateKey.generate();
      const k = big(toHex(kKey.export({ format: 'raw' })));
      const x1 = big(toHex(kKey.publicKey.toBytes().subarray(1, 33)));
      const mod = (v: bigint): bigint => ((v % N) + N) % N;
      const inv = (v: bigint): bigint => {
        let r = 1n, base = mod(v), e = N - 2n;
        for (; e > 0n; e >>= 1n, base = (base * base) % N) if (e & 1n) r = (r * base) % N;
        return r;
      };
      // r = (e + x1) mod n = 0  <=>  e = -x1
      expect(() => b.sm2Sign(h, be32(mod(-x1)), { k: be32(k) })).toThrow(RangeError);
      // r + k = n  <=>  e = n - k - x1
      expect(() => b.sm2Sign(h, be32(mod(N - k - x1)), { k: be32(k) })).toThrow(RangeError);
      // s = (1+d)^-1 (k + r) - r = 0  <=>  r = k / d
      const r0 = mod(k * inv(d));
      expect(() => b.sm2Sign(h, be32(mod(r0 - x1)), { k: be32(k) })).toThrow(RangeError);
      // A k of 0 or n is refused; an ordinary e with this k signs and verifies.
      expect(() => b.sm2Sign(h, be32(5n), { k: be32(0n) })).toThrow(RangeError);
      expect(() => b.sm2Sign(h, be32(5n), { k: be32(N) })).toThrow(RangeError);
      const sig = b.sm2Sign(h, be32(5n), { k: be32(k) });
      expect(b.sm2Verify(b.sm2PublicKey(key.publicKey.toBytes()), be32(5n), sig)).toBe(true);
      // r = (e + x1) mod n, as GB/T 32918.2 §6.1 A5 says.
      expect(big(toHex(sig.subarray(0, 32)))).toBe(mod(5n + x1));
    });

    it('random corruption of keys, signatures and ciphertexts: a GuomiError or false, never anything else', () => {
      const random = (n: number): number => crypto.randomInt(n);
      const mutate = (b: Uint8Array): Uint8Array => {
        const out = b.slice();
        const kind = random(4);
        if (kind === 0) out[random(out.length)]! ^= 1 << random(8);
        else if (kind === 1) out[random(out.length)] = random(256);
        else if (kind === 2) return out.subarray(0, random(out.length));
        else return concat(out, crypto.randomBytes(1 + random(3)));
        return out;
      };
      const inputs = {
        pkcs8: key.export({ format: 'der' }),
        sec1: key.export({ format: 'der', type: 'sec1' }),
        spki: pub.export({ format: 'der' }),
        sig: key.sign('fuzz'),
        der: pub.encrypt('fuzz', { format: 'der' }),
        raw: pub.encrypt('fuzz'),
      };
      const allowed = (fn: () => unknown): void => {
        try {
          fn();
        } catch (e) {
          expect(e).toBeInstanceOf(GuomiError);
        }
      };
      for (let i = 0; i < 300; i++) {
        allowed(() => Sm2PrivateKey.from(mutate(inputs.pkcs8), { format: 'der' }));
        allowed(() => Sm2PrivateKey.from(mutate(inputs.sec1), { format: 'der' }));
        allowed(() => Sm2PublicKey.from(mutate(inputs.spki)));
        expect(typeof pub.verify('fuzz', mutate(inputs.sig))).toBe('boolean');
        allowed(() => key.decrypt(mutate(inputs.der)));
        allowed(() => key.decrypt(mutate(inputs.raw)));
        const pem = key.export();
        const j = random(pem.length);
        allowed(() => Sm2PrivateKey.from(pem.slice(0, j) + String.fromCharCode(random(128)) + pem.slice(j + 1)));
      }
    });

    it('argument types and options name the parameter', () => {
      expect(() => sign(5 as unknown as string, key)).toThrow(/"message"/);
      expect(() => sign('m', 'nope')).toThrow(GuomiError);
      expect(() => sign('m', 7 as unknown as Uint8Array)).toThrow(/"privateKey"/);
      expect(() => verify('m', new Uint8Array(64), 7 as unknown as Uint8Array)).toThrow(/"publicKey"/);
      expect(() => sign('m', key, { encoding: 'hex' as 'der' })).toThrow(/"encoding"/);
      expect(() => sign('m', key, { id: 8192 as unknown as string })).toThrow(/"id"/);
      expect(() => sign('m', key, { prehashed: 1 as unknown as boolean })).toThrow(/"prehashed"/);
      expect(() => encrypt(pub, 'x', { format: 'xml' as 'der' })).toThrow(/"format"/);
      expect(() => encrypt(pub, 'x', { c1Prefix: 0 as unknown as boolean })).toThrow(/"c1Prefix"/);
      expect(() => key.export({ format: 'jwk' as 'pem' })).toThrow(/"format"/);
      expect(() => pub.export({ type: 'pkcs8' as 'spki' })).toThrow(/"type"/);
      expect(() => verifyBatch('x' as unknown as [])).toThrow(TypeError);
    });
  });
});
