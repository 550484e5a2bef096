/**
 * Keys of the log module: checks, key IDs and the derivation of the per-purpose keys.
 *
 * Every key is derived from the key the caller holds with HMAC-SM3 used as a PRF over a fixed,
 * versioned label, so that one key can serve several fields (and the audit chain) without two
 * uses ever sharing a MAC key:
 *
 * - field key for domain D:  `HMAC-SM3(key, "guomi-log-v1:field:" || UTF-8(D))`
 * - audit-chain key:         `HMAC-SM3(key, "guomi-log-v1:audit")`
 * - default key ID:          first 8 hex digits of `HMAC-SM3(key, "guomi-log-v1:key-id")`
 * @module
 */
import { hmacSm3 } from '../sm3.js';
import { abytes, bytesToHex, copyBytes } from '../utils.js';

/** Label prefix of the field keys. */
export const FIELD_KEY_LABEL = 'guomi-log-v1:field:';
/** Label of the audit-chain key. */
export const AUDIT_KEY_LABEL = 'guomi-log-v1:audit';
/** Label of the default key ID. */
export const KEY_ID_LABEL = 'guomi-log-v1:key-id';

/**
 * The shortest key accepted: 16 bytes (128 bits). The point of a key is that nobody can try
 * every candidate value without it; a short key would become the thing to brute-force.
 */
export const MIN_KEY_LENGTH = 16;

/** Key IDs appear inside `sm3:<keyId>:<digest>`, so they may not contain `:` or spaces. */
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Checks a key ID: 1 to 64 characters from A-Z a-z 0-9 . _ -
 * @throws TypeError if not a string; RangeError if it has other characters or a bad length
 */
export function checkKeyId(value: unknown, name = 'keyId'): string {
  if (typeof value !== 'string') throw new TypeError(`"${name}" must be a string, got type ${typeof value}`);
  if (!KEY_ID.test(value)) {
    throw new RangeError(`"${name}" must be 1 to 64 characters from A-Z a-z 0-9 . _ -, got '${value}'`);
  }
  return value;
}

/**
 * Checks a key (bytes, at least 16) and returns a private copy (the caller may wipe theirs).
 * @throws TypeError if not bytes; RangeError if shorter than 16 bytes
 */
export function checkKey(value: unknown, name = 'key'): Uint8Array {
  const key = abytes(value, name);
  if (key.length < MIN_KEY_LENGTH) {
    throw new RangeError(`"${name}" must be at least ${MIN_KEY_LENGTH} bytes long, got ${key.length}`);
  }
  return copyBytes(key);
}

/** The key of the field domain `domain`. */
export function fieldKey(key: Uint8Array, domain: string): Uint8Array {
  return hmacSm3(key, FIELD_KEY_LABEL + domain);
}

/** The key of the audit chain. */
export function auditKey(key: Uint8Array): Uint8Array {
  return hmacSm3(key, AUDIT_KEY_LABEL);
}

/**
 * The key ID used when none is given: 8 hex digits derived from the key, so that a rotated key
 * always gets a different ID without the caller naming it. (32 bits tell keys apart; they do not
 * help anyone find the key.)
 */
export function defaultKeyId(key: Uint8Array): string {
  return bytesToHex(hmacSm3(key, KEY_ID_LABEL)).slice(0, 8);
}
