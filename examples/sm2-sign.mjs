#!/usr/bin/env node
// SM2 signatures (GB/T 32918.2) with a signer ID:
//
//   node examples/sm2-sign.mjs KEY.pem MESSAGE [ID]
//
// The ID goes into Z = SM3(ENTL || ID || curve || public key), and e = SM3(Z || M) is signed.
// Both sides must use the same ID. The default is "1234567812345678" (GM/T 0009) in guomi,
// BouncyCastle, GmSSL, sm-crypto and Go's gmsm; the OpenSSL 3 command line uses an empty ID
// unless given `-pkeyopt distid:1234567812345678` (see docs/interop.md).
import { readFileSync } from 'node:fs';
import { Sm2PrivateKey, signatureToDer, signatureToRaw, verify } from 'guomi/sm2';

const [keyFile, message, id] = process.argv.slice(2);
if (keyFile === undefined || message === undefined) {
  console.error('usage: node examples/sm2-sign.mjs KEY.pem MESSAGE [ID]');
  process.exit(2);
}
const key = Sm2PrivateKey.from(readFileSync(keyFile, 'utf8')); // PKCS#8 or SEC 1 PEM
const options = id === undefined ? {} : { id };

const der = key.sign(message, options); // DER SEQUENCE { r, s }, the default
const raw = key.sign(message, { ...options, encoding: 'raw' }); // r || s, always 64 bytes
console.log(`der ${Buffer.from(der).toString('hex')}`);
console.log(`raw ${Buffer.from(raw).toString('hex')}`);

// Verification needs only the public key (here from the private key; usually a PEM or a cert).
const pub = key.publicKey;
console.log(`verify ${verify(message, der, pub, options)}`);
console.log(`verify raw ${verify(message, raw, pub, { ...options, encoding: 'raw' })}`);
console.log(`verify with another ID ${verify(message, der, pub, { id: 'someone else' })}`);
console.log(`verify changed message ${verify(message + '.', der, pub, options)}`);
// Converting between the two encodings (for device APIs that want r || s):
console.log(`converted ${Buffer.from(signatureToDer(signatureToRaw(der))).equals(Buffer.from(der))}`);
console.log(`public ${Buffer.from(pub.toBytes()).toString('hex')}`);
key.destroy(); // wipes the private key
