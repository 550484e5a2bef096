#!/usr/bin/env node
// Parse a certificate and validate its chain (RFC 5280 path validation with SM2-with-SM3):
//
//   node examples/x509-verify-chain.mjs LEAF.pem ROOTS.pem [INTERMEDIATES.pem] [HOSTNAME] [TIME]
//
// ROOTS.pem and INTERMEDIATES.pem may hold several certificates each. TIME (ISO 8601) checks
// validity at another instant than now.
import { readFileSync } from 'node:fs';
import { parseCertificate, verifyChain } from 'guomi/x509';

const [leafFile, rootsFile, intermediatesFile, hostname, time] = process.argv.slice(2);
if (leafFile === undefined || rootsFile === undefined) {
  console.error('usage: node examples/x509-verify-chain.mjs LEAF.pem ROOTS.pem [INTERMEDIATES.pem] [HOSTNAME] [TIME]');
  process.exit(2);
}
const leaf = parseCertificate(readFileSync(leafFile, 'utf8'));
console.log(`subject ${leaf.subject}`); // RFC 2253, as openssl prints it; Chinese text intact
console.log(`issuer ${leaf.issuer}`);
console.log(`valid ${leaf.notBefore.toISOString()} .. ${leaf.notAfter.toISOString()}`);
console.log(`key ${leaf.publicKeyAlgorithm.name} ${leaf.publicKeyAlgorithm.curveName ?? ''}`.trim());
console.log(`sm3 fingerprint ${leaf.fingerprints.sm3}`);

const result = verifyChain(leaf, {
  roots: readFileSync(rootsFile, 'utf8'),
  ...(intermediatesFile ? { intermediates: readFileSync(intermediatesFile, 'utf8') } : {}),
  ...(hostname ? { hostname } : {}),
  ...(time ? { time: new Date(time) } : {}),
});
if (result.ok) {
  console.log(`ok: ${result.path.map((c) => c.subject.commonName ?? String(c.subject)).join(' <- ')}`);
} else {
  console.log(`failed: ${result.code} at ${result.index}: ${result.reason}`);
  process.exitCode = 1;
}
