/**
 * Differential tests: the native and pure backends must give identical bytes for identical
 * inputs. This is the only suite that names both backends at once.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nativeBackend } from '../src/backend/native.js';
import { pureBackend } from '../src/backend/pure.js';
import { BACKENDS } from './backends.js';
import { randomSplit, rng } from './random.js';

const haveBoth = BACKENDS.includes('native') && BACKENDS.includes('pure');

describe.runIf(haveBoth)('native == pure', () => {
  const native = haveBoth ? nativeBackend() : pureBackend;
  const pure = pureBackend;
  const r = rng(7);
  const bytes = (max: number) => crypto.randomBytes(Math.floor(r() * max));
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

  it('SM3 and HMAC-SM3 on 300 random inputs, one-shot and streamed', () => {
    for (let i = 0; i < 300; i++) {
      const data = bytes(4096);
      const key = bytes(150);
      expect(hex(native.sm3(data))).toBe(hex(pure.sm3(data)));
      expect(hex(native.hmacSm3(key, data))).toBe(hex(pure.hmacSm3(key, data)));
      const a = native.sm3Create(), b = pure.sm3Create();
      for (const part of randomSplit(data, r)) {
        a.update(part);
        b.update(part);
      }
      expect(hex(a.digest())).toBe(hex(b.digest()));
    }
  });

  it('HMAC-SM3 batches give the same tags (and one-shot HMAC agrees)', () => {
    for (let i = 0; i < 40; i++) {
      const keys = [bytes(100), bytes(70), bytes(10)];
      const pn = Buffer.concat(keys.map((k) => native.hmacSm3Prepare(k)));
      const pp = Buffer.concat(keys.map((k) => pure.hmacSm3Prepare(k)));
      const msgs = Array.from({ length: 1 + Math.floor(r() * 8) }, () => bytes(200));
      const which = Uint32Array.from(msgs, (_m, j) => j % 3);
      let end = 0;
      const ends = Uint32Array.from(msgs, (m) => (end += m.length));
      const data = Buffer.concat(msgs);
      const a = new Uint8Array(32 * msgs.length), b = new Uint8Array(32 * msgs.length);
      native.hmacSm3Batch(pn, which, data, ends, a);
      pure.hmacSm3Batch(pp, which, data, ends, b);
      expect(hex(a)).toBe(hex(b));
      expect(hex(a.subarray(0, 32))).toBe(hex(native.hmacSm3(keys[0]!, msgs[0]!)));
    }
  });

  it('KDF, HKDF and PBKDF2 on random inputs and lengths', () => {
    for (let i = 0; i < 40; i++) {
      const z = bytes(200), info = bytes(60), salt = bytes(60);
      const len = Math.floor(r() * 700);
      expect(hex(native.sm3Kdf(z, len))).toBe(hex(pure.sm3Kdf(z, len)));
      const prk = native.hkdfSm3Extract(salt, z);
      expect(hex(prk)).toBe(hex(pure.hkdfSm3Extract(salt, z)));
      expect(hex(native.hkdfSm3Expand(prk, info, len))).toBe(hex(pure.hkdfSm3Expand(prk, info, len)));
      const it = 1 + Math.floor(r() * 50);
      expect(hex(native.pbkdf2Sm3(z, salt, it, len % 97))).toBe(hex(pure.pbkdf2Sm3(z, salt, it, len % 97)));
    }
  });

  it('SM4: every mode on random keys, IVs and lengths', () => {
    const modes = ['ctr', 'cfb', 'ofb'] as const;
    for (let i = 0; i < 120; i++) {
      const key = crypto.randomBytes(16), iv = crypto.randomBytes(16);
      const len = Math.floor(r() * 700);
      const data = crypto.randomBytes(len);
      const blocks = data.subarray(0, len - (len % 16));
      const kn = native.sm4ExpandKey(key), kp = pure.sm4ExpandKey(key);
      for (const decrypt of [false, true]) {
        const a = new Uint8Array(blocks.length), b = new Uint8Array(blocks.length);
        native.sm4Ecb(kn, decrypt, blocks, a);
        pure.sm4Ecb(kp, decrypt, blocks, b);
        expect(hex(a), 'ecb').toBe(hex(b));
        native.sm4Cbc(kn, decrypt, Uint8Array.from(iv), blocks, a);
        pure.sm4Cbc(kp, decrypt, Uint8Array.from(iv), blocks, b);
        expect(hex(a), 'cbc').toBe(hex(b));
        for (const mode of modes) {
          const x = new Uint8Array(len), y = new Uint8Array(len);
          const sn = native.sm4Stream(kn, mode, decrypt, iv), sp = pure.sm4Stream(kp, mode, decrypt, iv);
          for (const part of randomSplit(data, r)) {
            const off = part.byteOffset - data.byteOffset;
            sn.update(part, x.subarray(off, off + part.length));
            sp.update(part, y.subarray(off, off + part.length));
          }
          expect(hex(x), mode).toBe(hex(y));
        }
      }
      const ivLen = 1 + Math.floor(r() * 40), tagLen = [4, 8, 12, 13, 14, 15, 16][i % 7]!;
      const gi = crypto.randomBytes(ivLen), aad = crypto.randomBytes(Math.floor(r() * 50));
      const g1 = new Uint8Array(len + tagLen), g2 = new Uint8Array(len + tagLen);
      native.sm4GcmEncrypt(kn, gi, aad, data, g1, tagLen);
      pure.sm4GcmEncrypt(kp, gi, aad, data, g2, tagLen);
      expect(hex(g1), 'gcm').toBe(hex(g2));
      const nonce = crypto.randomBytes(7 + (i % 7)), ccmTag = 4 + 2 * (i % 7);
      const c1 = new Uint8Array(len + ccmTag), c2 = new Uint8Array(len + ccmTag);
      native.sm4CcmEncrypt(kn, nonce, aad, data, c1, ccmTag);
      pure.sm4CcmEncrypt(kp, nonce, aad, data, c2, ccmTag);
      expect(hex(c1), 'ccm').toBe(hex(c2));
      if (len >= 16) {
        const k2 = crypto.randomBytes(16);
        const kn2 = native.sm4ExpandKey(k2), kp2 = pure.sm4ExpandKey(k2);
        for (const variant of ['gb', 'ieee'] as const) {
          const x1 = new Uint8Array(len), x2 = new Uint8Array(len);
          native.sm4Xts(kn, kn2, iv, variant, i % 2 === 1, data, x1);
          pure.sm4Xts(kp, kp2, iv, variant, i % 2 === 1, data, x2);
          expect(hex(x1), variant).toBe(hex(x2));
        }
      }
    }
  });

  it('SM4-GCM streaming: native and pure give the same tag for the same splits', () => {
    for (let i = 0; i < 40; i++) {
      const key = crypto.randomBytes(16), iv = crypto.randomBytes(12 + (i % 5));
      const aad = crypto.randomBytes(Math.floor(r() * 70)), data = crypto.randomBytes(Math.floor(r() * 900));
      const sn = native.sm4GcmStream(native.sm4ExpandKey(key), iv, false);
      const sp = pure.sm4GcmStream(pure.sm4ExpandKey(key), iv, false);
      for (const part of randomSplit(aad, r)) {
        sn.aad(part);
        sp.aad(part);
      }
      const x = new Uint8Array(data.length), y = new Uint8Array(data.length);
      for (const part of randomSplit(data, r)) {
        const off = part.byteOffset - data.byteOffset;
        sn.update(part, x.subarray(off, off + part.length));
        sp.update(part, y.subarray(off, off + part.length));
      }
      expect(hex(x)).toBe(hex(y));
      expect(hex(sn.final())).toBe(hex(sp.final()));
    }
  });

  it('SM2: keys, fixed-nonce signatures and ciphertexts, decryption, ECDH and the key-exchange point', () => {
    // Random scalars below 2^255 are in [1, n-2] (n > 2^255) unless zero, which 32 random bytes
    // are not in practice.
    const scalar = () => {
      const d = crypto.randomBytes(32);
      d[0]! &= 0x7f;
      return d;
    };
    for (let i = 0; i < 25; i++) {
      const d = scalar(), k = scalar(), e = crypto.randomBytes(32);
      const pn = native.sm2PrivateKey(d), pp = pure.sm2PrivateKey(d);
      const pubBytes = native.sm2PrivateToPublic(pn);
      expect(hex(pubBytes)).toBe(hex(pure.sm2PrivateToPublic(pp)));
      const qn = native.sm2PublicKey(pubBytes), qp = pure.sm2PublicKey(pubBytes);
      expect(hex(native.sm2PublicBytes(qn, true))).toBe(hex(pure.sm2PublicBytes(qp, true)));
      const sig = native.sm2Sign(pn, e, { k });
      expect(hex(sig)).toBe(hex(pure.sm2Sign(pp, e, { k })));
      expect(pure.sm2Verify(qp, e, native.sm2Sign(pn, e))).toBe(true);
      expect(native.sm2Verify(qn, e, pure.sm2Sign(pp, e))).toBe(true);
      const msg = crypto.randomBytes(1 + Math.floor(r() * 300));
      const ct = native.sm2Encrypt(qn, msg, { k });
      expect(hex(ct)).toBe(hex(pure.sm2Encrypt(qp, msg, { k })));
      const c1 = ct.subarray(0, 65), c3 = ct.subarray(65, 97), c2 = ct.subarray(97);
      expect(hex(pure.sm2Decrypt(pp, c1, c3, c2))).toBe(hex(msg));
      expect(hex(native.sm2Decrypt(pn, c1, c3, c2))).toBe(hex(msg));
      const peerD = scalar();
      const peerPub = native.sm2PrivateToPublic(native.sm2PrivateKey(peerD));
      const peerN = native.sm2PublicKey(peerPub), peerP = pure.sm2PublicKey(peerPub);
      expect(hex(native.sm2Ecdh(pn, peerN))).toBe(hex(pure.sm2Ecdh(pp, peerP)));
      const rA = scalar();
      const RA = native.sm2PrivateToPublic(native.sm2PrivateKey(rA));
      const RB = native.sm2PrivateToPublic(native.sm2PrivateKey(scalar()));
      expect(hex(native.sm2KeyExchangePoint(pn, rA, RA, peerN, RB))).toBe(
        hex(pure.sm2KeyExchangePoint(pp, rA, RA, peerP, RB)),
      );
    }
  });
});
