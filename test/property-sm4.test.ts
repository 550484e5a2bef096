/**
 * Property tests of guomi/sm4 (fast-check), once per backend: every mode round-trips on random
 * keys, IVs, data, AAD and options; random and tampered ciphertexts give only typed errors
 * (ERR_AUTH_FAILED, ERR_BAD_PADDING, RangeError) and never a forged success; wrong argument
 * lengths give RangeError; the node:crypto-style streams agree with the one-shot calls in random
 * pieces; and (when both backends load) native == pure byte for byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sm4, type Sm4Cipher } from '../src/sm4.js';
import { createCipheriv, createDecipheriv } from '../src/sm4-stream.js';
import { BACKENDS, forEachBackend } from './backends.js';
import { bytes, exactly, hex, on, outcome, params } from './property.js';

type Mode = 'ecb' | 'cbc' | 'ctr' | 'cfb' | 'ofb' | 'gcm' | 'ccm' | 'xts';

/** A random mode with its parameters, and a data length the mode accepts. */
interface Setup {
  mode: Mode;
  key: Uint8Array;
  key2: Uint8Array;
  iv: Uint8Array;
  aad: Uint8Array;
  tagLength: number;
  padding: 'pkcs7' | 'none';
  variant: 'gb' | 'ieee';
  data: Uint8Array;
}

const setupArb: fc.Arbitrary<Setup> = fc
  .record({
    mode: fc.constantFrom<Mode>('ecb', 'cbc', 'ctr', 'cfb', 'ofb', 'gcm', 'ccm', 'xts'),
    key: exactly(16),
    key2: exactly(16),
    iv16: exactly(16),
    gcmIv: bytes(1, 40),
    nonce: bytes(7, 13),
    aad: bytes(0, 100),
    gcmTag: fc.constantFrom(4, 8, 12, 13, 14, 15, 16),
    ccmTag: fc.constantFrom(4, 6, 8, 10, 12, 14, 16),
    padding: fc.constantFrom<'pkcs7' | 'none'>('pkcs7', 'none'),
    variant: fc.constantFrom<'gb' | 'ieee'>('gb', 'ieee'),
    data: bytes(0, 600),
  })
  .map((r) => {
    let data = r.data;
    if ((r.mode === 'ecb' || r.mode === 'cbc') && r.padding === 'none') data = data.subarray(0, data.length & ~15);
    if (r.mode === 'xts' && data.length < 16) data = new Uint8Array(16 + data.length).fill(data.length);
    return {
      mode: r.mode,
      key: r.key,
      key2: r.key2,
      iv: r.mode === 'gcm' ? r.gcmIv : r.mode === 'ccm' ? r.nonce : r.iv16,
      aad: r.aad,
      tagLength: r.mode === 'gcm' ? r.gcmTag : r.ccmTag,
      padding: r.padding,
      variant: r.variant,
      data,
    };
  });

function cipher(s: Setup): Sm4Cipher {
  switch (s.mode) {
    case 'ecb':
      return sm4.ecb(s.key, { padding: s.padding });
    case 'cbc':
      return sm4.cbc(s.key, s.iv, { padding: s.padding });
    case 'ctr':
      return sm4.ctr(s.key, s.iv);
    case 'cfb':
      return sm4.cfb(s.key, s.iv);
    case 'ofb':
      return sm4.ofb(s.key, s.iv);
    case 'gcm':
      return sm4.gcm(s.key, s.iv, { aad: s.aad, tagLength: s.tagLength });
    case 'ccm':
      return sm4.ccm(s.key, s.iv, { aad: s.aad, tagLength: s.tagLength });
    case 'xts': {
      const k = new Uint8Array(32);
      k.set(s.key);
      k.set(s.key2, 16);
      return sm4.xts(k, s.iv, { variant: s.variant });
    }
  }
}

const encrypt = (s: Setup): Uint8Array => cipher(s).encrypt(s.data);

