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
});
