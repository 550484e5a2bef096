/**
 * The equivalences of docs/migration.md, checked against the installed sm-crypto 0.5.8 and
 * sm-crypto-v2 1.15.1: each row of the guide's tables, with the same inputs on both sides.
 * Deterministic functions must give equal output; randomised ones (key generation, encryption,
 * signatures) must cross-decrypt and cross-verify in both directions. Once per backend.
 */
import { createRequire } from 'node:module';
import { sm2 as v2sm2, sm3 as v2sm3, sm4 as v2sm4, hkdf as v2hkdf, kdf as v2kdf } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import {
  Sm2KeyExchangeInitiator,
  Sm2PrivateKey,
  Sm2PublicKey,
  computeZ,
  decrypt,
  ecdh,
  encrypt,
  sign,
  verify,
  type Sm2CiphertextFormat,
} from '../src/sm2.js';
import { hkdfSm3, hmacSm3, sm3, sm3Kdf } from '../src/sm3.js';
import { sm4 } from '../src/sm4.js';
import { forEachBackend } from './backends.js';
import { fromHex, toHex } from './doc-helpers.js';
import { rng } from './random.js';

/** The parts of sm-crypto 0.5.8 used here (it ships no types). */
interface SmCryptoV1 {
  sm2: {
    generateKeyPairHex(): { privateKey: string; publicKey: string };
    doEncrypt(msg: string | number[], publicKey: string, cipherMode?: number): string;
    doDecrypt(ct: string, privateKey: string, cipherMode?: number, options?: { output?: 'string' | 'array' }): string | number[];
    doSignature(msg: string | number[], privateKey: string, options?: { hash?: boolean; der?: boolean; userId?: string; publicKey?: string }): string;
    doVerifySignature(msg: string | number[], sig: string, publicKey: string, options?: { hash?: boolean; der?: boolean; userId?: string }): boolean;
    getPublicKeyFromPrivateKey(d: string): string;
    compressPublicKeyHex(pub: string): string;
    comparePublicKeyHex(a: string, b: string): boolean;
    verifyPublicKey(pub: string): boolean;
  };
  sm3(input: string | number[], options?: { key: string | number[]; mode?: 'hmac' }): string;
  sm4: {
    encrypt(input: string | number[], key: string | number[], options?: Sm4Options): string | number[];
    decrypt(input: string | number[], key: string | number[], options?: Sm4Options): string | number[];
  };
}
interface Sm4Options {
  mode?: 'cbc' | 'ecb';
  iv?: string | number[];
  padding?: 'pkcs#7' | 'pkcs#5' | 'none';
  output?: 'string' | 'array';
}
const v1 = createRequire(import.meta.url)('sm-crypto') as SmCryptoV1;

/** What the guide writes as `hex(…)` and `bytes(…)`. */
const hex = toHex;
const bytes = fromHex;

