/**
 * node:crypto-compatible SM3 and HMAC-SM3 objects: `createHash('sm3')` and
 * `createHmac('sm3', key)` return Transform streams with update(data, inputEncoding),
 * digest(encoding) and copy(), as node:crypto's Hash and Hmac do, so code written for
 * node:crypto can switch to guomi by changing its import.
 * @module
 */
import { Buffer } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { getBackend } from './backend/select.js';
import type { HashState } from './backend/types.js';
import { GuomiError } from './errors.js';

/**
 * What node:crypto accepts as a key or data: bytes (any ArrayBufferView or ArrayBuffer), or a string
 * (UTF-8 unless an encoding is given).
 * @inline
 */
type BinaryLike = string | NodeJS.ArrayBufferView | ArrayBuffer;

function toBuffer(data: unknown, encoding: BufferEncoding | undefined, name: string): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, encoding ?? 'utf8');
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError(
    `"${name}" must be a string, Buffer, TypedArray, DataView or ArrayBuffer, got ${data === null ? 'null' : typeof data}`,
  );
}

function checkAlgorithm(algorithm: unknown): void {
  if (typeof algorithm !== 'string') {
    throw new TypeError(`"algorithm" must be a string, got ${typeof algorithm}`);
  }
  if (algorithm.toLowerCase() !== 'sm3') {
    throw new GuomiError('ERR_UNSUPPORTED', `guomi provides only 'sm3' here, got '${algorithm}'`);
  }
}

/** Shared behaviour of the Hash and Hmac objects. */
abstract class Sm3Transform extends Transform {
  #state: HashState | undefined;
  readonly #what: string;

  protected constructor(state: HashState, what: string) {
    super();
    this.#state = state;
    this.#what = what;
  }

  protected live(op: string): HashState {
    if (!this.#state) {
      throw new GuomiError('ERR_INVALID_STATE', `${this.#what}: ${op}() after digest()`);
    }
    return this.#state;
  }

  /** Adds data; strings are decoded with `inputEncoding` (default UTF-8). */
  update(data: BinaryLike, inputEncoding?: BufferEncoding): this {
    this.live('update').update(toBuffer(data, inputEncoding, 'data'));
    return this;
  }

  /** Finishes: a Buffer, or a string in `encoding` ('hex', 'base64', …). Once only. */
  digest(): Buffer;
  digest(encoding: BufferEncoding): string;
  digest(encoding?: BufferEncoding): Buffer | string {
    const state = this.live('digest');
    this.#state = undefined;
    const out = Buffer.from(state.digest());
    return encoding ? out.toString(encoding) : out;
  }

  /** @internal The stream.Transform hook. */
  override _transform(chunk: unknown, encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.live('write').update(toBuffer(chunk, encoding === 'buffer' as BufferEncoding ? undefined : encoding, 'chunk'));
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  /** @internal The stream.Transform hook. */
  override _flush(callback: TransformCallback): void {
    try {
      this.push(this.digest());
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  protected cloneState(): HashState {
    return this.live('copy').clone();
  }
}

/** node:crypto-style SM3 Hash object (a Transform stream). */
export class Sm3NodeHash extends Sm3Transform {
  /** @internal Use createHash('sm3'). */
  constructor(state: HashState) {
    super(state, 'Hash');
  }

  /** A copy of the hash so far (node:crypto Hash.copy()). */
  copy(): Sm3NodeHash {
    return new Sm3NodeHash(this.cloneState());
  }
}

/** node:crypto-style HMAC-SM3 Hmac object (a Transform stream). */
export class Sm3NodeHmac extends Sm3Transform {
  /** @internal Use createHmac('sm3', key). */
  constructor(state: HashState) {
    super(state, 'Hmac');
  }
}

/**
 * `createHash('sm3')`, as in node:crypto.
 * @throws GuomiError ERR_UNSUPPORTED for any algorithm other than 'sm3'
 */
export function createHash(algorithm: 'sm3' | (string & {})): Sm3NodeHash {
  checkAlgorithm(algorithm);
  return new Sm3NodeHash(getBackend().sm3Create());
}

/**
 * `createHmac('sm3', key)`, as in node:crypto. The key may be bytes or a string (UTF-8).
 * @throws GuomiError ERR_UNSUPPORTED for any algorithm other than 'sm3'
 */
export function createHmac(algorithm: 'sm3' | (string & {}), key: BinaryLike): Sm3NodeHmac {
  checkAlgorithm(algorithm);
  return new Sm3NodeHmac(getBackend().hmacSm3Create(toBuffer(key, undefined, 'key')));
}
