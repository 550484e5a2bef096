#!/usr/bin/env node
// A small SM2 PKI: a root CA, an intermediate CA and a TLS server certificate, each signed
// SM2-with-SM3 with the ID 1234567812345678 (GM/T 0015), as Chinese CAs sign:
//
//   node examples/x509-issue.mjs OUT_DIR [HOSTNAME]
//
// Writes root.pem, sub.pem, server.pem (certificates) and root.key, sub.key, server.key
// (PKCS#8). OpenSSL, Tongsuo, GmSSL and BouncyCastle verify these chains.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sm2PrivateKey } from 'guomi/sm2';
import { createCertificate, createCsr } from 'guomi/x509';

const [dir, hostname = 'localhost'] = process.argv.slice(2);
if (dir === undefined) {
  console.error('usage: node examples/x509-issue.mjs OUT_DIR [HOSTNAME]');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });

const rootKey = Sm2PrivateKey.generate();
const root = createCertificate({
  signingKey: rootKey, // self-signed: the subject's own key signs
  subject: 'CN=Example SM2 Root CA,O=Example,C=CN', // RFC 4514 text, most specific first
  ca: true,
  days: 3650,
});

const subKey = Sm2PrivateKey.generate();
const sub = createCertificate({
  signingKey: rootKey,
  issuer: root,
  subject: 'CN=Example SM2 Issuing CA,O=Example,C=CN',
  publicKey: subKey.publicKey,
  ca: true,
  pathLength: 0,
  days: 1825,
});

// The server's key stays with the server: it sends a CSR, the CA signs it.
const serverKey = Sm2PrivateKey.generate();
const csr = createCsr({ privateKey: serverKey, subject: `CN=${hostname},O=Example,C=CN` });
const server = createCertificate({
  signingKey: subKey,
  issuer: sub,
  csr,
  subjectAltName: { dns: [hostname], ip: ['127.0.0.1'] },
  extKeyUsage: ['serverAuth'],
  days: 397,
});

for (const [name, cert, key] of [['root', root, rootKey], ['sub', sub, subKey], ['server', server, serverKey]]) {
  writeFileSync(join(dir, `${name}.pem`), cert.toPem());
  writeFileSync(join(dir, `${name}.key`), key.export());
  console.log(`${name}: ${cert.subject} (issuer ${cert.issuer}, serial ${cert.serialNumber})`);
}
