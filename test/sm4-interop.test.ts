/**
 * SM4 on random inputs, once per backend: against node:crypto (OpenSSL 3.0's sm4-ecb, -cbc,
 * -ctr, -cfb, -ofb) and sm-crypto-v2 (GCM with a 12-byte IV and 16-byte tag, ECB, CBC); round
 * trips of GCM, CCM and XTS at every length; tampering; and the Sm4Backend contract details the
 * public API relies on (in-place streams, CBC chaining, outputs zeroed on failure).
 */
import crypto from 'node:crypto';
import { sm4 as smv2 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { sm4, type Sm4Cipher } from '../src/sm4.js';
import { getBackend } from '../src/backend/select.js';
import { GuomiError } from '../src/errors.js';
import { forEachBackend } from './backends.js';
import { randomSplit, rng } from './random.js';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const cat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

type Mode = 'ecb' | 'cbc' | 'ctr' | 'cfb' | 'ofb';

function ours(mode: Mode, key: Uint8Array, iv: Uint8Array, padded: boolean): Sm4Cipher {
  const padding = padded ? 'pkcs7' : 'none';
  switch (mode) {
    case 'ecb': return sm4.ecb(key, { padding });
    case 'cbc': return sm4.cbc(key, iv, { padding });
    default: return sm4[mode](key, iv);
  }
}

function nodeCipher(mode: Mode, decrypt: boolean, key: Uint8Array, iv: Uint8Array, padded: boolean, data: Uint8Array): string {
  const name = `sm4-${mode}`;
  const c = decrypt
    ? crypto.createDecipheriv(name, key, mode === 'ecb' ? null : iv)
    : crypto.createCipheriv(name, key, mode === 'ecb' ? null : iv);
  c.setAutoPadding(padded);
  return Buffer.concat([c.update(data), c.final()]).toString('hex');
}

/** Expects f to throw GuomiError ERR_AUTH_FAILED. */
function expectAuthFailure(f: () => unknown, where: string): void {
  let out: unknown;
  try {
    out = f();
  } catch (err) {
    expect(err, where).toBeInstanceOf(GuomiError);
    expect((err as GuomiError).code, where).toBe('ERR_AUTH_FAILED');
    return;
  }
  expect.fail(`${where}: accepted, returned ${String(out)}`);
}

forEachBackend(() => {
  describe('against node:crypto (OpenSSL 3.0) on random inputs', () => {
    const r = rng(20261123);

    it('ECB, CBC, CTR, CFB, OFB both ways, padding on and off, lengths 0..1 KiB', () => {
      for (const mode of ['ecb', 'cbc', 'ctr', 'cfb', 'ofb'] as const) {
        for (let i = 0; i < 40; i++) {
          const key = crypto.randomBytes(16), iv = crypto.randomBytes(16);
          const stream = mode === 'ctr' || mode === 'cfb' || mode === 'ofb';
          const padded = !stream && i % 2 === 0;
          let len = i < 20 ? i * 7 : Math.floor(r() * 1024);
          if (!stream && !padded) len -= len % 16;
          const pt = crypto.randomBytes(len);
          const want = nodeCipher(mode, false, key, iv, padded, pt);
          expect(toHex(ours(mode, key, iv, padded).encrypt(pt)), `${mode} ${len}`).toBe(want);
          // And the other direction: node encrypts, we decrypt (and vice versa for random bytes).
          expect(toHex(ours(mode, key, iv, padded).decrypt(Buffer.from(want, 'hex'))), `${mode} ${len}`).toBe(toHex(pt));
          if (stream || !padded) {
            const junk = crypto.randomBytes(len);
            expect(toHex(ours(mode, key, iv, padded).decrypt(junk))).toBe(nodeCipher(mode, true, key, iv, padded, junk));
          }
        }
      }
    });

    it('CTR counters near the 2^32, 2^64 and 2^128 wrap (128-bit big-endian increment)', () => {
      const key = crypto.randomBytes(16);
      const starts = [
        '000102030405060708090a0bfffffffd', '0001020304050607fffffffffffffffd', 'fffffffffffffffffffffffffffffffd',
        '00000000fffffffffffffffffffffffd', 'ffffffffffffffff00000000fffffffe', '7fffffffffffffffffffffffffffffff',
      ];
      for (const s of starts) {
        const iv = Buffer.from(s, 'hex');
        for (const len of [1, 16, 33, 64, 100, 257]) {
          const pt = crypto.randomBytes(len);
          const want = nodeCipher('ctr', false, key, iv, false, pt);
          expect(toHex(sm4.ctr(key, iv).encrypt(pt)), `${s} ${len}`).toBe(want);
          // In pieces through the backend's streaming state, which keeps the counter.
          const state = getBackend().sm4Stream(getBackend().sm4ExpandKey(key), 'ctr', false, iv);
          const out = new Uint8Array(len);
          let off = 0;
          for (const part of randomSplit(pt, rng(len))) {
            state.update(part, out.subarray(off, off + part.length));
            off += part.length;
          }
          expect(toHex(out), `${s} ${len} streamed`).toBe(want);
        }
      }
    });

    it('strings and Buffers at odd offsets are taken as their bytes', () => {
      const key = crypto.randomBytes(16), iv = crypto.randomBytes(16);
      const big = crypto.randomBytes(300);
      const view = big.subarray(3, 3 + 160); // a Buffer at an unaligned offset
      expect(toHex(sm4.cbc(key, iv, { padding: 'none' }).encrypt(view))).toBe(nodeCipher('cbc', false, key, iv, false, view));
      expect(toHex(sm4.ofb(key, iv).encrypt('SM4 国密'))).toBe(nodeCipher('ofb', false, key, iv, false, Buffer.from('SM4 国密')));
    });
  });

  describe('against sm-crypto-v2', () => {
    it('GCM with a 12-byte IV and a 16-byte tag, random AAD and lengths, both ways', () => {
      const r = rng(77);
      for (let i = 0; i < 40; i++) {
        const key = crypto.randomBytes(16), iv = crypto.randomBytes(12);
        const aad = crypto.randomBytes(Math.floor(r() * 70));
        const pt = crypto.randomBytes(i < 10 ? i * 9 : Math.floor(r() * 2000));
        const theirs = smv2.encrypt(new Uint8Array(pt), new Uint8Array(key), {
          mode: 'gcm', iv: new Uint8Array(iv), associatedData: new Uint8Array(aad), output: 'array', outputTag: true, padding: 'none',
        });
        const want = cat(theirs.output, theirs.tag!);
        expect(toHex(sm4.gcm(key, iv, { aad }).encrypt(pt)), `gcm ${pt.length}`).toBe(toHex(want));
        expect(toHex(sm4.gcm(key, iv, { aad }).decrypt(want))).toBe(toHex(pt));
      }
    });

    it('ECB and CBC with PKCS#7', () => {
      for (let i = 0; i < 20; i++) {
        const key = crypto.randomBytes(16), iv = crypto.randomBytes(16), pt = crypto.randomBytes(i * 5);
        const ecb = smv2.encrypt(new Uint8Array(pt), new Uint8Array(key), { output: 'array' });
        const cbc = smv2.encrypt(new Uint8Array(pt), new Uint8Array(key), { mode: 'cbc', iv: new Uint8Array(iv), output: 'array' });
        expect(toHex(sm4.ecb(key).encrypt(pt))).toBe(toHex(ecb));
        expect(toHex(sm4.cbc(key, iv).encrypt(pt))).toBe(toHex(cbc));
      }
    });
  });

  describe('round trips at every length', () => {
    const key = crypto.randomBytes(16), key32 = crypto.randomBytes(32);
    const data = crypto.randomBytes(600), aad = crypto.randomBytes(40);

    it('GCM (12- and 16-byte IVs), CCM (7- and 13-byte nonces), XTS (both variants): 0..600 bytes', () => {
      for (let len = 0; len <= 600; len++) {
        const m = data.subarray(0, len);
        const iv = crypto.randomBytes(len % 2 ? 12 : 16);
        const g = sm4.gcm(key, iv, { aad });
        const sealed = g.encrypt(m);
        expect(sealed.length).toBe(len + 16);
        expect(toHex(g.decrypt(sealed)), `gcm ${len}`).toBe(toHex(m));
        const nonce = crypto.randomBytes(len % 2 ? 7 : 13);
        const tagLength = 4 + 2 * (len % 7);
        const c = sm4.ccm(key, nonce, { aad: len % 3 ? aad : undefined, tagLength });
        const sealedC = c.encrypt(m);
        expect(sealedC.length).toBe(len + tagLength);
        expect(toHex(c.decrypt(sealedC)), `ccm ${len}`).toBe(toHex(m));
        if (len >= 16) {
          for (const variant of ['gb', 'ieee'] as const) {
            const x = sm4.xts(key32, len, { variant });
            const ct = x.encrypt(m);
            expect(ct.length).toBe(len);
            expect(toHex(x.decrypt(ct)), `xts ${variant} ${len}`).toBe(toHex(m));
          }
        }
      }
    });

    it('ciphertext stealing changes only the last two blocks', () => {
      const x = sm4.xts(key32, 9);
      const full = x.encrypt(data.subarray(0, 96));
      for (let len = 97; len < 112; len++) {
        const ct = x.encrypt(data.subarray(0, len));
        // The first 4 blocks are as without stealing; the rest differs.
        expect(toHex(ct.subarray(0, 64))).toBe(toHex(full.subarray(0, 64)));
        expect(toHex(ct.subarray(96))).toBe(toHex(full.subarray(80, 80 + len - 96)));
      }
    });
  });

  describe('tampering', () => {
    it('any changed byte of ciphertext, tag or AAD, or a changed length → ERR_AUTH_FAILED, no plaintext', () => {
      const key = crypto.randomBytes(16), iv = crypto.randomBytes(12), aad = crypto.randomBytes(20);
      const pt = crypto.randomBytes(45);
      for (const mode of ['gcm', 'ccm'] as const) {
        for (const tagLength of mode === 'gcm' ? [16, 12, 4] : [16, 10, 4]) {
          const sealed = sm4[mode](key, iv, { aad, tagLength }).encrypt(pt);
          const open = (data: Uint8Array, a: Uint8Array = aad) => sm4[mode](key, iv, { aad: a, tagLength }).decrypt(data);
          expect(toHex(open(sealed))).toBe(toHex(pt));
          for (let i = 0; i < sealed.length; i++) {
            for (const bit of [0x01, 0x80]) {
              const bad = Uint8Array.from(sealed);
              bad[i]! ^= bit;
              expectAuthFailure(() => open(bad), `${mode}/${tagLength} byte ${i}`);
            }
          }
          for (let i = 0; i < aad.length; i++) {
            const badAad = Uint8Array.from(aad);
            badAad[i]! ^= 0x10;
            expectAuthFailure(() => open(sealed, badAad), `${mode} aad byte ${i}`);
          }
          expectAuthFailure(() => open(sealed, new Uint8Array(0)), `${mode} no aad`);
          expectAuthFailure(() => open(sealed.subarray(1)), `${mode} truncated front`);
          expectAuthFailure(() => open(cat(sealed, new Uint8Array(1))), `${mode} extended`);
          expectAuthFailure(() => open(cat(sealed.subarray(0, 16), sealed.subarray(32))), `${mode} block removed`);
          // Another nonce.
          const iv2 = Uint8Array.from(iv);
          iv2[11]! ^= 1;
          expectAuthFailure(() => sm4[mode](key, iv2, { aad, tagLength }).decrypt(sealed), `${mode} nonce`);
        }
      }
    });
  });

  describe('the Sm4Backend contract', () => {
    it('stream states work in place and across calls of any size', () => {
      const b = getBackend();
      const key = crypto.randomBytes(16), iv = crypto.randomBytes(16), pt = crypto.randomBytes(500);
      const k = b.sm4ExpandKey(key);
      for (const mode of ['ctr', 'cfb', 'ofb'] as const) {
        const want = nodeCipher(mode, false, key, iv, false, pt);
        const buf = Uint8Array.from(pt);
        const enc = b.sm4Stream(k, mode, false, iv);
        let off = 0;
        for (const part of randomSplit(buf, rng(mode.length))) {
          enc.update(part, part); // in place
          off += part.length;
        }
        expect(off).toBe(500);
        expect(toHex(buf), mode).toBe(want);
        const dec = b.sm4Stream(k, mode, true, iv);
        for (const part of randomSplit(buf, rng(3))) dec.update(part, part);
        expect(toHex(buf), mode).toBe(toHex(pt));
        enc.destroy();
        dec.destroy();
      }
      k.destroy();
    });

    it('CBC updates the IV in place so that calls chain; the IV is copied by stream states', () => {
      const b = getBackend();
      const key = crypto.randomBytes(16), iv = crypto.randomBytes(16), pt = crypto.randomBytes(160);
      const k = b.sm4ExpandKey(key);
      const v = Uint8Array.from(iv);
      const out = new Uint8Array(160);
      b.sm4Cbc(k, false, v, pt.subarray(0, 48), out.subarray(0, 48));
      expect(toHex(v)).toBe(toHex(out.subarray(32, 48)));
      b.sm4Cbc(k, false, v, pt.subarray(48), out.subarray(48));
      expect(toHex(out)).toBe(nodeCipher('cbc', false, key, iv, false, pt));
      const ivCopy = Uint8Array.from(iv);
      const s = b.sm4Stream(k, 'ctr', false, ivCopy);
      ivCopy.fill(0);
      const ks = new Uint8Array(16);
      s.update(new Uint8Array(16), ks);
      expect(toHex(ks)).toBe(nodeCipher('ctr', false, key, iv, false, new Uint8Array(16)));
    });

    it('one-shot GCM/CCM decryption leaves the output all zero when the tag fails', () => {
      const b = getBackend();
      const k = b.sm4ExpandKey(crypto.randomBytes(16));
      const iv = crypto.randomBytes(12), aad = crypto.randomBytes(5), pt = crypto.randomBytes(70);
      const sealed = new Uint8Array(86);
      b.sm4GcmEncrypt(k, iv, aad, pt, sealed, 16);
      const out = new Uint8Array(70).fill(0xaa);
      const tag = Uint8Array.from(sealed.subarray(70));
      tag[3]! ^= 4;
      expect(b.sm4GcmDecrypt(k, iv, aad, sealed.subarray(0, 70), tag, out)).toBe(false);
      expect(out.every((x) => x === 0)).toBe(true);
      expect(b.sm4GcmDecrypt(k, iv, aad, sealed.subarray(0, 70), sealed.subarray(70), out)).toBe(true);
      expect(toHex(out)).toBe(toHex(pt));
      b.sm4CcmEncrypt(k, iv, aad, pt, sealed, 16);
      out.fill(0xaa);
      expect(b.sm4CcmDecrypt(k, iv, aad, sealed.subarray(0, 70), tag, out)).toBe(false);
      expect(out.every((x) => x === 0)).toBe(true);
    });

    it('streaming GCM equals one-shot GCM, split at random points, both directions', () => {
      const b = getBackend();
      const r = rng(4242);
      for (let i = 0; i < 30; i++) {
        const key = crypto.randomBytes(16), k = b.sm4ExpandKey(key);
        const iv = crypto.randomBytes(i % 3 === 0 ? 1 + Math.floor(r() * 40) : 12);
        const aad = crypto.randomBytes(Math.floor(r() * 100)), pt = crypto.randomBytes(Math.floor(r() * 700));
        const want = new Uint8Array(pt.length + 16);
        b.sm4GcmEncrypt(k, iv, aad, pt, want, 16);
        const enc = b.sm4GcmStream(k, iv, false);
        for (const part of randomSplit(aad, r)) enc.aad(part);
        const ct = new Uint8Array(pt.length);
        let off = 0;
        for (const part of randomSplit(pt, r)) {
          enc.update(part, ct.subarray(off, off + part.length));
          off += part.length;
        }
        expect(toHex(cat(ct, enc.final()))).toBe(toHex(want));
        const dec = b.sm4GcmStream(k, iv, true);
        for (const part of randomSplit(aad, r)) dec.aad(part);
        const back = new Uint8Array(pt.length);
        off = 0;
        for (const part of randomSplit(ct, r)) {
          dec.update(part, back.subarray(off, off + part.length));
          off += part.length;
        }
        expect(toHex(dec.final())).toBe(toHex(want.subarray(pt.length)));
        expect(toHex(back)).toBe(toHex(pt));
      }
    });
  });
});
