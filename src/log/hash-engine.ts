/**
 * The hashing seam of the log module: queue many short messages, each under one of a few
 * prepared keys, then hash them all in one call.
 *
 * The shape is that of the batch primitive the backend should grow (see `run()` below): one
 * packed buffer of messages with their end offsets, one index per message saying which prepared
 * key state to start from, and one output buffer of 32-byte digests. Today `run()` loops over the
 * public `hmacSm3` / `sm3` functions (one crossing into native code per message); with a backend
 * batch call it becomes a single crossing per record (or per chunk of NDJSON lines), and the
 * keyed states prepared once per domain save the two compressions of the key pads per message.
 *
 * Messages are the UTF-8 bytes of the (normalised) values, so the buffer holds personal data in
 * clear; it is wiped at the end of every `run()`.
 * @module
 */
import { hmacSm3, sm3, type Sm3Hash } from '../sm3.js';
import { fieldKey } from './keys.js';

/** HMAC-SM3 (the default) or SM3 of salt || value (compatibility, weaker). */
export type LogHashAlgorithm = 'hmac-sm3' | 'salted-sm3';

/**
 * How HMAC messages are computed while there is no backend batch call:
 * - 'oneshot': `hmacSm3(fieldKey, message)`: one crossing per message, but the key pads are
 *   compressed again every time (4 SM3 compressions for a short value). Fastest on the native
 *   backend, where a crossing costs about as much as a compression.
 * - 'clone': `hmacSm3.create(fieldKey)` once per domain, then `clone().update(m).digest()` per
 *   message: 2 compressions, but 2 crossings and a state allocation. Faster on the pure backend.
 */
export type EngineStrategy = 'oneshot' | 'clone';

const DIGEST = 32;
const INITIAL_BYTES = 4096;

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

/** A batch hasher over one key; see the module documentation. */
export class HashEngine {
  readonly algorithm: LogHashAlgorithm;
  /** See {@link EngineStrategy}; may be changed between runs (the benchmark compares both). */
  strategy: EngineStrategy;
  readonly #key: Uint8Array;
  readonly #domains = new Map<string, number>();
  /** Per domain: the field key (HMAC) or the salt (salted SM3). */
  readonly #keys: Uint8Array[] = [];
  readonly #states: (Sm3Hash | undefined)[] = [];
  #buf: Buffer = Buffer.alloc(INITIAL_BYTES);
  #pos = 0;
  #starts: Uint32Array = new Uint32Array(64);
  #ends: Uint32Array = new Uint32Array(64);
  #which: Uint32Array = new Uint32Array(64);
  #count = 0;
  #out: Buffer = Buffer.alloc(64 * DIGEST);

  /**
   * @param key the key (HMAC) or the salt (salted SM3), already checked and copied
   */
  constructor(key: Uint8Array, algorithm: LogHashAlgorithm, strategy: EngineStrategy = 'oneshot') {
    this.#key = key;
    this.algorithm = algorithm;
    this.strategy = strategy;
  }

  /** The index of the prepared key of `domain` (derived on first use). */
  domain(domain: string): number {
    let d = this.#domains.get(domain);
    if (d === undefined) {
      d = this.#keys.length;
      // Salted SM3 has no key to derive: it reproduces SM3(salt || value) as teams compute it.
      this.#keys.push(this.algorithm === 'hmac-sm3' ? fieldKey(this.#key, domain) : this.#key);
      this.#states.push(undefined);
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
   *
   * This loop is what the backend batch primitive replaces:
   * `hmacSm3Batch(states, which, data, ends, out)`, one crossing, no per-message key pads.
   */
  run(): Buffer {
    const n = this.#count;
    if (this.#out.length < n * DIGEST) this.#out = Buffer.alloc(Math.max(n * DIGEST, this.#out.length * 2));
    const out = this.#out;
    const buf = this.#buf;
    // A plain Uint8Array view of each message (Buffer#subarray goes through the slow species
    // constructor and returns a Buffer).
    const ab = buf.buffer;
    const base = buf.byteOffset;
    try {
      for (let i = 0; i < n; i++) {
        const s = this.#starts[i]!;
        const msg = new Uint8Array(ab, base + s, this.#ends[i]! - s);
        const d = this.#which[i]!;
        let digest: Uint8Array;
        if (this.algorithm === 'salted-sm3') digest = sm3(msg);
        else if (this.strategy === 'clone') {
          let state = this.#states[d];
          if (!state) this.#states[d] = state = hmacSm3.create(this.#keys[d]!);
          digest = state.clone().update(msg).digest();
        } else digest = hmacSm3(this.#keys[d]!, msg);
        out.set(digest, i * DIGEST);
      }
    } finally {
      buf.fill(0, 0, this.#pos);
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
    for (const s of this.#states) s?.destroy();
    this.#key.fill(0);
    this.#buf.fill(0);
    this.#out.fill(0);
  }
}
