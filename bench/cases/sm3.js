// SM3 at 64 B, 1 KiB, 16 KiB and 1 MiB, one-shot and streaming (1 KiB updates).
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { sm3 } from '../../dist/sm3.js';

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
  for (const [size, label] of SIZES) {
    const data = crypto.randomBytes(size);
    const plain = new Uint8Array(data); // a plain Uint8Array, which both JS libraries accept
    out.push({
      name: `sm3 ${label} one-shot`,
      bytes: size,
      runners: {
        'guomi native': () => sm3(data),
        'guomi pure': () => sm3(data),
        'node:crypto': () => crypto.createHash('sm3').update(data).digest(),
        'sm-crypto': () => smCrypto.sm3(plain),
        'sm-crypto-v2': () => smCryptoV2.sm3(plain),
      },
    });
    out.push({
      name: `sm3 ${label} streaming (1 KiB updates)`,
      bytes: size,
      runners: {
        'guomi native': () => {
          const h = sm3.create();
          for (let o = 0; o < size; o += 1024) h.update(data.subarray(o, o + 1024));
          return h.digest();
        },
        'guomi pure': () => {
          const h = sm3.create();
          for (let o = 0; o < size; o += 1024) h.update(data.subarray(o, o + 1024));
          return h.digest();
        },
        'node:crypto': () => {
          const h = crypto.createHash('sm3');
          for (let o = 0; o < size; o += 1024) h.update(data.subarray(o, o + 1024));
          return h.digest();
        },
      },
    });
  }
  return out;
}
