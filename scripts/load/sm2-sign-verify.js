#!/usr/bin/env node
// sm2-sign-verify.js — N SM2 signatures and verifications through the public API (guomi/sm2
// sign() and verify() with key objects, DER signatures, the default ID), checking every result,
// with the process RSS sampled 20 times. Exits 1 on a wrong result or growing RSS (rss.js).
//
//   node scripts/load/sm2-sign-verify.js [--count 1000000] [--growth 48]
// Run `npm run build` first (it reads dist/). GUOMI_BACKEND selects the backend.
import { RssSampler, guomi, options } from './rss.js';

const opt = options({ count: 1_000_000, growth: 48 });
const { Sm2PrivateKey, sign, verify } = await guomi();
const key = Sm2PrivateKey.generate();
const pub = key.publicKey;
const msg = new Uint8Array(64);
const view = new DataView(msg.buffer);
const rss = new RssSampler();
const step = Math.max(1, Math.floor(opt.count / 20));
rss.sample(0);
const t0 = process.hrtime.bigint();
let bad = 0;
for (let i = 0; i < opt.count; i++) {
  view.setUint32(0, i);
  const sig = sign(msg, key);
  if (!verify(msg, sig, pub)) bad++;
  // Every 1000th: a changed message must not verify.
  if (i % 1000 === 0) {
    msg[63] ^= 1;
    if (verify(msg, sig, pub)) bad++;
    msg[63] ^= 1;
  }
  if ((i + 1) % step === 0) rss.sample(i + 1);
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`sm2 sign+verify: ${opt.count} pairs in ${secs.toFixed(1)} s (${(opt.count / secs).toFixed(0)} pairs/s), ${bad} wrong results`);
const stable = rss.report('sm2 sign+verify', opt.growth);
process.exit(bad === 0 && stable ? 0 : 1);
