/**
 * verifyBatchAsync gives what verifyBatch gives, item by item, on both backends: the native one
 * sends a batch to the thread pool as a few jobs of many verifications (issue 9), so mixed keys,
 * IDs, encodings and malformed signatures within one job are checked here, with round-trip
 * signatures whose validity is known by construction.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Sm2PrivateKey,
  Sm2PublicKey,
  sign,
  verifyBatch,
  verifyBatchAsync,
  type Sm2VerifyItem,
} from '../src/sm2.js';
import { loadAddon } from '../src/backend/addon.js';
import { GuomiError } from '../src/errors.js';
import { sm3 } from '../src/sm3.js';
import { concatBytes } from '../src/utils.js';
import { BACKENDS, forEachBackend } from './backends.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** `sig` with one bit of byte i flipped (a copy). */
function flip(sig: Uint8Array, i: number): Uint8Array {
  const out = new Uint8Array(sig);
  out[i]! ^= 1;
  return out;
}

/** The libuv pool size these tests run with; a batch of more than this spans several jobs. */
const POOL = Number(process.env['UV_THREADPOOL_SIZE']) || 4;

forEachBackend(() => {
  describe('verifyBatchAsync', () => {
    let a: Sm2PrivateKey, b: Sm2PrivateKey, c: Sm2PrivateKey;
    beforeAll(() => {
      a = Sm2PrivateKey.generate();
      b = Sm2PrivateKey.generate();
      c = Sm2PrivateKey.generate();
    });

    it('equals verifyBatch on mixed keys, IDs, encodings, prehashed, invalid and malformed items', async () => {
      const bytesId = new Uint8Array([0, 1, 2, 0xff]);
      const derA = sign('m1', a);
      const rawB = sign('m2', b, { encoding: 'raw', id: 'ALICE123@YAHOO.COM' });
      const derC = sign('m3', c, { id: bytesId });
      const e = sm3(concatBytes(a.publicKey.computeZ('BOB'), utf8('m4')));
      const rawPre = sign(e, a, { prehashed: true, encoding: 'raw' });
      const items: [Sm2VerifyItem, boolean][] = [
        [{ message: 'm1', signature: derA, publicKey: a.publicKey }, true],
        [{ message: 'm1', signature: derA, publicKey: a.publicKey, options: { encoding: 'der' } }, true],
        [{ message: 'm1', signature: derA, publicKey: a.publicKey, options: { encoding: 'raw' } }, false],
        [{ message: 'm1', signature: derA, publicKey: b.publicKey }, false], // another key
        [{ message: 'm2', signature: rawB, publicKey: b.publicKey, options: { id: 'ALICE123@YAHOO.COM' } }, true],
        [{ message: 'm2', signature: rawB, publicKey: b.publicKey, options: { id: utf8('ALICE123@YAHOO.COM'), encoding: 'raw' } }, true],
        [{ message: 'm2', signature: rawB, publicKey: b.publicKey }, false], // default ID
        [{ message: 'm2', signature: rawB, publicKey: b.publicKey, options: { id: 'ALICE123@YAHOO.COM', encoding: 'der' } }, false],
        [{ message: utf8('m3'), signature: derC, publicKey: c.publicKey.toBytes(), options: { id: bytesId } }, true],
        [{ message: 'm3', signature: derC, publicKey: c.publicKey.export(), options: { id: bytesId } }, true], // PEM
        [{ message: 'm3', signature: flip(derC, derC.length - 1), publicKey: c.publicKey, options: { id: bytesId } }, false],
        [{ message: e, signature: rawPre, publicKey: a.publicKey, options: { prehashed: true } }, true],
        [{ message: 'm4', signature: rawPre, publicKey: a.publicKey, options: { id: 'BOB' } }, true],
        [{ message: flip(e, 0), signature: rawPre, publicKey: a.publicKey, options: { prehashed: true } }, false],
        // Malformed: short, truncated DER, 65 bytes, r = 0, s = n (range checks in the core).
        [{ message: 'm1', signature: new Uint8Array(10), publicKey: a.publicKey }, false],
        [{ message: 'm1', signature: derA.subarray(0, derA.length - 1), publicKey: a.publicKey }, false],
        [{ message: 'm1', signature: new Uint8Array(65), publicKey: a.publicKey, options: { encoding: 'raw' } }, false],
        [{ message: 'm1', signature: new Uint8Array(64), publicKey: a.publicKey }, false],
        [{ message: 'm1', signature: new Uint8Array(0), publicKey: a.publicKey }, false],
      ];
      const list = items.map(([it]) => it);
      const expected = items.map(([, ok]) => ok);
      expect(verifyBatch(list)).toEqual(expected);
      expect(await verifyBatchAsync(list)).toEqual(expected);
    });

    it('an empty list gives an empty array', async () => {
      expect(await verifyBatchAsync([])).toEqual([]);
    });

    it(`a batch larger than the pool (${POOL} threads) keeps each result in its place`, async () => {
      const keys = [a, b, c];
      const list: Sm2VerifyItem[] = [];
      const expected: boolean[] = [];
      for (let i = 0; i < 8 * POOL + 3; i++) {
        const key = keys[i % 3]!;
        const sig = sign(`msg ${i}`, key, { encoding: i % 2 ? 'raw' : 'der', id: `id${i % 5}` });
        const valid = i % 4 !== 1;
        list.push({
          message: `msg ${i}`,
          signature: valid ? sig : flip(sig, sig.length - 2),
          publicKey: i % 7 === 0 ? key.publicKey.toBytes() : key.publicKey,
          options: { id: `id${i % 5}` },
        });
        expected.push(valid);
      }
      expect(verifyBatch(list)).toEqual(expected);
      expect(await verifyBatchAsync(list)).toEqual(expected);
    });

    it('reads keys when called: destroying one right after the call does not change the results', async () => {
      const pub = Sm2PublicKey.from(a.publicKey.toBytes());
      const sig = sign('kept', a);
      const list: Sm2VerifyItem[] = [];
      for (let i = 0; i < 3 * POOL; i++) {
        list.push({ message: 'kept', signature: i % 3 ? sig : flip(sig, sig.length - 1), publicKey: pub });
      }
      const pending = verifyBatchAsync(list);
      pub.destroy();
      expect(await pending).toEqual(list.map((_, i) => i % 3 !== 0));
      // A key destroyed before the call is an error of the batch, as for verifyAsync.
      await expect(verifyBatchAsync(list)).rejects.toThrow(GuomiError);
      await expect(verifyBatchAsync(list)).rejects.toMatchObject({ code: 'ERR_INVALID_STATE' });
    });

    // The native backend sends single verifyAsync calls made in one turn together (one pool job
    // per pool thread); each promise must still get its own answer.
    it('many verifyAsync calls started together: each gets its own answer, as verify() gives it', async () => {
      const keys = [a, b, c];
      const calls: Promise<boolean>[] = [];
      const expected: boolean[] = [];
      for (let i = 0; i < 6 * POOL + 1; i++) {
        const key = keys[i % 3]!;
        const sig = sign(`single ${i}`, key, { encoding: i % 2 ? 'raw' : 'der' });
        const bad = i % 5 === 2 ? flip(sig, sig.length - 1) : i % 11 === 3 ? new Uint8Array(3) : undefined;
        const pub = i % 4 === 0 ? Sm2PublicKey.from(key.publicKey.toBytes()) : key.publicKey;
        calls.push(pub.verifyAsync(`single ${i}`, bad ?? sig));
        expected.push(pub.verify(`single ${i}`, bad ?? sig));
      }
      expect(expected.filter(Boolean).length).toBeGreaterThan(10);
      expect(expected.includes(false)).toBe(true);
      expect(await Promise.all(calls)).toEqual(expected);
    });

    it('verifyAsync: the key may be destroyed and the signature buffer reused right after the call', async () => {
      const pub = Sm2PublicKey.from(a.publicKey.toBytes());
      const sig = sign('reuse', a, { encoding: 'raw' });
      const good = pub.verifyAsync('reuse', sig, { encoding: 'raw' });
      const also = pub.verifyAsync('reuse', sig, { encoding: 'raw' });
      pub.destroy();
      sig.fill(0);
      expect(await Promise.all([good, also])).toEqual([true, true]);
      await expect(pub.verifyAsync('reuse', sig)).rejects.toMatchObject({ code: 'ERR_INVALID_STATE' });
    });

    it('signAsync, encryptAsync, decryptAsync: keys destroyed right after the call still serve it', async () => {
      const key = Sm2PrivateKey.from(a.export());
      const pub = Sm2PublicKey.from(a.publicKey.toBytes());
      const ciphertext = a.publicKey.encrypt('secret');
      const signing = key.signAsync('after destroy');
      const decrypting = key.decryptAsync(ciphertext);
      const encrypting = pub.encryptAsync('to be read');
      key.destroy();
      pub.destroy();
      expect(a.publicKey.verify('after destroy', await signing)).toBe(true);
      expect(new TextDecoder().decode(await decrypting)).toBe('secret');
      expect(new TextDecoder().decode(a.decrypt(await encrypting))).toBe('to be read');
      await expect(key.signAsync('x')).rejects.toMatchObject({ code: 'ERR_INVALID_STATE' });
    });

    it('argument errors reject the batch with a typed error naming the parameter', async () => {
      const sig = sign('x', a);
      const good = { message: 'x', signature: sig, publicKey: a.publicKey };
      await expect(verifyBatchAsync([good, { ...good, publicKey: 7 as unknown as Uint8Array }])).rejects.toThrow(
        /"publicKey"/,
      );
      await expect(verifyBatchAsync([good, { ...good, message: 5 as unknown as string }])).rejects.toThrow(/"message"/);
      await expect(verifyBatchAsync([{ ...good, signature: 'x' as unknown as Uint8Array }])).rejects.toThrow(
        TypeError,
      );
      await expect(verifyBatchAsync([{ ...good, options: { encoding: 'hex' as 'der' } }])).rejects.toThrow(
        /"encoding"/,
      );
      await expect(verifyBatchAsync([{ ...good, publicKey: new Uint8Array(65) }])).rejects.toMatchObject({
        code: 'ERR_SM2_INVALID_POINT',
      });
      expect(() => verifyBatchAsync('x' as unknown as [])).toThrow(TypeError);
    });
  });
});

