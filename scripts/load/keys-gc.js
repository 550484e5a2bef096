#!/usr/bin/env node
// keys-gc.js — short-lived SM2 key objects that are never destroy()ed must be freed by the
// garbage collector (the library's FinalizationRegistry releases their native handles): makes
// --count private keys (from fresh scalars) and public keys (from their points), each used once
// and dropped, tracks them in a FinalizationRegistry of our own, forces GC at the end (node
// --expose-gc, which this script re-executes itself with), and checks that at least 95% were
// collected and that RSS stayed stable (rss.js).
//
//   node scripts/load/keys-gc.js [--count 200000] [--growth 48]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RssSampler, guomi, options } from './rss.js';

if (typeof globalThis.gc !== 'function') {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const opt = options({ count: 200_000, growth: 48 });
const { Sm2PrivateKey, Sm2PublicKey, randomBytes } = { ...(await guomi()), randomBytes: (await import('node:crypto')).randomBytes };
let collected = 0;
// Held on globalThis: a FinalizationRegistry that becomes unreachable calls no more callbacks, and
// V8 treats a module-level const that no later code reads as dead (the first version of this
// script lost every callback after its loop that way; the library's own registries are reachable
// from its classes).
const registry = new FinalizationRegistry(() => {
  collected++;
});
globalThis.keysGcRegistry = registry;
const rss = new RssSampler();
const step = Math.max(1, Math.floor(opt.count / 20));
const msg = new Uint8Array(32);
rss.sample(0);
const t0 = process.hrtime.bigint();
let bad = 0;
const tick = () => new Promise((r) => setImmediate(r));
for (let i = 0; i < opt.count; i++) {
  const d = randomBytes(32);
  d[0] &= 0x7f; // below n
  const priv = Sm2PrivateKey.from(d);
  const pub = Sm2PublicKey.from(priv.publicKey.toBytes());
  if (i % 100 === 0 && !pub.verify(msg, priv.sign(msg))) bad++;
  registry.register(priv, 0);
  registry.register(pub, 0);
  if ((i + 1) % step === 0) {
    await tick(); // let finalizers run, as an application's event loop would
    rss.sample(i + 1);
  }
}
// Full collections until the finalizers stop reporting (they run as tasks after a collection,
// so a fast run ends with thousands still queued), for at most ~10 s.
for (let k = 0, idle = 0, before = -1; k < 200 && idle < 5; k++) {
  globalThis.gc();
  await new Promise((r) => setTimeout(r, 50));
  idle = collected === before ? idle + 1 : 0;
  before = collected;
}
rss.sample(opt.count);
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
const made = 2 * opt.count;
console.log(`keys-gc: ${made} key objects in ${secs.toFixed(1)} s, ${collected} collected (${((100 * collected) / made).toFixed(1)}%), ${bad} wrong results`);
const stable = rss.report('keys-gc', opt.growth);
process.exit(bad === 0 && stable && collected >= 0.95 * made ? 0 : 1);
