// SM2: sign (SM3 with Z from the default ID), verify, encrypt and decrypt of 32 bytes, key
// generation. node:crypto has no real SM2 signing with an ID: its rows are ECDSA over the SM2
// curve (a key from generateKeyPairSync('ec', {namedCurve: 'SM2'})) and SM2 with the empty ID
// (the same key re-imported from PEM, which OpenSSL 3.0 treats as an SM2 key); it cannot encrypt.
// The JavaScript libraries sign with { hash: true } (Z from their default ID, as guomi does) and
// are given the public key so that they do not derive it per call.
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { Sm2PrivateKey, Sm2PublicKey, sign, verify, encrypt, decrypt } from '../../dist/sm2.js';
import { useBackendForTesting } from '../../dist/backend/select.js';

const require = createRequire(import.meta.url);
const smCrypto = require('sm-crypto');
const smCryptoV2 = require('sm-crypto-v2');

export function groups() {
  const message = crypto.randomBytes(32);
  const plain = new Uint8Array(message);
  const msgHex = message.toString('hex');

  // One key for every implementation.
  const { privateKey: nodeEc, publicKey: nodeEcPub } = crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' });
  const pkcs8 = nodeEc.export({ type: 'pkcs8', format: 'pem' });
  const nodeSm2 = crypto.createPrivateKey(pkcs8); // asymmetricKeyType undefined: OpenSSL's SM2 (empty ID)
  const nodeSm2Pub = crypto.createPublicKey(nodeEcPub.export({ type: 'spki', format: 'pem' }));
  // Key objects keep the backend that made them, so each backend gets its own.
  const keys = {};
  for (const b of ['native', 'pure']) {
    useBackendForTesting(b);
    const k = Sm2PrivateKey.from(pkcs8);
    keys[b] = { priv: k, pub: k.publicKey };
  }
  useBackendForTesting('native');
  const priv = keys.native.priv;
  const pub = priv.publicKey;
  const dHex = Buffer.from(priv.export({ format: 'raw' })).toString('hex');
  const pubHex = Buffer.from(pub.toBytes()).toString('hex');

  const ecdsaSig = crypto.sign(null, message, nodeEc);
  const emptyIdSig = crypto.sign(null, message, nodeSm2);
  const sig = sign(message, priv);
  const v1Sig = smCrypto.sm2.doSignature(msgHex, dHex, { hash: true, publicKey: pubHex, der: true });
  const v2Sig = smCryptoV2.sm2.doSignature(plain, dHex, { hash: true, publicKey: pubHex, der: true });
  const ct = encrypt(pub, message);
  const v1Ct = smCrypto.sm2.doEncrypt(msgHex, pubHex, 1);
  const v2Ct = smCryptoV2.sm2.doEncrypt(plain, pubHex, 1);
  /** Runners for both backends; fn receives that backend's { priv, pub }. */
  const both = (fn) => ({ 'guomi native': () => fn(keys.native), 'guomi pure': () => fn(keys.pure) });
  return [
    {
      name: 'sm2 sign (SM3 with Z, default ID; node: ECDSA on the SM2 curve)',
      bytes: 32,
      runners: {
        ...both((k) => sign(message, k.priv)),
        'node:crypto': () => crypto.sign(null, message, nodeEc),
        'node:crypto SM2 empty ID': () => crypto.sign(null, message, nodeSm2),
        'sm-crypto': () => smCrypto.sm2.doSignature(msgHex, dHex, { hash: true, publicKey: pubHex, der: true }),
        'sm-crypto-v2': () => smCryptoV2.sm2.doSignature(plain, dHex, { hash: true, publicKey: pubHex, der: true }),
      },
    },
    {
      name: 'sm2 verify (node: ECDSA on the SM2 curve)',
      bytes: 32,
      runners: {
        ...both((k) => verify(message, sig, k.pub)),
        'node:crypto': () => crypto.verify(null, message, nodeEcPub, ecdsaSig),
        'node:crypto SM2 empty ID': () => crypto.verify(null, message, nodeSm2Pub, emptyIdSig),
        'sm-crypto': () => smCrypto.sm2.doVerifySignature(msgHex, v1Sig, pubHex, { hash: true, der: true }),
        'sm-crypto-v2': () => smCryptoV2.sm2.doVerifySignature(plain, v2Sig, pubHex, { hash: true, der: true }),
      },
    },
    {
      name: 'sm2 encrypt 32 bytes (C1C3C2)',
      bytes: 32,
      runners: {
        ...both((k) => encrypt(k.pub, message)),
        'sm-crypto': () => smCrypto.sm2.doEncrypt(msgHex, pubHex, 1),
        'sm-crypto-v2': () => smCryptoV2.sm2.doEncrypt(plain, pubHex, 1),
      },
    },
    {
      name: 'sm2 decrypt 32 bytes (C1C3C2)',
      bytes: 32,
      runners: {
        ...both((k) => decrypt(k.priv, ct)),
        'sm-crypto': () => smCrypto.sm2.doDecrypt(v1Ct, dHex, 1),
        'sm-crypto-v2': () => smCryptoV2.sm2.doDecrypt(v2Ct, dHex, 1, { output: 'array' }),
      },
    },
    {
      name: 'sm2 key generation (guomi without the GM/T 0028 pairwise consistency test)',
      bytes: 32,
      runners: {
        ...both(() => Sm2PrivateKey.generate({ consistencyTest: false })),
        'guomi native, with the consistency test': () => Sm2PrivateKey.generate(),
        'node:crypto': () => crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' }),
        'sm-crypto': () => smCrypto.sm2.generateKeyPairHex(),
        'sm-crypto-v2': () => smCryptoV2.sm2.generateKeyPairHex(),
      },
    },
    {
      name: 'sm2 public key import + verify (a new key object each time)',
      bytes: 32,
      runners: {
        ...both(() => verify(message, sig, Sm2PublicKey.from(pub.toBytes()))),
        'sm-crypto-v2': () => smCryptoV2.sm2.doVerifySignature(plain, v2Sig, pubHex, { hash: true, der: true }),
      },
    },
  ];
}
