/**
 * node:crypto-compatible SM4 ciphers: `createCipheriv(name, key, iv, options)` and
 * `createDecipheriv(...)` return Transform streams with update(data, inputEncoding,
 * outputEncoding), final(outputEncoding), setAutoPadding(), setAAD(), getAuthTag() and
 * setAuthTag(), as node:crypto's Cipheriv and Decipheriv do, for 'sm4-ecb', 'sm4-cbc' (also
 * 'sm4'), 'sm4-ctr', 'sm4-cfb' (also 'sm4-cfb128'), 'sm4-ofb', 'sm4-gcm', 'sm4-ccm' and
 * 'sm4-xts' (any letter case). Node.js 20's OpenSSL 3.0 has no SM4-GCM, -CCM or -XTS; these
 * fill the gap with the same calling conventions.
 *
 * Differences from node:crypto, all deliberate:
 * - **GCM and CCM decryption release no plaintext before the tag verifies**: update() returns an
 *   empty buffer and keeps the ciphertext; final() checks the tag and returns the whole
 *   plaintext, or throws GuomiError ERR_AUTH_FAILED and returns nothing. setAuthTag() may
 *   therefore come at any point before final() (node wants it before update() for CCM).
 * - CCM: `authTagLength` defaults to 16 (node requires it); the decipher takes the tag length
 *   from setAuthTag() when the option is absent. As in node, the message must be known in full
 *   before encryption: either pass `plaintextLength` to setAAD() (then update() calls are
 *   buffered until that many bytes have arrived) or give the whole message to one update().
 * - XTS encrypts one data unit per cipher object: update() buffers and final() returns the
 *   whole result (OpenSSL treats every update() call as a separate data unit with the same
 *   tweak). The `variant` option selects 'gb' (default, GB/T 17964-2021, OpenSSL's default) or
 *   'ieee'.
 * - Errors: wrong types are TypeError, wrong lengths RangeError, calls in the wrong order
 *   GuomiError ERR_INVALID_STATE, bad padding ERR_BAD_PADDING and bad tags ERR_AUTH_FAILED,
 *   instead of node's ERR_CRYPTO_* and OpenSSL codes.
 * @module
 */
import { Buffer } from 'node:buffer';
import type { KeyObject } from 'node:crypto';
import { Transform, type TransformCallback, type TransformOptions } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { getBackend } from './backend/select.js';
import type { Sm4Backend, Sm4GcmState, Sm4Key, Sm4StreamState } from './backend/types.js';
import { GuomiError } from './errors.js';
import {
  BLOCK,
  GCM_MAX_DATA,
  XTS_MAX_DATA,
  authFailed,
  ccmMaxData,
  checkCcmNonce,
  checkCcmTagLength,
  checkGcmIv,
  checkGcmTagLength,
  expandKeys,
  pkcs7Block,
  pkcs7PadLength,
  wipeKeys,
} from './sm4-common.js';
import { aint, aoneOf, concatBytes, copyBytes, wipe } from './utils.js';

/**
 * What node:crypto accepts as a key, IV, AAD or data: bytes (any ArrayBufferView or ArrayBuffer), or a string
 * (UTF-8 unless an encoding is given).
 * @inline
 */
type BinaryLike = string | NodeJS.ArrayBufferView | ArrayBuffer;

/** The cipher names accepted by {@link createCipheriv} (any letter case). */
export type Sm4CipherName =
  | 'sm4'
  | 'sm4-ecb'
  | 'sm4-cbc'
  | 'sm4-ctr'
  | 'sm4-cfb'
  | 'sm4-cfb128'
  | 'sm4-ofb'
  | 'sm4-gcm'
  | 'sm4-ccm'
  | 'sm4-xts';

/** Options of {@link createCipheriv} and {@link createDecipheriv}. */
export interface Sm4StreamOptions extends TransformOptions {
  /** GCM: 4, 8 or 12..16 (default 16); CCM: 4, 6, …, 16 (default 16). Ignored by other modes. */
  authTagLength?: number;
  /** XTS: 'gb' (default) or 'ieee'. */
  variant?: 'gb' | 'ieee';
}

