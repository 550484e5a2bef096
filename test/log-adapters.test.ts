/**
 * guomi/log adapters end to end with the real libraries: pino (formatters, child bindings, and
 * the transport in pino's worker thread), winston (format with json()), and the NDJSON Transform
 * (chunks split inside lines and inside UTF-8 characters, malformed lines). Expected pseudonyms
 * are computed with node:crypto. The transport test loads the compiled module from dist/ (built by
 * the test setup), as pino's worker would in an application.
 */
import crypto from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import winston from 'winston';
import { afterAll, describe, expect, it } from 'vitest';
import { createFieldHasher, createNdjsonHasher, pinoFieldHasher, winstonFieldHasher, type FieldSpec, type MalformedLine } from '../src/log/index.js';
import { forEachBackend } from './backends.js';

const KEY = crypto.createHash('sha256').update('guomi log adapter test key').digest();
const FIELDS: FieldSpec[] = [
  { path: 'user.phone', normalize: 'phone' },
  { path: '*.idCard', normalize: 'idCard' },
  { path: 'items[].email', normalize: 'email' },
];
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'guomi-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expected(domain: string, value: string): string {
  const fieldKey = crypto.createHmac('sm3', KEY).update(`guomi-log-v1:field:${domain}`).digest();
  return `sm3:k1:${crypto.createHmac('sm3', fieldKey).update(value).digest('hex')}`;
}
const PHONE = expected('user.phone', '13800138000');
const ID = expected('*.idCard', '11010519491231002X');
const MAIL = expected('items[].email', 'a@example.com');

/** A Writable that keeps every line written to it. */
function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, lines: () => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const sample = () => ({
  user: { phone: '+86 138 0013 8000', idCard: '11010519491231002x', name: 'kept' },
  items: [{ email: 'A@Example.com' }],
});

