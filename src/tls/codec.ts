/**
 * Reading and writing the TLS presentation language (RFC 8446 §3): big-endian integers and
 * vectors with 1-, 2- or 3-byte length prefixes. Every read is bounds-checked and a violation is
 * a decode_error.
 * @module
 */
import { decodeError } from './errors.js';

/** A bounds-checked cursor over a message body; any overrun throws decode_error. */
export class Reader {
  readonly #buf: Uint8Array;
  #pos: number;
  readonly #end: number;
  readonly #what: string;

  constructor(buf: Uint8Array, what: string, start = 0, end = buf.length) {
    this.#buf = buf;
    this.#pos = start;
    this.#end = end;
    this.#what = what;
  }

  /** Bytes left. */
  get remaining(): number {
    return this.#end - this.#pos;
  }

  #need(n: number): void {
    if (this.#end - this.#pos < n) throw decodeError(`${this.#what}: truncated`);
  }

  u8(): number {
    this.#need(1);
    return this.#buf[this.#pos++]!;
  }

  u16(): number {
    this.#need(2);
    const b = this.#buf, p = this.#pos;
    this.#pos += 2;
    return (b[p]! << 8) | b[p + 1]!;
  }

  u24(): number {
    this.#need(3);
    const b = this.#buf, p = this.#pos;
    this.#pos += 3;
    return (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;
  }

  u32(): number {
    this.#need(4);
    const b = this.#buf, p = this.#pos;
    this.#pos += 4;
    return ((b[p]! << 24) >>> 0) + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
  }

  /** `n` bytes (a view, not a copy). */
  bytes(n: number): Uint8Array {
    this.#need(n);
    const out = this.#buf.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  /** A vector with a `lenBytes`-byte length prefix, checked against [min, max]. */
  vec(lenBytes: 1 | 2 | 3, min = 0, max = Infinity): Uint8Array {
    const n = lenBytes === 1 ? this.u8() : lenBytes === 2 ? this.u16() : this.u24();
    if (n < min || n > max) throw decodeError(`${this.#what}: vector length ${n} outside ${min}..${max}`);
    return this.bytes(n);
  }

  /** A Reader over a length-prefixed vector. */
  sub(lenBytes: 1 | 2 | 3, what: string, min = 0, max = Infinity): Reader {
    const v = this.vec(lenBytes, min, max);
    return new Reader(v, what);
  }

  /** Throws decode_error unless everything was consumed. */
  end(): void {
    if (this.#pos !== this.#end) throw decodeError(`${this.#what}: ${this.#end - this.#pos} trailing bytes`);
  }
}

/** An append-only byte builder with length-prefixed sections. */
export class Writer {
  #buf: Uint8Array;
  #len = 0;

  constructor(capacity = 256) {
    this.#buf = new Uint8Array(capacity);
  }

  #room(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let cap = this.#buf.length * 2;
    while (cap < this.#len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }

  u8(v: number): this {
    this.#room(1);
    this.#buf[this.#len++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.#room(2);
    this.#buf[this.#len++] = (v >>> 8) & 0xff;
    this.#buf[this.#len++] = v & 0xff;
    return this;
  }

  u24(v: number): this {
    this.#room(3);
    this.#buf[this.#len++] = (v >>> 16) & 0xff;
    this.#buf[this.#len++] = (v >>> 8) & 0xff;
    this.#buf[this.#len++] = v & 0xff;
    return this;
  }

  u32(v: number): this {
    this.#room(4);
    this.#buf[this.#len++] = (v >>> 24) & 0xff;
    this.#buf[this.#len++] = (v >>> 16) & 0xff;
    this.#buf[this.#len++] = (v >>> 8) & 0xff;
    this.#buf[this.#len++] = v & 0xff;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.#room(b.length);
    this.#buf.set(b, this.#len);
    this.#len += b.length;
    return this;
  }

  /** A vector: a `lenBytes` length prefix, then `b`. */
  vec(lenBytes: 1 | 2 | 3, b: Uint8Array): this {
    const max = lenBytes === 1 ? 0xff : lenBytes === 2 ? 0xffff : 0xffffff;
    if (b.length > max) throw new RangeError(`vector of ${b.length} bytes does not fit a ${lenBytes}-byte length`);
    if (lenBytes === 1) this.u8(b.length);
    else if (lenBytes === 2) this.u16(b.length);
    else this.u24(b.length);
    return this.bytes(b);
  }

  /** A vector whose contents `fill` writes; the length prefix is patched afterwards. */
  block(lenBytes: 1 | 2 | 3, fill: (w: this) => void): this {
    this.#room(lenBytes);
    const at = this.#len;
    this.#len += lenBytes;
    fill(this);
    const n = this.#len - at - lenBytes;
    const max = lenBytes === 1 ? 0xff : lenBytes === 2 ? 0xffff : 0xffffff;
    if (n > max) throw new RangeError(`vector of ${n} bytes does not fit a ${lenBytes}-byte length`);
    for (let i = lenBytes - 1, v = n; i >= 0; i--, v >>>= 8) this.#buf[at + i] = v & 0xff;
    return this;
  }

  get length(): number {
    return this.#len;
  }

  /** The bytes written (a copy that owns its memory). */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}

/** A handshake message: type(1) || uint24 length || body (RFC 8446 §4). */
export function handshakeMessage(type: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out[0] = type;
  out[1] = (body.length >>> 16) & 0xff;
  out[2] = (body.length >>> 8) & 0xff;
  out[3] = body.length & 0xff;
  out.set(body, 4);
  return out;
}
