#!/usr/bin/env node
// SM2 public-key encryption (GB/T 32918.4) in each ciphertext layout peers use:
//
//   node examples/sm2-encrypt.mjs KEY.pem MESSAGE
//
//   c1c3c2     04 || x || y || C3 || C2   GB/T 32918.4-2016, guomi's default; BouncyCastle
//                                         SM2Engine(Mode.C1C3C2), Tongsuo/GmSSL raw output
//   c1c2c3     04 || x || y || C2 || C3   the 2012 order; BouncyCastle SM2Engine's default
//   der        SEQUENCE { x, y, C3, C2 }  GM/T 0009; OpenSSL, Tongsuo and GmSSL pkeyutl
//   sm-crypto  x || y || C3 || C2         sm-crypto / sm-crypto-v2 (no 04; cipherMode 1)
import { readFileSync } from 'node:fs';
import { Sm2PrivateKey, convertCiphertext, decrypt, encrypt } from 'guomi/sm2';

const [keyFile, message] = process.argv.slice(2);
if (keyFile === undefined || message === undefined) {
  console.error('usage: node examples/sm2-encrypt.mjs KEY.pem MESSAGE');
  process.exit(2);
}
const key = Sm2PrivateKey.from(readFileSync(keyFile, 'utf8'));
const pub = key.publicKey; // encrypt() takes a public key (key object, PEM, DER or point bytes)

const layouts = {
  c1c3c2: {},
  c1c2c3: { format: 'c1c2c3' },
  der: { format: 'der' },
  'sm-crypto': { c1Prefix: false },
};
for (const [name, options] of Object.entries(layouts)) {
  const ct = encrypt(pub, message, options);
  const back = Buffer.from(decrypt(key, ct, options)).toString('utf8');
  console.log(`${name} ${Buffer.from(ct).toString('hex')} -> ${back}`);
}

// decrypt() recognises DER (leading 0x30) and C1 || C3 || C2 by itself; the others must be named.
const der = encrypt(pub, message, { format: 'der' });
console.log(`auto der ${Buffer.from(decrypt(key, der)).toString('utf8')}`);

// Re-encode without decrypting, e.g. a Java C1C2C3 ciphertext for a service expecting DER:
const java = encrypt(pub, message, { format: 'c1c2c3' });
const asDer = convertCiphertext(java, { from: 'c1c2c3', to: 'der' });
console.log(`converted ${Buffer.from(decrypt(key, asDer)).toString('utf8')}`);

// Every failure is one GuomiError code, whatever went wrong (no padding-oracle-style hints).
const bad = encrypt(pub, message);
bad[bad.length - 1] ^= 1;
try {
  decrypt(key, bad);
} catch (err) {
  console.log(`tampered ${err.code}`);
}
