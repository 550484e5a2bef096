/**
 * Input checks, byte helpers and the only constant-time comparison on the TypeScript side.
 *
 * Every public entry point validates its arguments here, once, before any backend sees them.
 * This module imports nothing from `node:*`, so the pure backend that uses it runs in browsers.
 * @module
 */

/** Anything a message parameter accepts: bytes, or a string taken as UTF-8. */
export type BytesLike = Uint8Array | string;

const utf8Encoder = /* @__PURE__ */ new TextEncoder();

/** Returns true for a Uint8Array, including a Node.js Buffer. */
export function isBytes(value: unknown): value is Uint8Array {
  return (
    value instanceof Uint8Array ||
    (ArrayBuffer.isView(value) && value.constructor?.name === 'Uint8Array')
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return `type ${typeof value}`;
}

/**
 * Checks that `value` is a Uint8Array (optionally of one of the given lengths) and returns it.
 * @throws TypeError when it is not bytes; RangeError when the length is wrong.
 */
export function abytes(value: unknown, name: string, ...lengths: number[]): Uint8Array {
  // Success path first: this runs on every call into the library.
  if (isBytes(value) && (lengths.length === 0 || lengths.includes(value.length))) return value;
  if (!isBytes(value)) {
    throw new TypeError(`"${name}" must be a Uint8Array or Buffer, got ${describe(value)}`);
  }
  const want = lengths.length === 1 ? `${lengths[0]}` : `one of ${lengths.join(', ')}`;
  throw new RangeError(`"${name}" must be ${want} bytes long, got ${value.length}`);
}

/**
 * Accepts a message: bytes are returned as they are, strings are encoded as UTF-8.
 * @throws TypeError for anything else.
 */
export function toBytes(value: unknown, name: string): Uint8Array {
  if (isBytes(value)) return value;
  if (typeof value === 'string') return utf8Encoder.encode(value);
  throw new TypeError(
    `"${name}" must be a Uint8Array, Buffer or string, got ${describe(value)}`,
  );
}

/**
 * Checks that `value` is an integer in [min, max] and returns it.
 * @throws TypeError when it is not a number; RangeError when it is not an integer in range.
 */
export function aint(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number') {
    throw new TypeError(`"${name}" must be a number, got ${describe(value)}`);
  }
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`"${name}" must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** Checks that `value` is one of `allowed` and returns it. */
export function aoneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
  if (typeof value !== 'string') {
    throw new TypeError(`"${name}" must be a string, got ${describe(value)}`);
  }
  if (!(allowed as readonly string[]).includes(value)) {
    throw new RangeError(`"${name}" must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got '${value}'`);
  }
  return value as T;
}

/** Checks that `value` is undefined or a plain options object. */
export function aoptions<T extends object>(value: unknown, name = 'options'): Partial<T> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`"${name}" must be an object, got ${describe(value)}`);
  }
  return value as Partial<T>;
}

/** Lower-case hex of `bytes`. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (bytes[i]! + 0x100).toString(16).slice(1);
  return out;
}

/**
 * Bytes of a hex string (upper or lower case, even length, no separators).
 * @throws TypeError when it is not a string; RangeError when it is not valid hex.
 */
export function hexToBytes(hex: unknown, name = 'hex'): Uint8Array {
  if (typeof hex !== 'string') throw new TypeError(`"${name}" must be a hex string, got ${describe(hex)}`);
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new RangeError(`"${name}" must be an even-length hex string`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

/** Concatenation of byte arrays into a new Uint8Array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/**
 * Compares two byte arrays. The time depends on the lengths but not on the contents (as far as
 * a JIT allows; see the README on the pure backend).
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Overwrites `bytes` with zeros. */
export function wipe(...arrays: (Uint8Array | Uint32Array | undefined)[]): void {
  for (const a of arrays) a?.fill(0);
}

/**
 * A plain Uint8Array copy of `bytes` that owns its memory. (Not `bytes.slice()`: on a Buffer that
 * returns a view of the caller's memory, and even Uint8Array.prototype.slice goes through the
 * Buffer species constructor, which is slow and returns a Buffer.)
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

/**
 * Resolves on a later turn of the event loop, after pending I/O (setImmediate in Node.js,
 * setTimeout elsewhere). The pure backend's "async" variants run their work there.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    const g = globalThis as { setImmediate?: (f: () => void) => unknown };
    if (typeof g.setImmediate === 'function') g.setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}

/** Big-endian 32-bit write. */
export function writeU32BE(out: Uint8Array, offset: number, value: number): void {
  out[offset] = value >>> 24;
  out[offset + 1] = (value >>> 16) & 0xff;
  out[offset + 2] = (value >>> 8) & 0xff;
  out[offset + 3] = value & 0xff;
}

/** Fills `out` from the platform CSPRNG (Web Crypto; present in Node.js >= 19 and browsers). */
export function randomFill(out: Uint8Array): Uint8Array {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (!c?.getRandomValues) throw new Error('no cryptographically secure random source available');
  // getRandomValues fills at most 65536 bytes per call.
  for (let off = 0; off < out.length; off += 65536) {
    c.getRandomValues(out.subarray(off, Math.min(out.length, off + 65536)));
  }
  return out;
}

/** `n` fresh random bytes from the platform CSPRNG. */
export function randomBytes(n: number): Uint8Array {
  return randomFill(new Uint8Array(n));
}
