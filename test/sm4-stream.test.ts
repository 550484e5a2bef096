/**
 * The node:crypto-compatible SM4 streams (createCipheriv / createDecipheriv), once per backend:
 * against node:crypto's own sm4-ecb/cbc/ctr/cfb/ofb with data split at random points (same
 * output per update() call), as Transform streams, with encodings; GCM, CCM and XTS against the
 * one-shot API; and the call-order rules.
 */
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { createCipheriv, createDecipheriv, sm4 } from '../src/sm4.js';
import { GuomiError, type GuomiErrorCode } from '../src/errors.js';
import { forEachBackend } from './backends.js';
import { randomSplit, rng } from './random.js';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function codeOf(f: () => unknown): GuomiErrorCode | undefined {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(GuomiError);
    return (err as GuomiError).code;
  }
  return undefined;
}

/** Runs data through a Transform in the given pieces and collects the output. */
async function throughStream(t: NodeJS.ReadWriteStream, pieces: Uint8Array[]): Promise<Buffer> {
  const out: Buffer[] = [];
  t.on('data', (b: Buffer) => out.push(b));
  await pipeline(Readable.from(pieces.map((p) => Buffer.from(p))), t as never);
  return Buffer.concat(out);
}

forEachBackend(() => {
  describe('against node:crypto with random splits', () => {
    it('ECB, CBC, CTR, CFB, OFB: same bytes from every update() and final(), both directions', () => {
      const r = rng(1122);
      for (const mode of ['ecb', 'cbc', 'ctr', 'cfb', 'ofb'] as const) {
        const name = `sm4-${mode}`;
        for (let i = 0; i < 30; i++) {
          const key = crypto.randomBytes(16), iv = mode === 'ecb' ? null : crypto.randomBytes(16);
          const blockMode = mode === 'ecb' || mode === 'cbc';
          const padded = !blockMode || i % 3 !== 0;
          let len = Math.floor(r() * 700);
          if (!padded) len -= len % 16;
          const pt = crypto.randomBytes(len);
          for (const decrypt of [false, true]) {
            let data: Buffer = pt;
            if (decrypt) {
              const c = crypto.createCipheriv(name, key, iv).setAutoPadding(padded);
              data = Buffer.concat([c.update(pt), c.final()]);
            }
            const theirs = decrypt ? crypto.createDecipheriv(name, key, iv) : crypto.createCipheriv(name, key, iv);
            const mine = decrypt ? createDecipheriv(name, key, iv) : createCipheriv(name, key, iv);
            theirs.setAutoPadding(padded);
            mine.setAutoPadding(padded);
            for (const part of randomSplit(data, r)) {
              const want = theirs.update(part);
              const got = mine.update(part);
              expect(Buffer.isBuffer(got)).toBe(true);
              expect(got.toString('hex'), `${name} ${decrypt ? 'dec' : 'enc'} ${len}`).toBe(want.toString('hex'));
            }
            expect(mine.final().toString('hex'), `${name} final`).toBe(theirs.final().toString('hex'));
          }
        }
      }
    });

    it('input and output encodings, and the "sm4" alias (CBC) in upper case', () => {
      const key = crypto.randomBytes(16), iv = crypto.randomBytes(16);
      const text = 'SM4 国密 '.repeat(11);
      for (const enc of ['base64', 'hex', 'latin1', 'base64url'] as const) {
        const want = crypto.createCipheriv('sm4-cbc', key, iv);
        const got = createCipheriv('SM4', key, iv);
        const w = want.update(text, 'utf8', enc) + want.update('x', 'utf8', enc) + want.final(enc);
        const g = got.update(text, 'utf8', enc) + got.update('x', 'utf8', enc) + got.final(enc);
        expect(g, enc).toBe(w);
        const d = createDecipheriv('sm4', key, iv);
        expect(d.update(g, enc, 'utf8') + d.final('utf8')).toBe(text + 'x');
      }
      const u = createCipheriv('sm4-ctr', key, iv);
      const mixed = u.update('ab', 'utf8', 'hex') + u.final('HEX' as BufferEncoding);
      expect(mixed).toBe(crypto.createCipheriv('sm4-ctr', key, iv).update('ab', 'utf8', 'hex'));
      const c = createCipheriv('sm4-ctr', key, iv);
      c.update('ab', 'utf8', 'hex');
      expect(codeOf(() => c.update('cd', 'utf8', 'base64'))).toBe('ERR_INVALID_STATE');
    });

    it('as Transform streams (pipeline), with TypedArray, DataView and ArrayBuffer inputs', async () => {
      const key = crypto.randomBytes(16), iv = crypto.randomBytes(16), pt = crypto.randomBytes(1000);
      for (const mode of ['cbc', 'ctr', 'cfb', 'ofb'] as const) {
        const ref = crypto.createCipheriv(`sm4-${mode}`, key, iv);
        const wantAll = Buffer.concat([ref.update(pt), ref.final()]);
        const ct = await throughStream(createCipheriv(`sm4-${mode}`, key, iv), randomSplit(pt, rng(9)));
        expect(ct.toString('hex'), mode).toBe(wantAll.toString('hex'));
        const back = await throughStream(createDecipheriv(`sm4-${mode}`, key, iv), randomSplit(ct, rng(10)));
        expect(back.toString('hex'), mode).toBe(pt.toString('hex'));
      }
      const u16 = new Uint16Array([1, 2, 3, 4, 5, 6, 7, 8]);
      const want = crypto.createCipheriv('sm4-ofb', key, iv).update(u16).toString('hex');
      expect(createCipheriv('sm4-ofb', key, iv).update(u16).toString('hex')).toBe(want);
      expect(createCipheriv('sm4-ofb', key, iv).update(new DataView(u16.buffer)).toString('hex')).toBe(want);
      expect(createCipheriv('sm4-ofb', key, iv).update(u16.buffer as ArrayBuffer).toString('hex')).toBe(want);
      const secret = crypto.createSecretKey(key);
      expect(createCipheriv('sm4-ofb', secret, iv).update(u16).toString('hex')).toBe(want);
    });

    it('errors from stream use reach the pipeline (bad padding)', async () => {
      const key = crypto.randomBytes(16), iv = crypto.randomBytes(16);
      const junk = crypto.createCipheriv('sm4-cbc', key, iv).setAutoPadding(false).update(Buffer.alloc(32, 0x41));
      await expect(throughStream(createDecipheriv('sm4-cbc', key, iv), [junk])).rejects.toMatchObject({ code: 'ERR_BAD_PADDING' });
    });
  });

  describe('GCM streams', () => {
    const key = crypto.randomBytes(16);

    it('encryption equals the one-shot API at random splits, with AAD in pieces and any IV length', () => {
      const r = rng(31);
      for (let i = 0; i < 25; i++) {
        const iv = crypto.randomBytes(i % 4 === 0 ? 1 + Math.floor(r() * 30) : 12);
        const aad = crypto.randomBytes(Math.floor(r() * 50)), pt = crypto.randomBytes(Math.floor(r() * 600));
        const tagLength = [16, 12, 13, 8, 4][i % 5]!;
        const want = sm4.gcm(key, iv, { aad, tagLength }).encrypt(pt);
        const c = createCipheriv('sm4-gcm', key, iv, { authTagLength: tagLength });
        for (const part of randomSplit(aad, r)) c.setAAD(part);
        const parts = randomSplit(pt, r).map((p) => c.update(p));
        parts.push(c.final());
        const tag = c.getAuthTag();
        expect(tag.length).toBe(tagLength);
        expect(toHex(Buffer.concat([...parts, tag]))).toBe(toHex(want));
      }
    });

    it('decryption releases nothing before final(), which verifies the tag', () => {
      const r = rng(32);
      const iv = crypto.randomBytes(12), aad = crypto.randomBytes(30), pt = crypto.randomBytes(333);
      const sealed = sm4.gcm(key, iv, { aad }).encrypt(pt);
      const ct = sealed.subarray(0, 333), tag = sealed.subarray(333);
      const d = createDecipheriv('sm4-gcm', key, iv);
      d.setAAD(aad);
      for (const part of randomSplit(ct, r)) expect(d.update(part).length).toBe(0);
      d.setAuthTag(tag); // any time before final()
      expect(d.final().toString('hex')).toBe(toHex(pt));

      const bad = Buffer.from(tag);
      bad[0]! ^= 1;
      const f = createDecipheriv('sm4-gcm', key, iv).setAuthTag(bad);
      f.setAAD(aad);
      expect(f.update(ct).length).toBe(0);
      let got: unknown;
      expect(codeOf(() => (got = f.final()))).toBe('ERR_AUTH_FAILED');
      expect(got).toBeUndefined();
      expect(codeOf(() => f.final())).toBe('ERR_INVALID_STATE');
    });

    it('as a Transform stream: the plaintext comes out only at the end, or an error', async () => {
      const iv = crypto.randomBytes(12), pt = crypto.randomBytes(5000);
      const c = createCipheriv('sm4-gcm', key, iv);
      const ct = await throughStream(c, randomSplit(pt, rng(5)));
      const tag = c.getAuthTag();
      const d = createDecipheriv('sm4-gcm', key, iv).setAuthTag(tag);
      const chunks: number[] = [];
      d.on('data', (b: Buffer) => chunks.push(b.length));
      const back = await throughStream(d, randomSplit(ct, rng(6)));
      expect(back.toString('hex')).toBe(pt.toString('hex'));
      expect(chunks.filter((n) => n > 0)).toEqual([5000]);
      const forged = Buffer.from(ct);
      forged[4999]! ^= 0x20;
      const e = createDecipheriv('sm4-gcm', key, iv).setAuthTag(tag);
      const seen: Buffer[] = [];
      e.on('data', (b: Buffer) => seen.push(b));
      await expect(throughStream(e, [forged])).rejects.toMatchObject({ code: 'ERR_AUTH_FAILED' });
      expect(Buffer.concat(seen).length).toBe(0);
    });

    it('call-order and tag-length rules', () => {
      const iv = crypto.randomBytes(12);
      const c = createCipheriv('sm4-gcm', key, iv);
      expect(codeOf(() => c.getAuthTag())).toBe('ERR_INVALID_STATE');
      c.update('data');
      expect(codeOf(() => c.setAAD(Buffer.from('late')))).toBe('ERR_INVALID_STATE');
      c.final();
      expect(c.getAuthTag().length).toBe(16);
      expect(codeOf(() => c.update('more'))).toBe('ERR_INVALID_STATE');
      expect(codeOf(() => c.final())).toBe('ERR_INVALID_STATE');
      expect(codeOf(() => c.setAutoPadding(false))).toBe('ERR_INVALID_STATE');

      const d = createDecipheriv('sm4-gcm', key, iv);
      d.update(Buffer.alloc(3));
      expect(codeOf(() => d.final())).toBe('ERR_INVALID_STATE'); // no tag given
      for (const n of [0, 3, 5, 9, 11, 17]) {
        expect(() => createDecipheriv('sm4-gcm', key, iv).setAuthTag(Buffer.alloc(n)), `tag ${n}`).toThrow(RangeError);
      }
      expect(() => createDecipheriv('sm4-gcm', key, iv, { authTagLength: 12 }).setAuthTag(Buffer.alloc(16))).toThrow(/authTagLength/);
      const twice = createDecipheriv('sm4-gcm', key, iv).setAuthTag(Buffer.alloc(16));
      expect(codeOf(() => twice.setAuthTag(Buffer.alloc(16)))).toBe('ERR_INVALID_STATE');
      expect(() => createCipheriv('sm4-gcm', key, iv, { authTagLength: 10 })).toThrow(/"authTagLength"/);
      expect(() => createCipheriv('sm4-gcm', key, Buffer.alloc(0))).toThrow(/"iv" must be at least 1 byte/);
      // A short tag accepted by the one-shot API is accepted here too.
      const sealed = sm4.gcm(key, iv, { tagLength: 8 }).encrypt('short tag');
      const s = createDecipheriv('sm4-gcm', key, iv).setAuthTag(sealed.subarray(9));
      expect(Buffer.concat([s.update(sealed.subarray(0, 9)), s.final()]).toString()).toBe('short tag');
    });
  });

  describe('CCM streams', () => {
    const key = crypto.randomBytes(16);

    it('one update() call, or plaintextLength and any number of update() calls', () => {
      const r = rng(41);
      for (let i = 0; i < 20; i++) {
        const nonce = crypto.randomBytes(7 + (i % 7)), aad = crypto.randomBytes(i * 3), pt = crypto.randomBytes(Math.floor(r() * 500));
        const tagLength = 4 + 2 * (i % 7);
        const want = sm4.ccm(key, nonce, { aad, tagLength }).encrypt(pt);
        // Node's way: the whole message in one update().
        const a = createCipheriv('sm4-ccm', key, nonce, { authTagLength: tagLength });
        if (aad.length) a.setAAD(aad, { plaintextLength: pt.length });
        const ctA = a.update(pt);
        expect(a.final().length).toBe(0);
        expect(toHex(Buffer.concat([ctA, a.getAuthTag()]))).toBe(toHex(want));
        // With the length declared, in pieces.
        const b = createCipheriv('sm4-ccm', key, nonce, { authTagLength: tagLength });
        b.setAAD(aad, { plaintextLength: pt.length });
        const outs = randomSplit(pt, r).map((p) => b.update(p));
        outs.push(b.final());
        expect(toHex(Buffer.concat([...outs, b.getAuthTag()]))).toBe(toHex(want));
        // Decryption, in pieces; the tag length comes from setAuthTag().
        const d = createDecipheriv('sm4-ccm', key, nonce);
        d.setAAD(aad, { plaintextLength: pt.length });
        d.setAuthTag(want.subarray(pt.length));
        for (const part of randomSplit(want.subarray(0, pt.length), r)) expect(d.update(part).length).toBe(0);
        expect(d.final().toString('hex')).toBe(toHex(pt));
      }
    });

    it('a second update() without plaintextLength, a length mismatch, a bad tag', () => {
      const nonce = crypto.randomBytes(12);
      const c = createCipheriv('sm4-ccm', key, nonce, { authTagLength: 16 });
      c.update('first');
      expect(codeOf(() => c.update('second'))).toBe('ERR_INVALID_STATE');
      const m = createCipheriv('sm4-ccm', key, nonce).setAAD(Buffer.from('a'), { plaintextLength: 10 });
      m.update('12345');
      expect(() => m.final()).toThrow(RangeError);
      const o = createCipheriv('sm4-ccm', key, nonce).setAAD(Buffer.from('a'), { plaintextLength: 3 });
      expect(() => o.update('12345')).toThrow(RangeError);
      const e = createCipheriv('sm4-ccm', key, nonce);
      expect(e.final().length).toBe(0); // the empty message
      expect(toHex(e.getAuthTag())).toBe(toHex(sm4.ccm(key, nonce).encrypt(new Uint8Array(0))));
      const sealed = sm4.ccm(key, nonce).encrypt('message');
      const tag = Buffer.from(sealed.subarray(7));
      tag[15]! ^= 1;
      const d = createDecipheriv('sm4-ccm', key, nonce, { authTagLength: 16 }).setAuthTag(tag);
      d.update(sealed.subarray(0, 7));
      expect(codeOf(() => d.final())).toBe('ERR_AUTH_FAILED');
      for (const n of [2, 3, 5, 15, 18]) {
        expect(() => createDecipheriv('sm4-ccm', key, nonce).setAuthTag(Buffer.alloc(n)), `tag ${n}`).toThrow(RangeError);
      }
      for (const n of [0, 6, 14]) expect(() => createCipheriv('sm4-ccm', key, Buffer.alloc(n)), `nonce ${n}`).toThrow(/"iv"/);
      expect(() => createCipheriv('sm4-ccm', key, nonce, { authTagLength: 5 })).toThrow(/"authTagLength"/);
    });
  });

  describe('XTS streams', () => {
    it('one data unit: update() buffers, final() returns it all; variants', () => {
      const key = crypto.randomBytes(32), tweak = crypto.randomBytes(16), r = rng(51);
      for (const len of [16, 17, 31, 32, 100, 512, 4096]) {
        for (const variant of ['gb', 'ieee'] as const) {
          const pt = crypto.randomBytes(len);
          const want = sm4.xts(key, tweak, { variant }).encrypt(pt);
          const c = createCipheriv('SM4-XTS', key, tweak, { variant });
          for (const part of randomSplit(pt, r)) expect(c.update(part).length).toBe(0);
          expect(toHex(c.final())).toBe(toHex(want));
          const d = createDecipheriv('sm4-xts', key, tweak, variant === 'gb' ? undefined : { variant });
          expect(d.update(want).length).toBe(0);
          expect(toHex(d.final())).toBe(toHex(pt));
        }
      }
      const short = createCipheriv('sm4-xts', key, tweak);
      short.update(Buffer.alloc(15));
      expect(() => short.final()).toThrow(RangeError);
      expect(() => createCipheriv('sm4-xts', key.subarray(0, 16), tweak)).toThrow(/"key" must be 32 bytes/);
      expect(() => createCipheriv('sm4-xts', key, tweak, { variant: 'x' as never })).toThrow(/"variant"/);
      expect(codeOf(() => createCipheriv('sm4-xts', key, tweak).setAAD(Buffer.alloc(1)))).toBe('ERR_INVALID_STATE');
    });
  });

  describe('names, keys, IVs and call order', () => {
    const key = crypto.randomBytes(16), iv = crypto.randomBytes(16);

    it('names in any case, aliases, and unknown names', () => {
      const pt = crypto.randomBytes(40);
      const cfb = crypto.createCipheriv('sm4-cfb', key, iv).update(pt).toString('hex');
      expect(createCipheriv('SM4-CFB128', key, iv).update(pt).toString('hex')).toBe(cfb);
      expect(createCipheriv('Sm4-Cfb', key, iv).update(pt).toString('hex')).toBe(cfb);
      expect(codeOf(() => createCipheriv('aes-128-cbc', key, iv))).toBe('ERR_UNSUPPORTED');
      expect(codeOf(() => createDecipheriv('sm4-siv', key, iv))).toBe('ERR_UNSUPPORTED');
      expect(() => createCipheriv(42 as never, key, iv)).toThrow(TypeError);
    });

    it('keys and IVs: wrong lengths → RangeError, missing IV → TypeError, ECB takes null or empty', () => {
      expect(() => createCipheriv('sm4-cbc', key.subarray(0, 15), iv)).toThrow(/"key" must be 16 bytes/);
      expect(() => createCipheriv('sm4-cbc', 5 as never, iv)).toThrow(TypeError);
      expect(() => createCipheriv('sm4-cbc', key, iv.subarray(0, 12))).toThrow(/"iv" must be 16 bytes/);
      expect(() => createCipheriv('sm4-ctr', key, null)).toThrow(TypeError);
      expect(() => createCipheriv('sm4-ecb', key, iv)).toThrow(/"iv" must be null or empty/);
      const pt = crypto.randomBytes(32);
      const want = crypto.createCipheriv('sm4-ecb', key, null).update(pt).toString('hex');
      expect(createCipheriv('sm4-ecb', key, null).update(pt).toString('hex')).toBe(want);
      expect(createCipheriv('sm4-ecb', key, Buffer.alloc(0)).update(pt).toString('hex')).toBe(want);
      expect(() => createCipheriv('sm4-cbc', key, iv, 'opts' as never)).toThrow(TypeError);
    });

    it('setAAD / setAuthTag / getAuthTag outside GCM and CCM → ERR_INVALID_STATE', () => {
      expect(codeOf(() => createCipheriv('sm4-cbc', key, iv).setAAD(Buffer.alloc(1)))).toBe('ERR_INVALID_STATE');
      expect(codeOf(() => createDecipheriv('sm4-ctr', key, iv).setAuthTag(Buffer.alloc(16)))).toBe('ERR_INVALID_STATE');
      const c = createCipheriv('sm4-cbc', key, iv);
      c.final();
      expect(codeOf(() => c.getAuthTag())).toBe('ERR_INVALID_STATE');
      // setAutoPadding is accepted and ignored by the stream modes, as in node.
      const s = createCipheriv('sm4-ctr', key, iv);
      expect(s.setAutoPadding(false)).toBe(s);
    });

    it('final() twice and update() after final() → ERR_INVALID_STATE (decrypt twice)', () => {
      const d = createDecipheriv('sm4-cbc', key, iv);
      d.update(crypto.createCipheriv('sm4-cbc', key, iv).final());
      expect(d.final().length).toBe(0);
      expect(codeOf(() => d.final())).toBe('ERR_INVALID_STATE');
      expect(codeOf(() => d.update(Buffer.alloc(16)))).toBe('ERR_INVALID_STATE');
    });

    it('wrong total lengths → RangeError; bad padding → ERR_BAD_PADDING, as node rejects them', () => {
      const noPad = createCipheriv('sm4-cbc', key, iv).setAutoPadding(false);
      noPad.update(Buffer.alloc(20));
      expect(() => noPad.final()).toThrow(/multiple of 16/);
      const empty = createDecipheriv('sm4-cbc', key, iv);
      expect(() => empty.final()).toThrow(RangeError);
      const odd = createDecipheriv('sm4-ecb', key, null);
      odd.update(Buffer.alloc(33));
      expect(() => odd.final()).toThrow(RangeError);
      const junk = crypto.createCipheriv('sm4-ecb', key, null).setAutoPadding(false).update(Buffer.alloc(16, 0x20));
      const bad = createDecipheriv('sm4-ecb', key, null);
      bad.update(junk);
      let got: unknown;
      expect(codeOf(() => (got = bad.final()))).toBe('ERR_BAD_PADDING');
      expect(got).toBeUndefined();
      const peer = crypto.createDecipheriv('sm4-ecb', key, null);
      peer.update(junk);
      expect(() => peer.final()).toThrow(/bad decrypt/);
    });
  });
});