type ModeName = 'ecb' | 'cbc' | 'ctr' | 'cfb' | 'ofb' | 'gcm' | 'ccm' | 'xts';

const NAMES: Record<string, ModeName> = {
  'sm4': 'cbc',
  'sm4-ecb': 'ecb',
  'sm4-cbc': 'cbc',
  'sm4-ctr': 'ctr',
  'sm4-cfb': 'cfb',
  'sm4-cfb128': 'cfb',
  'sm4-ofb': 'ofb',
  'sm4-gcm': 'gcm',
  'sm4-ccm': 'ccm',
  'sm4-xts': 'xts',
};

const EMPTY = /* @__PURE__ */ new Uint8Array(0);

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

function toBytes(data: unknown, encoding: BufferEncoding | undefined, name: string): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, encoding ?? 'utf8');
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError(
    `"${name}" must be a string, Buffer, TypedArray, DataView or ArrayBuffer, got ${describe(data)}`,
  );
}

function isKeyObject(key: unknown): key is KeyObject {
  return (
    typeof key === 'object' &&
    key !== null &&
    (key as { type?: unknown }).type === 'secret' &&
    typeof (key as { export?: unknown }).export === 'function'
  );
}

function invalidState(what: string): GuomiError {
  return new GuomiError('ERR_INVALID_STATE', what);
}

/** What a mode does with the data of one stream. */
interface Engine {
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
  setAutoPadding?(on: boolean): void;
  aad?(data: Uint8Array, plaintextLength: number | undefined): void;
  /** Cipher: the tag, after final(). */
  tag?(): Uint8Array | undefined;
  /** Decipher: the expected tag. */
  setTag?(tag: Uint8Array): void;
  destroy(): void;
}

/** ECB and CBC over a stream: whole blocks go out at once, the rest waits for more data. */
class BlockEngine implements Engine {
  readonly #b: Sm4Backend;
  readonly #key: Sm4Key;
  readonly #decrypt: boolean;
  /** The CBC chaining value (advanced by the backend), or undefined for ECB. */
  readonly #iv: Uint8Array | undefined;
  #padding = true;
  /** Bytes not yet processed: fewer than 16, or exactly 16 held back for the padding check. */
  #pending: Uint8Array = EMPTY;

  constructor(b: Sm4Backend, key: Sm4Key, decrypt: boolean, iv: Uint8Array | undefined) {
    this.#b = b;
    this.#key = key;
    this.#decrypt = decrypt;
    this.#iv = iv && copyBytes(iv);
  }

  setAutoPadding(on: boolean): void {
    this.#padding = on;
  }

  #run(input: Uint8Array, output: Uint8Array): void {
    if (input.length === 0) return;
    if (this.#iv) this.#b.sm4Cbc(this.#key, this.#decrypt, this.#iv, input, output);
    else this.#b.sm4Ecb(this.#key, this.#decrypt, input, output);
  }

