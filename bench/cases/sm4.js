// SM4, every mode, at 64 B, 1 KiB, 16 KiB and 1 MiB. Every implementation makes one cipher object
// per message (as code that needs a fresh IV per message must), without padding where the
// library allows it. node:crypto (OpenSSL 3.0) has ECB/CBC/CTR/CFB/OFB but no GCM, CCM or XTS;
// sm-crypto has ECB/CBC; sm-crypto-v2 has ECB/CBC/GCM (12-byte IV, 16-byte tag).
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { sm4 } from '../../dist/sm4.js';

const require = createRequire(import.meta.url);
const smCrypto = require('sm-crypto');
const smCryptoV2 = require('sm-crypto-v2');

const SIZES = [
  [64, '64 B'],
  [1024, '1 KiB'],
  [16384, '16 KiB'],
  [1 << 20, '1 MiB'],
];

export function groups() {
  const out = [];
  const key = crypto.randomBytes(16), key32 = crypto.randomBytes(32);
  const iv = crypto.randomBytes(16), iv12 = iv.subarray(0, 12);
  const pk = new Uint8Array(key), piv = new Uint8Array(iv), piv12 = new Uint8Array(iv12);
  const hexKey = key.toString('hex'), hexIv = iv.toString('hex');
  const nodeCipher = (name, data) => {
    const c = crypto.createCipheriv(name, key, name === 'sm4-ecb' ? null : iv).setAutoPadding(false);
    return Buffer.concat([c.update(data), c.final()]);
  };
  const nodeDecipher = (name, data) => {
    const c = crypto.createDecipheriv(name, key, name === 'sm4-ecb' ? null : iv).setAutoPadding(false);
    return Buffer.concat([c.update(data), c.final()]);
  };
  for (const [size, label] of SIZES) {
    const data = crypto.randomBytes(size);
    const plain = new Uint8Array(data);
    const both = (fn) => ({ 'guomi native': fn, 'guomi pure': fn });
    out.push({
      name: `sm4-ecb ${label} encrypt`,
      bytes: size,
      runners: {
        ...both(() => sm4.ecb(key, { padding: 'none' }).encrypt(data)),
        'node:crypto': () => nodeCipher('sm4-ecb', data),
        'sm-crypto': () => smCrypto.sm4.encrypt(plain, hexKey, { padding: 'none', output: 'array' }),
        'sm-crypto-v2': () => smCryptoV2.sm4.encrypt(plain, pk, { padding: 'none', output: 'array' }),
      },
    });
    out.push({
      name: `sm4-cbc ${label} encrypt`,
      bytes: size,
      runners: {
        ...both(() => sm4.cbc(key, iv, { padding: 'none' }).encrypt(data)),
        'node:crypto': () => nodeCipher('sm4-cbc', data),
        'sm-crypto': () => smCrypto.sm4.encrypt(plain, hexKey, { mode: 'cbc', iv: hexIv, padding: 'none', output: 'array' }),
        'sm-crypto-v2': () => smCryptoV2.sm4.encrypt(plain, pk, { mode: 'cbc', iv: piv, padding: 'none', output: 'array' }),
      },
    });
    out.push({
      name: `sm4-cbc ${label} decrypt`,
      bytes: size,
      runners: {
        ...both(() => sm4.cbc(key, iv, { padding: 'none' }).decrypt(data)),
        'node:crypto': () => nodeDecipher('sm4-cbc', data),
        'sm-crypto': () => smCrypto.sm4.decrypt(plain, hexKey, { mode: 'cbc', iv: hexIv, padding: 'none', output: 'array' }),
        'sm-crypto-v2': () => smCryptoV2.sm4.decrypt(plain, pk, { mode: 'cbc', iv: piv, padding: 'none', output: 'array' }),
      },
    });
    for (const mode of ['ctr', 'cfb', 'ofb']) {
      out.push({
        name: `sm4-${mode} ${label} encrypt`,
        bytes: size,
        runners: {
          ...both(() => sm4[mode](key, iv).encrypt(data)),
          'node:crypto': () => nodeCipher(`sm4-${mode}`, data),
        },
      });
    }
    out.push({
      name: `sm4-cfb ${label} decrypt`,
      bytes: size,
      runners: {
        ...both(() => sm4.cfb(key, iv).decrypt(data)),
        'node:crypto': () => nodeDecipher('sm4-cfb', data),
      },
    });
    const sealed = sm4.gcm(key, iv12).encrypt(data);
    const v2Tag = smCryptoV2.sm4.encrypt(plain, pk, { mode: 'gcm', iv: piv12, output: 'array', outputTag: true });
    out.push({
      // OpenSSL 3.0 has no SM4-GCM; the node:crypto row is sm4-ctr, the target's reference.
      name: `sm4-gcm ${label} encrypt (node row: sm4-ctr)`,
      bytes: size,
      runners: {
        ...both(() => sm4.gcm(key, iv12).encrypt(data)),
        'node:crypto': () => {
          const c = crypto.createCipheriv('sm4-ctr', key, iv);
          return Buffer.concat([c.update(data), c.final()]);
        },
        'sm-crypto-v2': () => smCryptoV2.sm4.encrypt(plain, pk, { mode: 'gcm', iv: piv12, output: 'array', outputTag: true }),
      },
    });
    out.push({
      name: `sm4-gcm ${label} decrypt`,
      bytes: size,
      runners: {
        ...both(() => sm4.gcm(key, iv12).decrypt(sealed)),
        'sm-crypto-v2': () =>
          smCryptoV2.sm4.decrypt(v2Tag.output, pk, { mode: 'gcm', iv: piv12, tag: v2Tag.tag, output: 'array' }),
      },
    });
    out.push({
      name: `sm4-ccm ${label} encrypt`,
      bytes: size,
      runners: both(() => sm4.ccm(key, iv12).encrypt(data)),
    });
    out.push({
      name: `sm4-xts ${label} encrypt`,
      bytes: size,
      runners: both(() => sm4.xts(key32, iv).encrypt(data)),
    });
  }
  return out;
}
