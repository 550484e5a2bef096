/**
 * Property tests of guomi/sm2 (fast-check), once per backend.
 *
 * Parsers: random bytes, random PEM and single-byte mutations of valid encodings into
 * Sm2PrivateKey.from / Sm2PublicKey.from (raw, DER, PEM), verify() (DER and raw signatures),
 * decrypt() (all three ciphertext layouts, with and without the 04 prefix), signatureToRaw and
 * convertCiphertext give only typed errors or false — never another exception — and no
 * unexpected success: a mutated signature never verifies, a mutated ciphertext never decrypts,
 * a key that parses re-exports to an encoding that parses to the same key.
 * Round trips: sign/verify with random messages, IDs and encodings, prehashed or not;
 * encrypt/decrypt in every layout; key export/import in every format.
 * native == pure (when both load): the same public key, Z, ECDH secret and ciphertext layouts,
 * and each backend accepts the other's signatures and ciphertexts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Sm2KeyExchangeInitiator,
  Sm2KeyExchangeResponder,
  Sm2PrivateKey,
  Sm2PublicKey,
  computeZ,
  convertCiphertext,
  decrypt,
  ecdh,
  encrypt,
  sign,
  signatureToDer,
  signatureToRaw,
  verify,
  type Sm2CiphertextFormat,
} from '../src/sm2.js';
import { sm3 } from '../src/sm3.js';
import { BACKENDS, forEachBackend } from './backends.js';
import { bytes, exactly, hex, on, outcome, params } from './property.js';

/** d values from GB/T 32918 and some random ones (all in [1, n-2]). */
const D = [
  '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8', // 32918.5 Annex A.2
  '0000000000000000000000000000000000000000000000000000000000000001',
  'fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54121', // n - 2
  '6fcba2ef9ae0ab902bc3bde3ff915d44ba4cc78f88e2f8e7f8996d3b8cceedee',
];
const N = 'fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123';
const keyIndex = fc.integer({ min: 0, max: D.length - 1 });
const fromHex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
const FORMATS: Sm2CiphertextFormat[] = ['c1c3c2', 'c1c2c3', 'der'];
const layout = fc.record({
  format: fc.constantFrom<Sm2CiphertextFormat>(...FORMATS),
  c1Prefix: fc.boolean(),
}).map((l) => (l.format === 'der' ? { format: l.format, c1Prefix: true } : l));
const idArb = fc.oneof(fc.constant(undefined), fc.string({ maxLength: 20 }), bytes(0, 40));

/** One byte of `b` replaced (a real change), or truncated/extended, as picked by `how`. */
function mutate(b: Uint8Array, at: number, value: number, how: number): Uint8Array {
  if (b.length === 0) return Uint8Array.of(value);
  const i = at % b.length;
  if (how === 0) return b.subarray(0, i);
  if (how === 1) {
    const out = new Uint8Array(b.length + 1);
    out.set(b);
    out[b.length] = value;
    return out;
  }
  const out = new Uint8Array(b);
  out[i] = out[i]! ^ (value === 0 ? 1 : value);
  return out;
}
const mutation = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 4 }));

