#!/usr/bin/env node
// Personal data out of logs, and logs that show tampering (guomi/log):
//
//   LOG_KEY=<hex, 16+ bytes> AUDIT_KEY=<hex, 16+ bytes> node examples/log-hashing.mjs
//
// 1. Pseudonyms: selected fields become "sm3:<keyId>:<hex>", where the hex is
//    HMAC-SM3(HMAC-SM3(key, "guomi-log-v1:field:" + domain), normalised value) and the domain is
//    the field's selector unless you name one. The same person gets the same pseudonym (so logs
//    can still be searched and joined), and without the key nobody can test guesses.
// 2. An audit chain: every record gets _audit {seq, mac}, each MAC covering the previous one;
//    verifyAuditChain finds the first record altered, removed, inserted or reordered.
import { randomBytes } from 'node:crypto';
import { createAuditChain, createFieldHasher, verifyAuditChain } from 'guomi/log';

const logKey = process.env.LOG_KEY ? Buffer.from(process.env.LOG_KEY, 'hex') : randomBytes(32);
const auditKey = process.env.AUDIT_KEY ? Buffer.from(process.env.AUDIT_KEY, 'hex') : randomBytes(32);

const hasher = createFieldHasher({
  key: logKey,
  keyId: '2026a', // written into every pseudonym, so that keys can be rotated
  fields: [
    { path: 'user.phone', normalize: 'phone' }, // '+86 138-0013-8000' and '13800138000' agree
    { path: '*.idCard', normalize: 'idCard' }, // any object's idCard; a final 'x' is upper-cased
    'order.address', // no normaliser
  ],
});

const records = [
  { msg: 'login', user: { phone: '+86 138-0013-8000' } },
  { msg: 'login', user: { phone: '13800138000' } },
  { msg: 'order', buyer: { idCard: '11010119900307447x' }, order: { address: '北京市东城区', total: 12.5 } },
];
const hashed = records.map((r) => hasher(r)); // new objects; the originals are untouched
for (const r of hashed) console.log(JSON.stringify(r));
console.log(`same person ${hashed[0].user.phone === hashed[1].user.phone}`);
// Find a person's records without un-hashing anything:
console.log(`lookup ${hasher.hashValue('user.phone', '138 0013 8000')}`);

// The audit chain, written as NDJSON lines (pipe it to a file in real use).
const chain = createAuditChain({ key: auditKey, output: 'ndjson' });
const lines = [];
chain.on('data', (line) => lines.push(line.toString().trimEnd()));
for (const r of hashed) chain.write(r);
chain.end();
await new Promise((resolve) => chain.on('end', resolve));
for (const l of lines) console.log(l);

console.log(`chain ok ${(await verifyAuditChain(lines, { key: auditKey })).ok}`);
const altered = [...lines];
altered[1] = altered[1].replace('"login"', '"logout"');
const r1 = await verifyAuditChain(altered, { key: auditKey });
console.log(`altered: ok ${r1.ok} index ${r1.index} reason ${r1.reason}`);
const removed = [lines[0], lines[2]];
const r2 = await verifyAuditChain(removed, { key: auditKey });
console.log(`removed: ok ${r2.ok} index ${r2.index} reason ${r2.reason}`);
