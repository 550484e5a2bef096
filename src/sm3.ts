/**
 * SM3 (GB/T 32905-2016) and the functions built on it.
 *
 * ```ts
 * import { sm3, hmacSm3, sm3Kdf, hkdfSm3, pbkdf2Sm3 } from 'guomi/sm3';
 * sm3('abc');                                  // Uint8Array(32) 66c7f0f4…
 * const h = sm3.create(); h.update(part1); h.update(part2); h.digest();
 * hmacSm3(key, message);                       // RFC 2104 with SM3
 * sm3Kdf(z, 16);                               // the SM2 KDF, GB/T 32918.4 §5.4.3
 * hkdfSm3(ikm, salt, info, 32);                // RFC 5869 with HMAC-SM3
 * await pbkdf2Sm3Async(password, salt, 100_000, 32);
 * ```
 * @module
 */
import { getBackend } from './backend/select.js';
import type { Backend, HashState } from './backend/types.js';
import { GuomiError } from './errors.js';
import { abytes, aint, toBytes, type BytesLike } from './utils.js';

export { createHash, createHmac, type Sm3NodeHash, type Sm3NodeHmac } from './sm3-stream.js';

/** SM3 output length in bytes. */
export const SM3_DIGEST_LENGTH = 32;
/** SM3 block length in bytes. */
export const SM3_BLOCK_LENGTH = 64;

/** Largest output of sm3Kdf and pbkdf2Sm3 accepted in one call (2 GiB - 1). */
const MAX_OUTPUT = 0x7fffffff;
/** RFC 5869 §2.3: L <= 255 * HashLen. */
const HKDF_MAX = 255 * SM3_DIGEST_LENGTH;

/**
 * A streaming SM3 or HMAC-SM3 computation: update() any number of times, then digest() once.
 * clone() forks the computation; destroy() wipes it.
 */
export class Sm3Hash {
  #state: HashState | undefined;
  readonly #what: string;

  /** @internal Use sm3.create() or hmacSm3.create(key). */
  constructor(state: HashState, what: string) {
    this.#state = state;
    this.#what = what;
  }

  #live(op: string): HashState {
    if (!this.#state) {
      throw new GuomiError('ERR_INVALID_STATE', `${this.#what}: ${op}() after digest() or destroy()`);
    }
    return this.#state;
  }

  /** Adds data (bytes, or a string as UTF-8). Returns this, for chaining. */
  update(data: BytesLike): this {
    const state = this.#live('update');
    state.update(toBytes(data, 'data'));
    return this;
  }

  /** Finishes the computation and returns the 32-byte result. Can be called once. */
  digest(): Uint8Array {
    const state = this.#live('digest');
    this.#state = undefined;
    return state.digest();
  }

  /** An independent copy of the computation so far. */
  clone(): Sm3Hash {
    return new Sm3Hash(this.#live('clone').clone(), this.#what);
  }

  /** Wipes the state; the object cannot be used afterwards. */
  destroy(): void {
    this.#state?.destroy();
    this.#state = undefined;
  }
}

/** SM3 of `data` (bytes, or a string as UTF-8): 32 bytes. */
export interface Sm3Function {
  (data: BytesLike): Uint8Array;
  /** A streaming SM3 computation. */
  create(): Sm3Hash;
}

/**
 * SM3 hash (GB/T 32905-2016).
 * @param data bytes, or a string taken as UTF-8
 * @returns the 32-byte digest
 * @throws TypeError if `data` is not bytes or a string
 * @example sm3('abc') // 66c7f0f462eeedd9…
 */
export const sm3: Sm3Function = /* @__PURE__ */ Object.assign(
  (data: BytesLike): Uint8Array => getBackend().sm3(toBytes(data, 'data')),
  { create: (): Sm3Hash => new Sm3Hash(getBackend().sm3Create(), 'sm3') },
);

/**
 * HMAC-SM3 keys prepared for {@link HmacSm3Function.batch}: for each key, the SM3 states after its
 * ipad and opad blocks (as secret as the keys). Bound to the backend that made them.
 */
export class HmacSm3Keys {
  /** How many keys. */
  readonly count: number;
  #prepared: Uint8Array | undefined;
  readonly #backend: Backend;

