#!/usr/bin/env node
// SM4-CBC with a Java peer that uses BouncyCastle's "SM4/CBC/PKCS5Padding":
//
//   node examples/sm4-cbc-java.mjs encrypt KEY_HEX TEXT        -> IV_HEX CIPHERTEXT_HEX
//   node examples/sm4-cbc-java.mjs decrypt KEY_HEX IV_HEX CIPHERTEXT_HEX -> TEXT
//
// Java's PKCS5Padding on a 16-byte block is PKCS#7, guomi's default padding. The Java side:
//
//   Security.addProvider(new BouncyCastleProvider());
//   Cipher c = Cipher.getInstance("SM4/CBC/PKCS5Padding", "BC");
//   c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "SM4"), new IvParameterSpec(iv));
//   String text = new String(c.doFinal(ciphertext), StandardCharsets.UTF_8);
//
// CBC has no integrity: a padding error (GuomiError ERR_BAD_PADDING) tells an attacker
// something. Prefer SM4-GCM where both sides can; use CBC only because the peer requires it,
// and MAC the ciphertext (HMAC-SM3) if you can.
import { randomBytes } from 'node:crypto';
import { sm4 } from 'guomi/sm4';

const [op, keyHex, ...rest] = process.argv.slice(2);
const key = Buffer.from(keyHex ?? '', 'hex');
if (op === 'encrypt' && rest.length === 1) {
  const iv = randomBytes(16); // a new unpredictable IV per message
  const ct = sm4.cbc(key, iv).encrypt(rest[0]);
  console.log(`${iv.toString('hex')} ${Buffer.from(ct).toString('hex')}`);
} else if (op === 'decrypt' && rest.length === 2) {
  const [ivHex, ctHex] = rest;
  const plain = sm4.cbc(key, Buffer.from(ivHex, 'hex')).decrypt(Buffer.from(ctHex, 'hex'));
  console.log(Buffer.from(plain).toString('utf8'));
} else {
  console.error('usage: sm4-cbc-java.mjs encrypt KEY_HEX TEXT | decrypt KEY_HEX IV_HEX CIPHERTEXT_HEX');
  process.exit(2);
}
