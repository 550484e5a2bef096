#!/usr/bin/env node
// SM2 keys in and out: PEM and DER (PKCS#8, SEC 1, SPKI), raw bytes, node:crypto KeyObjects:
//
//   node examples/sm2-keys.mjs OUT_DIR
//
// Writes a new key in each container to OUT_DIR and reads every file back.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sm2PrivateKey, Sm2PublicKey } from 'guomi/sm2';

const dir = process.argv[2];
if (dir === undefined) {
  console.error('usage: node examples/sm2-keys.mjs OUT_DIR');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });

const key = Sm2PrivateKey.generate(); // with the GM/T 0028 pairwise consistency test
const pub = key.publicKey;

const files = {
  'key.pem': key.export(), // PKCS#8 PEM "PRIVATE KEY" (as openssl genpkey writes it)
  'key.der': key.export({ format: 'der' }), // PKCS#8 DER
  'key-sec1.pem': key.export({ type: 'sec1' }), // "EC PRIVATE KEY" (as openssl ec writes it)
  'key.raw': key.export({ format: 'raw' }), // the 32-byte scalar d
  'pub.pem': pub.export(), // SPKI PEM "PUBLIC KEY" (id-ecPublicKey + the SM2 curve)
  'pub.der': pub.export({ format: 'der' }), // SPKI DER, 91 bytes
  'pub.raw': pub.toBytes(), // 04 || x || y, 65 bytes
  'pub-compressed.raw': pub.toBytes({ compressed: true }), // 02/03 || x, 33 bytes
};
for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);

// Reading: from() recognises the container; PEM as a string, DER or raw as bytes.
const readBack = [
  Sm2PrivateKey.from(readFileSync(join(dir, 'key.pem'), 'utf8')),
  Sm2PrivateKey.from(readFileSync(join(dir, 'key.der'))),
  Sm2PrivateKey.from(readFileSync(join(dir, 'key-sec1.pem'), 'utf8')),
  Sm2PrivateKey.from(readFileSync(join(dir, 'key.raw'))), // 32 bytes: raw d
];
for (const k of readBack) if (!k.publicKey.equals(pub)) throw new Error('a private key did not read back');
for (const name of ['pub.pem', 'pub.der', 'pub.raw', 'pub-compressed.raw']) {
  const data = readFileSync(join(dir, name));
  const p = Sm2PublicKey.from(name.endsWith('.pem') ? data.toString('utf8') : data);
  if (!p.equals(pub)) throw new Error(`${name} did not read back`);
}

// node:crypto interop: a KeyObject (OpenSSL's SM2 key) both ways.
const ko = key.toKeyObject();
if (!Sm2PrivateKey.from(ko).publicKey.equals(pub)) throw new Error('KeyObject did not read back');

console.log(`public ${Buffer.from(pub.toBytes()).toString('hex')}`);
console.log(`wrote ${Object.keys(files).join(' ')}`);
console.log('all read back');