// The binding's own argument checks (reachable only through the backend, which passes valid
// arguments; a wrong call must still give a typed error, never a crash).
// Declared only when the backends it needs are loaded (a GUOMI_BACKEND=pure run has one).
if (BACKENDS.includes('native')) describe('native sm2VerifyBatchAsync arguments', () => {
  it('rejects wrong key structs, lengths and key indexes with typed errors', () => {
    const addon = loadAddon();
    const key = new Uint8Array(addon.sm2PublicKeySize);
    const one = new Uint32Array(1);
    const e = new Uint8Array(32), sig = new Uint8Array(64);
    expect(() => addon.sm2VerifyBatchAsync('x' as unknown as Uint8Array[], one, e, sig)).toThrow(TypeError);
    expect(() => addon.sm2VerifyBatchAsync([new Uint8Array(3)], one, e, sig)).toThrow(TypeError);
    expect(() => addon.sm2VerifyBatchAsync([key], new Uint8Array(1) as unknown as Uint32Array, e, sig)).toThrow(
      /"keyIndex"/,
    );
    expect(() => addon.sm2VerifyBatchAsync([key], one, new Uint8Array(31), sig)).toThrow(RangeError);
    expect(() => addon.sm2VerifyBatchAsync([key], one, e, new Uint8Array(65))).toThrow(/"signatures"/);
    expect(() => addon.sm2VerifyBatchAsync([key], new Uint32Array([1]), e, sig)).toThrow(RangeError);
  });
});