forEachBackend(() => {
  describe('sm2 properties', () => {
    const keys = D.map((d) => Sm2PrivateKey.from(fromHex(d)));
    const pubs = keys.map((k) => k.publicKey);

    it('random bytes and PEM into the key parsers: typed errors only, and what parses round-trips', () => {
      const pemOf = (label: string, body: Uint8Array): string =>
        `-----BEGIN ${label}-----\n${Buffer.from(body).toString('base64')}\n-----END ${label}-----\n`;
      fc.assert(
        fc.property(
          bytes(0, 160),
          fc.constantFrom('PRIVATE KEY', 'EC PRIVATE KEY', 'PUBLIC KEY', 'CERTIFICATE', 'X'),
          fc.constantFrom<'raw' | 'der' | 'pem' | 'default'>('raw', 'der', 'pem', 'default'),
          (junk, label, how) => {
            const input = how === 'pem' ? pemOf(label, junk) : junk;
            const opts = how === 'raw' || how === 'der' ? { format: how } : undefined;
            let priv: Sm2PrivateKey | undefined;
            const rp = outcome(() => (priv = Sm2PrivateKey.from(input, opts)), 'Sm2PrivateKey.from');
            if (rp === 'ok') {
              // Only a 32-byte scalar in range parses from raw bytes; the key must work.
              const d = priv!.export({ format: 'raw' });
              expect(hex(Sm2PrivateKey.from(priv!.export({ format: 'der' })).export({ format: 'raw' }))).toBe(hex(d));
              priv!.destroy();
            } else {
              expect(['RangeError', 'TypeError', 'GuomiError:ERR_DECODE', 'GuomiError:ERR_UNSUPPORTED', 'GuomiError:ERR_SM2_INVALID_KEY', 'GuomiError:ERR_SM2_INVALID_POINT']).toContain(rp);
            }
            let pub: Sm2PublicKey | undefined;
            const rq = outcome(() => (pub = Sm2PublicKey.from(input)), 'Sm2PublicKey.from');
            if (rq === 'ok') {
              // A point that parses is on the curve: it must re-encode and re-parse identically.
              const raw = pub!.toBytes();
              expect(hex(Sm2PublicKey.from(pub!.export({ format: 'der' })).toBytes())).toBe(hex(raw));
              expect(hex(Sm2PublicKey.from(pub!.toBytes({ compressed: true })).toBytes())).toBe(hex(raw));
            } else {
              expect(['RangeError', 'TypeError', 'GuomiError:ERR_DECODE', 'GuomiError:ERR_UNSUPPORTED', 'GuomiError:ERR_SM2_INVALID_POINT', 'GuomiError:ERR_SM2_INVALID_KEY']).toContain(rq);
            }
          },
        ),
        params(300, 21),
      );
    });

    it('mutated key encodings (PKCS#8, SEC1, SPKI, raw points): typed errors, or a key that round-trips', () => {
      fc.assert(
        fc.property(
          keyIndex,
          fc.constantFrom('pkcs8', 'sec1', 'spki', 'point', 'compressed'),
          mutation,
          (ki, kind, [at, value, how]) => {
            const k = keys[ki]!;
            const enc =
              kind === 'pkcs8' || kind === 'sec1'
                ? k.export({ format: 'der', type: kind })
                : kind === 'spki'
                  ? pubs[ki]!.export({ format: 'der' })
                  : pubs[ki]!.toBytes({ compressed: kind === 'compressed' });
            const bad = mutate(enc, at, value, how);
            if (kind === 'pkcs8' || kind === 'sec1') {
              let p: Sm2PrivateKey | undefined;
              const r = outcome(() => (p = Sm2PrivateKey.from(bad, { format: 'der' })), `mutated ${kind}`);
              if (r === 'ok') {
                // Accepted only if it still encodes some valid key; its public point must match d.
                const again = Sm2PrivateKey.from(p!.export({ format: 'raw' }));
                expect(hex(again.publicKey.toBytes())).toBe(hex(p!.publicKey.toBytes()));
              } else expect(['GuomiError:ERR_DECODE', 'GuomiError:ERR_UNSUPPORTED', 'GuomiError:ERR_SM2_INVALID_KEY', 'GuomiError:ERR_SM2_INVALID_POINT', 'RangeError']).toContain(r);
            } else {
              let p: Sm2PublicKey | undefined;
              const r = outcome(() => (p = Sm2PublicKey.from(bad)), `mutated ${kind}`);
              if (r === 'ok') {
                // A changed point is accepted only if it is still on the curve (verified by
                // encrypting to it and checking the result's C1 decodes).
                const c = p!.encrypt(Uint8Array.of(1, 2, 3));
                expect(c.length).toBe(97 + 3);
                expect(hex(Sm2PublicKey.from(p!.toBytes({ compressed: true })).toBytes())).toBe(hex(p!.toBytes()));
              } else expect(['GuomiError:ERR_DECODE', 'GuomiError:ERR_UNSUPPORTED', 'GuomiError:ERR_SM2_INVALID_POINT', 'RangeError']).toContain(r);
            }
          },
        ),
        params(300, 22),
      );
    });

    it('sign/verify round-trips (random messages, IDs, encodings, prehashed); mutated signatures and messages fail', () => {
      fc.assert(
        fc.property(keyIndex, bytes(0, 200), idArb, fc.constantFrom<'der' | 'raw'>('der', 'raw'), fc.boolean(), mutation, (ki, msg, id, encoding, prehashed, [at, value, how]) => {
          const key = keys[ki]!, pub = pubs[ki]!;
          const message = prehashed ? sm3(new Uint8Array([...computeZ(pub, id), ...msg])) : msg;
          const opts = prehashed ? { encoding, prehashed } : { encoding, id };
          const sig = sign(message, key, opts);
          if (encoding === 'raw') expect(sig.length).toBe(64);
          expect(verify(message, sig, pub, opts)).toBe(true);
          // The encoding is recognised when not named.
          if (!prehashed) expect(verify(message, sig, pub, { id })).toBe(true);
          const badSig = mutate(sig, at, value, how);
          let r: boolean | undefined;
          outcome(() => (r = verify(message, badSig, pub, opts)), 'verify of a mutated signature', ['ok']);
          // A DER signature with one trailing byte or a changed length byte must not pass either.
          expect(r).toBe(false);
          const badMsg = mutate(message, at, value, prehashed ? 2 : how);
          if (!prehashed || badMsg.length === 32) expect(verify(badMsg, sig, pub, opts)).toBe(false);
          expect(verify(message, sig, pubs[(ki + 1) % pubs.length]!, opts)).toBe(false);
        }),
        params(80, 23),
      );
    });

    it('random signatures never verify and never throw (DER, raw, unnamed encoding)', () => {
      fc.assert(
        fc.property(keyIndex, bytes(0, 100), fc.oneof(bytes(0, 90), exactly(64)), fc.constantFrom<'der' | 'raw' | undefined>('der', 'raw', undefined), (ki, msg, sig, encoding) => {
          let r: boolean | undefined;
          outcome(() => (r = verify(msg, sig, pubs[ki]!, encoding ? { encoding } : undefined)), 'verify random', ['ok']);
          expect(r).toBe(false);
          const rr = outcome(() => signatureToRaw(sig), 'signatureToRaw');
          expect(['ok', 'GuomiError:ERR_SM2_INVALID_SIGNATURE']).toContain(rr);
          if (rr === 'ok') expect(hex(signatureToDer(signatureToRaw(sig)))).toBe(hex(sig));
        }),
        params(300, 24),
      );
      // r or s of 0 or >= n in raw form.
      const zero = new Uint8Array(32), n = fromHex(N);
      for (const [r, s] of [[zero, n], [n, n], [n, zero], [zero, zero]] as const) {
        expect(verify(Uint8Array.of(1), new Uint8Array([...r, ...s]), pubs[0]!, { encoding: 'raw' })).toBe(false);
      }
    });

    it('encrypt/decrypt round-trips in every layout; conversions between layouts decrypt', () => {
      fc.assert(
        fc.property(keyIndex, bytes(1, 300), layout, layout, (ki, msg, l1, l2) => {
          const ct = encrypt(pubs[ki]!, msg, l1);
          const c1 = l1.c1Prefix ? 65 : 64;
          if (l1.format !== 'der') expect(ct.length).toBe(c1 + 32 + msg.length);
          expect(hex(decrypt(keys[ki]!, ct, l1))).toBe(hex(msg));
          const conv = convertCiphertext(ct, { from: l1.format, fromC1Prefix: l1.c1Prefix, to: l2.format, toC1Prefix: l2.c1Prefix });
          expect(hex(decrypt(keys[ki]!, conv, l2))).toBe(hex(msg));
        }),
        params(80, 25),
      );
    });

    it('mutated and random ciphertexts never decrypt: ERR_SM2_DECRYPT_FAILED (or a RangeError/TypeError for options)', () => {
      fc.assert(
        fc.property(keyIndex, bytes(1, 64), layout, mutation, bytes(0, 200), (ki, msg, l, [at, value, how], junk) => {
          const ct = encrypt(pubs[ki]!, msg, l);
          const bad = mutate(ct, at, value, how);
          outcome(() => decrypt(keys[ki]!, bad, l), `decrypt mutated ${l.format}`, ['GuomiError:ERR_SM2_DECRYPT_FAILED']);
          outcome(() => decrypt(keys[(ki + 1) % keys.length]!, ct, l), 'decrypt under another key', ['GuomiError:ERR_SM2_DECRYPT_FAILED']);
          outcome(() => decrypt(keys[ki]!, junk, l), `decrypt random ${l.format}`, ['GuomiError:ERR_SM2_DECRYPT_FAILED']);
          outcome(() => decrypt(keys[ki]!, junk), 'decrypt random, layout detected', ['GuomiError:ERR_SM2_DECRYPT_FAILED']);
          const rc = outcome(() => convertCiphertext(junk, { from: l.format, fromC1Prefix: l.c1Prefix, to: 'der' }), 'convert random');
          expect(['ok', 'GuomiError:ERR_SM2_DECRYPT_FAILED']).toContain(rc);
        }),
        params(80, 26),
      );
    });

    it('key export/import round-trips in every format; ECDH and the key exchange agree', () => {
      fc.assert(
        fc.property(exactly(32), fc.constantFrom('pem', 'der', 'raw'), fc.constantFrom<'pkcs8' | 'sec1'>('pkcs8', 'sec1'), fc.boolean(), fc.integer({ min: 1, max: 70 }), fc.boolean(), idArb, (d, format, type, compressed, keyLength, confirm, id) => {
          let k: Sm2PrivateKey | undefined;
          const r = outcome(() => (k = Sm2PrivateKey.from(d)), 'random scalar');
          // Only d in [1, n-2] is a key; a random 32-byte value is out of range with p ~ 2^-32.
          if (r !== 'ok') return expect(r).toBe('GuomiError:ERR_SM2_INVALID_KEY');
          const key = k!;
          const exported: string | Uint8Array =
            format === 'raw' ? key.export({ format }) : format === 'der' ? key.export({ format, type }) : key.export({ format, type });
          const again = Sm2PrivateKey.from(exported);
          expect(hex(again.export({ format: 'raw' }))).toBe(hex(d));
          const pubText: string | Uint8Array =
            format === 'pem' ? key.publicKey.export({ format, compressed }) : key.publicKey.export({ format: format as 'der' | 'raw', compressed });
          expect(hex(Sm2PublicKey.from(pubText).toBytes())).toBe(hex(key.publicKey.toBytes()));
          const other = keys[d[0]! % keys.length]!;
          expect(hex(ecdh(key, other.publicKey))).toBe(hex(ecdh(other, key.publicKey)));
          const a = new Sm2KeyExchangeInitiator({ privateKey: key, peerPublicKey: other.publicKey, id, keyLength, confirm });
          const b = new Sm2KeyExchangeResponder({ privateKey: other, peerPublicKey: key.publicKey, peerId: id, keyLength, confirm });
          const rb = b.respond(a.ephemeralPublicKey);
          const fa = a.finish(rb.ephemeralPublicKey, rb.confirmation);
          expect(hex(b.finish(fa.confirmation))).toBe(hex(fa.key));
          expect(fa.key.length).toBe(keyLength);
          key.destroy();
        }),
        params(40, 27),
      );
    });

    it('random ephemeral points into the key exchange: typed errors only', () => {
      fc.assert(
        fc.property(keyIndex, exactly(65), fc.boolean(), (ki, point, prefix) => {
          if (prefix) point[0] = 4;
          const b = new Sm2KeyExchangeResponder({ privateKey: keys[ki]!, peerPublicKey: pubs[0]!, keyLength: 16 });
          outcome(() => b.respond(point), 'respond to a random RA', ['GuomiError:ERR_SM2_INVALID_POINT']);
          outcome(() => ecdh(keys[ki]!, point), 'ecdh with a random point', ['GuomiError:ERR_SM2_INVALID_POINT', 'GuomiError:ERR_DECODE']);
        }),
        params(100, 28),
      );
    });
  });
});