  update(data: Uint8Array): Uint8Array {
    const total = this.#pending.length + data.length;
    // When decrypting with padding the last whole block is kept until final(), as OpenSSL does.
    const blocks =
      this.#decrypt && this.#padding ? Math.max(0, Math.floor((total - 1) / BLOCK)) : Math.floor(total / BLOCK);
    const all = this.#pending.length > 0 ? concatBytes(this.#pending, data) : data;
    const n = blocks * BLOCK;
    const out = new Uint8Array(n);
    this.#run(all.subarray(0, n), out);
    const rest = copyBytes(all.subarray(n));
    wipe(this.#pending);
    if (all !== data) wipe(all);
    this.#pending = rest;
    return out;
  }

  final(): Uint8Array {
    const pending = this.#pending;
    this.#pending = EMPTY;
    try {
      if (!this.#padding) {
        if (pending.length !== 0) throw wrongLength();
        return EMPTY;
      }
      if (!this.#decrypt) {
        const block = pkcs7Block(pending);
        const out = new Uint8Array(BLOCK);
        this.#run(block, out);
        wipe(block);
        return out;
      }
      if (pending.length !== BLOCK) throw wrongLength();
      const last = new Uint8Array(BLOCK);
      this.#run(pending, last);
      let n: number;
      try {
        n = pkcs7PadLength(last);
      } catch (err) {
        wipe(last);
        throw err;
      }
      const out = last.slice(0, BLOCK - n);
      wipe(last);
      return out;
    } finally {
      wipe(pending);
    }
  }

  destroy(): void {
    wipe(this.#pending, this.#iv);
    this.#pending = EMPTY;
  }
}

function wrongLength(): RangeError {
  return new RangeError('"data" must be a multiple of 16 bytes long in total (wrong final block length)');
}

/** CTR, CFB and OFB: output as the input arrives. */
class StreamEngine implements Engine {
  readonly #state: Sm4StreamState;

  constructor(state: Sm4StreamState) {
    this.#state = state;
  }

  update(data: Uint8Array): Uint8Array {
    const out = new Uint8Array(data.length);
    this.#state.update(data, out);
    return out;
  }

  final(): Uint8Array {
    this.#state.destroy();
    return EMPTY;
  }

  destroy(): void {
    this.#state.destroy();
  }
}

/** GCM encryption: ciphertext as the input arrives, the tag at final(). */
class GcmEncryptEngine implements Engine {
  readonly #state: Sm4GcmState;
  readonly #tagLength: number;
  #started = false;
  #length = 0;
  #tag: Uint8Array | undefined;

  constructor(state: Sm4GcmState, tagLength: number) {
    this.#state = state;
    this.#tagLength = tagLength;
  }

  aad(data: Uint8Array): void {
    if (this.#started) throw invalidState('setAAD() must come before update()');
    this.#state.aad(data);
  }

  update(data: Uint8Array): Uint8Array {
    this.#started = true;
    this.#length += data.length;
    if (this.#length > GCM_MAX_DATA) throw new RangeError(`GCM takes at most ${GCM_MAX_DATA} bytes`);
    const out = new Uint8Array(data.length);
    this.#state.update(data, out);
    return out;
  }

  final(): Uint8Array {
    const full = this.#state.final();
    this.#tag = full.slice(0, this.#tagLength);
    wipe(full);
    return EMPTY;
  }

  tag(): Uint8Array | undefined {
    return this.#tag;
  }

  destroy(): void {
    this.#state.destroy();
  }
}

/**
 * GCM and CCM decryption, and XTS: the input is kept until final(), which runs the one-shot
 * backend call (for GCM and CCM only after the tag has been given).
 */
class BufferedEngine implements Engine {
  #chunks: Uint8Array[] = [];
  #length = 0;
  #aad: Uint8Array[] = [];
  #started = false;
  #declared: number | undefined;
  #tag: Uint8Array | undefined;
  readonly #finish: (data: Uint8Array, aad: Uint8Array, tag: Uint8Array | undefined) => Uint8Array;
  readonly #checkTag: ((tag: Uint8Array) => void) | undefined;
  readonly #max: number;

  constructor(
    max: number,
    finish: (data: Uint8Array, aad: Uint8Array, tag: Uint8Array | undefined) => Uint8Array,
    checkTag?: (tag: Uint8Array) => void,
  ) {
    this.#max = max;
    this.#finish = finish;
    this.#checkTag = checkTag;
  }

  aad(data: Uint8Array, plaintextLength: number | undefined): void {
    if (this.#started) throw invalidState('setAAD() must come before update()');
    this.#aad.push(copyBytes(data));
    if (plaintextLength !== undefined) this.#declared = plaintextLength;
  }

  setTag(tag: Uint8Array): void {
    if (this.#tag) throw invalidState('setAuthTag() can be called once');
    this.#checkTag!(tag);
    this.#tag = copyBytes(tag);
  }

  update(data: Uint8Array): Uint8Array {
    this.#started = true;
    this.#length += data.length;
    if (this.#length > this.#max) throw new RangeError(`"data" is too long: at most ${this.#max} bytes here`);
    if (this.#declared !== undefined && this.#length > this.#declared) {
      throw new RangeError(`more data than the plaintextLength (${this.#declared}) given to setAAD()`);
    }
    if (data.length > 0) this.#chunks.push(copyBytes(data));
    return EMPTY;
  }

  final(): Uint8Array {
    if (this.#declared !== undefined && this.#length !== this.#declared) {
      throw new RangeError(`got ${this.#length} bytes of data, but setAAD() declared ${this.#declared}`);
    }
    if (this.#checkTag && !this.#tag) throw invalidState('setAuthTag() must be called before final()');
    const data = this.#chunks.length === 1 ? this.#chunks[0]! : concatBytes(...this.#chunks);
    const aad = this.#aad.length === 1 ? this.#aad[0]! : concatBytes(...this.#aad);
    try {
      return this.#finish(data, aad, this.#tag);
    } finally {
      this.destroy();
      wipe(data);
    }
  }

  destroy(): void {
    wipe(...this.#chunks);
    this.#chunks = [];
    this.#aad = [];
  }
}

/** CCM encryption: the whole message is needed before anything can be encrypted. */
class CcmEncryptEngine implements Engine {
  readonly #run: (data: Uint8Array, aad: Uint8Array) => Uint8Array;
  readonly #tagLength: number;
  readonly #max: number;
  #aad: Uint8Array[] = [];
  #declared: number | undefined;
  #chunks: Uint8Array[] = [];
  #length = 0;
  #started = false;
  #done = false;
  #tag: Uint8Array | undefined;

  constructor(max: number, tagLength: number, run: (data: Uint8Array, aad: Uint8Array) => Uint8Array) {
    this.#max = max;
    this.#tagLength = tagLength;
    this.#run = run;
  }

  aad(data: Uint8Array, plaintextLength: number | undefined): void {
    if (this.#started) throw invalidState('setAAD() must come before update()');
    this.#aad.push(copyBytes(data));
    if (plaintextLength !== undefined) this.#declared = plaintextLength;
  }

  #encrypt(): Uint8Array {
    const data = concatBytes(...this.#chunks);
    wipe(...this.#chunks);
    this.#chunks = [];
    const sealed = this.#run(data, concatBytes(...this.#aad));
    wipe(data);
    this.#done = true;
    const n = sealed.length - this.#tagLength;
    this.#tag = sealed.slice(n);
    return sealed.subarray(0, n);
  }

  update(data: Uint8Array): Uint8Array {
    this.#started = true;
    if (this.#done) {
      if (data.length === 0) return EMPTY;
      throw invalidState(
        'CCM encrypts the whole message at once: give it to one update() call, or declare its length with setAAD(aad, { plaintextLength })',
      );
    }
    this.#length += data.length;
    if (this.#length > this.#max) throw new RangeError(`"data" is too long: at most ${this.#max} bytes with this nonce`);
    if (this.#declared !== undefined && this.#length > this.#declared) {
      throw new RangeError(`more data than the plaintextLength (${this.#declared}) given to setAAD()`);
    }
    this.#chunks.push(copyBytes(data));
    if (this.#declared === undefined || this.#length === this.#declared) return this.#encrypt();
    return EMPTY;
  }

  final(): Uint8Array {
    if (this.#done) return EMPTY;
    if (this.#declared !== undefined && this.#length !== this.#declared) {
      throw new RangeError(`got ${this.#length} bytes of data, but setAAD() declared ${this.#declared}`);
    }
    return this.#encrypt();
  }

  tag(): Uint8Array | undefined {
    return this.#tag;
  }

  destroy(): void {
    wipe(...this.#chunks);
    this.#chunks = [];
  }
}

/** Shared behaviour of the Cipheriv and Decipheriv objects. */
abstract class Sm4NodeBase extends Transform {
  #engine: Engine | undefined;
  #keys: Sm4Key[] | undefined;
  readonly #what: string;
  #decoder: StringDecoder | undefined;
  #decoderEncoding: string | undefined;

  protected constructor(what: string, engine: Engine, keys: Sm4Key[], options: TransformOptions | undefined) {
    super(options);
    this.#what = what;
    this.#engine = engine;
    this.#keys = keys;
  }

  protected live(op: string): Engine {
    if (!this.#engine) throw invalidState(`${this.#what}: ${op}() after final()`);
    return this.#engine;
  }

  /** The engine, which lives on after final() for getAuthTag(). */
  protected engineForTag(): Engine | undefined {
    return this.#lastEngine;
  }

  #lastEngine: Engine | undefined;

  #output(out: Uint8Array, encoding: BufferEncoding | 'buffer' | undefined, end: boolean): Buffer | string {
    const buf = Buffer.from(out.buffer, out.byteOffset, out.length);
    if (!encoding || encoding === 'buffer') return buf;
    // StringDecoder normalises the name ('UTF-8' → 'utf8') and throws for unknown encodings.
    const decoder = new StringDecoder(encoding);
    const normalised = (decoder as unknown as { encoding: string }).encoding;
    if (!this.#decoder) {
      this.#decoder = decoder;
      this.#decoderEncoding = normalised;
    } else if (this.#decoderEncoding !== normalised) {
      throw invalidState(`${this.#what}: cannot change the output encoding`);
    }
    return end ? this.#decoder.end(buf) : this.#decoder.write(buf);
  }

  update(data: BinaryLike): Buffer;
  update(data: string, inputEncoding: BufferEncoding): Buffer;
  update(data: NodeJS.ArrayBufferView, inputEncoding: undefined, outputEncoding: BufferEncoding): string;
  update(data: string, inputEncoding: BufferEncoding | undefined, outputEncoding: BufferEncoding): string;
  /**
   * Adds data and returns the output available so far. GCM and CCM decryption and XTS return
   * an empty buffer here and everything from final().
   * @param data bytes, or a string decoded with `inputEncoding` (default UTF-8)
   * @param inputEncoding the encoding of a string `data`
   * @param outputEncoding return a string in this encoding instead of a Buffer
   * @returns the output so far
   * @throws GuomiError ERR_INVALID_STATE after final(); RangeError past a mode's length limit
   * @example const hex = cipher.update('plaintext', 'utf8', 'hex') + cipher.final('hex');
   */
  update(data: BinaryLike, inputEncoding?: BufferEncoding, outputEncoding?: BufferEncoding): Buffer | string {
    const engine = this.live('update');
    const out = engine.update(toBytes(data, inputEncoding, 'data'));
    return this.#output(out, outputEncoding, false);
  }

  final(): Buffer;
  final(outputEncoding: BufferEncoding): string;
  /**
   * Finishes and returns the remaining output. Once only.
   * @param outputEncoding return a string in this encoding instead of a Buffer
   * @returns the rest of the output (for GCM and CCM decryption: all the plaintext)
   * @throws GuomiError ERR_AUTH_FAILED (tag mismatch, no plaintext), ERR_BAD_PADDING,
   *   ERR_INVALID_STATE (second call, or no tag given to a GCM/CCM decipher); RangeError when
   *   the total length does not suit the mode
   * @example const out = Buffer.concat([cipher.update(data), cipher.final()]);
   */
  final(outputEncoding?: BufferEncoding): Buffer | string {
    const engine = this.live('final');
    this.#engine = undefined;
    this.#lastEngine = engine;
    let out: Uint8Array;
    try {
      out = engine.final();
    } finally {
      engine.destroy();
      if (this.#keys) wipeKeys(this.#keys);
      this.#keys = undefined;
    }
    return this.#output(out, outputEncoding, true);
  }

  /**
   * ECB and CBC: turns PKCS#7 padding on (default) or off. Other modes ignore it, as in
   * node:crypto.
   * @param autoPadding false to turn padding off
   * @returns this
   * @throws GuomiError ERR_INVALID_STATE after final()
   * @example createCipheriv('sm4-ecb', key, null).setAutoPadding(false)
   */
  setAutoPadding(autoPadding = true): this {
    this.live('setAutoPadding').setAutoPadding?.(autoPadding !== false);
    return this;
  }

  /**
   * GCM and CCM: adds additional authenticated data; before any update().
   * @param buffer the AAD (a string is decoded with `options.encoding`, default UTF-8)
   * @param options `plaintextLength` (CCM: the message length, so that update() calls can be
   *   buffered until it is reached); `encoding`
   * @returns this
   * @throws GuomiError ERR_INVALID_STATE after update() or for other modes
   * @example createCipheriv('sm4-ccm', key, nonce).setAAD(header, { plaintextLength: body.length })
   */
  setAAD(buffer: BinaryLike, options?: { plaintextLength?: number; encoding?: BufferEncoding }): this {
    const engine = this.live('setAAD');
    if (!engine.aad) throw invalidState(`${this.#what}: setAAD() is only for GCM and CCM`);
    const plaintextLength =
      options?.plaintextLength === undefined
        ? undefined
        : aint(options.plaintextLength, 'plaintextLength', 0, Number.MAX_SAFE_INTEGER);
    engine.aad(toBytes(buffer, options?.encoding, 'buffer'), plaintextLength);
    return this;
  }

  /** @internal The stream.Transform hook. */
  override _transform(chunk: unknown, encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      const enc = (encoding as string) === 'buffer' ? undefined : encoding;
      this.push(this.live('write').update(toBytes(chunk, enc, 'chunk')));
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  /** @internal The stream.Transform hook. */
  override _flush(callback: TransformCallback): void {
    try {
      this.push(this.final());
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  /** @internal The stream.Transform hook. */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#engine?.destroy();
    this.#engine = undefined;
    if (this.#keys) wipeKeys(this.#keys);
    this.#keys = undefined;
    callback(error);
  }
}

/** node:crypto-style SM4 Cipheriv (a Transform stream). */
export class Sm4NodeCipher extends Sm4NodeBase {
  /** @internal Use createCipheriv(). */
  constructor(engine: Engine, keys: Sm4Key[], options: TransformOptions | undefined) {
    super('Cipheriv', engine, keys, options);
  }

  /**
   * GCM and CCM: the authentication tag, after final().
   * @returns `authTagLength` bytes (default 16)
   * @throws GuomiError ERR_INVALID_STATE before final() or for other modes
   * @example cipher.final(); const tag = cipher.getAuthTag();
   */
  getAuthTag(): Buffer {
    const tag = this.engineForTag()?.tag?.();
    if (!tag) throw invalidState('Cipheriv: getAuthTag() is available after final(), for GCM and CCM');
    return Buffer.from(tag);
  }
}

/** node:crypto-style SM4 Decipheriv (a Transform stream). */
export class Sm4NodeDecipher extends Sm4NodeBase {
  /** @internal Use createDecipheriv(). */
  constructor(engine: Engine, keys: Sm4Key[], options: TransformOptions | undefined) {
    super('Decipheriv', engine, keys, options);
  }

  /**
   * GCM and CCM: the expected authentication tag; once, before final().
   * @param buffer the tag (a string is decoded with `encoding`)
   * @param encoding the encoding of a string tag
   * @returns this
   * @example createDecipheriv('sm4-gcm', key, iv).setAuthTag(tag)
   * @throws RangeError for a tag length the mode does not allow (or not `authTagLength`)
   * @throws GuomiError ERR_INVALID_STATE when called twice, after final() or for other modes
   */
  setAuthTag(buffer: BinaryLike, encoding?: BufferEncoding): this {
    const engine = this.live('setAuthTag');
    if (!engine.setTag) throw invalidState('Decipheriv: setAuthTag() is only for GCM and CCM');
    engine.setTag(toBytes(buffer, encoding, 'buffer'));
    return this;
  }
}

interface Setup {
  mode: ModeName;
  b: Sm4Backend;
  keys: Sm4Key[];
  iv: Uint8Array | undefined;
  tagLength: number | undefined;
  variant: 'gb' | 'ieee';
  options: Sm4StreamOptions | undefined;
}

function setup(name: unknown, key: unknown, iv: unknown, options: unknown): Setup {
  if (typeof name !== 'string') throw new TypeError(`"algorithm" must be a string, got ${describe(name)}`);
  const mode = NAMES[name.toLowerCase()];
  if (!mode) throw new GuomiError('ERR_UNSUPPORTED', `guomi provides only SM4 ciphers here, got '${name}'`);
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError(`"options" must be an object, got ${describe(options)}`);
  }
  const opts = options as Sm4StreamOptions | undefined;

  const keyBytes = isKeyObject(key) ? new Uint8Array(key.export()) : toBytes(key, undefined, 'key');
  const keyLength = mode === 'xts' ? 32 : 16;
  if (keyBytes.length !== keyLength) {
    throw new RangeError(`"key" must be ${keyLength} bytes long for sm4-${mode}, got ${keyBytes.length}`);
  }

  let ivBytes: Uint8Array | undefined;
  if (mode === 'ecb') {
    if (iv !== null && iv !== undefined && toBytes(iv, undefined, 'iv').length !== 0) {
      throw new RangeError('"iv" must be null or empty for sm4-ecb');
    }
  } else {
    if (iv === null || iv === undefined) throw new TypeError(`"iv" is required for sm4-${mode}`);
    ivBytes = copyBytes(toBytes(iv, undefined, 'iv'));
    if (mode === 'gcm') checkGcmIv(ivBytes, 'iv');
    else if (mode === 'ccm') checkCcmNonce(ivBytes, 'iv');
    else if (ivBytes.length !== BLOCK) {
      throw new RangeError(`"iv" must be 16 bytes long for sm4-${mode}, got ${ivBytes.length}`);
    }
  }

  let tagLength: number | undefined;
  if (opts?.authTagLength !== undefined) {
    if (mode === 'gcm') tagLength = checkGcmTagLength(opts.authTagLength, 'authTagLength');
    else if (mode === 'ccm') tagLength = checkCcmTagLength(opts.authTagLength, 'authTagLength');
  }
  const variant =
    opts?.variant === undefined ? 'gb' : aoneOf(opts.variant, 'variant', ['gb', 'ieee'] as const);

  const b = getBackend();
  const keys = expandKeys(b, keyBytes, mode === 'xts');
  if (isKeyObject(key)) wipe(keyBytes);
  return { mode, b, keys, iv: ivBytes, tagLength, variant, options: streamOptions(opts) };
}

/** The options meant for the Transform constructor. */
function streamOptions(opts: Sm4StreamOptions | undefined): TransformOptions | undefined {
  if (!opts) return undefined;
  const { authTagLength: _a, variant: _v, ...rest } = opts;
  return rest;
}

function engineFor(s: Setup, decrypt: boolean): Engine {
  const { b, keys, iv, mode } = s;
  const k = keys[0]!;
  switch (mode) {
    case 'ecb':
    case 'cbc':
      return new BlockEngine(b, k, decrypt, iv);
    case 'ctr':
    case 'cfb':
    case 'ofb':
      return new StreamEngine(b.sm4Stream(k, mode, decrypt, iv!));
    case 'gcm': {
      if (!decrypt) return new GcmEncryptEngine(b.sm4GcmStream(k, iv!, false), s.tagLength ?? 16);
      return new BufferedEngine(
        GCM_MAX_DATA,
        (data, aad, tag) => {
          const out = new Uint8Array(data.length);
          if (!b.sm4GcmDecrypt(k, iv!, aad, data, tag!, out)) throw authFailed();
          return out;
        },
        (tag) => {
          if (s.tagLength !== undefined && tag.length !== s.tagLength) {
            throw new RangeError(`"buffer" (the tag) must be ${s.tagLength} bytes long (authTagLength), got ${tag.length}`);
          }
          checkGcmTagLength(tag.length, 'tag length');
        },
      );
    }
    case 'ccm': {
      const max = ccmMaxData(iv!.length);
      if (!decrypt) {
        const t = s.tagLength ?? 16;
        return new CcmEncryptEngine(max, t, (data, aad) => {
          const out = new Uint8Array(data.length + t);
          b.sm4CcmEncrypt(k, iv!, aad, data, out, t);
          return out;
        });
      }
      return new BufferedEngine(
        max,
        (data, aad, tag) => {
          const out = new Uint8Array(data.length);
          if (!b.sm4CcmDecrypt(k, iv!, aad, data, tag!, out)) throw authFailed();
          return out;
        },
        (tag) => {
          if (s.tagLength !== undefined && tag.length !== s.tagLength) {
            throw new RangeError(`"buffer" (the tag) must be ${s.tagLength} bytes long (authTagLength), got ${tag.length}`);
          }
          checkCcmTagLength(tag.length, 'tag length');
        },
      );
    }
    case 'xts': {
      const engine = new BufferedEngine(XTS_MAX_DATA, (data) => {
        if (data.length < BLOCK) {
          throw new RangeError(`"data" must be at least 16 bytes long for XTS, got ${data.length}`);
        }
        const out = new Uint8Array(data.length);
        b.sm4Xts(k, keys[1]!, iv!, s.variant, decrypt, data, out);
        return out;
      });
      // XTS has no AAD and no tag.
      return { update: (d) => engine.update(d), final: () => engine.final(), destroy: () => engine.destroy() };
    }
  }
}

/**
 * node:crypto's `createCipheriv` for SM4.
 * @param algorithm 'sm4-ecb', 'sm4-cbc' (or 'sm4'), 'sm4-ctr', 'sm4-cfb', 'sm4-ofb', 'sm4-gcm',
 *   'sm4-ccm' or 'sm4-xts', in any letter case
 * @param key 16 bytes (XTS: 32), as bytes, a string (UTF-8) or a secret KeyObject
 * @param iv 16 bytes; null or empty for ECB; GCM: at least 1 byte (12 recommended); CCM: 7 to
 *   13 bytes; XTS: the 16-byte tweak
 * @param options Transform options, `authTagLength` (GCM, CCM) and `variant` (XTS)
 * @returns a Cipheriv-like Transform stream
 * @throws GuomiError ERR_UNSUPPORTED for other algorithms; TypeError / RangeError for bad
 *   keys, IVs or options
 * @example
 * const c = createCipheriv('sm4-gcm', key, iv);
 * const ct = Buffer.concat([c.update(data), c.final()]);
 * const tag = c.getAuthTag();
 */
export function createCipheriv(
  algorithm: Sm4CipherName | (string & {}),
  key: BinaryLike | KeyObject,
  iv: BinaryLike | null,
  options?: Sm4StreamOptions,
): Sm4NodeCipher {
  const s = setup(algorithm, key, iv, options);
  return new Sm4NodeCipher(engineFor(s, false), s.keys, s.options);
}

/**
 * node:crypto's `createDecipheriv` for SM4. For GCM and CCM the plaintext is released only by
 * final(), after the tag given to setAuthTag() has been verified.
 * @param algorithm as for {@link createCipheriv}
 * @param key 16 bytes (XTS: 32)
 * @param iv as for {@link createCipheriv}
 * @param options Transform options, `authTagLength` (GCM, CCM) and `variant` (XTS)
 * @returns a Decipheriv-like Transform stream
 * @throws GuomiError ERR_UNSUPPORTED for other algorithms; TypeError / RangeError for bad
 *   keys, IVs or options
 * @example
 * const d = createDecipheriv('sm4-gcm', key, iv).setAuthTag(tag);
 * const pt = Buffer.concat([d.update(ct), d.final()]); // final() throws ERR_AUTH_FAILED if forged
 */
export function createDecipheriv(
  algorithm: Sm4CipherName | (string & {}),
  key: BinaryLike | KeyObject,
  iv: BinaryLike | null,
  options?: Sm4StreamOptions,
): Sm4NodeDecipher {
  const s = setup(algorithm, key, iv, options);
  return new Sm4NodeDecipher(engineFor(s, true), s.keys, s.options);
}