forEachBackend((backend) => {
  const random = rng(0x6d696772 + backend.length);
  const randomBytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
  const text = (): string => `迁移 migration ${Math.floor(random() * 1e9)} 😀`;

  describe('sm2 keys', () => {
    it('generateKeyPairHex: its pairs load here with the same public key; ours have its public key', () => {
      for (const lib of [v1.sm2, v2sm2]) {
        const kp = lib.generateKeyPairHex();
        const key = Sm2PrivateKey.from(bytes(kp.privateKey));
        expect(hex(key.publicKey.toBytes())).toBe(kp.publicKey);
        // The guide's replacement: { privateKey: hex(key.export({ format: 'raw' })), publicKey: hex(key.publicKey.toBytes()) }
        const mine = Sm2PrivateKey.generate();
        const pair = { privateKey: hex(mine.export({ format: 'raw' })), publicKey: hex(mine.publicKey.toBytes()) };
        expect(pair.privateKey).toHaveLength(64);
        expect(lib.getPublicKeyFromPrivateKey(pair.privateKey)).toBe(pair.publicKey);
      }
    });

    it('getPublicKeyFromPrivateKey, compressPublicKeyHex, comparePublicKeyHex', () => {
      for (let i = 0; i < 3; i++) {
        const d = hex(randomBytes(32));
        const pub = hex(Sm2PrivateKey.from(bytes(d)).publicKey.toBytes());
        expect(pub).toBe(v1.sm2.getPublicKeyFromPrivateKey(d));
        expect(pub).toBe(v2sm2.getPublicKeyFromPrivateKey(d));
        const compressed = hex(Sm2PublicKey.from(bytes(pub)).toBytes({ compressed: true }));
        expect(compressed).toBe(v1.sm2.compressPublicKeyHex(pub));
        expect(compressed).toBe(v2sm2.compressPublicKeyHex(pub));
        // comparePublicKeyHex(a, b) -> Sm2PublicKey.from(bytes(a)).equals(bytes(b))
        expect(Sm2PublicKey.from(bytes(pub)).equals(bytes(compressed))).toBe(true);
        expect(v1.sm2.comparePublicKeyHex(pub, compressed)).toBe(true);
        // verifyPublicKey(pub) -> Sm2PublicKey.from throws for a point off the curve
        const off = bytes(pub);
        off[64]! ^= 1;
        expect(v1.sm2.verifyPublicKey(hex(off))).toBe(false);
        expect(() => Sm2PublicKey.from(off)).toThrow(expect.objectContaining({ code: 'ERR_SM2_INVALID_POINT' }));
      }
    });
  });

  describe('sm2 encryption: doEncrypt / doDecrypt', () => {
    // cipherMode 1 (their default) is C1C3C2, 0 is C1C2C3; their C1 has no 04 prefix.
    const modes: [number, Sm2CiphertextFormat][] = [[1, 'c1c3c2'], [0, 'c1c2c3']];
    for (const [cipherMode, format] of modes) {
      it(`cipherMode ${cipherMode} = { format: '${format}', c1Prefix: false }, both ways, both libraries`, () => {
        for (const lib of [v1.sm2, v2sm2]) {
          const kp = lib.generateKeyPairHex();
          const msg = text();
          const theirs = lib.doEncrypt(msg, kp.publicKey, cipherMode);
          expect(Buffer.from(decrypt(bytes(kp.privateKey), bytes(theirs), { format, c1Prefix: false })).toString('utf8')).toBe(msg);
          const ours = hex(encrypt(bytes(kp.publicKey), msg, { format, c1Prefix: false }));
          expect(lib.doDecrypt(ours, kp.privateKey, cipherMode)).toBe(msg);
          // With the 04 prefix (guomi's default) they fail ('' or an exception): give them c1Prefix: false.
          const prefixed = hex(encrypt(bytes(kp.publicKey), msg, { format }));
          let result: unknown;
          try {
            result = lib.doDecrypt(prefixed, kp.privateKey, cipherMode);
          } catch (err) {
            result = err;
          }
          expect(result).not.toBe(msg);
        }
      });
    }

    it("sm-crypto-v2 { asn1: true } (cipherMode 1) = { format: 'der' }, both ways", () => {
      const kp = v2sm2.generateKeyPairHex();
      const msg = text();
      const theirs = v2sm2.doEncrypt(msg, kp.publicKey, 1, { asn1: true });
      expect(Buffer.from(decrypt(bytes(kp.privateKey), bytes(theirs), { format: 'der' })).toString('utf8')).toBe(msg);
      expect(Buffer.from(decrypt(bytes(kp.privateKey), bytes(theirs))).toString('utf8')).toBe(msg); // recognised by its 0x30
      const ours = hex(encrypt(bytes(kp.publicKey), msg, { format: 'der' }));
      expect(v2sm2.doDecrypt(ours, kp.privateKey, 1, { asn1: true })).toBe(msg);
    });

    it("doDecrypt returns '' on failure; decrypt throws ERR_SM2_DECRYPT_FAILED", () => {
      const kp = v1.sm2.generateKeyPairHex();
      const ct = bytes(v1.sm2.doEncrypt('secret', kp.publicKey, 1));
      ct[ct.length - 1]! ^= 1;
      expect(v1.sm2.doDecrypt(hex(ct), kp.privateKey, 1)).toBe('');
      expect(v2sm2.doDecrypt(hex(ct), kp.privateKey, 1)).toBe('');
      expect(() => decrypt(bytes(kp.privateKey), ct, { c1Prefix: false })).toThrow(expect.objectContaining({ code: 'ERR_SM2_DECRYPT_FAILED' }));
    });

    it("v2 { asn1: true } with cipherMode 0 swaps C3 and C2 inside the DER: not GM/T 0009, not read here", () => {
      const kp = v2sm2.generateKeyPairHex();
      const theirs = v2sm2.doEncrypt('swapped', kp.publicKey, 0, { asn1: true });
      expect(v2sm2.doDecrypt(theirs, kp.privateKey, 0, { asn1: true })).toBe('swapped');
      expect(() => decrypt(bytes(kp.privateKey), bytes(theirs))).toThrow(expect.objectContaining({ code: 'ERR_SM2_DECRYPT_FAILED' }));
    });

    it('an empty message: they encrypt it, guomi throws RangeError (GB/T 32918.4 needs one byte)', () => {
      const kp = v1.sm2.generateKeyPairHex();
      expect(v1.sm2.doEncrypt('', kp.publicKey, 1)).toHaveLength(192);
      expect(() => encrypt(bytes(kp.publicKey), '')).toThrow(RangeError);
    });

    it("output: 'array' = the Uint8Array decrypt returns", () => {
      const kp = v2sm2.generateKeyPairHex();
      const data = randomBytes(40);
      const ct = v2sm2.doEncrypt(data, kp.publicKey, 1);
      expect(hex(decrypt(bytes(kp.privateKey), bytes(ct), { c1Prefix: false }))).toBe(hex(v2sm2.doDecrypt(ct, kp.privateKey, 1, { output: 'array' })));
    });
  });

  describe('sm2 signatures: doSignature / doVerifySignature', () => {
    it('{ hash: true, der, userId } = sign/verify with { id, encoding }, both ways, both libraries', () => {
      for (const lib of [v1.sm2, v2sm2]) {
        for (const [der, userId] of [[true, undefined], [false, undefined], [true, 'alice@example.cn'], [false, '张三']] as const) {
          const kp = lib.generateKeyPairHex();
          const msg = text();
          const id = userId === undefined ? {} : { id: userId };
          const encoding = der ? 'der' : 'raw';
          const theirs = lib.doSignature(msg, kp.privateKey, { hash: true, der, ...(userId ? { userId } : {}) });
          expect(verify(msg, bytes(theirs), bytes(kp.publicKey), { ...id, encoding })).toBe(true);
          const ours = hex(sign(msg, bytes(kp.privateKey), { ...id, encoding }));
          expect(lib.doVerifySignature(msg, ours, kp.publicKey, { hash: true, der, ...(userId ? { userId } : {}) })).toBe(true);
          expect(lib.doVerifySignature(msg + '.', ours, kp.publicKey, { hash: true, der, ...(userId ? { userId } : {}) })).toBe(false);
        }
      }
    });

    it('defaults differ: sm-crypto 0.5.8 hashes with Z by default, sm-crypto-v2 does not', () => {
      const kp = v1.sm2.generateKeyPairHex();
      const msg = 'default options';
      // sm-crypto 0.5.8: doSignature(msg, d) is raw r||s over SM3(Z || M), the standard.
      expect(verify(msg, bytes(v1.sm2.doSignature(msg, kp.privateKey)), bytes(kp.publicKey), { encoding: 'raw' })).toBe(true);
      // sm-crypto-v2: doSignature(msg, d) signs the message bytes themselves as e (no Z, no SM3).
      const v2sig = bytes(v2sm2.doSignature(msg, kp.privateKey));
      expect(verify(msg, v2sig, bytes(kp.publicKey), { encoding: 'raw' })).toBe(false);
    });

    it('{ hash: false } over a 32-byte e = SM3(Z || M) = { prehashed: true }', () => {
      const kp = v2sm2.generateKeyPairHex();
      const msg = text();
      const e = v2sm2.getHash(Buffer.from(msg).toString('hex'), kp.publicKey); // SM3(Z || M), hex
      const z = computeZ(bytes(kp.publicKey));
      expect(e).toBe(hex(sm3(Buffer.concat([z, Buffer.from(msg)]))));
      // Both accept a plain array of bytes as the message.
      for (const lib of [v1.sm2, v2sm2 as unknown as SmCryptoV1['sm2']]) {
        const theirs = lib.doSignature(Array.from(bytes(e)), kp.privateKey, { hash: false, der: true });
        expect(verify(bytes(e), bytes(theirs), bytes(kp.publicKey), { prehashed: true })).toBe(true);
        expect(verify(msg, bytes(theirs), bytes(kp.publicKey))).toBe(true); // the same as hashing here
        const ours = hex(sign(bytes(e), bytes(kp.privateKey), { prehashed: true }));
        expect(lib.doVerifySignature(Array.from(bytes(e)), ours, kp.publicKey, { hash: false, der: true })).toBe(true);
      }
    });

    it('getHash(msgHex, pub, userId) = SM3(computeZ(pub, userId) || msg)', () => {
      const kp = v2sm2.generateKeyPairHex();
      const msgHex = hex(randomBytes(33));
      expect(hex(sm3(Buffer.concat([computeZ(bytes(kp.publicKey), 'bob'), bytes(msgHex)])))).toBe(v2sm2.getHash(msgHex, kp.publicKey, 'bob'));
    });

    it('getZ = computeZ', () => {
      const kp = v2sm2.generateKeyPairHex();
      expect(hex(computeZ(bytes(kp.publicKey)))).toBe(hex(v2sm2.getZ(kp.publicKey)));
      expect(hex(computeZ(bytes(kp.publicKey), 'ALICE123@YAHOO.COM'))).toBe(hex(v2sm2.getZ(kp.publicKey, 'ALICE123@YAHOO.COM')));
    });
  });

  describe('sm2 key agreement (sm-crypto-v2)', () => {
    it('calculateSharedKey = the GB/T 32918.3 exchange with confirm: false', () => {
      const a = v2sm2.generateKeyPairHex();
      const b = v2sm2.generateKeyPairHex();
      const initiator = new Sm2KeyExchangeInitiator({
        privateKey: bytes(a.privateKey),
        peerPublicKey: bytes(b.publicKey),
        id: 'alice',
        peerId: 'bob',
        keyLength: 16,
        confirm: false,
      });
      const ephB = v2sm2.generateKeyPairHex();
      // B, the recipient, with sm-crypto-v2: own pair, own ephemeral pair, A's public key, RA.
      const kb = v2sm2.calculateSharedKey(b, ephB, a.publicKey, hex(initiator.ephemeralPublicKey), 16, true, 'bob', 'alice');
      const { key: ka } = initiator.finish(bytes(ephB.publicKey));
      expect(hex(ka)).toBe(hex(kb));
    });

    it('ecdh (getSharedSecret) = ecdh, which returns only x', () => {
      const a = v2sm2.generateKeyPairHex();
      const b = v2sm2.generateKeyPairHex();
      const theirs = v2sm2.ecdh(a.privateKey, b.publicKey); // 02/03 || x (compressed point)
      expect(hex(ecdh(bytes(a.privateKey), bytes(b.publicKey)))).toBe(hex(theirs.subarray(1)));
    });
  });

  describe('sm3', () => {
    it('sm3(string | bytes) = hex(sm3(…))', () => {
      for (const input of ['abc', text(), '']) {
        expect(hex(sm3(input))).toBe(v1.sm3(input));
        expect(hex(sm3(input))).toBe(v2sm3(input));
      }
      const data = randomBytes(200);
      expect(hex(sm3(data))).toBe(v1.sm3(Array.from(data)));
      expect(hex(sm3(data))).toBe(v2sm3(data));
    });

    it("sm3(msg, { key: hexKey, mode: 'hmac' }) = hmacSm3(bytes(hexKey), msg) — their string key is hex", () => {
      for (const n of [16, 32, 70]) {
        const key = hex(randomBytes(n));
        const msg = text();
        expect(hex(hmacSm3(bytes(key), msg))).toBe(v1.sm3(msg, { key, mode: 'hmac' }));
        expect(hex(hmacSm3(bytes(key), msg))).toBe(v2sm3(msg, { key, mode: 'hmac' }));
        // A hex key passed as a string to guomi would be taken as UTF-8 text: a different MAC.
        expect(hex(hmacSm3(key, msg))).not.toBe(v1.sm3(msg, { key }));
      }
    });

    it('kdf = sm3Kdf, hkdf = hkdfSm3 (sm-crypto-v2)', () => {
      const z = randomBytes(64);
      expect(hex(sm3Kdf(z, 100))).toBe(hex(v2kdf(z, 100)));
      const ikm = randomBytes(32);
      const salt = randomBytes(16);
      const info = randomBytes(10);
      expect(hex(hkdfSm3(ikm, salt, info, 48))).toBe(hex(v2hkdf(ikm, salt, info, 48)));
    });
  });

  describe('sm4', () => {
    const key = hex(randomBytes(16));
    const iv = hex(randomBytes(16));

    it('encrypt(text, key) (ECB, PKCS#7, hex out) = hex(sm4.ecb(bytes(key)).encrypt(text)), and decrypt back to text', () => {
      const msg = text();
      const ours = hex(sm4.ecb(bytes(key)).encrypt(msg));
      expect(ours).toBe(v1.sm4.encrypt(msg, key));
      expect(ours).toBe(v2sm4.encrypt(msg, key));
      // decrypt(hexCiphertext, key) returns UTF-8 text
      expect(Buffer.from(sm4.ecb(bytes(key)).decrypt(bytes(ours))).toString('utf8')).toBe(v1.sm4.decrypt(ours, key));
      expect(v2sm4.decrypt(ours, key)).toBe(msg);
    });

    it("{ mode: 'cbc', iv } = sm4.cbc(bytes(key), bytes(iv)); { padding: 'none' } = { padding: 'none' }", () => {
      const msg = text();
      const ours = hex(sm4.cbc(bytes(key), bytes(iv)).encrypt(msg));
      expect(ours).toBe(v1.sm4.encrypt(msg, key, { mode: 'cbc', iv }));
      expect(ours).toBe(v2sm4.encrypt(msg, key, { mode: 'cbc', iv }));
      const blocks = randomBytes(48);
      const raw = hex(sm4.cbc(bytes(key), bytes(iv), { padding: 'none' }).encrypt(blocks));
      expect(raw).toBe(v1.sm4.encrypt(Array.from(blocks), key, { mode: 'cbc', iv, padding: 'none' }));
      expect(raw).toBe(v2sm4.encrypt(blocks, key, { mode: 'cbc', iv, padding: 'none' }));
      // output: 'array' for bytes out of decrypt
      expect(hex(sm4.cbc(bytes(key), bytes(iv), { padding: 'none' }).decrypt(bytes(raw)))).toBe(
        hex(Uint8Array.from(v1.sm4.decrypt(raw, key, { mode: 'cbc', iv, padding: 'none', output: 'array' }) as number[])),
      );
      expect(hex(sm4.cbc(bytes(key), bytes(iv), { padding: 'none' }).decrypt(bytes(raw)))).toBe(hex(blocks));
    });

    it("sm-crypto-v2 { mode: 'gcm', iv, associatedData } = sm4.gcm(…) with ciphertext || tag, both ways", () => {
      const iv12 = hex(randomBytes(12));
      const aad = randomBytes(20);
      const msg = text();
      const theirs = v2sm4.encrypt(msg, key, { mode: 'gcm', iv: iv12, associatedData: aad }); // { output, tag } in hex
      const ours = sm4.gcm(bytes(key), bytes(iv12), { aad }).encrypt(msg);
      expect(hex(ours)).toBe(theirs.output + theirs.tag);
      const back = v2sm4.decrypt(hex(ours.subarray(0, ours.length - 16)), key, {
        mode: 'gcm',
        iv: iv12,
        associatedData: aad,
        tag: ours.subarray(ours.length - 16),
      });
      expect(back).toBe(msg);
    });

    it('a bad padding: they throw Error, guomi throws ERR_BAD_PADDING', () => {
      const ct = bytes(hex(sm4.ecb(bytes(key)).encrypt('x')));
      const wrongKey = hex(randomBytes(16));
      expect(() => sm4.ecb(bytes(wrongKey)).decrypt(ct)).toThrow(expect.objectContaining({ code: 'ERR_BAD_PADDING' }));
    });
  });
});
