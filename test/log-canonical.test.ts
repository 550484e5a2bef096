/**
 * The canonical record form of guomi/log (RFC 8785 JCS over what JSON.stringify writes): the
 * examples of RFC 8785 §3.2, stability across key order, nesting, Unicode and numbers, and the
 * property the audit chain relies on: canonical(x) == canonical(JSON.parse(JSON.stringify(x))).
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/log/index.js';
import { rng } from './random.js';

describe('canonicalJson', () => {
  it('RFC 8785 §3.2.2/3.2.3: the sample with numbers, escapes and literals', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('RFC 8785 §3.2.3: members sorted by UTF-16 code units (the emoji sorts before U+FB33)', () => {
    const input = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    const keys = Object.keys(JSON.parse(canonicalJson(input)) as object);
    // JSON.parse puts the integer-like key "1" first again, so compare the text order instead.
    const text = canonicalJson(input);
    const order = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'].map((k) => text.indexOf(JSON.stringify(k) + ':'));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(keys).toHaveLength(7);
  });

  it('the same text whatever the key order, at every depth', () => {
    const a = { z: 1, a: { y: [1, { q: 2, p: 3 }], b: 'x' }, m: null };
    const b = { m: null, a: { b: 'x', y: [1, { p: 3, q: 2 }] }, z: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"b":"x","y":[1,{"p":3,"q":2}]},"m":null,"z":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    // Arrays keep their order.
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('numbers as ECMAScript writes them; non-finite as null; -0 as 0', () => {
    expect(canonicalJson([0, -0, 1, -1.5, 1e21, 1e-7, 123456789012345680000, 0.1 + 0.2, NaN, Infinity, -Infinity, 5e-324])).toBe(
      '[0,0,1,-1.5,1e+21,1e-7,123456789012345680000,0.30000000000000004,null,null,null,5e-324]',
    );
  });

  it('strings: control characters escaped in lower-case hex, non-ASCII kept, lone surrogates escaped', () => {
    expect(canonicalJson('\u0000\u0007\b\t\n\f\r\u001f"\\/ 中文 é \u2028')).toBe('"\\u0000\\u0007\\b\\t\\n\\f\\r\\u001f\\"\\\\/ 中文 é \u2028"');
    expect(canonicalJson('\ud800x')).toBe('"\\ud800x"');
    expect(Buffer.from(canonicalJson({ 名字: '张三' }), 'utf8').toString('hex')).toBe(Buffer.from('{"名字":"张三"}').toString('hex'));
  });

  it('follows JSON.stringify: toJSON, wrappers, undefined/functions/symbols', () => {
    const d = new Date(Date.UTC(2025, 0, 2, 3, 4, 5));
    expect(canonicalJson({ d, n: Object(5) as number, s: Object('x') as string, u: undefined, f: () => 1, [Symbol('k')]: 1 })).toBe(
      '{"d":"2025-01-02T03:04:05.000Z","n":5,"s":"x"}',
    );
    expect(canonicalJson([undefined, () => 1, Symbol('s')])).toBe('[null,null,null]');
    expect(canonicalJson({ toJSON: (k: string) => ({ key: k }) })).toBe('{"key":""}');
    expect(canonicalJson(new Map([[1, 2]]))).toBe('{}');
  });

  it('rejects BigInt, cycles and top-level values JSON cannot write', () => {
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
    const c: Record<string, unknown> = {};
    c.c = [c];
    expect(() => canonicalJson(c)).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    // A shared (not cyclic) object is fine.
    const shared = { v: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"v":1},"b":{"v":1}}');
  });

  it('canonical(x) == canonical(JSON.parse(JSON.stringify(x))) on random values; and is valid JSON of x', () => {
    const next = rng(20250101);
    const rand = (n: number) => Math.floor(next() * n);
    const chars = ['a', 'Z', '0', ' ', '"', '\\', '\n', '\u0001', 'é', '中', '\ud83d\ude00', '\u2028', '\ud800'];
    const str = () => Array.from({ length: rand(6) }, () => chars[rand(chars.length)]).join('');
    const value = (depth: number): unknown => {
      switch (rand(depth > 3 ? 5 : 8)) {
        case 0: return null;
        case 1: return rand(2) === 0;
        case 2: return (next() - 0.5) * 10 ** (rand(40) - 20);
        case 3: return rand(1000) - 500;
        case 4: return str();
        case 5: return Array.from({ length: rand(4) }, () => value(depth + 1));
        case 6: return undefined;
        default: {
          const o: Record<string, unknown> = {};
          for (let i = rand(5); i > 0; i--) o[str()] = value(depth + 1);
          return o;
        }
      }
    };
    for (let i = 0; i < 500; i++) {
      const v = { root: value(0) };
      const text = canonicalJson(v);
      expect(canonicalJson(JSON.parse(JSON.stringify(v)))).toBe(text);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
    }
  });
});