forEachBackend(() => {
  describe('pino', () => {
    it('formatters.log hashes logged objects; the caller\'s object is untouched', () => {
      const out = capture();
      const logger = pino({ ...pinoFieldHasher({ key: KEY, keyId: 'k1', fields: FIELDS }), base: undefined, timestamp: false }, out.stream);
      const obj = sample();
      logger.info(obj, 'login');
      logger.warn({ other: 1 }, 'nothing to hash');
      const [first, second] = out.lines();
      expect(first).toEqual({
        level: 30,
        msg: 'login',
        user: { phone: PHONE, idCard: ID, name: 'kept' },
        items: [{ email: MAIL }],
      });
      expect(second).toEqual({ level: 40, msg: 'nothing to hash', other: 1 });
      expect(obj).toEqual(sample());
    });

    it('child-logger bindings are hashed too (formatters.bindings)', () => {
      const out = capture();
      const hasher = createFieldHasher({ key: KEY, keyId: 'k1', fields: FIELDS });
      const logger = pino({ ...pinoFieldHasher(hasher), base: undefined, timestamp: false }, out.stream);
      const child = logger.child({ user: { phone: '13800138000' }, plain: 'x' });
      child.info({ items: [{ email: 'a@example.com' }] }, 'hi');
      // A grandchild adds its own bindings; the parent's, already hashed, are not hashed again.
      child.child({ session: { idCard: '11010519491231002X' } }, { msgPrefix: '> ' }).info('deeper');
      const [a, b] = out.lines();
      expect(a).toMatchObject({ user: { phone: PHONE }, plain: 'x', items: [{ email: MAIL }] });
      expect(b).toMatchObject({ user: { phone: PHONE }, plain: 'x', session: { idCard: ID }, msg: '> deeper' });
      expect(hasher.stats.hashed).toBe(3);
    });

    it('the transport hashes in pino\'s worker thread and writes NDJSON to a file', async () => {
      const file = join(dir, 'pino-transport.ndjson');
      const transport = pino.transport({
        target: join(root, 'dist', 'log', 'index.js'),
        options: { key: KEY, keyId: 'k1', fields: FIELDS, destination: file, append: false },
      });
      const logger = pino({ base: undefined, timestamp: false }, transport);
      for (let i = 0; i < 50; i++) logger.info(sample(), `line ${i}`);
      await new Promise<void>((resolve) => {
        transport.on('close', () => resolve());
        transport.end();
      });
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toHaveLength(50);
      expect(lines[49]).toEqual({ level: 30, msg: 'line 49', user: { phone: PHONE, idCard: ID, name: 'kept' }, items: [{ email: MAIL }] });
    });
  });

  describe('winston', () => {
    it('the format hashes fields of the entry and its default metadata; json() writes them', async () => {
      const out = capture();
      const logger = winston.createLogger({
        defaultMeta: { session: { idCard: '11010519491231002X' } },
        format: winston.format.combine(winstonFieldHasher({ key: KEY, keyId: 'k1', fields: FIELDS }), winston.format.json()),
        transports: [new winston.transports.Stream({ stream: out.stream })],
      });
      const meta = sample();
      logger.info('login', meta);
      logger.child({ user: { phone: '13800138000' } }).warn('child');
      await new Promise<void>((resolve) => {
        logger.on('finish', () => resolve());
        logger.end();
      });
      const [a, b] = out.lines();
      expect(a).toEqual({ level: 'info', message: 'login', session: { idCard: ID }, user: { phone: PHONE, idCard: ID, name: 'kept' }, items: [{ email: MAIL }] });
      expect(b).toMatchObject({ level: 'warn', message: 'child', user: { phone: PHONE } });
      expect(meta).toEqual(sample());
    });
  });

  describe('NDJSON Transform', () => {
    it('hashes every line, whatever the chunking (even inside a UTF-8 character); malformed lines are skipped', async () => {
      const input = [
        JSON.stringify({ user: { phone: '13800138000', name: '张三' } }),
        'not json',
        '',
        JSON.stringify({ items: [{ email: 'a@example.com' }] }),
        '"a string passes"',
        JSON.stringify({ user: { phone: '138 0013 8000' } }), // no newline at the end
      ].join('\n');
      const bytes = Buffer.from(input);
      for (const size of [1, 3, 64, bytes.length]) {
        const chunks: Buffer[] = [];
        for (let o = 0; o < bytes.length; o += size) chunks.push(bytes.subarray(o, o + size));
        const bad: MalformedLine[] = [];
        const stream = createNdjsonHasher({ key: KEY, keyId: 'k1', fields: FIELDS }, { onMalformed: (m) => bad.push(m) });
        const events: MalformedLine[] = [];
        stream.on('malformed', (m: MalformedLine) => events.push(m));
        const out = capture();
        await pipeline(Readable.from(chunks), stream, out.stream);
        expect(out.lines(), `chunk size ${size}`).toEqual([
          { user: { phone: PHONE, name: '张三' } },
          { items: [{ email: MAIL }] },
          'a string passes',
          { user: { phone: PHONE } },
        ]);
        expect(bad).toEqual([{ line: 2, reason: expect.stringContaining('not JSON') as string }]);
        expect(events).toEqual(bad);
        expect(stream.malformed).toBe(1);
        expect(stream.records).toBe(4);
        expect(stream.bytesIn).toBe(bytes.length);
      }
    });

    it('an over-long line is skipped as malformed and the stream goes on', async () => {
      const stream = createNdjsonHasher({ key: KEY, keyId: 'k1', fields: FIELDS }, { maxLineLength: 100 });
      const out = capture();
      const long = JSON.stringify({ pad: 'x'.repeat(500) });
      await pipeline(Readable.from([`${long}\n{"user":{"phone":"13800138000"}}\n`]), stream, out.stream);
      expect(out.lines()).toEqual([{ user: { phone: PHONE } }]);
      expect(stream.malformed).toBe(1);
    });
  });
});