forEachBackend(() => {
  describe('sm4 properties', () => {
    it('every mode round-trips (random key, IV, data, AAD, tag length, padding, variant)', () => {
      fc.assert(
        fc.property(setupArb, (s) => {
          const ct = encrypt(s);
          const expectLen =
            s.mode === 'gcm' || s.mode === 'ccm'
              ? s.data.length + s.tagLength
              : (s.mode === 'ecb' || s.mode === 'cbc') && s.padding === 'pkcs7'
                ? (s.data.length & ~15) + 16
                : s.data.length;
          expect(ct.length).toBe(expectLen);
          expect(hex(cipher(s).decrypt(ct))).toBe(hex(s.data));
        }),
        params(300, 11),
      );
    });

    it('async variants give the sync bytes', async () => {
      await fc.assert(
        fc.asyncProperty(setupArb, async (s) => {
          const ct = await cipher(s).encryptAsync(s.data);
          expect(hex(ct)).toBe(hex(encrypt(s)));
          expect(hex(await cipher(s).decryptAsync(ct))).toBe(hex(s.data));
        }),
        params(60, 12),
      );
    });

    it('one changed bit in a GCM or CCM ciphertext, tag or AAD is refused (ERR_AUTH_FAILED)', () => {
      const aead = setupArb.filter((s) => s.mode === 'gcm' || s.mode === 'ccm');
      fc.assert(
        fc.property(aead, fc.nat(), fc.integer({ min: 0, max: 7 }), fc.boolean(), (s, at, bit, inAad) => {
          const ct = encrypt(s);
          if (inAad && s.aad.length > 0) {
            const aad = new Uint8Array(s.aad);
            aad[at % aad.length]! ^= 1 << bit;
            outcome(() => cipher({ ...s, aad }).decrypt(ct), 'decrypt with changed AAD', ['GuomiError:ERR_AUTH_FAILED']);
          } else {
            const bad = new Uint8Array(ct);
            bad[at % bad.length]! ^= 1 << bit;
            outcome(() => cipher(s).decrypt(bad), 'decrypt changed ciphertext', ['GuomiError:ERR_AUTH_FAILED']);
          }
        }),
        params(200, 13),
      );
    });

    it('random bytes into every decrypt give a plaintext only where that is not a forgery', () => {
      fc.assert(
        fc.property(setupArb, bytes(0, 200), (s, junk) => {
          const r = outcome(() => cipher(s).decrypt(junk), `${s.mode} decrypt of random bytes`);
          switch (s.mode) {
            case 'gcm':
            case 'ccm':
              // 2^-32 at the shortest tag: a success would be a forgery.
              expect([
                'GuomiError:ERR_AUTH_FAILED',
                ...(junk.length < s.tagLength ? ['RangeError'] : []),
              ]).toContain(r);
              break;
            case 'ecb':
            case 'cbc':
              if (junk.length % 16 !== 0 || (junk.length === 0 && s.padding === 'pkcs7')) expect(r).toBe('RangeError');
              else if (s.padding === 'none') expect(r).toBe('ok');
              else {
                expect(['ok', 'GuomiError:ERR_BAD_PADDING']).toContain(r);
                // A plaintext released from bad padding would re-encrypt to something else.
                if (r === 'ok') expect(hex(cipher(s).encrypt(cipher(s).decrypt(junk)))).toBe(hex(junk));
              }
              break;
            case 'xts':
              expect(r).toBe(junk.length < 16 ? 'RangeError' : 'ok');
              break;
            default:
              expect(r).toBe('ok');
          }
        }),
        params(400, 14),
      );
    });

    it('wrong key, IV, nonce and tag lengths are RangeErrors, wrong types TypeErrors', () => {
      fc.assert(
        fc.property(
          fc.constantFrom<Mode>('ecb', 'cbc', 'ctr', 'cfb', 'ofb', 'gcm', 'ccm', 'xts'),
          bytes(0, 40),
          bytes(0, 40),
          fc.integer({ min: -2, max: 20 }),
          (mode, key, iv, tagLength) => {
            const data = new Uint8Array(32);
            const make = (): Sm4Cipher => {
              switch (mode) {
                case 'ecb':
                  return sm4.ecb(key);
                case 'cbc':
                case 'ctr':
                case 'cfb':
                case 'ofb':
                  return sm4[mode](key, iv);
                case 'gcm':
                  return sm4.gcm(key, iv, { tagLength });
                case 'ccm':
                  return sm4.ccm(key, iv, { tagLength });
                case 'xts':
                  return sm4.xts(key, iv);
              }
            };
            const okKey = key.length === (mode === 'xts' ? 32 : 16);
            const okIv =
              mode === 'ecb' ||
              (mode === 'gcm' ? iv.length >= 1 : mode === 'ccm' ? iv.length >= 7 && iv.length <= 13 : iv.length === 16);
            const okTag =
              mode === 'gcm'
                ? [4, 8, 12, 13, 14, 15, 16].includes(tagLength)
                : mode === 'ccm'
                  ? [4, 6, 8, 10, 12, 14, 16].includes(tagLength)
                  : true;
            const r = outcome(() => make().encrypt(data), `${mode} key ${key.length} iv ${iv.length} tag ${tagLength}`);
            expect(r).toBe(okKey && okIv && okTag ? 'ok' : 'RangeError');
          },
        ),
        params(300, 15),
      );
      for (const bad of [undefined, null, 'key', 16, {}, [1, 2, 3]] as unknown[]) {
        outcome(() => sm4.ecb(bad as Uint8Array), 'ecb key of a wrong type', ['TypeError']);
        outcome(() => sm4.gcm(new Uint8Array(16), bad as Uint8Array), 'gcm iv of a wrong type', ['TypeError']);
        outcome(() => sm4.ctr(new Uint8Array(16), new Uint8Array(16)).decrypt(bad as Uint8Array), 'data of a wrong type', [
          'TypeError',
        ]);
      }
    });

    it('createCipheriv/createDecipheriv in random pieces agree with the one-shot calls', () => {
      const streamable = setupArb.filter((s) => s.mode !== 'xts' && s.mode !== 'ccm');
      fc.assert(
        fc.property(streamable, fc.array(fc.nat({ max: 100 }), { maxLength: 8 }), (s, cuts) => {
          const name = `sm4-${s.mode}`;
          const iv = s.mode === 'ecb' ? null : s.iv;
          const opts = s.mode === 'gcm' ? { authTagLength: s.tagLength } : undefined;
          const pieces = (d: Uint8Array): Uint8Array[] => {
            const out: Uint8Array[] = [];
            let off = 0;
            for (const c of cuts) {
              const n = Math.min(c, d.length - off);
              out.push(d.subarray(off, off + n));
              off += n;
            }
            out.push(d.subarray(off));
            return out;
          };
          const enc = createCipheriv(name, s.key, iv, opts);
          if (s.mode === 'ecb' || s.mode === 'cbc') enc.setAutoPadding(s.padding === 'pkcs7');
          if (s.mode === 'gcm') enc.setAAD(s.aad);
          const parts = pieces(s.data).map((p) => enc.update(p));
          parts.push(enc.final());
          let ct: Uint8Array = Buffer.concat(parts);
          if (s.mode === 'gcm') ct = Buffer.concat([ct, enc.getAuthTag()]);
          expect(hex(ct)).toBe(hex(encrypt(s)));
          const dec = createDecipheriv(name, s.key, iv, opts);
          if (s.mode === 'ecb' || s.mode === 'cbc') dec.setAutoPadding(s.padding === 'pkcs7');
          let body = ct;
          if (s.mode === 'gcm') {
            dec.setAAD(s.aad);
            dec.setAuthTag(ct.subarray(ct.length - s.tagLength));
            body = ct.subarray(0, ct.length - s.tagLength);
          }
          const back = pieces(body).map((p) => dec.update(p));
          back.push(dec.final());
          expect(hex(Buffer.concat(back))).toBe(hex(s.data));
        }),
        params(150, 16),
      );
    });
  });
});

// Declared only when the backends it needs are loaded (a GUOMI_BACKEND=pure run has one).
if (BACKENDS.includes('native') && BACKENDS.includes('pure')) describe('sm4 properties: native == pure', () => {
  it('every mode gives the same ciphertext on both backends, and each decrypts the other', () => {
    fc.assert(
      fc.property(setupArb, (s) => {
        const a = on('native', 'native', () => encrypt(s));
        const b = on('pure', 'native', () => encrypt(s));
        expect(hex(a)).toBe(hex(b));
        expect(hex(on('pure', 'native', () => cipher(s).decrypt(a)))).toBe(hex(s.data));
      }),
      params(300, 17),
    );
  });
});
