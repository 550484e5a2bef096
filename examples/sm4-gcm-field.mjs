#!/usr/bin/env node
// Encrypting one field of a database record with SM4-GCM (GB/T 36624; RFC 8998 §3.5.1):
//
//   FIELD_KEY=<32 hex digits> node examples/sm4-gcm-field.mjs VALUE
//
// Stored form: "v1." + base64url(iv (12 bytes) || ciphertext || tag (16 bytes)). The AAD binds
// the ciphertext to its table, column and row, so that a value copied into another row fails to
// decrypt instead of decrypting as someone else's data. A fresh random IV for every encryption:
// an IV used twice under one key breaks GCM.
import { randomBytes } from 'node:crypto';
import { sm4 } from 'guomi/sm4';

const key = process.env.FIELD_KEY ? Buffer.from(process.env.FIELD_KEY, 'hex') : randomBytes(16);

/** Encrypts `value` for the place given by `context` (for example 'users.id_card:42'). */
export function sealField(value, context) {
  const iv = randomBytes(12);
  const sealed = sm4.gcm(key, iv, { aad: context }).encrypt(value); // ciphertext || tag
  return 'v1.' + Buffer.concat([iv, sealed]).toString('base64url');
}

/** Decrypts a stored value; throws GuomiError ERR_AUTH_FAILED if it was altered or moved. */
export function openField(stored, context) {
  if (!stored.startsWith('v1.')) throw new Error('unknown field format');
  const bytes = Buffer.from(stored.slice(3), 'base64url');
  const plain = sm4.gcm(key, bytes.subarray(0, 12), { aad: context }).decrypt(bytes.subarray(12));
  return Buffer.from(plain).toString('utf8');
}

const value = process.argv[2] ?? '110101199003074477';
const stored = sealField(value, 'users.id_card:42');
console.log(`stored ${stored}`);
console.log(`opened ${openField(stored, 'users.id_card:42')}`);

for (const [what, attempt] of [
  ['moved to row 43', () => openField(stored, 'users.id_card:43')],
  ['one bit changed', () => {
    const b = Buffer.from(stored.slice(3), 'base64url');
    b[20] ^= 1;
    return openField('v1.' + b.toString('base64url'), 'users.id_card:42');
  }],
]) {
  try {
    attempt();
    console.log(`${what}: opened (unexpected)`);
  } catch (err) {
    console.log(`${what}: ${err.code}`);
  }
}
