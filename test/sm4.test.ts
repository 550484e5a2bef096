/**
 * SM4 and its modes through the public API, once per backend: the standards' known answers
 * (vectors/), every case of the conformance corpus (shared/conformance) including the must-fail
 * ones, and the API's rules (IV reuse, destroy(), async variants, bad input).
 * Random inputs against peers are in sm4-interop.test.ts, the streams in sm4-stream.test.ts.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sm4, type Sm4Cipher } from '../src/sm4.js';
import { GuomiError, type GuomiErrorCode } from '../src/errors.js';
import { pureSm4 } from '../src/pure/sm4.js';
import { forEachBackend } from './backends.js';
import { forEachVector } from './filetest.js';
import { HAVE_CONFORMANCE, hex, readConformance } from './conformance.js';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const cat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

/** Runs f and returns the GuomiError code it throws (failing if it throws something else). */
function codeOf(f: () => unknown): GuomiErrorCode | undefined {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(GuomiError);
    return (err as GuomiError).code;
  }
  return undefined;
}

/** Encrypts `times` times in a row with one object (GB/T 32907 Annex A.2 style). */
function iterate(key: Uint8Array, block: Uint8Array, times: number): Uint8Array {
  const c = sm4.ecb(key, { padding: 'none' });
  let b = block;
  for (let i = 0; i < times; i++) b = c.encrypt(b);
  c.destroy();
  return b;
}

type Mode = 'ECB' | 'CBC' | 'CTR' | 'CFB' | 'OFB';

function modeCipher(mode: Mode, key: Uint8Array, iv: Uint8Array | undefined, padded: boolean): Sm4Cipher {
  const padding = padded ? 'pkcs7' : 'none';
  switch (mode) {
    case 'ECB': return sm4.ecb(key, { padding });
    case 'CBC': return sm4.cbc(key, iv!, { padding });
    case 'CTR': return sm4.ctr(key, iv!);
    case 'CFB': return sm4.cfb(key, iv!);
    case 'OFB': return sm4.ofb(key, iv!);
  }
}

/** Checks one mode vector both ways (fresh objects, as CTR/CFB/OFB allow one encryption each). */
function checkMode(mode: Mode, key: Uint8Array, iv: Uint8Array | undefined, padded: boolean,
  pt: Uint8Array, ct: Uint8Array, where: string): void {
  expect(toHex(modeCipher(mode, key, iv, padded).encrypt(pt)), where).toBe(toHex(ct));
  expect(toHex(modeCipher(mode, key, iv, padded).decrypt(ct)), where).toBe(toHex(pt));
}

/** A GCM or CCM vector: valid ones both ways; invalid ones must be refused without plaintext. */
function checkAead(
  mode: 'gcm' | 'ccm', key: Uint8Array, iv: Uint8Array, aad: Uint8Array, pt: Uint8Array,
  ct: Uint8Array, tag: Uint8Array, tagLength: number, valid: boolean, where: string,
): 'ok' | 'auth' | 'params' {
  const make = () => sm4[mode](key, iv, { aad, tagLength });
  if (valid) {
    expect(toHex(make().encrypt(pt)), where).toBe(toHex(ct) + toHex(tag));
    expect(toHex(make().decrypt(cat(ct, tag))), where).toBe(toHex(pt));
    return 'ok';
  }
  let c: Sm4Cipher;
  try {
    c = make();
  } catch (err) {
    // A nonce, IV or tag length outside the mode's rules.
    expect(err, where).toBeInstanceOf(RangeError);
    return 'params';
  }
  let out: Uint8Array | undefined;
  expect(codeOf(() => (out = c.decrypt(cat(ct, tag)))), where).toBe('ERR_AUTH_FAILED');
  expect(out, where).toBeUndefined();
  return 'auth';
}

