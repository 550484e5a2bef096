/**
 * Async variants under load: 10,000 calls in flight at once, spread over every async variant
 * (SM2 signAsync, verifyAsync, verifyBatchAsync, encryptAsync, decryptAsync; SM4 encryptAsync
 * and decryptAsync in every mode; pbkdf2Sm3Async), all started before any is awaited. Every
 * call must complete and give what the synchronous call gives (signatures and SM2 ciphertexts
 * are randomised, so those are checked by the synchronous verify/decrypt). On the native backend
 * this is the libuv thread pool with a queue thousands deep; on the pure one, later ticks.
 * The pure backend runs the same mix at 1,000 calls (its SM2 is ~50x slower; the concurrency
 * behaviour under test is native's).
 */
import { describe, expect, it } from 'vitest';
import {
  Sm2PrivateKey,
  decrypt,
  decryptAsync,
  encrypt,
  encryptAsync,
  signAsync,
  verify,
  verifyAsync,
  verifyBatchAsync,
  type Sm2CiphertextFormat,
} from '../src/sm2.js';
import { pbkdf2Sm3, pbkdf2Sm3Async } from '../src/sm3.js';
import { sm4, type Sm4Cipher } from '../src/sm4.js';
import { forEachBackend } from './backends.js';
import { rng } from './random.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

forEachBackend((backend) => {
  describe('async variants under 10,000 concurrent calls', () => {
    const total = backend === 'native' ? 10_000 : 1_000;

    it(`${total} calls in flight over every async variant complete and match the sync results`, async () => {
      const r = rng(91);
      const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
      const keys = [Sm2PrivateKey.from(bytes(32)), Sm2PrivateKey.from(bytes(32))];
      const pubs = keys.map((k) => k.publicKey);
      const formats: Sm2CiphertextFormat[] = ['c1c3c2', 'c1c2c3', 'der'];
      const modes = ['ecb', 'cbc', 'ctr', 'cfb', 'ofb', 'gcm', 'ccm', 'xts'] as const;
      const cipherFor = (mode: (typeof modes)[number], key: Uint8Array, iv: Uint8Array): Sm4Cipher =>
        mode === 'ecb'
          ? sm4.ecb(key)
          : mode === 'gcm'
            ? sm4.gcm(key, iv.subarray(0, 12))
            : mode === 'ccm'
              ? sm4.ccm(key, iv.subarray(0, 12))
              : mode === 'xts'
                ? sm4.xts(new Uint8Array([...key, ...iv]), iv)
                : sm4[mode](key, iv);

      // Each job: a promise started now, and a check run after all have settled.
      const jobs: { run: Promise<unknown>; check: (v: unknown) => void }[] = [];
      const kinds = 9;
      for (let i = 0; i < total; i++) {
        const kind = i % kinds;
        const k = i & 1;
        const msg = bytes(1 + (i % 97));
        if (kind === 0) {
          jobs.push({ run: signAsync(msg, keys[k]!, { encoding: i & 2 ? 'der' : 'raw' }), check: (sig) => expect(verify(msg, sig as Uint8Array, pubs[k]!)).toBe(true) });
        } else if (kind === 1) {
          // Alternate good and bad signatures: the results must match verify().
          const sig = keys[k]!.sign(msg);
          if (i & 2) sig[sig.length - 1]! ^= 1;
          const expected = verify(msg, sig, pubs[k]!);
          jobs.push({ run: verifyAsync(msg, sig, pubs[k]!), check: (v) => expect(v).toBe(expected) });
        } else if (kind === 2) {
          const items = [0, 1, 2].map((j) => {
            const m = bytes(10 + j);
            const sig = keys[j & 1]!.sign(m);
            return { message: j === 1 ? bytes(10) : m, signature: sig, publicKey: pubs[j & 1]! };
          });
          const expected = items.map((it) => verify(it.message, it.signature, it.publicKey));
          jobs.push({ run: verifyBatchAsync(items), check: (v) => expect(v).toEqual(expected) });
        } else if (kind === 3) {
          const format = formats[i % 3]!;
          jobs.push({ run: encryptAsync(pubs[k]!, msg, { format }), check: (ct) => expect(hex(decrypt(keys[k]!, ct as Uint8Array, { format }))).toBe(hex(msg)) });
        } else if (kind === 4) {
          const format = formats[i % 3]!;
          const ct = encrypt(pubs[k]!, msg, { format });
          if (i & 2) ct[ct.length - 1]! ^= 1; // must be refused, as the sync call refuses it
          jobs.push({
            run: decryptAsync(keys[k]!, ct, { format }).catch((e: unknown) => e),
            check: (v) => {
              if (i & 2) expect((v as { code?: string }).code).toBe('ERR_SM2_DECRYPT_FAILED');
              else expect(hex(v as Uint8Array)).toBe(hex(msg));
            },
          });
        } else if (kind === 5 || kind === 6) {
          const mode = modes[(i >> 1) % modes.length]!;
          const key = bytes(16), iv = bytes(16);
          const data = bytes(mode === 'xts' ? 16 + (i % 200) : i % 300);
          const expected = cipherFor(mode, key, iv).encrypt(data);
          if (kind === 5) jobs.push({ run: cipherFor(mode, key, iv).encryptAsync(data), check: (v) => expect(hex(v as Uint8Array)).toBe(hex(expected)) });
          else jobs.push({ run: cipherFor(mode, key, iv).decryptAsync(expected), check: (v) => expect(hex(v as Uint8Array)).toBe(hex(data)) });
        } else {
          const password = bytes(8), salt = bytes(8), iterations = 1 + (i % 50);
          const expected = pbkdf2Sm3(password, salt, iterations, 32);
          jobs.push({ run: pbkdf2Sm3Async(password, salt, iterations, 32), check: (v) => expect(hex(v as Uint8Array)).toBe(hex(expected)) });
        }
      }
      expect(jobs.length).toBe(total);
      const results = await Promise.all(jobs.map((j) => j.run));
      results.forEach((v, i) => jobs[i]!.check(v));
    });
  });
});