// Declared only when the backends it needs are loaded (a GUOMI_BACKEND=pure run has one).
if (BACKENDS.includes('native') && BACKENDS.includes('pure')) describe('sm2 properties: native == pure', () => {
  it('same public key, Z, ECDH and encodings; each accepts the other signatures and ciphertexts', () => {
    fc.assert(
      fc.property(exactly(32), exactly(32), bytes(1, 100), idArb, layout, (d1, d2, msg, id, l) => {
        const side = (name: 'native' | 'pure') =>
          on(name, 'native', () => {
            const a = Sm2PrivateKey.from(d1), b = Sm2PrivateKey.from(d2);
            return {
              pub: hex(a.publicKey.toBytes()),
              pubc: hex(a.publicKey.toBytes({ compressed: true })),
              pkcs8: hex(a.export({ format: 'der' })),
              sec1: hex(a.export({ format: 'der', type: 'sec1' })),
              spki: hex(a.publicKey.export({ format: 'der' })),
              z: hex(computeZ(a.publicKey, id)),
              ecdh: hex(ecdh(a, b.publicKey)),
              sig: sign(msg, a, { id }),
              ct: encrypt(a.publicKey, msg, l),
            };
          });
        let n: ReturnType<typeof side>;
        try {
          n = side('native');
        } catch (err) {
          // A random scalar outside [1, n-2]: both backends must refuse it the same way.
          outcome(() => side('pure'), 'pure with an invalid scalar', [`GuomiError:${(err as { code: string }).code}`]);
          return;
        }
        const p = side('pure');
        for (const f of ['pub', 'pubc', 'pkcs8', 'sec1', 'spki', 'z', 'ecdh'] as const) expect(p[f], f).toBe(n[f]);
        for (const [name, s] of [['pure', n], ['native', p]] as const) {
          on(name, 'native', () => {
            const a = Sm2PrivateKey.from(d1);
            expect(verify(msg, s.sig, a.publicKey, { id })).toBe(true);
            expect(hex(decrypt(a, s.ct, l))).toBe(hex(msg));
          });
        }
      }),
      params(40, 29),
    );
  });
});