forEachBackend(() => {
  describe('known answers (vectors/)', () => {
    it('sm4.txt: GB/T 32907 Annex A (one block, 1,000 and 1,000,000 iterations) and the S-box', () => {
      const sbox: Uint8Array[] = [];
      let blocks = 0;
      const n = forEachVector('sm4.txt', (t) => {
        if (t.has('Sbox0')) {
          for (const r of '0123456789ABCDEF') sbox.push(t.bytes(`Sbox${r}`));
          return;
        }
        const key = t.bytes('Key'), pt = t.bytes('Plaintext'), ct = t.bytes('Ciphertext');
        const times = t.has('Iterations') ? t.num('Iterations') : 1;
        expect(toHex(iterate(key, pt, times)), t.where()).toBe(toHex(ct));
        if (times === 1) {
          expect(toHex(sm4.ecb(key, { padding: 'none' }).decrypt(ct)), t.where()).toBe(toHex(pt));
        }
        if (t.has('RoundKey0')) {
          // The round keys are internal to a backend; the pure key schedule is checked directly
          // (the native one by native/test's known-answer runner).
          const rk = (pureSm4.sm4ExpandKey(key) as unknown as { rk: Int32Array }).rk;
          expect((rk[0]! >>> 0).toString(16).padStart(8, '0'), t.where()).toBe(toHex(t.bytes('RoundKey0')));
          expect((rk[31]! >>> 0).toString(16).padStart(8, '0'), t.where()).toBe(toHex(t.bytes('RoundKey31')));
        }
        blocks++;
      });
      // The S-box rows of the file are the table of GB/T 32907 §6.2 (fingerprint from
      // shared/reference/spec-digest.md §2); the backends' tables are exercised by every vector.
      expect(crypto.createHash('sha256').update(Buffer.concat(sbox)).digest('hex')).toBe(
        '1674d0631a2e37b60ec748bc3899fee1550c108af30b85ce96a70c5ca4682d03',
      );
      expect(blocks).toBeGreaterThanOrEqual(3);
      expect(n).toBe(blocks + 1);
    });

    it('sm4_modes.txt: ECB, CBC (with and without PKCS#7), CTR (with carries), CFB, OFB', () => {
      const seen = new Set<string>();
      const n = forEachVector('sm4_modes.txt', (t) => {
        const mode = t.str('Mode') as Mode;
        const key = t.bytes('Key');
        const iv = mode === 'ECB' ? undefined : t.bytes('IV');
        const padded = t.has('Padding') && t.str('Padding') === 'PKCS7';
        checkMode(mode, key, iv, padded, t.bytes('Plaintext'), t.bytes('Ciphertext'), t.where());
        seen.add(mode);
      });
      expect([...seen].sort()).toEqual(['CBC', 'CFB', 'CTR', 'ECB', 'OFB']);
      expect(n).toBeGreaterThanOrEqual(15);
    });

    it('sm4_gcm.txt: RFC 8998 A.1, GB/T 36624 C.5, GMAC and the must-fail cases', () => {
      const counts = { ok: 0, auth: 0, params: 0 };
      forEachVector('sm4_gcm.txt', (t) => {
        const tag = t.bytes('Tag');
        const valid = !t.has('Result') || t.str('Result') !== 'invalid';
        const r = checkAead('gcm', t.bytes('Key'), t.bytes('IV'), t.bytes('AAD'), t.bytes('Plaintext'),
          t.bytes('Ciphertext'), tag, tag.length, valid, t.where());
        counts[r]++;
      });
      expect(counts.ok).toBeGreaterThanOrEqual(4);
      expect(counts.auth + counts.params).toBeGreaterThanOrEqual(1);
    });

    it('sm4_ccm.txt: RFC 8998 A.2 and the must-fail cases', () => {
      const counts = { ok: 0, auth: 0, params: 0 };
      forEachVector('sm4_ccm.txt', (t) => {
        const tag = t.bytes('Tag');
        const valid = !t.has('Result') || t.str('Result') !== 'invalid';
        const tagLength = t.has('TagLength') ? t.num('TagLength') : tag.length;
        const r = checkAead('ccm', t.bytes('Key'), t.bytes('Nonce'), t.bytes('AAD'), t.bytes('Plaintext'),
          t.bytes('Ciphertext'), tag, tagLength, valid, t.where());
        counts[r]++;
      });
      expect(counts.ok).toBeGreaterThanOrEqual(1);
    });

    it('sm4_xts.txt: GB/T 17964-2021 B.7, both variants, ciphertext stealing', () => {
      const variants = new Set<string>();
      forEachVector('sm4_xts.txt', (t) => {
        const variant = t.str('Variant').toLowerCase() as 'gb' | 'ieee';
        const key = cat(t.bytes('Key1'), t.bytes('Key2'));
        const tweak = t.bytes('Tweak'), pt = t.bytes('Plaintext'), ct = t.bytes('Ciphertext');
        const c = sm4.xts(key, tweak, { variant });
        expect(toHex(c.encrypt(pt)), t.where()).toBe(toHex(ct));
        expect(toHex(c.decrypt(ct)), t.where()).toBe(toHex(pt));
        if (variant === 'gb') expect(toHex(sm4.xts(key, tweak).encrypt(pt)), 'gb is the default').toBe(toHex(ct));
        variants.add(variant);
      });
      expect([...variants].sort()).toEqual(['gb', 'ieee']);
    });
  });

  describe.runIf(HAVE_CONFORMANCE)('conformance corpus (shared/conformance)', () => {
    it('sm4_block_modes.json: every case', () => {
      const file = readConformance<{
        cases: {
          id: string; mode: string; key_hex: string; iv_hex?: string; plaintext_hex: string;
          ciphertext_hex: string; padding?: string; iterations?: number; segment_bits?: number;
        }[];
      }>('sm4_block_modes.json');
      const byMode: Record<string, number> = {};
      for (const c of file.cases) {
        const key = hex(c.key_hex), pt = hex(c.plaintext_hex), ct = hex(c.ciphertext_hex);
        if (c.mode === 'block' || c.mode === 'block-iterated') {
          expect(toHex(iterate(key, pt, c.iterations ?? 1)), c.id).toBe(c.ciphertext_hex);
        } else {
          if (c.mode === 'cfb') expect(c.segment_bits, c.id).toBe(128);
          const mode = c.mode.toUpperCase() as Mode;
          checkMode(mode, key, c.iv_hex === undefined ? undefined : hex(c.iv_hex), c.padding === 'pkcs7', pt, ct, c.id);
        }
        byMode[c.mode] = (byMode[c.mode] ?? 0) + 1;
      }
      expect(file.cases.length).toBe(30);
      expect(byMode).toEqual({ 'block': 1, 'block-iterated': 2, 'ecb': 3, 'cbc': 9, 'cfb': 7, 'ofb': 4, 'ctr': 4 });
    });

    it('sm4_gcm.json: every valid case both ways; every invalid one refused', () => {
      const file = readConformance<{
        cases: {
          id: string; key_hex: string; iv_hex: string; aad_hex: string; plaintext_hex: string;
          ciphertext_hex: string; tag_hex: string; tag_bits?: number; result: string; flags?: string[];
        }[];
      }>('sm4_gcm.json');
      const counts = { ok: 0, auth: 0, params: 0 };
      const tagLengths = new Set<number>();
      for (const c of file.cases) {
        const tagLength = c.tag_bits === undefined ? c.tag_hex.length / 2 : c.tag_bits / 8;
        tagLengths.add(tagLength);
        const r = checkAead('gcm', hex(c.key_hex), hex(c.iv_hex), hex(c.aad_hex), hex(c.plaintext_hex),
          hex(c.ciphertext_hex), hex(c.tag_hex), tagLength, c.result === 'valid', c.id);
        if (r === 'params') expect(c.flags, c.id).toContain('ZeroLengthIv');
        if (r === 'auth') expect(c.flags, c.id).toContain('ModifiedTag');
        counts[r]++;
      }
      expect(file.cases.length).toBe(142);
      expect(counts).toEqual({ ok: 112, auth: 27, params: 3 });
      expect([...tagLengths].sort((a, b) => a - b)).toEqual([12, 13, 14, 15, 16]);
    });

    it('sm4_ccm.json: every valid case both ways; every invalid one refused', () => {
      const file = readConformance<{
        cases: {
          id: string; key_hex: string; iv_hex: string; aad_hex: string; plaintext_hex: string;
          ciphertext_hex: string; tag_hex: string; tag_bits: number; result: string; flags?: string[];
        }[];
      }>('sm4_ccm.json');
      const counts = { ok: 0, auth: 0, params: 0 };
      for (const c of file.cases) {
        const r = checkAead('ccm', hex(c.key_hex), hex(c.iv_hex), hex(c.aad_hex), hex(c.plaintext_hex),
          hex(c.ciphertext_hex), hex(c.tag_hex), c.tag_bits / 8, c.result === 'valid', c.id);
        if (r === 'params') {
          expect(c.flags?.some((f) => /Invalid(Nonce|Tag)Size|InsecureTagSize/.test(f)), c.id).toBe(true);
        }
        if (r === 'auth') expect(c.flags, c.id).toContain('ModifiedTag');
        counts[r]++;
      }
      expect(file.cases.length).toBe(185);
      expect(counts).toEqual({ ok: 136, auth: 27, params: 22 });
    });

    it('sm4_xts.json: every case in its variant, differing in the other (except one block)', () => {
      const file = readConformance<{
        cases: {
          id: string; standard: 'GB' | 'IEEE'; key_hex: string; tweak_hex: string; sector?: string;
          plaintext_hex: string; ciphertext_hex: string;
        }[];
      }>('sm4_xts.json');
      const counts = { GB: 0, IEEE: 0, sectors: 0 };
      for (const c of file.cases) {
        const key = hex(c.key_hex), tweak = hex(c.tweak_hex), pt = hex(c.plaintext_hex);
        const variant = c.standard === 'GB' ? 'gb' : 'ieee';
        const other = variant === 'gb' ? 'ieee' : 'gb';
        expect(toHex(sm4.xts(key, tweak, { variant }).encrypt(pt)), c.id).toBe(c.ciphertext_hex);
        expect(toHex(sm4.xts(key, tweak, { variant }).decrypt(hex(c.ciphertext_hex))), c.id).toBe(c.plaintext_hex);
        const differs = toHex(sm4.xts(key, tweak, { variant: other }).encrypt(pt)) !== c.ciphertext_hex;
        expect(differs, c.id).toBe(pt.length > 16);
        if (c.sector !== undefined) {
          // The data-unit number form of the tweak (little-endian, IEEE 1619 §5.1).
          const n = BigInt(c.sector);
          expect(toHex(sm4.xts(key, n, { variant }).encrypt(pt)), c.id).toBe(c.ciphertext_hex);
          if (n <= BigInt(Number.MAX_SAFE_INTEGER)) {
            expect(toHex(sm4.xts(key, Number(n), { variant }).encrypt(pt)), c.id).toBe(c.ciphertext_hex);
          }
          counts.sectors++;
        }
        counts[c.standard]++;
      }
      expect(file.cases.length).toBe(35);
      expect(counts).toEqual({ GB: 26, IEEE: 9, sectors: 16 });
    });
  });

  describe('IV reuse, destroy() and the async variants', () => {
    const key = new Uint8Array(16).fill(7), iv = new Uint8Array(16).fill(1), iv12 = iv.subarray(0, 12);

    it('CTR, CFB, OFB, GCM and CCM objects encrypt once, and only as their first operation', () => {
      const make = [
        () => sm4.ctr(key, iv), () => sm4.cfb(key, iv), () => sm4.ofb(key, iv),
        () => sm4.gcm(key, iv12), () => sm4.ccm(key, iv12),
      ];
      for (const m of make) {
        const c = m();
        const sealed = c.encrypt('first');
        expect(codeOf(() => c.encrypt('second')), c.mode).toBe('ERR_INVALID_STATE');
        expect(codeOf(() => c.encrypt('first')), c.mode).toBe('ERR_INVALID_STATE');
        // Decryption is not limited.
        expect(Buffer.from(c.decrypt(sealed)).toString(), c.mode).toBe('first');
        expect(Buffer.from(c.decrypt(sealed)).toString(), c.mode).toBe('first');
        const d = m();
        d.decrypt(sealed);
        expect(codeOf(() => d.encrypt('reply')), `${c.mode}: encrypt after decrypt`).toBe('ERR_INVALID_STATE');
      }
    });

    it('a refused call does not count as a use; ECB, CBC and XTS are deterministic and unlimited', () => {
      const g = sm4.gcm(key, iv12);
      expect(() => g.encrypt(5 as never)).toThrow(TypeError);
      expect(() => g.decrypt(new Uint8Array(3))).toThrow(RangeError);
      expect(g.encrypt('ok').length).toBe(2 + 16);
      for (const c of [sm4.ecb(key), sm4.cbc(key, iv), sm4.xts(cat(key, iv), 3)]) {
        const a = c.encrypt('sixteen bytes!!!'), b = c.encrypt('sixteen bytes!!!');
        expect(toHex(a), c.mode).toBe(toHex(b));
      }
    });

    it('use after destroy() gives ERR_INVALID_STATE; destroy() is idempotent', async () => {
      for (const c of [sm4.ecb(key), sm4.cbc(key, iv), sm4.ctr(key, iv), sm4.gcm(key, iv12), sm4.ccm(key, iv12),
        sm4.xts(cat(key, iv), iv)]) {
        const data = new Uint8Array(32);
        const sealed = c.encrypt(data);
        c.destroy();
        c.destroy();
        expect(codeOf(() => c.decrypt(sealed)), c.mode).toBe('ERR_INVALID_STATE');
        expect(codeOf(() => c.encrypt(data)), c.mode).toBe('ERR_INVALID_STATE');
        await expect(c.decryptAsync(sealed), c.mode).rejects.toThrow(/after destroy/);
      }
    });

    it('encryptAsync / decryptAsync give the same bytes on a later tick, copying the input', async () => {
      const data = crypto.randomBytes(1000);
      const want = sm4.gcm(key, iv12, { aad: 'hdr' }).encrypt(data);
      const c = sm4.gcm(key, iv12, { aad: 'hdr' });
      let settled = false;
      const p = c.encryptAsync(data).then((r) => ((settled = true), r));
      expect(settled).toBe(false);
      data.fill(0); // the input was copied at call time
      expect(toHex(await p)).toBe(toHex(want));
      await expect(c.encryptAsync(data)).rejects.toThrow(GuomiError);
      const back = await sm4.gcm(key, iv12, { aad: 'hdr' }).decryptAsync(want);
      expect(toHex(back)).toBe(toHex(sm4.gcm(key, iv12, { aad: 'hdr' }).decrypt(want)));
      const tampered = Uint8Array.from(want);
      tampered[0]! ^= 1;
      await expect(sm4.gcm(key, iv12, { aad: 'hdr' }).decryptAsync(tampered)).rejects.toMatchObject({ code: 'ERR_AUTH_FAILED' });
      await expect(sm4.cbc(key, iv).decryptAsync(new Uint8Array(17))).rejects.toThrow(RangeError);
      const cbc = sm4.cbc(key, iv);
      expect(toHex(await cbc.decryptAsync(await cbc.encryptAsync('abc')))).toBe(toHex(Buffer.from('abc')));
      // Work started before destroy() completes with the right bytes; the key is wiped after it,
      // and calls made after destroy() fail.
      const pending = cbc.encryptAsync('abc');
      cbc.destroy();
      await expect(cbc.encryptAsync('abc')).rejects.toMatchObject({ code: 'ERR_INVALID_STATE' });
      expect(toHex(await pending)).toBe(toHex(sm4.cbc(key, iv).encrypt('abc')));
      expect(() => cbc.decrypt(new Uint8Array(16))).toThrow(GuomiError);
    });
  });

  describe('bad input', () => {
    const key = new Uint8Array(16), iv = new Uint8Array(16), iv12 = new Uint8Array(12);

    it('keys: not bytes → TypeError, not 16 bytes (XTS: 32) → RangeError, naming "key"', () => {
      for (const f of [
        () => sm4.ecb('0123456789abcdef' as never), () => sm4.cbc([1, 2] as never, iv), () => sm4.gcm(null as never, iv12),
      ]) {
        expect(f).toThrow(TypeError);
        expect(f).toThrow(/"key"/);
      }
      for (const f of [
        () => sm4.ecb(new Uint8Array(15)), () => sm4.cbc(new Uint8Array(32), iv), () => sm4.ctr(new Uint8Array(0), iv),
        () => sm4.gcm(new Uint8Array(24), iv12), () => sm4.ccm(new Uint8Array(17), iv12), () => sm4.xts(key, iv),
      ]) {
        expect(f).toThrow(RangeError);
        expect(f).toThrow(/"key"/);
      }
    });

    it('IVs, nonces and tweaks of the wrong length → RangeError naming the parameter', () => {
      expect(() => sm4.cbc(key, new Uint8Array(15))).toThrow(/"iv" must be 16 bytes/);
      expect(() => sm4.ctr(key, new Uint8Array(12))).toThrow(RangeError);
      expect(() => sm4.cfb(key, new Uint8Array(17))).toThrow(/"iv"/);
      expect(() => sm4.ofb(key, 'x' as never)).toThrow(TypeError);
      expect(() => sm4.gcm(key, new Uint8Array(0))).toThrow(/"iv" must be at least 1 byte/);
      for (const n of [0, 6, 14, 16]) expect(() => sm4.ccm(key, new Uint8Array(n))).toThrow(/"nonce"/);
      expect(() => sm4.xts(cat(key, key), new Uint8Array(15))).toThrow(/"tweak"/);
      expect(() => sm4.xts(cat(key, key), -1)).toThrow(RangeError);
      expect(() => sm4.xts(cat(key, key), 1n << 128n)).toThrow(RangeError);
      expect(() => sm4.xts(cat(key, key), 'abc' as never)).toThrow(TypeError);
    });

    it('tag lengths: GCM 4, 8, 12..16; CCM 4..16 even; others → RangeError naming "tagLength"', () => {
      for (let t = 0; t <= 20; t++) {
        const gcmOk = t === 4 || t === 8 || (t >= 12 && t <= 16);
        const ccmOk = t >= 4 && t <= 16 && t % 2 === 0;
        const g = () => sm4.gcm(key, iv12, { tagLength: t }).encrypt('x');
        const c = () => sm4.ccm(key, iv12, { tagLength: t }).encrypt('x');
        if (gcmOk) expect(g().length, `gcm ${t}`).toBe(1 + t);
        else expect(g, `gcm ${t}`).toThrow(/"tagLength"/);
        if (ccmOk) expect(c().length, `ccm ${t}`).toBe(1 + t);
        else expect(c, `ccm ${t}`).toThrow(/"tagLength"/);
      }
      expect(() => sm4.gcm(key, iv12, { tagLength: 12.5 })).toThrow(RangeError);
      expect(() => sm4.gcm(key, iv12, { tagLength: '16' as never })).toThrow(TypeError);
    });

    it('options: wrong types and values → TypeError / RangeError naming the option', () => {
      expect(() => sm4.ecb(key, { padding: 'zero' as never })).toThrow(/"padding"/);
      expect(() => sm4.cbc(key, iv, 'pkcs7' as never)).toThrow(/"options"/);
      expect(() => sm4.gcm(key, iv12, { aad: 42 as never })).toThrow(/"aad"/);
      expect(() => sm4.xts(cat(key, key), 0, { variant: 'IEEE' as never })).toThrow(/"variant"/);
    });

    it("data: not bytes → TypeError; padding 'none' and not whole blocks, short XTS, CCM over its limit → RangeError", () => {
      expect(() => sm4.ecb(key).encrypt(12 as never)).toThrow(/"data"/);
      expect(() => sm4.ecb(key).decrypt('text' as never)).toThrow(TypeError);
      expect(() => sm4.ecb(key, { padding: 'none' }).encrypt(new Uint8Array(17))).toThrow(/"data" must be a multiple of 16/);
      expect(() => sm4.cbc(key, iv, { padding: 'none' }).decrypt(new Uint8Array(8))).toThrow(RangeError);
      expect(() => sm4.cbc(key, iv).decrypt(new Uint8Array(31))).toThrow(RangeError);
      expect(() => sm4.ecb(key).decrypt(new Uint8Array(0))).toThrow(RangeError);
      expect(sm4.ecb(key, { padding: 'none' }).encrypt(new Uint8Array(0)).length).toBe(0);
      expect(() => sm4.xts(cat(key, key), 0).encrypt(new Uint8Array(15))).toThrow(/16 to/);
      expect(() => sm4.xts(cat(key, key), 0).decrypt(new Uint8Array(2 ** 24 + 16))).toThrow(RangeError);
      expect(() => sm4.gcm(key, iv12).decrypt(new Uint8Array(15))).toThrow(/16-byte tag/);
      expect(() => sm4.ccm(key, iv12, { tagLength: 8 }).decrypt(new Uint8Array(7))).toThrow(RangeError);
      // A 13-byte nonce leaves a 2-byte length field: at most 65535 bytes.
      const n13 = new Uint8Array(13);
      expect(sm4.ccm(key, n13).encrypt(new Uint8Array(65535)).length).toBe(65535 + 16);
      expect(() => sm4.ccm(key, n13).encrypt(new Uint8Array(65536))).toThrow(/too long/);
    });

    it('every PKCS#7 failure is the same ERR_BAD_PADDING, and nothing is returned', () => {
      const ecbRaw = sm4.ecb(key, { padding: 'none' }), ecb = sm4.ecb(key);
      const cbcRaw = sm4.cbc(key, iv, { padding: 'none' }), cbc = sm4.cbc(key, iv);
      const bad: Uint8Array[] = [];
      const block = (f: (b: Uint8Array) => void) => {
        const b = new Uint8Array(16).fill(0x41);
        f(b);
        bad.push(b);
      };
      block((b) => (b[15] = 0));
      block((b) => (b[15] = 17));
      block((b) => (b[15] = 255));
      for (let n = 2; n <= 16; n++) {
        block((b) => {
          b.fill(n, 16 - n);
          b[16 - n] = n ^ 1; // the first padding byte is wrong
        });
        block((b) => {
          b.fill(n, 16 - n);
          b[14] = n + 1; // the second-to-last is wrong
        });
      }
      const messages = new Set<string>();
      for (const last of bad) {
        for (const [raw, padded] of [[ecbRaw, ecb], [cbcRaw, cbc]] as const) {
          const ct = raw.encrypt(cat(new Uint8Array(16).fill(9), last));
          let got: Uint8Array | undefined;
          try {
            got = padded.decrypt(ct);
          } catch (err) {
            expect(err).toBeInstanceOf(GuomiError);
            expect((err as GuomiError).code).toBe('ERR_BAD_PADDING');
            messages.add((err as Error).message);
          }
          expect(got).toBeUndefined();
        }
      }
      expect(messages.size).toBe(1);
      // And every valid padding length round trips.
      for (let len = 0; len <= 48; len++) {
        const m = crypto.randomBytes(len);
        expect(toHex(cbc.decrypt(cbc.encrypt(m)))).toBe(toHex(m));
        expect(toHex(ecb.decrypt(ecb.encrypt(m)))).toBe(toHex(m));
        expect(cbc.encrypt(m).length).toBe(16 * (Math.floor(len / 16) + 1));
      }
    });

    it('strings are UTF-8 plaintext; ciphertext must be bytes', () => {
      const c = sm4.cbc(key, iv);
      expect(toHex(c.encrypt('国密'))).toBe(toHex(c.encrypt(new Uint8Array(Buffer.from('国密', 'utf8')))));
      expect(() => c.decrypt('国密' as never)).toThrow(TypeError);
    });
  });
});
