/**
 * The SM3 family through the public API, once per backend: the standards' known answers
 * (vectors/), the conformance corpus, random inputs against node:crypto, and bad input.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createHash,
  createHmac,
  hkdfSm3,
  hmacSm3,
  pbkdf2Sm3,
  pbkdf2Sm3Async,
  sm3,
  sm3Kdf,
} from '../src/sm3.js';
import { GuomiError } from '../src/errors.js';
import { forEachBackend } from './backends.js';
import { forEachVector } from './filetest.js';
import { HAVE_CONFORMANCE, hex, readConformance } from './conformance.js';
import { randomSplit, rng } from './random.js';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function repeated(msg: Uint8Array, times: number): Uint8Array {
  const out = new Uint8Array(msg.length * times);
  for (let i = 0; i < times; i++) out.set(msg, i * msg.length);
  return out;
}

forEachBackend(() => {
  describe('known answers (vectors/)', () => {
    it('SM3: GB/T 32905 Annex A and the padding boundaries, one-shot and streamed', () => {
      const n = forEachVector('sm3.txt', (t) => {
        const msg = t.bytes('Msg');
        const times = t.has('Repeat') ? t.num('Repeat') : 1;
        const want = toHex(t.bytes('Digest'));
        const whole = repeated(msg, times);
        expect(toHex(sm3(whole)), t.where()).toBe(want);
        const h = sm3.create();
        for (const part of randomSplit(whole, rng(whole.length))) h.update(part);
        expect(toHex(h.digest()), t.where()).toBe(want);
      });
      expect(n).toBeGreaterThanOrEqual(9);
    });

    it('HMAC-SM3: GM/T 0042 D.3 vectors and RFC 2202 inputs', () => {
      forEachVector('hmac_sm3.txt', (t) => {
        const key = t.bytes('Key'), msg = t.bytes('Msg'), want = toHex(t.bytes('Tag'));
        expect(toHex(hmacSm3(key, msg)), t.where()).toBe(want);
        const h = hmacSm3.create(key);
        for (const part of randomSplit(msg, rng(msg.length + 7))) h.update(part);
        expect(toHex(h.digest()), t.where()).toBe(want);
      });
    });

    it('SM2 KDF: GB/T 32918.4 Annex A.2', () => {
      forEachVector('sm3_kdf.txt', (t) => {
        const z = t.bytes('Z'), want = t.bytes('Out');
        expect(toHex(sm3Kdf(z, want.length)), t.where()).toBe(toHex(want));
      });
    });

    it('HKDF-SM3: extract and expand', () => {
      forEachVector('hkdf_sm3.txt', (t) => {
        const ikm = t.bytes('IKM'), salt = t.bytes('Salt');
        const prk = hkdfSm3.extract(salt, ikm);
        if (t.has('PRK')) expect(toHex(prk), t.where()).toBe(toHex(t.bytes('PRK')));
        if (t.has('OKM')) {
          const info = t.bytes('Info'), okm = t.bytes('OKM');
          expect(toHex(hkdfSm3(ikm, salt, info, okm.length)), t.where()).toBe(toHex(okm));
          expect(toHex(hkdfSm3.expand(prk, info, okm.length)), t.where()).toBe(toHex(okm));
        }
      });
    });
  });

  describe.runIf(HAVE_CONFORMANCE)('conformance corpus (shared/conformance)', () => {
    it('sm3.json: every case', () => {
      const file = readConformance<{ cases: { id: string; msg_hex: string; repeat?: number; digest_hex: string }[] }>('sm3.json');
      for (const c of file.cases) {
        const msg = repeated(hex(c.msg_hex), c.repeat ?? 1);
        expect(toHex(sm3(msg)), c.id).toBe(c.digest_hex);
      }
      expect(file.cases.length).toBe(79);
    });

    it('hmac_sm3.json: every valid tag matches and every invalid one does not', () => {
      const file = readConformance<{
        cases: { id: string; key_hex: string; msg_hex: string; tag_hex: string; tag_bits: number; result: string }[];
      }>('hmac_sm3.json');
      let valid = 0, invalid = 0;
      for (const c of file.cases) {
        const tag = toHex(hmacSm3(hex(c.key_hex), hex(c.msg_hex))).slice(0, c.tag_bits / 4);
        if (c.result === 'valid') {
          expect(tag, c.id).toBe(c.tag_hex);
          valid++;
        } else {
          expect(tag, c.id).not.toBe(c.tag_hex);
          invalid++;
        }
      }
      expect([valid, invalid]).toEqual([71, 108]);
    });

    it('sm3_kdf.json: every case', () => {
      const file = readConformance<{ cases: { id: string; z_hex: string; klen_bytes: number; out_hex: string }[] }>('sm3_kdf.json');
      for (const c of file.cases) expect(toHex(sm3Kdf(hex(c.z_hex), c.klen_bytes)), c.id).toBe(c.out_hex);
      expect(file.cases.length).toBe(17);
    });

    it('hkdf_sm3.json: every valid case, and the over-long requests are refused', () => {
      const file = readConformance<{
        cases: { id: string; ikm_hex: string; salt_hex: string; info_hex: string; length: number; okm_hex: string; result: string }[];
      }>('hkdf_sm3.json');
      for (const c of file.cases) {
        const run = () => hkdfSm3(hex(c.ikm_hex), hex(c.salt_hex), hex(c.info_hex), c.length);
        if (c.result === 'valid') expect(toHex(run()), c.id).toBe(c.okm_hex);
        else expect(run, c.id).toThrow(RangeError);
      }
      expect(file.cases.length).toBe(86);
    });
  });

  describe('against node:crypto on random inputs', () => {
    const r = rng(20261122);

    it('sm3 and HMAC-SM3, lengths 0..10 KiB, streamed in random pieces', () => {
      for (let i = 0; i < 60; i++) {
        const len = i < 10 ? i * 13 : Math.floor(r() * 10240);
        const data = crypto.randomBytes(len);
        const key = crypto.randomBytes(Math.floor(r() * 100));
        const wantHash = crypto.createHash('sm3').update(data).digest('hex');
        const wantMac = crypto.createHmac('sm3', key).update(data).digest('hex');
        expect(toHex(sm3(data))).toBe(wantHash);
        expect(toHex(hmacSm3(key, data))).toBe(wantMac);
        const h = sm3.create();
        const m = hmacSm3.create(key);
        for (const part of randomSplit(data, r)) {
          h.update(part);
          m.update(part);
        }
        expect(toHex(h.digest())).toBe(wantHash);
        expect(toHex(m.digest())).toBe(wantMac);
      }
    });

    it('hmacSm3.batch: many messages under several keys in one call, as node:crypto computes them', () => {
      for (let round = 0; round < 20; round++) {
        const keys = Array.from({ length: 1 + Math.floor(r() * 4) }, () => crypto.randomBytes(Math.floor(r() * 150)));
        const prepared = hmacSm3.prepare(keys);
        expect(prepared.count).toBe(keys.length);
        const n = Math.floor(r() * 12);
        const msgs = Array.from({ length: n }, () => crypto.randomBytes(Math.floor(r() * 140)));
        const which = Uint32Array.from(msgs, () => Math.floor(r() * keys.length));
        const data = Buffer.concat(msgs);
        let end = 0;
        const ends = Uint32Array.from(msgs, (m) => (end += m.length));
        const out = hmacSm3.batch(prepared, which, data, ends);
        expect(out.length).toBe(32 * n);
        msgs.forEach((m, i) => {
          const want = crypto.createHmac('sm3', keys[which[i]!]!).update(m).digest('hex');
          expect(toHex(out.subarray(32 * i, 32 * i + 32))).toBe(want);
        });
        prepared.destroy();
        if (n > 0) expect(() => hmacSm3.batch(prepared, which, data, ends)).toThrow(GuomiError);
      }
    });

    it('clone() forks a computation', () => {
      const a = crypto.randomBytes(100), b = crypto.randomBytes(77);
      const h = sm3.create().update(a);
      const fork = h.clone();
      h.update(b);
      expect(toHex(fork.digest())).toBe(crypto.createHash('sm3').update(a).digest('hex'));
      expect(toHex(h.digest())).toBe(crypto.createHash('sm3').update(a).update(b).digest('hex'));
    });

    it('PBKDF2-HMAC-SM3 and HKDF-SM3', async () => {
      for (let i = 0; i < 8; i++) {
        const pw = crypto.randomBytes(Math.floor(r() * 80));
        const salt = crypto.randomBytes(Math.floor(r() * 40));
        const iterations = 1 + Math.floor(r() * 300);
        const len = 1 + Math.floor(r() * 100);
        const want = crypto.pbkdf2Sync(pw, salt, iterations, len, 'sm3').toString('hex');
        expect(toHex(pbkdf2Sm3(pw, salt, iterations, len))).toBe(want);
        expect(toHex(await pbkdf2Sm3Async(pw, salt, iterations, len))).toBe(want);
        const info = crypto.randomBytes(Math.floor(r() * 50));
        const hl = Math.floor(r() * 600);
        expect(toHex(hkdfSm3(pw, salt, info, hl))).toBe(
          Buffer.from(crypto.hkdfSync('sm3', pw, salt, info, hl)).toString('hex'),
        );
      }
    });

    it('strings are UTF-8', () => {
      const s = '国密 SM3 ✓';
      expect(toHex(sm3(s))).toBe(crypto.createHash('sm3').update(s, 'utf8').digest('hex'));
      expect(toHex(hmacSm3('密钥', s))).toBe(crypto.createHmac('sm3', '密钥').update(s).digest('hex'));
    });
  });

  describe('node:crypto-compatible createHash / createHmac', () => {
    it('update(data, inputEncoding) and digest(encoding)', () => {
      const want = crypto.createHash('sm3').update('616263', 'hex').update('def').digest('base64');
      expect(createHash('sm3').update('616263', 'hex').update('def').digest('base64')).toBe(want);
      const d = createHash('SM3').update(new Uint16Array([1, 2, 3])).digest();
      expect(Buffer.isBuffer(d)).toBe(true);
      expect(d.toString('hex')).toBe(crypto.createHash('sm3').update(new Uint16Array([1, 2, 3])).digest('hex'));
      expect(createHmac('sm3', 'k').update('m').digest('hex')).toBe(
        crypto.createHmac('sm3', 'k').update('m').digest('hex'),
      );
    });

    it('copy() and use as a Transform stream', async () => {
      const h = createHash('sm3').update('ab');
      const c = h.copy();
      expect(c.update('c').digest('hex')).toBe(toHex(sm3('abc')));
      const stream = createHash('sm3');
      const chunks: Buffer[] = [];
      stream.on('data', (b: Buffer) => chunks.push(b));
      const done = new Promise((res) => stream.on('end', res));
      stream.write('a');
      stream.write(Buffer.from('bc'));
      stream.end();
      await done;
      expect(Buffer.concat(chunks).toString('hex')).toBe(toHex(sm3('abc')));
    });

    it('rejects other algorithms and reuse after digest()', () => {
      expect(() => createHash('sha256')).toThrow(GuomiError);
      const h = createHash('sm3');
      h.digest();
      expect(() => h.update('x')).toThrow(/after digest/);
      expect(() => h.digest()).toThrow(GuomiError);
    });
  });

  describe('bad input', () => {
    it('non-bytes give TypeError naming the parameter', () => {
      expect(() => sm3(42 as never)).toThrow(TypeError);
      expect(() => sm3(42 as never)).toThrow(/"data"/);
      expect(() => sm3(null as never)).toThrow(/"data"/);
      expect(() => sm3([1, 2] as never)).toThrow(/"data"/);
      expect(() => hmacSm3({} as never, 'x')).toThrow(/"key"/);
      expect(() => sm3Kdf(undefined as never, 4)).toThrow(/"z"/);
      expect(() => hkdfSm3('a', 5 as never, '', 4)).toThrow(/"salt"/);
      expect(() => pbkdf2Sm3('p', 's', '1' as never, 4)).toThrow(TypeError);
    });

    it('negative, fractional or huge lengths give RangeError naming the parameter', async () => {
      expect(() => sm3Kdf('z', -1)).toThrow(RangeError);
      expect(() => sm3Kdf('z', 1.5)).toThrow(/"length"/);
      expect(() => sm3Kdf('z', 2 ** 40)).toThrow(/"length"/);
      expect(() => hkdfSm3('a', 'b', 'c', 8161)).toThrow(/"length"/);
      expect(() => hkdfSm3.expand(new Uint8Array(32), '', -3)).toThrow(RangeError);
      expect(() => pbkdf2Sm3('p', 's', 0, 4)).toThrow(/"iterations"/);
      expect(() => pbkdf2Sm3('p', 's', 1, -4)).toThrow(/"length"/);
      await expect(pbkdf2Sm3Async('p', 's', 0, 4)).rejects.toThrow(RangeError);
    });

    it('hmacSm3.batch checks its arrays, indexes and ends', () => {
      const keys = hmacSm3.prepare(['k1', 'k2']);
      const data = new Uint8Array(10);
      expect(() => hmacSm3.batch({} as never, new Uint32Array(1), data, new Uint32Array(1))).toThrow(TypeError);
      expect(() => hmacSm3.batch(keys, [0] as never, data, new Uint32Array(1))).toThrow(/"which"/);
      expect(() => hmacSm3.batch(keys, new Uint32Array(1), data, [1] as never)).toThrow(/"ends"/);
      expect(() => hmacSm3.batch(keys, Uint32Array.of(2), data, Uint32Array.of(1))).toThrow(/"which\[0\]"/);
      expect(() => hmacSm3.batch(keys, Uint32Array.of(0, 1), data, Uint32Array.of(5, 4))).toThrow(/"ends\[1\]"/);
      expect(() => hmacSm3.batch(keys, Uint32Array.of(0), data, Uint32Array.of(11))).toThrow(RangeError);
      expect(() => hmacSm3.batch(keys, Uint32Array.of(0, 0), data, Uint32Array.of(1, 2), new Uint8Array(63))).toThrow(/"out"/);
      expect(() => hmacSm3.prepare('k' as never)).toThrow(TypeError);
    });

    it('digest() twice and update() after digest() give GuomiError ERR_INVALID_STATE', () => {
      const h = sm3.create();
      h.digest();
      for (const f of [() => h.digest(), () => h.update('x'), () => h.clone()]) {
        try {
          f();
          expect.unreachable();
        } catch (err) {
          expect(err).toBeInstanceOf(GuomiError);
          expect((err as GuomiError).code).toBe('ERR_INVALID_STATE');
        }
      }
      const m = hmacSm3.create('k');
      m.destroy();
      expect(() => m.update('x')).toThrow(GuomiError);
    });
  });
});
