/**
 * The canonical form of a log record, used by the audit chain and for hashing nested values.
 *
 * Definition (it is the JSON Canonicalization Scheme of RFC 8785, applied to the value that
 * `JSON.stringify` would write):
 *
 * 1. A value with a `toJSON()` method is replaced by its result (as `JSON.stringify` does);
 *    `Number`, `String` and `Boolean` wrapper objects by their primitive.
 * 2. `null`, `true`, `false` are written as such. A finite number is written as ECMAScript's
 *    `Number::toString` writes it (the shortest form that round-trips: `1e+21`, `0.1`, `-0` → `0`);
 *    `NaN` and `±Infinity` are written `null`. A string is written as `JSON.stringify` writes it
 *    (ES2019: `"`, `\` and U+0000..U+001F escaped, with `\b \t \n \f \r` for their controls and
 *    `\u00xx` in lower-case hex for the rest, lone surrogates as `\udxxx`, everything else as is).
 * 3. An array is `[` + its elements joined by `,` + `]`; an element that is `undefined`, a function
 *    or a symbol is written `null`.
 * 4. An object is `{` + its own enumerable string-keyed members `"key":value` joined by `,` + `}`,
 *    sorted by key, comparing keys as sequences of UTF-16 code units (JavaScript's default string
 *    order, which RFC 8785 §3.2.3 prescribes); members whose value is `undefined`, a function or a
 *    symbol are left out. Symbol-keyed properties are ignored.
 * 5. No whitespace anywhere. The bytes are the UTF-8 encoding of the resulting string.
 *
 * Consequence, relied on by the audit chain: `canonicalJson(x) === canonicalJson(JSON.parse(
 * JSON.stringify(x)))` for every `x` that `JSON.stringify` accepts, so a record can be chained as an
 * object and verified after it has been written out and read back, whatever its key order.
 * BigInt values and cycles are rejected with a TypeError, as `JSON.stringify` rejects them.
 * @module
 */

/** Unwraps what JSON.stringify unwraps: toJSON(), and the Number/String/Boolean wrappers. */
function prepare(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = (toJSON as (k: string) => unknown).call(value, key);
    if (value instanceof Number || value instanceof String || value instanceof Boolean) {
      value = value.valueOf();
    }
  }
  return value;
}

function write(value: unknown, key: string, stack: object[]): string | undefined {
  value = prepare(value, key);
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      // JSON.stringify writes Number::toString for finite numbers (so -0 → "0") and null otherwise.
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonical JSON: a BigInt cannot be written as JSON');
    case 'object': {
      if (value === null) return 'null';
      if (stack.includes(value)) throw new TypeError('canonical JSON: the value contains a cycle');
      stack.push(value);
      try {
        if (Array.isArray(value)) {
          let out = '[';
          for (let i = 0; i < value.length; i++) {
            if (i > 0) out += ',';
            out += write(value[i], String(i), stack) ?? 'null';
          }
          return out + ']';
        }
        const keys = Object.keys(value).sort();
        let out = '{';
        let first = true;
        for (const k of keys) {
          const v = write((value as Record<string, unknown>)[k], k, stack);
          if (v === undefined) continue;
          out += (first ? '' : ',') + JSON.stringify(k) + ':' + v;
          first = false;
        }
        return out + '}';
      } finally {
        stack.pop();
      }
    }
    default:
      // undefined, functions and symbols: left out of objects, null in arrays.
      return undefined;
  }
}

/**
 * The canonical JSON text of `value` (see the module documentation for the exact definition: RFC
 * 8785 JCS over what `JSON.stringify` would write).
 * @param value any JSON-serialisable value
 * @returns the canonical text (encode it as UTF-8 for the canonical bytes)
 * @throws TypeError for a BigInt, a cycle, or a top-level value JSON cannot represent
 *   (`undefined`, a function, a symbol)
 * @example canonicalJson({ b: [1, 'x'], a: 1e21 }) // '{"a":1e+21,"b":[1,"x"]}'
 */
export function canonicalJson(value: unknown): string {
  const out = write(value, '', []);
  if (out === undefined) throw new TypeError(`canonical JSON: a top-level ${typeof value} cannot be written as JSON`);
  return out;
}
