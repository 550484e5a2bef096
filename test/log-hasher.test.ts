/**
 * guomi/log field hashing, once per backend. Every expected pseudonym is recomputed here with
 * node:crypto's HMAC-SM3 (OpenSSL), independently of guomi: field key = HMAC(key,
 * "guomi-log-v1:field:" + domain), pseudonym = HMAC(field key, normalised value).
 */
import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFieldHasher, normalizeEmail, normalizeIdCard, normalizePhone, type FieldHasherOptions } from '../src/log/index.js';
import { HashEngine } from '../src/log/hash-engine.js';
import { parseSelector } from '../src/log/selector.js';
import { forEachBackend } from './backends.js';

const KEY = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const KEY2 = Buffer.from('f0e0d0c0b0a090807060504030201000f1e1d1c1b1a191817161514131211101', 'hex');

function nodeHmac(key: Uint8Array, msg: string | Uint8Array): Buffer {
  return crypto.createHmac('sm3', key).update(msg).digest();
}
/** The pseudonym as node:crypto computes it. */
function expected(key: Uint8Array, domain: string, value: string, keyId = 'k1', enc: 'hex' | 'base64url' = 'hex', len = 32): string {
  const fieldKey = nodeHmac(key, `guomi-log-v1:field:${domain}`);
  return `sm3:${keyId}:${nodeHmac(fieldKey, value).subarray(0, len).toString(enc)}`;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

const base = (fields: FieldHasherOptions['fields'], more: Partial<FieldHasherOptions> = {}) =>
  createFieldHasher({ key: KEY, keyId: 'k1', fields, ...more });

forEachBackend(() => {
  describe('digests (checked against node:crypto HMAC-SM3)', () => {
    it('one field, per-field key derivation, hex', () => {
      const h = base(['user.phone']);
      const out = h({ user: { phone: '13800138000' } });
      expect(out.user.phone).toBe(expected(KEY, 'user.phone', '13800138000'));
    });

    it('random values and keys, including non-ASCII, empty and long values', () => {
      for (let i = 0; i < 40; i++) {
        const key = crypto.randomBytes(16 + (i % 50));
        const value = i === 0 ? '' : i === 1 ? 'x'.repeat(200) : crypto.randomBytes(i).toString('base64') + '张三李四' + i;
        const h = createFieldHasher({ key, keyId: 'r', fields: ['v'] });
        expect(h({ v: value }).v).toBe(expected(key, 'v', value, 'r'));
        expect(h.hashValue('v', value)).toBe(expected(key, 'v', value, 'r'));
      }
    });

    it('a batch of many records hashes each value as on its own', () => {
      const h = base([{ path: 'p', normalize: 'phone' }, 'e']);
      const records = Array.from({ length: 300 }, (_, i) => ({ p: `+86 138${String(i).padStart(8, '0')}`, e: `u${i}@x`, n: i }));
      const out = h.hashRecords(records);
      out.forEach((r, i) => {
        expect(r.p).toBe(expected(KEY, 'p', `138${String(i).padStart(8, '0')}`));
        expect(r.e).toBe(expected(KEY, 'e', `u${i}@x`));
        expect(r.n).toBe(i);
      });
      expect(h.stats).toMatchObject({ records: 300, hashed: 600, failed: 0 });
    });

    it('base64url, truncated digests and a bare digest without prefix', () => {
      expect(base(['a'], { encoding: 'base64url' })({ a: 'v' }).a).toBe(expected(KEY, 'a', 'v', 'k1', 'base64url'));
      expect(base(['a'], { digestLength: 16 })({ a: 'v' }).a).toBe(expected(KEY, 'a', 'v', 'k1', 'hex', 16));
      expect(base(['a'], { encoding: 'base64url', digestLength: 20 })({ a: 'v' }).a).toBe(expected(KEY, 'a', 'v', 'k1', 'base64url', 20));
      expect(base(['a'], { prefix: false })({ a: 'v' }).a).toBe(expected(KEY, 'a', 'v').split(':')[2]);
      expect(base(['a'], { prefix: 'pii' })({ a: 'v' }).a).toBe(expected(KEY, 'a', 'v').replace(/^sm3/, 'pii'));
    });

    it('hex tokens: tags of odd and even length, every digest length, batches that grow', () => {
      // The hex digits are written at an even offset after a tag of any length (hex-tokens.ts).
      for (const keyId of ['a', 'ab', 'abc', 'k-2025q1', 'x'.repeat(63), 'y'.repeat(64)]) {
        for (const digestLength of [16, 17, 31, 32]) {
          for (const prefix of [undefined, false, 'p'] as const) {
            const h = base(['a', 'b.c'], { keyId, digestLength, prefix });
            h({ a: 'first, a batch of one' }); // then a larger batch: the slots grow
            const recs = Array.from({ length: 1 + (digestLength % 3) * 40 }, (_, i) => ({ a: `v${i}`, b: { c: i } }));
            h.hashRecords(recs).forEach((r, i) => {
              const want = (domain: string, v: string) => {
                const hex = expected(KEY, domain, v, keyId, 'hex', digestLength).split(':')[2]!;
                return prefix === false ? hex : `${prefix ?? 'sm3'}:${keyId}:${hex}`;
              };
              expect(r.a).toBe(want('a', `v${i}`));
              expect((r.b as unknown as { c: string }).c).toBe(want('b.c', String(i)));
            });
          }
        }
      }
    });

    it('salted SM3 (compatibility mode) is SM3(salt || value), the same in every field', () => {
      const h = base(['a', 'b'], { algorithm: 'salted-sm3' });
      const want = crypto.createHash('sm3').update(Buffer.concat([KEY, Buffer.from('13800138000')])).digest('hex');
      const out = h({ a: '13800138000', b: '13800138000' });
      expect(out.a).toBe(`sm3s:k1:${want}`);
      expect(out.b).toBe(out.a);
      expect(base(['a'], { algorithm: 'salted-sm3', prefix: false })({ a: '13800138000' }).a).toBe(want);
    });

    it('the batched engine gives node:crypto\'s HMAC-SM3 under each derived field key', () => {
      const engine = new HashEngine(new Uint8Array(KEY), 'hmac-sm3');
      const domains = ['f', 'g', '手机'];
      const values = Array.from({ length: 30 }, (_, i) => (i % 3 === 2 ? `值 ${i} ✓`.repeat(i % 7) : `value ${i}`));
      const ds = domains.map((d) => engine.domain(d));
      values.forEach((v, i) => engine.add(ds[i % 3]!, v));
      const out = engine.run();
      values.forEach((v, i) => {
        const fk = nodeHmac(KEY, `guomi-log-v1:field:${domains[i % 3]}`);
        expect(Buffer.from(out.subarray(32 * i, 32 * i + 32)).toString('hex')).toBe(nodeHmac(fk, v).toString('hex'));
      });
      // A domain added after a run is prepared too.
      const late = engine.domain('late');
      expect(engine.hashOne(late, 'x')).toEqual(new Uint8Array(nodeHmac(nodeHmac(KEY, 'guomi-log-v1:field:late'), 'x')));
    });
  });

  describe('domains, rotation and matching', () => {
    it('fields are separated by default and linked when they share a domain', () => {
      const rec = { a: 'same', b: 'same' };
      const sep = base(['a', 'b'])(rec);
      expect(sep.a).not.toBe(sep.b);
      const linked = base(['a', { path: 'b', domain: 'a' }])(rec);
      expect(linked.a).toBe(linked.b);
      const all = base(['a', 'b'], { domain: 'person' })(rec);
      expect(all.a).toBe(expected(KEY, 'person', 'same'));
      expect(all.b).toBe(all.a);
    });

    it('rotation: the first key hashes and names itself; older keys match and give pseudonyms', () => {
      const h = createFieldHasher({ keys: [{ keyId: '2025q2', key: KEY2 }, { keyId: '2025q1', key: KEY }], fields: [{ path: 'phone', normalize: 'phone' }] });
      expect(h.keyId).toBe('2025q2');
      expect(h.keyIds).toEqual(['2025q2', '2025q1']);
      const now = h({ phone: '13800138000' }).phone;
      expect(now).toBe(expected(KEY2, 'phone', '13800138000', '2025q2'));
      const old = expected(KEY, 'phone', '13800138000', '2025q1');
      expect(h.pseudonyms('phone', '+86 138 0013 8000')).toEqual([now, old]);
      expect(h.hashValue('phone', '13800138000', '2025q1')).toBe(old);
      expect(h.matches('phone', '138-0013-8000', now)).toBe(true);
      expect(h.matches('phone', '138-0013-8000', old)).toBe(true);
      expect(h.matches('phone', '13800138001', old)).toBe(false);
      expect(h.matches('phone', '13800138000', old.replace('2025q1', '2024q4'))).toBe(false);
      expect(h.matches('phone', '13800138000', 'garbage')).toBe(false);
      expect(() => h.hashValue('phone', '1', 'nope')).toThrow(RangeError);
    });

    it('a default key ID is derived from the key (8 hex digits), different per key', () => {
      const a = createFieldHasher({ key: KEY, fields: ['x'] });
      const b = createFieldHasher({ key: KEY2, fields: ['x'] });
      expect(a.keyId).toBe(nodeHmac(KEY, 'guomi-log-v1:key-id').toString('hex').slice(0, 8));
      expect(a.keyId).not.toBe(b.keyId);
      expect(a({ x: 'v' }).x).toBe(expected(KEY, 'x', 'v', a.keyId));
    });

    it('hashValue takes a selector or a domain name and rejects unknown fields', () => {
      const h = base([{ path: 'u.phone', normalize: 'phone', domain: 'phone' }]);
      expect(h.hashValue('u.phone', '+8613800138000')).toBe(expected(KEY, 'phone', '13800138000'));
      expect(h.hashValue('phone', '13800138000')).toBe(expected(KEY, 'phone', '13800138000'));
      expect(() => h.hashValue('email', 'x')).toThrow(RangeError);
      expect(() => h.hashValue('phone', null)).toThrow(TypeError);
    });
  });

  describe('selectors', () => {
    const h = base(['user.phone', '*.idCard', 'items[].email', '**.secret', 'list[1]', '["a.b"].c', 'arr[*]']);
    const rec = {
      user: { phone: 'p', idCard: 'i1' },
      other: { idCard: 'i2', deep: { idCard: 'not one level' } },
      idCard: 'top level: not matched by *.idCard',
      items: [{ email: 'e1' }, { email: 'e2' }, 'str', null, { no: 1 }],
      nested: { x: [{ secret: 's1' }, { y: { secret: 's2' } }] },
      secret: 's0',
      list: ['l0', 'l1', 'l2'],
      'a.b': { c: 'dotted' },
      arr: ['x', 'y'],
      keep: 'k',
    };
    const out = h(rec);
    const E = (domain: string, v: string) => expected(KEY, domain, v);

    it('dot paths, one-level wildcards and array elements', () => {
      expect(out.user.phone).toBe(E('user.phone', 'p'));
      expect(out.user.idCard).toBe(E('*.idCard', 'i1'));
      expect(out.other.idCard).toBe(E('*.idCard', 'i2'));
      expect(out.other.deep.idCard).toBe('not one level');
      expect(out.idCard).toBe(rec.idCard);
      expect(out.items.slice(0, 2)).toEqual([{ email: E('items[].email', 'e1') }, { email: E('items[].email', 'e2') }]);
      expect(out.items.slice(2)).toEqual(['str', null, { no: 1 }]);
      expect(out.arr).toEqual([E('arr[*]', 'x'), E('arr[*]', 'y')]);
    });

    it('** at any depth (zero included), indexes and quoted names', () => {
      expect(out.secret).toBe(E('**.secret', 's0'));
      expect(out.nested.x[0]!.secret).toBe(E('**.secret', 's1'));
      expect((out.nested.x[1] as { y: { secret: string } }).y.secret).toBe(E('**.secret', 's2'));
      expect(out.list).toEqual(['l0', E('list[1]', 'l1'), 'l2']);
      expect(out['a.b'].c).toBe(E('["a.b"].c', 'dotted'));
      expect(out.keep).toBe('k');
    });

    it('[] on a single object applies to that object', () => {
      expect(base(['items[].email'])({ items: { email: 'e' } }).items.email).toBe(E('items[].email', 'e'));
    });

    it('a value reached by two selectors is hashed once, by the first', () => {
      const r = base(['a.b', '**.b'])({ a: { b: 'v' } });
      expect(r.a.b).toBe(E('a.b', 'v'));
    });

    it('parses the grammar and rejects malformed selectors', () => {
      expect(parseSelector('a.b[].c[2].*.**.d')).toEqual([
        { kind: 'key', name: 'a' }, { kind: 'key', name: 'b' }, { kind: 'each' }, { kind: 'key', name: 'c' },
        { kind: 'index', index: 2 }, { kind: 'star' }, { kind: 'globstar' }, { kind: 'key', name: 'd' },
      ]);
      expect(parseSelector("['x]y'].z")).toEqual([{ kind: 'key', name: 'x]y' }, { kind: 'key', name: 'z' }]);
      for (const bad of ['', 'a..b', '.a', 'a.', 'a[', 'a[x]', 'a[]b', '**', 'a.**', '**.**.a', 'a]b']) {
        expect(() => parseSelector(bad), bad).toThrow(RangeError);
      }
      expect(() => parseSelector(3)).toThrow(TypeError);
    });
  });

  describe('normalisers: one person, one pseudonym', () => {
    it('phone: separators, +86 / 0086 / 86, full-width digits, numbers', () => {
      const h = base([{ path: 'p', normalize: 'phone' }]);
      const want = expected(KEY, 'p', '13800138000');
      for (const v of ['13800138000', '+86 138 0013 8000', '+86-138-0013-8000', '0086 13800138000', '8613800138000', '(+86) 138.0013.8000', '＋８６ １３８００１３８０００', 13800138000, 8613800138000]) {
        expect(h({ p: v }).p, String(v)).toBe(want);
      }
      expect(normalizePhone('+86 10 1234 5678')).toBe('01012345678');
      expect(normalizePhone('010-1234 5678')).toBe('01012345678');
      expect(normalizePhone('+1 (415) 555-0100')).toBe('+14155550100');
    });

    it('ID card: upper-case X, whitespace removed; e-mail: lower case, trimmed', () => {
      expect(normalizeIdCard(' 11010519491231002x ')).toBe('11010519491231002X');
      expect(normalizeIdCard('110105 19491231 002X')).toBe('11010519491231002X');
      expect(normalizeEmail(' Zhang.San@Example.COM ')).toBe('zhang.san@example.com');
      const h = base([{ path: 'id', normalize: 'idCard' }, { path: 'm', normalize: 'email' }]);
      expect(h({ id: '11010519491231002x' }).id).toBe(expected(KEY, 'id', '11010519491231002X'));
      expect(h({ m: 'A@B.cn' }).m).toBe(expected(KEY, 'm', 'a@b.cn'));
    });

    it('custom normalisers; unknown names are rejected', () => {
      const h = base([{ path: 'x', normalize: (s: string) => s.replace(/\D/g, '') }]);
      expect(h({ x: 'a1b2' }).x).toBe(expected(KEY, 'x', '12'));
      expect(() => base([{ path: 'x', normalize: 'phonee' as never }])).toThrow(RangeError);
    });
  });

  describe('values of every type; never throws; never mutates', () => {
    it('numbers, booleans and BigInts as their decimal text; nested values whole, in canonical form', () => {
      const h = base(['n', 'b', 'big', 'obj', 'arr']);
      const out = h({ n: 42.5, b: true, big: 12345678901234567890n, obj: { z: 1, a: ['x', { y: null }] }, arr: [1, 'two'] });
      expect(out.n).toBe(expected(KEY, 'n', '42.5'));
      expect(out.b).toBe(expected(KEY, 'b', 'true'));
      expect(out.big).toBe(expected(KEY, 'big', '12345678901234567890'));
      expect(out.obj).toBe(expected(KEY, 'obj', '{"a":["x",{"y":null}],"z":1}'));
      expect(h({ obj: { a: ['x', { y: null }], z: 1 } }).obj).toBe(out.obj);
      expect(out.arr).toBe(expected(KEY, 'arr', '[1,"two"]'));
    });

    it('null and absent values stay as they are and are not counted', () => {
      const h = base(['a', 'b.c']);
      expect(h({ a: null, x: 1 })).toEqual({ a: null, x: 1 });
      expect(h.stats).toMatchObject({ hashed: 0, failed: 0 });
    });

    it('values it cannot hash become the marker and are counted; the rest is hashed', () => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const h = base(['fn', 'sym', 'cyc', 'bad', 'ok', 'getter', 'deep.x'], {
        marker: '[REDACTED]',
      });
      const rec = {
        fn: () => 1,
        sym: Symbol('s'),
        cyc: cyclic,
        bad: { big: 1n },
        ok: 'fine',
        get getter(): string {
          throw new Error('boom');
        },
      };
      const out = h(rec) as Record<string, unknown>;
      expect(out.fn).toBe('[REDACTED]');
      expect(out.sym).toBe('[REDACTED]');
      expect(out.cyc).toBe('[REDACTED]');
      expect(out.bad).toBe('[REDACTED]');
      expect(out.getter).toBe('[REDACTED]');
      expect(out.ok).toBe(expected(KEY, 'ok', 'fine'));
      expect(h.stats).toMatchObject({ records: 1, hashed: 1, failed: 5 });
    });

    it('a normaliser that throws or returns a non-string gives the marker', () => {
      const h = base([{ path: 'a', normalize: () => { throw new Error('x'); } }, { path: 'b', normalize: () => 5 as unknown as string }]);
      expect(h({ a: '1', b: '2' })).toEqual({ a: '[unhashable]', b: '[unhashable]' });
      expect(h.stats.failed).toBe(2);
    });

    it('records that are not objects pass through; a hostile Proxy does not make it throw', () => {
      const h = base(['a', '**.b']);
      for (const v of [null, undefined, 5, 'str', true]) expect(h(v)).toBe(v);
      const proxy = new Proxy({ a: 'x' }, { ownKeys() { throw new Error('no'); }, getOwnPropertyDescriptor() { throw new Error('no'); } });
      expect(() => h(proxy)).not.toThrow();
      expect(h.stats.records).toBe(6);
    });

    it('does not mutate the input (deeply frozen) and shares untouched branches', () => {
      const rec = deepFreeze({ user: { phone: 'p', name: 'n' }, items: [{ email: 'e' }, { email: 'f' }], untouched: { big: [1, 2, 3] } });
      const before = JSON.stringify(rec);
      const out = base(['user.phone', 'items[].email'])(rec);
      expect(JSON.stringify(rec)).toBe(before);
      expect(out).not.toBe(rec);
      expect(out.untouched).toBe(rec.untouched);
      expect(out.user).not.toBe(rec.user);
      expect(out.user.name).toBe('n');
      expect(Array.isArray(out.items)).toBe(true);
      // A record with nothing to hash comes back as is.
      const plain = { other: 1 };
      expect(base(['user.phone'])(plain)).toBe(plain);
    });

    it('keeps symbol keys and prototypes of the containers it copies', () => {
      const LEVEL = Symbol.for('level');
      class Ctx { phone = 'p'; describe() { return 'ctx'; } }
      const rec = { [LEVEL]: 'info', ctx: new Ctx() };
      const out = base(['ctx.phone'])(rec);
      expect(out[LEVEL]).toBe('info');
      expect(out.ctx).toBeInstanceOf(Ctx);
      expect(out.ctx.describe()).toBe('ctx');
      expect(rec.ctx.phone).toBe('p');
    });

    it('inPlace modifies the record itself; a frozen container then counts as a failure', () => {
      const rec = { a: 'x', b: { c: 'y' } };
      const out = base(['a', 'b.c'], { inPlace: true })(rec);
      expect(out).toBe(rec);
      expect(rec.a).toBe(expected(KEY, 'a', 'x'));
      expect(rec.b.c).toBe(expected(KEY, 'b.c', 'y'));
      const h = base(['a'], { inPlace: true });
      const frozen = Object.freeze({ a: 'x' });
      expect(h(frozen)).toBe(frozen);
      expect(h.stats.failed).toBe(1);
    });

    it('the cache serves repeated values and gives the same pseudonyms', () => {
      const h = base(['a', 'b'], { cacheSize: 2 });
      const first = h({ a: 'x', b: 'x' });
      const again = h({ a: 'x', b: 'x' });
      expect(again).toEqual(first);
      expect(first.a).toBe(expected(KEY, 'a', 'x'));
      expect(h.stats.cacheHits).toBe(2);
      // Two generations of cacheSize/2 = 1 entry per domain: two newer values push 'x' out of 'a'.
      h({ a: 'y' });
      h({ a: 'z' });
      expect(h({ a: 'x' }).a).toBe(first.a);
      expect(h.stats.cacheHits).toBe(2);
      expect(h({ b: 'x' }).b).toBe(first.b); // still cached in domain 'b'
      expect(h.stats.cacheHits).toBe(3);
      h.resetStats();
      expect(h.stats).toEqual({ records: 0, hashed: 0, failed: 0, cacheHits: 0 });
    });
  });

  describe('selectors that are plain member chains (walked as one tree)', () => {
    // A hasher whose selectors are all member chains walks them as one tree; adding a selector
    // with a wildcard (here one that never matches) makes the same hasher walk each selector in
    // turn. Both must give the same records, markers and counts.
    const CHAINS = [
      ['a', 'b.c', 'b.d', 'c.a.b'],
      ['b.c', 'a'],
      ['b', 'b.c'], // one a prefix of the other: always the general walk
    ];
    const leaf = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null), fc.boolean(), fc.constant(undefined));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('node'), { maxKeys: 4 }), fc.array(tie('node'), { maxLength: 3 })),
    })).node;
    const record = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'x'), tree, { maxKeys: 5 });

    it('give what the general walk gives, on random records', () => {
      for (const chain of CHAINS) {
        const tree = base(chain);
        const general = base([...chain, '**.neverPresent']);
        fc.assert(
          fc.property(record, (rec) => {
            const before = JSON.stringify(rec);
            expect(JSON.stringify(tree(rec))).toBe(JSON.stringify(general(rec)));
            expect(JSON.stringify(rec)).toBe(before);
            expect(tree.stats).toEqual(general.stats);
          }),
          { numRuns: 150 },
        );
      }
    });

    it('throwing getters and a hostile Proxy inside a chain: the same markers and counts', () => {
      const tree = base(['a.b', 'a.c', 'p.q', 'p.r', 'ok']);
      const general = base(['a.b', 'a.c', 'p.q', 'p.r', 'ok', '**.neverPresent']);
      const hostile = new Proxy({ q: 'x' }, { getOwnPropertyDescriptor() { throw new Error('no'); } });
      const make = () => ({
        a: { get b(): string { throw new Error('boom'); }, c: 'c' },
        p: hostile,
        ok: 'fine',
      });
      const t = tree(make()) as Record<string, unknown>;
      const g = general(make()) as Record<string, unknown>;
      expect((t.a as Record<string, unknown>).c).toBe(expected(KEY, 'a.c', 'c'));
      expect(Object.getOwnPropertyDescriptor(t.a, 'b')?.value).toBe('[unhashable]');
      expect(t.ok).toBe(expected(KEY, 'ok', 'fine'));
      expect(t.p).toBe(hostile);
      expect(Object.getOwnPropertyDescriptor(g.a, 'b')?.value).toBe('[unhashable]');
      // a.b marked, p.q and p.r each a failed walk; a.c and ok hashed.
      expect(tree.stats).toEqual({ records: 1, hashed: 2, failed: 3, cacheHits: 0 });
      // The general hasher's '**' selector also walks into the Proxy and fails there once more.
      expect(general.stats).toEqual({ ...tree.stats, failed: 4 });
    });
  });

  describe('options', () => {
    it('rejects bad keys, key IDs and options', () => {
      expect(() => createFieldHasher({ key: new Uint8Array(15), fields: ['a'] })).toThrow(RangeError);
      expect(() => createFieldHasher({ key: 'secret' as never, fields: ['a'] })).toThrow(TypeError);
      expect(() => createFieldHasher({ fields: ['a'] } as never)).toThrow(TypeError);
      expect(() => createFieldHasher({ key: KEY, keyId: 'a:b', fields: ['a'] })).toThrow(RangeError);
      expect(() => createFieldHasher({ key: KEY, keyId: '', fields: ['a'] })).toThrow(RangeError);
      expect(() => createFieldHasher({ key: KEY, fields: [] })).toThrow(TypeError);
      expect(() => createFieldHasher({ key: KEY, fields: ['a..b'] })).toThrow(RangeError);
      expect(() => createFieldHasher({ key: KEY, fields: ['a'], encoding: 'base64' as never })).toThrow(RangeError);
      expect(() => createFieldHasher({ key: KEY, fields: ['a'], digestLength: 8 })).toThrow(RangeError);
      expect(() => createFieldHasher({ key: KEY, fields: ['a'], prefix: 'a:b' })).toThrow(RangeError);
      expect(() => createFieldHasher({ key: KEY, fields: ['a'], algorithm: 'sha256' as never })).toThrow(RangeError);
      expect(() => createFieldHasher({ keys: [{ key: KEY, keyId: 'x' }, { key: KEY2, keyId: 'x' }], fields: ['a'] })).toThrow(RangeError);
      expect(() => createFieldHasher({ key: KEY, keys: [{ key: KEY }], fields: ['a'] })).toThrow(TypeError);
    });

    it('copies the key: wiping the caller\'s buffer later changes nothing', () => {
      const key = Buffer.from(KEY);
      const h = createFieldHasher({ key, keyId: 'k1', fields: ['a'] });
      key.fill(0);
      expect(h({ a: 'v' }).a).toBe(expected(KEY, 'a', 'v'));
    });
  });
});