  /** @internal Use hmacSm3.prepare(keys). */
  constructor(backend: Backend, prepared: Uint8Array, count: number) {
    this.#backend = backend;
    this.#prepared = prepared;
    this.count = count;
  }

  /** @internal */
  use(): [Backend, Uint8Array] {
    if (!this.#prepared) throw new GuomiError('ERR_INVALID_STATE', 'hmacSm3.batch: the keys were destroyed');
    return [this.#backend, this.#prepared];
  }

  /** Wipes the prepared keys. */
  destroy(): void {
    this.#prepared?.fill(0);
    this.#prepared = undefined;
  }
}

/** HMAC-SM3 of `data` under `key`: 32 bytes. */
export interface HmacSm3Function {
  (key: BytesLike, data: BytesLike): Uint8Array;
  /** A streaming HMAC-SM3 computation under `key`. */
  create(key: BytesLike): Sm3Hash;
  /** Prepares keys for {@link HmacSm3Function.batch}. */
  prepare(keys: readonly BytesLike[]): HmacSm3Keys;
  /**
   * Many HMACs in one call (one crossing into native code): for i < which.length,
   * out[32i .. 32i + 32) = HMAC-SM3 under keys[which[i]] of data[ends[i-1] .. ends[i]), with
   * ends[-1] = 0 — the messages packed one after another in `data`. Returns `out` (allocated
   * when not given). Short messages (up to 55 bytes) cost two SM3 compressions each instead of
   * four, since the key blocks are already absorbed.
   * @throws TypeError / RangeError for arrays of the wrong type, an index >= keys.count, ends
   *   that decrease or pass data.length, or an `out` shorter than 32 * which.length
   */
  batch(keys: HmacSm3Keys, which: Uint32Array, data: Uint8Array, ends: Uint32Array, out?: Uint8Array): Uint8Array;
}

function hmacPrepare(keys: readonly BytesLike[]): HmacSm3Keys {
  if (!Array.isArray(keys)) throw new TypeError('"keys" must be an array of keys');
  const b = getBackend();
  const prepared = new Uint8Array(new ArrayBuffer(64 * keys.length));
  keys.forEach((k, i) => {
    const one = b.hmacSm3Prepare(toBytes(k, `keys[${i}]`));
    prepared.set(one, 64 * i);
    one.fill(0);
  });
  return new HmacSm3Keys(b, prepared, keys.length);
}

function hmacBatch(keys: HmacSm3Keys, which: Uint32Array, data: Uint8Array, ends: Uint32Array, out?: Uint8Array): Uint8Array {
  if (!(keys instanceof HmacSm3Keys)) throw new TypeError('"keys" must come from hmacSm3.prepare()');
  if (!(which instanceof Uint32Array)) throw new TypeError('"which" must be a Uint32Array');
  if (!(ends instanceof Uint32Array)) throw new TypeError('"ends" must be a Uint32Array');
  abytes(data, 'data');
  const n = which.length;
  if (ends.length !== n) throw new RangeError(`"ends" must have one entry per message (${n}), got ${ends.length}`);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    if (which[i]! >= keys.count) throw new RangeError(`"which[${i}]" must be less than ${keys.count}`);
    const e = ends[i]!;
    if (e < prev || e > data.length) throw new RangeError(`"ends[${i}]" must be from ${prev} to ${data.length}`);
    prev = e;
  }
  const output = out === undefined ? new Uint8Array(32 * n) : abytes(out, 'out');
  if (output.length < 32 * n) throw new RangeError(`"out" must be at least ${32 * n} bytes long, got ${output.length}`);
  const [b, prepared] = keys.use();
  b.hmacSm3Batch(prepared, which, data, ends, output);
  return output;
}

/**
 * HMAC-SM3 (RFC 2104 with SM3; GM/T 0042-2015). Keys of any length; longer than 64 bytes are
 * hashed first.
 * @example hmacSm3('Jefe', 'what do ya want for nothing?') // 2e87f1d1…
 */
export const hmacSm3: HmacSm3Function = /* @__PURE__ */ Object.assign(
  (key: BytesLike, data: BytesLike): Uint8Array =>
    getBackend().hmacSm3(toBytes(key, 'key'), toBytes(data, 'data')),
  {
    create: (key: BytesLike): Sm3Hash =>
      new Sm3Hash(getBackend().hmacSm3Create(toBytes(key, 'key')), 'hmacSm3'),
    prepare: hmacPrepare,
    batch: hmacBatch,
  },
);

/**
 * The SM2 key-derivation function KDF(Z, klen) of GB/T 32918.4-2016 §5.4.3 (SM3 of Z with a
 * 32-bit big-endian counter from 1), returning `length` bytes.
 * @throws RangeError if `length` is not an integer from 0 to 2^31 - 1
 */
export function sm3Kdf(z: BytesLike, length: number): Uint8Array {
  const zb = toBytes(z, 'z');
  aint(length, 'length', 0, MAX_OUTPUT);
  return getBackend().sm3Kdf(zb, length);
}

/** HKDF with HMAC-SM3 (RFC 5869), with its two steps also available separately. */
export interface HkdfSm3Function {
  /** Extract-then-expand: `length` (0..8160) bytes of output keying material. */
  (ikm: BytesLike, salt: BytesLike, info: BytesLike, length: number): Uint8Array;
  /** HKDF-Extract: PRK = HMAC-SM3(salt, ikm); an empty salt acts as 32 zero bytes. */
  extract(salt: BytesLike, ikm: BytesLike): Uint8Array;
  /** HKDF-Expand: `length` (0..8160) bytes from a pseudorandom key. */
  expand(prk: BytesLike, info: BytesLike, length: number): Uint8Array;
}

function hkdfExpand(prk: BytesLike, info: BytesLike, length: number): Uint8Array {
  const p = toBytes(prk, 'prk');
  const i = toBytes(info, 'info');
  aint(length, 'length', 0, HKDF_MAX);
  return getBackend().hkdfSm3Expand(p, i, length);
}

function hkdfExtract(salt: BytesLike, ikm: BytesLike): Uint8Array {
  return getBackend().hkdfSm3Extract(toBytes(salt, 'salt'), toBytes(ikm, 'ikm'));
}

/**
 * HKDF-SM3 (RFC 5869 with HMAC-SM3; RFC 8998 §3.4 uses it for the TLS 1.3 key schedule).
 * @throws RangeError if `length` is not an integer from 0 to 8160 (255 × 32)
 */
export const hkdfSm3: HkdfSm3Function = /* @__PURE__ */ Object.assign(
  (ikm: BytesLike, salt: BytesLike, info: BytesLike, length: number): Uint8Array => {
    const i = toBytes(ikm, 'ikm');
    const s = toBytes(salt, 'salt');
    const inf = toBytes(info, 'info');
    aint(length, 'length', 0, HKDF_MAX);
    const b = getBackend();
    const prk = b.hkdfSm3Extract(s, i);
    const out = b.hkdfSm3Expand(prk, inf, length);
    prk.fill(0);
    return out;
  },
  { extract: hkdfExtract, expand: hkdfExpand },
);

function pbkdf2Args(
  password: BytesLike,
  salt: BytesLike,
  iterations: number,
  length: number,
): [Uint8Array, Uint8Array] {
  const p = toBytes(password, 'password');
  const s = toBytes(salt, 'salt');
  aint(iterations, 'iterations', 1, 0xffffffff);
  aint(length, 'length', 0, MAX_OUTPUT);
  return [p, s];
}

/**
 * PBKDF2 with HMAC-SM3 as the PRF (RFC 8018 §5.2). Blocks the thread for the whole computation;
 * prefer {@link pbkdf2Sm3Async} on a server.
 * @throws RangeError if `iterations` is not 1..2^32-1 or `length` not 0..2^31-1
 */
export function pbkdf2Sm3(
  password: BytesLike,
  salt: BytesLike,
  iterations: number,
  length: number,
): Uint8Array {
  const [p, s] = pbkdf2Args(password, salt, iterations, length);
  return getBackend().pbkdf2Sm3(p, s, iterations, length);
}

/**
 * PBKDF2-HMAC-SM3 on the libuv thread pool (native backend) or on a later tick (pure backend).
 * The inputs are copied at call time, so the caller may reuse its buffers at once.
 */
export async function pbkdf2Sm3Async(
  password: BytesLike,
  salt: BytesLike,
  iterations: number,
  length: number,
): Promise<Uint8Array> {
  const [p, s] = pbkdf2Args(password, salt, iterations, length);
  return getBackend().pbkdf2Sm3Async(p, s, iterations, length);
}
