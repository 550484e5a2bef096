#!/usr/bin/env node
// sm4-gcm.js — GiB of SM4-GCM through the public API: messages of --chunk KiB, each sealed by a
// fresh sm4.gcm(key, iv) object (a new 12-byte IV per message, as an application must), every
// 64th message opened again and compared, with the process RSS sampled 20 times. Exits 1 on a
// wrong result or growing RSS (rss.js). --async 1 uses encryptAsync/decryptAsync (the thread
// pool) with 4 messages in flight.
//
//   node scripts/load/sm4-gcm.js [--gib 10] [--chunk 1024] [--async 0] [--growth 48]
import { RssSampler, guomi, options } from './rss.js';

const opt = options({ gib: 10, chunk: 1024, async: 0, growth: 48 });
const { sm4 } = await guomi();
const key = new Uint8Array(16).fill(7);
const data = new Uint8Array(opt.chunk * 1024);
for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
const total = Math.round(opt.gib * 1024 * 1024 * 1024);
const count = Math.max(1, Math.floor(total / data.length));
const rss = new RssSampler();
const step = Math.max(1, Math.floor(count / 20));
const ivOf = (i) => {
  const iv = new Uint8Array(12);
  new DataView(iv.buffer).setUint32(8, i);
  return iv;
};
rss.sample(0);
let bad = 0;
const t0 = process.hrtime.bigint();
const one = async (i) => {
  const iv = ivOf(i);
  const sealed = opt.async ? await sm4.gcm(key, iv).encryptAsync(data) : sm4.gcm(key, iv).encrypt(data);
  if (sealed.length !== data.length + 16) bad++;
  if (i % 64 === 0) {
    const back = opt.async ? await sm4.gcm(key, iv).decryptAsync(sealed) : sm4.gcm(key, iv).decrypt(sealed);
    if (Buffer.compare(back, data) !== 0) bad++;
  }
};
for (let i = 0; i < count; ) {
  if (opt.async) {
    const batch = [];
    for (let j = 0; j < 4 && i < count; j++, i++) batch.push(one(i));
    await Promise.all(batch);
  } else {
    await one(i);
    i++;
  }
  if (i % step === 0 || i === count) rss.sample(i);
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
const gib = (count * data.length) / 1024 ** 3;
console.log(`sm4-gcm${opt.async ? ' async' : ''}: ${gib.toFixed(2)} GiB in ${count} messages, ${secs.toFixed(1)} s (${(gib * 1024 / secs).toFixed(0)} MiB/s), ${bad} wrong results`);
const stable = rss.report('sm4-gcm', opt.growth);
process.exit(bad === 0 && stable ? 0 : 1);
