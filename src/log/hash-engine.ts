/**
 * The hashing seam of the log module: queue many short messages, each under one of a few
 * prepared keys, then hash them all in one call.
 *
 * HMAC messages go to `hmacSm3.batch`: one packed buffer of messages with their end offsets,
 * one index per message saying which prepared field key to use, and one output buffer of 32-byte
 * digests: a single crossing into native code per record (or per chunk of NDJSON lines), and the
 * key blocks of every field key are absorbed once, not per message (two SM3 compressions for a
 * short value instead of four).
 *
 * Messages are the UTF-8 bytes of the (normalised) values, so the buffer holds personal data in
 * clear; it is wiped at the end of every `run()`.
 * @module
 */
import { hmacSm3, sm3, type HmacSm3Keys } from '../sm3.js';
import { fieldKey } from './keys.js';

/** HMAC-SM3 (the default) or SM3 of salt || value (compatibility, weaker). */
export type LogHashAlgorithm = 'hmac-sm3' | 'salted-sm3';

const DIGEST = 32;
const INITIAL_BYTES = 4096;
/** Batch sizes whose argument views are kept (records have a few fields each). */
const MAX_CACHED_VIEW = 64;

/**
 * Writes `text` as UTF-8 at `pos` (room for 3 bytes per code unit is reserved); returns the new
 * position. Short ASCII, the usual case for phone and ID numbers, is copied in JavaScript: a call
 * into Buffer#write costs more than the copy.
 */
function writeUtf8(buf: Buffer, pos: number, text: string): number {
  const n = text.length;
  if (n <= 64) {
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) break;
      buf[pos + i] = c;
    }
    if (i === n) return pos + n;
    return pos + i + buf.write(text.slice(i), pos + i, 'utf8');
  }
  return pos + buf.write(text, pos, 'utf8');
}

/** A plain Uint8Array over the memory of `b`. */
const plain = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);

/** A batch hasher over one key; see the module documentation. */
export class HashEngine {
  readonly algorithm: LogHashAlgorithm;
  readonly #key: Uint8Array;
  readonly #domains = new Map<string, number>();
  /** Per domain: the field key (HMAC) or the salt (salted SM3). */
  readonly #keys: Uint8Array[] = [];
  /** The field keys prepared for hmacSm3.batch; remade when a domain is added. */
  #prepared: HmacSm3Keys | undefined;
  #buf: Buffer = Buffer.alloc(INITIAL_BYTES);
  /** #buf as a plain Uint8Array (its fill and views skip Buffer's argument handling). */
  #bytes: Uint8Array = plain(this.#buf);
  #pos = 0;
  #starts: Uint32Array = new Uint32Array(64);
  #ends: Uint32Array = new Uint32Array(64);
  #which: Uint32Array = new Uint32Array(64);
  /**
   * Views of the first n entries of #which and #ends, by n: a record gives the same few batch
   * sizes again and again, and making a view costs more than the hashing of a short value.
   */
  #views: [Uint32Array, Uint32Array][] = [];
  #count = 0;
  #out: Buffer = Buffer.alloc(64 * DIGEST);
  #outBytes: Uint8Array = plain(this.#out);

  /**
   * @param key the key (HMAC) or the salt (salted SM3), already checked and copied
   */
  constructor(key: Uint8Array, algorithm: LogHashAlgorithm) {
    this.#key = key;
    this.algorithm = algorithm;
  }

  /** The index of the prepared key of `domain` (derived on first use). */
  domain(domain: string): number {
    let d = this.#domains.get(domain);
    if (d === undefined) {
      d = this.#keys.length;
      // Salted SM3 has no key to derive: it reproduces SM3(salt || value) as teams compute it.
      this.#keys.push(this.algorithm === 'hmac-sm3' ? fieldKey(this.#key, domain) : this.#key);
      this.#prepared?.destroy();
      this.#prepared = undefined;
      this.#domains.set(domain, d);
    }
    return d;
  }

  /** Messages queued since the last run(). */
  get size(): number {
    return this.#count;
  }

  #reserve(bytes: number): void {
    const need = this.#pos + bytes;
    if (need <= this.#buf.length) return;
    const grown = Buffer.alloc(Math.max(need, this.#buf.length * 2));
    this.#buf.copy(grown, 0, 0, this.#pos);
    this.#buf.fill(0);
    this.#buf = grown;
    this.#bytes = plain(grown);
  }

  /** Queues the UTF-8 bytes of `text` under domain index `domain`; returns its batch position. */
  add(domain: number, text: string): number {
    const i = this.#count;
    if (i === this.#ends.length) {
      const grow = (a: Uint32Array) => {
        const b = new Uint32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.#starts = grow(this.#starts);
      this.#ends = grow(this.#ends);
      this.#which = grow(this.#which);
      this.#views = [];
    }
    const salt = this.algorithm === 'salted-sm3' ? this.#keys[domain]! : undefined;
    // A UTF-16 code unit never takes more than 3 bytes of UTF-8.
    this.#reserve(text.length * 3 + (salt ? salt.length : 0));
    this.#starts[i] = this.#pos;
    if (salt) {
      this.#buf.set(salt, this.#pos);
      this.#pos += salt.length;
    }
    this.#pos = writeUtf8(this.#buf, this.#pos, text);
    this.#ends[i] = this.#pos;
    this.#which[i] = domain;
    this.#count = i + 1;
    return i;
  }

  /**
   * Hashes every queued message and empties the queue. Digest i is `out[32i, 32i + 32)` of the
   * returned buffer, which is reused by the next run (read it before queueing more).
   */
  run(): Buffer {
    const n = this.#count;
    if (this.#out.length < n * DIGEST) {
      this.#out = Buffer.alloc(Math.max(n * DIGEST, this.#out.length * 2));
      this.#outBytes = plain(this.#out);
    }
    const out = this.#out;
    const bytes = this.#bytes;
    try {
      if (n === 0) return out;
      if (this.algorithm === 'hmac-sm3') {
        // HMAC messages are queued back to back from offset 0, so the ends delimit them. The
        // engine builds every argument itself (indices from domain(), increasing ends inside the
        // buffer), so it calls the backend directly rather than through hmacSm3.batch's checks.
        this.#prepared ??= hmacSm3.prepare(this.#keys);
        const [backend, prepared] = this.#prepared.use();
        let view = this.#views[n];
        if (!view) {
          view = [this.#which.subarray(0, n), this.#ends.subarray(0, n)];
          if (n <= MAX_CACHED_VIEW) this.#views[n] = view; // larger batches: a view is cheap next to them
        }
        backend.hmacSm3Batch(prepared, view[0], bytes, view[1], this.#outBytes);
      } else {
        for (let i = 0; i < n; i++) {
          const s = this.#starts[i]!;
          out.set(sm3(bytes.subarray(s, this.#ends[i])), i * DIGEST);
        }
      }
    } finally {
      bytes.fill(0, 0, this.#pos);
      this.#pos = 0;
      this.#count = 0;
    }
    return out;
  }

  /** Hashes one message at once (for single values); returns a fresh 32-byte array. */
  hashOne(domain: number, text: string): Uint8Array {
    this.add(domain, text);
    return new Uint8Array(this.run().subarray(0, DIGEST));
  }

  /** Wipes the derived keys and the buffers; the engine must not be used afterwards. */
  destroy(): void {
    for (const k of this.#keys) k.fill(0);
    this.#prepared?.destroy();
    this.#key.fill(0);
    this.#buf.fill(0);
    this.#out.fill(0);
  }
}
