/**
 * Helpers shared by the one-shot SM4 API (sm4.ts) and the node:crypto-style streams
 * (sm4-stream.ts): PKCS#7 padding, the parameter rules of each mode, XTS tweaks, key wiping and
 * the deferral used by the *Async methods. Internal; not exported from the package.
 * @module
 */
import type { Sm4Backend, Sm4Key } from './backend/types.js';
import { GuomiError } from './errors.js';
import { aint } from './utils.js';

/** SM4 block and key length in bytes (GB/T 32907-2016 §5). */
export const BLOCK = 16;

/**
 * Largest GCM plaintext: 2^39 - 256 bits (SP 800-38D §5.2.1.1), i.e. 2^36 - 32 bytes.
 */
export const GCM_MAX_DATA = 2 ** 36 - 32;

/**
 * Largest XTS data unit: 2^20 blocks (NIST SP 800-38E; OpenSSL enforces the same for its
 * XTS ciphers). GB/T 17964-2021 does not allow more either in practice: a data unit is a sector.
 */
export const XTS_MAX_DATA = 2 ** 24;

/** The GCM tag lengths accepted: 12..16 bytes (SP 800-38D §5.2.1.2) and 4 or 8 (Appendix C). */
export function checkGcmTagLength(value: unknown, name: string): number {
  const t = aint(value, name, 4, 16);
  if (t !== 4 && t !== 8 && t < 12) {
    throw new RangeError(`"${name}" must be 4, 8 or 12 to 16 bytes, got ${t}`);
  }
  return t;
}

/** The CCM tag lengths accepted: 4, 6, …, 16 bytes (SP 800-38C §A.1). */
export function checkCcmTagLength(value: unknown, name: string): number {
  const t = aint(value, name, 4, 16);
  if (t % 2 !== 0) throw new RangeError(`"${name}" must be an even number from 4 to 16, got ${t}`);
  return t;
}

/** The CCM nonce must be 7..13 bytes (SP 800-38C §A.1: n = 15 - q with 2 <= q <= 8). */
export function checkCcmNonce(nonce: Uint8Array, name: string): void {
  if (nonce.length < 7 || nonce.length > 13) {
    throw new RangeError(`"${name}" must be 7 to 13 bytes long for CCM, got ${nonce.length}`);
  }
}

/** Largest CCM payload for a nonce: 2^(8q) - 1 bytes with q = 15 - nonce length. */
export function ccmMaxData(nonceLength: number): number {
  return 2 ** (8 * (15 - nonceLength)) - 1;
}

/** The GCM IV must be at least one byte (SP 800-38D §5.2.1.1: 1 <= len(IV) <= 2^64 - 1 bits). */
export function checkGcmIv(iv: Uint8Array, name: string): void {
  if (iv.length === 0) throw new RangeError(`"${name}" must be at least 1 byte long for GCM, got 0`);
}

/** The XTS tweak as 16 bytes: bytes as given, or a data-unit number as a little-endian 128-bit value. */
export function xtsTweak(tweak: unknown, name: string): Uint8Array {
  if (typeof tweak === 'number' || typeof tweak === 'bigint') {
    let v: bigint;
    if (typeof tweak === 'number') {
      aint(tweak, name, 0, Number.MAX_SAFE_INTEGER);
      v = BigInt(tweak);
    } else {
      if (tweak < 0n || tweak >= 1n << 128n) {
        throw new RangeError(`"${name}" must be a data-unit number from 0 to 2^128 - 1`);
      }
      v = tweak;
    }
    // IEEE Std 1619 §5.1: the data-unit sequence number is encoded little-endian.
    const out = new Uint8Array(BLOCK);
    for (let i = 0; i < BLOCK; i++, v >>= 8n) out[i] = Number(v & 0xffn);
    return out;
  }
  if (!(tweak instanceof Uint8Array)) {
    throw new TypeError(`"${name}" must be a Uint8Array of 16 bytes, a number or a bigint`);
  }
  if (tweak.length !== BLOCK) {
    throw new RangeError(`"${name}" must be 16 bytes long, got ${tweak.length}`);
  }
  return Uint8Array.prototype.slice.call(tweak);
}

/** PKCS#7 (RFC 5652 §6.3): the last block for `tail` (0..15 bytes): tail || n × n. */
export function pkcs7Block(tail: Uint8Array): Uint8Array {
  const n = BLOCK - tail.length;
  const block = new Uint8Array(BLOCK).fill(n);
  block.set(tail);
  return block;
}

/**
 * The PKCS#7 padding length of a decrypted last block. The check runs over the whole block with
 * masks, without a branch on the padding bytes; every malformation (n = 0, n > 16, a byte of
 * the padding not equal to n) gives the same error.
 * @throws GuomiError ERR_BAD_PADDING
 */
export function pkcs7PadLength(block: Uint8Array): number {
  const n = block[BLOCK - 1]!;
  // -1 (all ones) when n = 0 or n > 16.
  let bad = ((n - 1) >> 31) | ((BLOCK - n) >> 31);
  for (let i = 0; i < BLOCK; i++) {
    // All ones when byte i lies in the padding (i >= 16 - n), else zero.
    const inPad = (BLOCK - 1 - i - n) >> 31;
    bad |= inPad & (block[i]! ^ n);
  }
  if (bad !== 0) throw badPadding();
  return n;
}

export function badPadding(): GuomiError {
  return new GuomiError('ERR_BAD_PADDING', 'SM4 decryption failed: bad padding');
}

export function authFailed(): GuomiError {
  return new GuomiError('ERR_AUTH_FAILED', 'SM4 decryption failed: the authentication tag does not match');
}

/**
 * Wipes the keys of `owner` now. (Keys that are collected without destroy() are wiped by the
 * backend that made them, where that matters: the pure backend's round keys are; the native
 * backend never keeps an expanded key outside a native call.)
 */
export function wipeKeys(keys: Sm4Key[]): void {
  for (const k of keys) k.destroy();
}

/** Expands a 16-byte key, or the two halves of a 32-byte XTS key. */
export function expandKeys(b: Sm4Backend, key: Uint8Array, xts: boolean): Sm4Key[] {
  return xts
    ? [b.sm4ExpandKey(key.subarray(0, BLOCK)), b.sm4ExpandKey(key.subarray(BLOCK, 2 * BLOCK))]
    : [b.sm4ExpandKey(key)];
}
