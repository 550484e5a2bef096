/**
 * The guomi/log audit chain, once per backend: chain values recomputed with node:crypto, every
 * kind of tampering (altered, missing, inserted, reordered, bad checkpoint) found at the right
 * record, public-key-only checkpoint verification, resumption across files, malformed input.
 */
import crypto from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sm2PrivateKey } from '../src/sm2.js';
import { createAuditChain, verifyAuditChain, type AuditChainOptions, type AuditVerifyOptions } from '../src/log/index.js';
import { forEachBackend } from './backends.js';

const KEY = Buffer.alloc(32, 7);
const tmp = mkdtempSync(join(tmpdir(), 'guomi-audit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const OTHER = Buffer.alloc(32, 8);

/** Sorted-keys JSON written independently of src/log/canonical.ts (enough for these records). */
function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${sortedJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function records(n: number, from = 0): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({ msg: `event ${from + i}`, user: { id: from + i, name: '张三' }, tags: ['a', i % 3] }));
}

/** Runs records through a chain stream with NDJSON output; returns the lines. */
async function chainLines(recs: object[], options: Omit<AuditChainOptions, 'output'> = { key: KEY }): Promise<string[]> {
  const chain = createAuditChain({ ...options, output: 'ndjson' });
  const out: string[] = [];
  chain.on('data', (b: Buffer) => out.push(...b.toString('utf8').split('\n').filter(Boolean)));
  const done = new Promise((resolve) => chain.on('end', resolve));
  for (const r of recs) chain.write(r);
  chain.end();
  await done;
  return out;
}

const check = (lines: (string | object)[], options: AuditVerifyOptions = { key: KEY }) => verifyAuditChain(lines, options);

forEachBackend(() => {
  let signer: Sm2PrivateKey;
  let lines: string[];
  beforeAll(async () => {
    signer = Sm2PrivateKey.generate();
    lines = await chainLines(records(10));
  });

  describe('chain values', () => {
    it('seq and mac are HMAC-SM3(Ka, prev || u64be(seq) || canonical body), checked with node:crypto', () => {
      const ka = crypto.createHmac('sm3', KEY).update('guomi-log-v1:audit').digest();
      let prev = Buffer.alloc(32);
      lines.forEach((line, i) => {
        const { _audit, ...body } = JSON.parse(line) as { _audit: { seq: number; mac: string } };
        expect(_audit.seq).toBe(i);
        const seq = Buffer.alloc(8);
        seq.writeBigUInt64BE(BigInt(i));
        const mac = crypto.createHmac('sm3', ka).update(Buffer.concat([prev, seq, Buffer.from(sortedJson(body))])).digest();
        expect(_audit.mac).toBe(mac.toString('hex'));
        prev = mac;
      });
    });

    it('append() returns the chained copy, leaves the input alone and matches the stream', () => {
      const chain = createAuditChain({ key: KEY });
      const input = records(1)[0]!;
      const snapshot = JSON.stringify(input);
      const out = chain.append(input);
      expect(JSON.stringify(input)).toBe(snapshot);
      expect(JSON.stringify(out)).toBe(lines[0]);
      expect(chain.head.seq).toBe(1);
      expect(() => chain.append(5 as never)).toThrow(TypeError);
      expect(() => chain.append({ big: 1n })).toThrow(TypeError);
    });

    it('verification does not depend on key order or whitespace in the stored lines', async () => {
      const shuffled = lines.map((l) => {
        const o = JSON.parse(l) as Record<string, unknown>;
        const rev = Object.fromEntries(Object.entries(o).reverse());
        return JSON.stringify(rev, null, 1).replace(/\n/g, ' ');
      });
      expect(await check(shuffled)).toMatchObject({ ok: true, index: -1, records: 10 });
    });

    it('accepts NDJSON text, record objects, and byte streams split anywhere (CRLF too)', async () => {
      const text = lines.join('\r\n') + '\r\n';
      expect((await verifyAuditChain(text, { key: KEY })).ok).toBe(true);
      expect((await verifyAuditChain(lines.map((l) => JSON.parse(l) as object), { key: KEY })).ok).toBe(true);
      const bytes = Buffer.from(text);
      for (const size of [1, 7, 100]) {
        const chunks: Buffer[] = [];
        for (let o = 0; o < bytes.length; o += size) chunks.push(bytes.subarray(o, o + size));
        const r = await verifyAuditChain(Readable.from(chunks), { key: KEY });
        expect(r, `chunk size ${size}`).toMatchObject({ ok: true, records: 10, malformed: 0 });
      }
    });

    it('accepts readline (lines without newlines) and utf8-decoded file streams', async () => {
      const file = join(tmp, 'chain.ndjson');
      writeFileSync(file, lines.join('\n') + '\n');
      const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
      expect(await verifyAuditChain(rl, { key: KEY })).toMatchObject({ ok: true, records: 10 });
      const text = createReadStream(file, { encoding: 'utf8', highWaterMark: 37 });
      expect(await verifyAuditChain(text, { key: KEY })).toMatchObject({ ok: true, records: 10 });
      const bad = lines.slice();
      bad[2] = bad[2]!.replace('event 2', 'event 3');
      expect(await verifyAuditChain((function* () { yield* bad; })(), { key: KEY })).toMatchObject({ ok: false, index: 2, line: 3, reason: 'altered' });
    });

    it('a wrong key fails at the first record', async () => {
      expect(await check(lines, { key: OTHER })).toMatchObject({ ok: false, index: 0, reason: 'altered' });
    });
  });

  describe('tamper detection: the first bad record and the kind of change', () => {
    const edit = (f: (l: string[]) => void) => {
      const copy = lines.slice();
      f(copy);
      return copy;
    };

    it('altered content, altered sequence number', async () => {
      expect(await check(edit((l) => (l[4] = l[4]!.replace('event 4', 'event X'))))).toMatchObject({ ok: false, index: 4, reason: 'altered', line: 5 });
      expect(await check(edit((l) => (l[0] = l[0]!.replace('"id":0', '"id":1'))))).toMatchObject({ index: 0, reason: 'altered' });
      expect(await check(edit((l) => (l[6] = l[6]!.replace('"seq":6', '"seq":60'))))).toMatchObject({ index: 6, reason: 'altered' });
      expect(await check(edit((l) => (l[9] = l[9]!.replace(/"mac":"./, '"mac":"0'))))).toMatchObject({ index: 9, reason: 'altered' });
    });

    it('missing records: first, middle, several, last (with the expected end)', async () => {
      expect(await check(edit((l) => l.splice(0, 1)))).toMatchObject({ ok: false, index: 0, reason: 'missing' });
      expect(await check(edit((l) => l.splice(3, 1)))).toMatchObject({ index: 3, reason: 'missing' });
      expect(await check(edit((l) => l.splice(3, 4)))).toMatchObject({ index: 3, reason: 'missing' });
      const cut = lines.slice(0, 8);
      expect(await check(cut)).toMatchObject({ ok: true }); // a chain cannot know its own end …
      expect(await check(cut, { key: KEY, end: { seq: 10 } })).toMatchObject({ ok: false, index: 8, reason: 'missing' }); // … unless told
      expect(await check(lines, { key: KEY, end: { seq: 10 } })).toMatchObject({ ok: true });
    });

    it('inserted records: foreign, forged with a sequence number, replayed duplicate', async () => {
      expect(await check(edit((l) => l.splice(2, 0, '{"msg":"fake"}')))).toMatchObject({ ok: false, index: 2, reason: 'inserted' });
      const forged = JSON.stringify({ msg: 'fake', _audit: { seq: 2, mac: 'ab'.repeat(32) } });
      expect(await check(edit((l) => l.splice(2, 0, forged)))).toMatchObject({ index: 2, reason: 'inserted' });
      const forgedAhead = JSON.stringify({ msg: 'fake', _audit: { seq: 7, mac: 'ab'.repeat(32) } });
      expect(await check(edit((l) => l.splice(2, 0, forgedAhead)))).toMatchObject({ index: 2, reason: 'inserted' });
      expect(await check(edit((l) => l.splice(5, 0, l[1]!)))).toMatchObject({ index: 5, reason: 'inserted' });
      expect(await check(edit((l) => l.push(l[9]!)))).toMatchObject({ index: 10, reason: 'inserted' });
      expect(await check(edit((l) => l.push('{"msg":"appended"}')))).toMatchObject({ index: 10, reason: 'inserted' });
    });

    it('reordered records: adjacent swap, moved later, moved earlier', async () => {
      expect(await check(edit((l) => ([l[3], l[4]] = [l[4]!, l[3]!])))).toMatchObject({ ok: false, index: 3, reason: 'reordered' });
      expect(await check(edit((l) => l.splice(8, 0, ...l.splice(2, 1))))).toMatchObject({ index: 2, reason: 'reordered' });
      expect(await check(edit((l) => l.splice(1, 0, ...l.splice(9, 1))))).toMatchObject({ index: 1, reason: 'reordered' });
    });

    it('malformed lines are counted and skipped, not failures', async () => {
      const r = await check(edit((l) => l.splice(3, 0, 'not json', '[1,2]', '42', '', '   ')));
      expect(r).toMatchObject({ ok: true, malformed: 3, records: 10 });
      // A malformed line that replaced a record shows up as that record missing.
      expect(await check(edit((l) => (l[3] = l[3]!.slice(0, 20))))).toMatchObject({ ok: false, index: 3, reason: 'missing', malformed: 1 });
    });
  });

  describe('SM2-signed checkpoints', () => {
    let signed: string[];
    beforeAll(async () => {
      signed = await chainLines(records(7), { key: KEY, checkpoint: { privateKey: signer, every: 3 } });
    });

    it('come every N records and at the end, chained like records', async () => {
      // 3 records, checkpoint, 3 records, checkpoint, 1 record, final checkpoint.
      expect(signed).toHaveLength(10);
      const cps = signed.map((l) => JSON.parse(l) as Record<string, { through?: number }>).filter((o) => o._checkpoint);
      expect(cps.map((c) => c._checkpoint!.through)).toEqual([2, 6, 8]);
      expect(await check(signed, { key: KEY, publicKey: signer.publicKey })).toMatchObject({ ok: true, checkpoints: 3, unverified: 0 });
      expect(await check(signed)).toMatchObject({ ok: true, checkpoints: 3 });
    });

    it('the digest in a checkpoint is the SM3 chain over the records, checked with node:crypto', () => {
      let d = Buffer.alloc(32);
      for (let i = 0; i < 3; i++) {
        const { _audit, ...body } = JSON.parse(signed[i]!) as { _audit: unknown };
        const seq = Buffer.alloc(8);
        seq.writeBigUInt64BE(BigInt(i));
        d = crypto.createHash('sm3').update(Buffer.concat([d, seq, Buffer.from(sortedJson(body))])).digest();
        expect(_audit).toBeDefined();
      }
      expect((JSON.parse(signed[3]!) as { _checkpoint: { digest: string } })._checkpoint.digest).toBe(d.toString('hex'));
    });

    it('with the public key only: changes show at the next checkpoint; the tail is reported uncovered', async () => {
      const pub = { publicKey: signer.publicKey };
      const altered = signed.slice();
      altered[4] = altered[4]!.replace('event 3', 'event 33');
      expect(await check(altered, pub)).toMatchObject({ ok: false, index: 7, reason: 'altered' });
      expect(await check(altered)).toMatchObject({ ok: false, index: 4, reason: 'altered' });
      const noCp = signed.slice();
      noCp.splice(3, 1);
      expect(await check(noCp, pub)).toMatchObject({ ok: false, index: 3, reason: 'missing' });
      expect(await check(signed.slice(0, 6), pub)).toMatchObject({ ok: true, checkpoints: 1, unverified: 2 });
      const swapped = signed.slice();
      [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
      expect(await check(swapped, pub)).toMatchObject({ ok: false, index: 0, reason: 'reordered' });
    });

    it('a signature from another key, or a forged one, is a bad checkpoint', async () => {
      const other = Sm2PrivateKey.generate().publicKey;
      expect(await check(signed, { key: KEY, publicKey: other })).toMatchObject({ ok: false, index: 3, reason: 'bad-checkpoint' });
      expect(await check(signed, { publicKey: other })).toMatchObject({ ok: false, index: 3, reason: 'bad-checkpoint' });
      const forged = signed.slice();
      forged[3] = forged[3]!.replace(/"sig":"[^"]+"/, `"sig":"${Buffer.alloc(70).toString('base64')}"`);
      expect(await check(forged, { publicKey: signer.publicKey })).toMatchObject({ ok: false, index: 3, reason: 'bad-checkpoint' });
    });

    it('a custom signer ID must be given to the verifier', async () => {
      const withId = await chainLines(records(2), { key: KEY, checkpoint: { privateKey: signer, id: 'audit@example.com' } });
      expect(await check(withId, { publicKey: signer.publicKey, id: 'audit@example.com' })).toMatchObject({ ok: true, checkpoints: 1 });
      expect(await check(withId, { publicKey: signer.publicKey })).toMatchObject({ ok: false, reason: 'bad-checkpoint' });
    });
  });

  describe('resuming and input handling', () => {
    it('a chain resumed from a saved head verifies on its own (with start) and joined to the first file', async () => {
      const first = createAuditChain({ key: KEY });
      const a = records(3).map((r) => JSON.stringify(first.append(r)));
      const head = first.head;
      expect(head.seq).toBe(3);
      const b = await chainLines(records(3, 3), { key: KEY, start: head });
      expect((JSON.parse(b[0]!) as { _audit: { seq: number } })._audit.seq).toBe(3);
      expect(await check(b)).toMatchObject({ ok: false, index: 0, reason: 'missing' });
      const r = await check(b, { key: KEY, start: head });
      expect(r).toMatchObject({ ok: true, records: 3 });
      expect(r.head.seq).toBe(6);
      expect(await check([...a, ...b])).toMatchObject({ ok: true, records: 6 });
    });

    it('the stream skips and reports items that are not JSON objects', async () => {
      const chain = createAuditChain({ key: KEY });
      const bad: unknown[] = [];
      chain.on('malformed', (i) => bad.push(i));
      const out: Record<string, unknown>[] = [];
      chain.on('data', (r: Record<string, unknown>) => out.push(r));
      for (const item of ['{"a":1}', 'nope', Buffer.from('{"b":2}'), '[1]', { c: 3 }]) chain.write(item);
      chain.end();
      await new Promise((resolve) => chain.on('end', resolve));
      expect(out.map((r) => (r._audit as { seq: number }).seq)).toEqual([0, 1, 2]);
      expect(bad).toHaveLength(2);
      expect(chain.malformed).toBe(2);
      expect(await check(out)).toMatchObject({ ok: true, records: 3 });
      // Ended streams wipe their key: no silent MACs from a zero key afterwards.
      expect(() => chain.append({ late: true })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_STATE' }) as Error);
    });

    it('rejects bad options', async () => {
      await expect(verifyAuditChain(lines, {})).rejects.toThrow(TypeError);
      await expect(verifyAuditChain(lines, { key: KEY, start: { seq: -1, chain: '', digest: '' } })).rejects.toThrow(RangeError);
      expect(() => createAuditChain({ key: new Uint8Array(8) })).toThrow(RangeError);
      expect(() => createAuditChain({ key: KEY, checkpoint: { privateKey: signer, every: 0 } })).toThrow(RangeError);
    });
  });
});
