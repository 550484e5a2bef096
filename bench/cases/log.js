// guomi/log: field hashes per second on both backends (HMAC-SM3 batches through the hash
// engine), records per second through the hasher, through pino with and without it (20-field
// records, 5 fields hashed; "vs node" is then relative to pino alone), and through the audit chain.
// Every guomi object is made once per backend: prepared keys belong to the backend that made them.
//
// Values cycle through 100,000 distinct records, so nothing is served from a cache except in the
// runners that say so (1,000 distinct users, as in a log where the same people come back).
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { createAuditChain, createFieldHasher, pinoFieldHasher } from '../../dist/log/index.js';
import { HashEngine } from '../../dist/log/hash-engine.js';
import { useBackendForTesting } from '../../dist/backend/select.js';

const require = createRequire(import.meta.url);
const pino = require('pino');

const KEY = crypto.randomBytes(32);
const DISTINCT = 100_000;

/** A 20-field log record: 15 ordinary fields and 5 with personal data. */
function record(i) {
  const r = { msg: 'request served', reqId: `r-${i}`, method: 'GET', path: `/api/orders/${i % 977}`, status: 200 };
  for (let f = 0; f < 10; f++) r[`f${f}`] = f % 2 ? i * f : `value-${f}-${i % 1000}`;
  r.phone = `138${String(i % 100_000_000).padStart(8, '0')}`;
  r.idCard = `110105194912${String(i % 1_000_000).padStart(6, '0')}`;
  r.email = `user${i}@example.com`;
  r.name = `张三${i}`;
  r.ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  return r;
}
const FIELDS = [
  { path: 'phone', normalize: 'phone' },
  { path: 'idCard', normalize: 'idCard' },
  { path: 'email', normalize: 'email' },
  'name',
  'ip',
];

export function groups() {
  const records = Array.from({ length: DISTINCT }, (_, i) => record(i));
  const phones = records.map((r) => r.phone);
  let i = 0;
  const next = () => records[i++ % DISTINCT];
  const nextUser = () => records[i++ % 1000];

  const fieldKey = crypto.createHmac('sm3', KEY).update('guomi-log-v1:field:phone').digest();
  const naive = (r) => {
    const out = { ...r };
    for (const f of ['phone', 'idCard', 'email', 'name', 'ip']) {
      out[f] = `sm3:k1:${crypto.createHmac('sm3', KEY).update(`${f}\u0000${r[f]}`).digest('hex')}`;
    }
    return out;
  };
  const sink = { write() {} };
  const plain = pino({ base: undefined }, sink);

  /** Everything a backend's runners use, made (and warmed up) under that backend. */
  const per = {};
  for (const b of ['native', 'pure']) {
    useBackendForTesting(b);
    const engine = new HashEngine(new Uint8Array(KEY), 'hmac-sm3');
    const d = engine.domain('phone');
    const hasher = createFieldHasher({ key: KEY, keyId: 'k1', fields: FIELDS });
    const cached = createFieldHasher({ key: KEY, keyId: 'k1', fields: FIELDS, cacheSize: 10_000 });
    const withHasher = pino({ ...pinoFieldHasher(hasher), base: undefined }, sink);
    const withCache = pino({ ...pinoFieldHasher(cached), base: undefined }, sink);
    // Shorter pseudonyms: 16-byte digests (32 hex digits) are still far beyond guessing.
    const short = createFieldHasher({ key: KEY, keyId: 'k1', fields: FIELDS, digestLength: 16 });
    const withShort = pino({ ...pinoFieldHasher(short), base: undefined }, sink);
    const chain = createAuditChain({ key: KEY });
    hasher(records[0]);
    cached(records[0]);
    short(records[0]);
    engine.add(d, phones[0]);
    engine.run();
    per[b] = {
      // 1 op = 1 field hash, queued in batches of 100 as the hasher does for NDJSON chunks.
      field: () => {
        engine.add(d, phones[i++ % DISTINCT]);
        if (engine.size === 100) engine.run();
      },
      hasher,
      cached,
      withHasher,
      withCache,
      withShort,
      chain,
    };
  }
  useBackendForTesting('native');

  return [
    {
      name: 'log: HMAC-SM3 field hash (1 op = 1 field, batches of 100)',
      bytes: 11,
      runners: {
        'guomi native': () => per.native.field(),
        'guomi pure': () => per.pure.field(),
        'node:crypto': () => crypto.createHmac('sm3', fieldKey).update(phones[i++ % DISTINCT]).digest(),
      },
    },
    {
      name: 'log: field hasher, 20-field record, 5 hashed (1 op = 1 record)',
      bytes: 0,
      runners: {
        'guomi native': () => per.native.hasher(next()),
        'guomi pure': () => per.pure.hasher(next()),
        'guomi native, cache': () => per.native.cached(nextUser()),
        'node:crypto': () => naive(next()),
      },
    },
    {
      name: 'log: pino, 20-field record, 5 hashed (1 op = 1 record; vs pino alone)',
      bytes: 0,
      reference: 'pino alone',
      runners: {
        'pino alone': () => plain.info(next()),
        'guomi native': () => per.native.withHasher.info(next()),
        'guomi pure': () => per.pure.withHasher.info(next()),
        'guomi native, cache': () => per.native.withCache.info(nextUser()),
        'guomi native, 16-byte digests': () => per.native.withShort.info(next()),
      },
    },
    {
      name: 'log: audit chain append, 20-field record (1 op = 1 record)',
      bytes: 0,
      runners: {
        'guomi native': () => per.native.chain.append(next()),
        'guomi pure': () => per.pure.chain.append(next()),
      },
    },
  ];
}
