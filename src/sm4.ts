/**
 * SM4 (GB/T 32907-2016) and its modes of operation.
 *
 * ```ts
 * import { sm4 } from 'guomi/sm4';
 * const sealed = sm4.gcm(key, iv, { aad }).encrypt('hello');   // ciphertext || 16-byte tag
 * const opened = sm4.gcm(key, iv, { aad }).decrypt(sealed);    // throws ERR_AUTH_FAILED if altered
 * sm4.cbc(key, iv).encrypt(data);                              // PKCS#7 padding by default
 * sm4.ecb(key, { padding: 'none' }).decrypt(blocks);
 * sm4.ccm(key, nonce, { tagLength: 16 }).encrypt(data);        // RFC 8998 / SP 800-38C
 * sm4.xts(key32, sector).encrypt(sectorData);                  // GB/T 17964-2021 by default
 * ```
 *
 * Each call returns an object bound to one key and one IV (nonce, tweak) whose key is expanded
 * once; `encrypt(data)` and `decrypt(data)` are one-shot, each starting from the IV again, and
 * `destroy()` wipes the expanded key (a FinalizationRegistry also wipes it when the object is
 * collected). For data that arrives in pieces use the node:crypto-style
 * {@link createCipheriv} / {@link createDecipheriv} streams.
 *
 * **IV reuse.** Encrypting two messages under one key and one IV breaks CTR, CFB, OFB, GCM and
 * CCM (and GCM loses its authentication key). Objects of those modes therefore accept
 * `encrypt()` only as their first operation: a second encrypt(), or an encrypt() after a
 * decrypt(), throws GuomiError ERR_INVALID_STATE. Make a new object with a fresh IV for every
 * message. decrypt() may be called any number of times. ECB, CBC and XTS are deterministic by
 * design and have no such limit (CBC with a fixed IV reveals equal prefixes; prefer GCM).
 *
 * **Authentication.** GCM and CCM decryption compares the tag in constant time before any
 * plaintext is released; on failure it throws GuomiError ERR_AUTH_FAILED and returns nothing.
 * PKCS#7 padding is checked over the whole last block without branching on its bytes, and every
 * padding failure throws the same GuomiError ERR_BAD_PADDING (CBC without a MAC is still open
 * to padding-oracle attacks at the protocol level; prefer GCM).
 * @module
 */
import { getBackend } from './backend/select.js';
import type { Sm4AsyncJob, Sm4Backend, Sm4Key, Sm4StreamMode } from './backend/types.js';
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
  xtsTweak,
} from './sm4-common.js';
import { abytes, aoneOf, aoptions, copyBytes, toBytes, wipe, type BytesLike } from './utils.js';

export {
  createCipheriv,
  createDecipheriv,
  type Sm4CipherName,
  type Sm4NodeCipher,
  type Sm4NodeDecipher,
  type Sm4StreamOptions,
} from './sm4-stream.js';

/** SM4 key length in bytes (XTS takes two keys, 32 bytes). */
export const SM4_KEY_LENGTH = 16;
/** SM4 block length in bytes. */
export const SM4_BLOCK_LENGTH = 16;

/** The modes of {@link sm4}. */
export type Sm4Mode = 'ecb' | 'cbc' | 'ctr' | 'cfb' | 'ofb' | 'gcm' | 'ccm' | 'xts';
/** Padding of ECB and CBC: PKCS#7 (RFC 5652 §6.3), or none (data must be whole blocks). */
export type Sm4Padding = 'pkcs7' | 'none';
/** XTS tweak multiplication: GB/T 17964-2021 (the default, as in OpenSSL) or IEEE Std 1619. */
export type Sm4XtsVariant = 'gb' | 'ieee';

/** Options of {@link Sm4Api.ecb} and {@link Sm4Api.cbc}. */
export interface Sm4BlockOptions {
  /** 'pkcs7' (default) or 'none'. */
  padding?: Sm4Padding;
}

/** Options of {@link Sm4Api.gcm} and {@link Sm4Api.ccm}. */
export interface Sm4AeadOptions {
  /** Additional authenticated data (bytes, or a string as UTF-8); default empty. */
  aad?: BytesLike;
  /**
   * Tag length in bytes, default 16. GCM: 12 to 16, or 4 and 8 for the constrained uses of
   * SP 800-38D Appendix C. CCM: 4, 6, …, 16.
   */
  tagLength?: number;
}

/** Options of {@link Sm4Api.xts}. */
export interface Sm4XtsOptions {
  /** 'gb' (default) or 'ieee'. */
  variant?: Sm4XtsVariant;
}

/** How one mode en- and decrypts a whole message, with its parameters bound. */
interface ModeImpl {
  /** Throws RangeError when `data` has a length the mode cannot take. */
  check(decrypt: boolean, data: Uint8Array): void;
  run(b: Sm4Backend, keys: Sm4Key[], decrypt: boolean, data: Uint8Array): Uint8Array;
  /**
   * The same operation as a backend job for sm4Async, with `finish` applied to its output
   * (PKCS#7 padding is added before and checked after; the backend only sees whole blocks).
   */
  job(keys: Sm4Key[], decrypt: boolean, data: Uint8Array): AsyncPlan;
}

interface AsyncPlan {
  job: Sm4AsyncJob;
  finish?: (out: Uint8Array) => Uint8Array;
}

/** Padding for a job: the padded copy of the input when encrypting, the unpadding step after. */
function paddedJob(
  job: Omit<Sm4AsyncJob, 'input'>,
  padding: Sm4Padding,
  decrypt: boolean,
  data: Uint8Array,
): AsyncPlan {
  if (padding === 'none') return { job: { ...job, input: data } };
  if (!decrypt) {
    const full = data.length - (data.length % BLOCK);
    const last = pkcs7Block(data.subarray(full));
    const input = new Uint8Array(full + BLOCK);
    input.set(data.subarray(0, full));
    input.set(last, full);
    wipe(last);
    return { job: { ...job, input }, finish: (out) => (wipe(input), out) };
  }
  return {
    job: { ...job, input: data },
    finish(out) {
      const len = out.length;
      let n: number;
      try {
        n = pkcs7PadLength(out.subarray(len - BLOCK));
      } catch (err) {
        wipe(out);
        throw err;
      }
      const plain = out.slice(0, len - n);
      wipe(out);
      return plain;
    },
  };
}

/**
 * One SM4 mode bound to a key and an IV: `encrypt(data)` / `decrypt(data)`, their async
 * variants, and `destroy()`. Made by the functions of {@link sm4}.
 */
export class Sm4Cipher {
  /** The mode of operation. */
  readonly mode: Sm4Mode;
  readonly #b: Sm4Backend;
  #keys: Sm4Key[] | undefined;
  readonly #impl: ModeImpl;
  /** Whether encrypt() is refused after the first operation (modes that must not reuse an IV). */
  readonly #oneEncryption: boolean;
  #used = false;
  /** Async operations in flight; destroy() waits for them before wiping the keys. */
  #pending = 0;
  #destroyRequested = false;

  /** @internal Use the functions of {@link sm4}. */
  constructor(mode: Sm4Mode, b: Sm4Backend, keys: Sm4Key[], impl: ModeImpl, oneEncryption: boolean) {
    this.mode = mode;
    this.#b = b;
    this.#keys = keys;
    this.#impl = impl;
    this.#oneEncryption = oneEncryption;
  }

  #live(op: string): Sm4Key[] {
    if (!this.#keys || this.#destroyRequested) {
      throw new GuomiError('ERR_INVALID_STATE', `sm4.${this.mode}: ${op}() after destroy()`);
    }
    return this.#keys;
  }

  /** Validates a call and records the use of the IV; returns the input bytes. */
  #begin(op: string, decrypt: boolean, data: unknown): Uint8Array {
    this.#live(op);
    const input = decrypt ? abytes(data, 'data') : toBytes(data, 'data');
    this.#impl.check(decrypt, input);
    if (!decrypt && this.#oneEncryption && this.#used) {
      throw new GuomiError(
        'ERR_INVALID_STATE',
        `sm4.${this.mode}: ${op}() would use the same IV twice; make a new object with a fresh IV for every message`,
      );
    }
    this.#used = true;
    return input;
  }

  /**
   * Encrypts `data` (bytes, or a string as UTF-8).
   * @param data the plaintext
   * @returns the ciphertext: GCM and CCM append the tag; ECB and CBC with PKCS#7 padding add 1
   *   to 16 bytes; the other modes return as many bytes as they get
   * @throws TypeError if `data` is not bytes or a string
   * @throws RangeError if its length does not suit the mode (padding 'none' and not whole
   *   blocks; XTS shorter than 16 bytes; over the mode's limit)
   * @throws GuomiError ERR_INVALID_STATE after destroy(), or on a second encryption with the
   *   same IV (CTR, CFB, OFB, GCM, CCM)
   * @example sm4.gcm(key, iv).encrypt('hello') // 5 + 16 bytes
   */
  encrypt(data: BytesLike): Uint8Array {
    const input = this.#begin('encrypt', false, data);
    return this.#impl.run(this.#b, this.#keys!, false, input);
  }

  /**
   * Decrypts `data` and returns the plaintext.
   * @param data the ciphertext (GCM and CCM: ciphertext || tag)
   * @returns the plaintext
   * @throws TypeError if `data` is not bytes
   * @throws RangeError if its length does not suit the mode
   * @throws GuomiError ERR_AUTH_FAILED (GCM, CCM) if the tag does not verify, with no plaintext;
   *   ERR_BAD_PADDING (ECB, CBC with PKCS#7) if the padding is malformed; ERR_INVALID_STATE
   *   after destroy()
   * @example new TextDecoder().decode(sm4.gcm(key, iv).decrypt(sealed))
   */
  decrypt(data: Uint8Array): Uint8Array {
    const input = this.#begin('decrypt', true, data);
    return this.#impl.run(this.#b, this.#keys!, true, input);
  }

  /**
   * As {@link encrypt}, on a later tick (the input is copied at call time, so the caller may
   * reuse its buffer at once). The checks and the IV bookkeeping happen at call time.
   * @param data the plaintext
   * @returns a promise of the ciphertext; it rejects with the errors of {@link encrypt}
   * @example const sealed = await sm4.gcm(key, iv).encryptAsync(bigBuffer);
   */
  async encryptAsync(data: BytesLike): Promise<Uint8Array> {
    return this.#async('encryptAsync', false, data);
  }

  /**
   * As {@link decrypt}, on a later tick (the input is copied at call time).
   * @param data the ciphertext (GCM and CCM: ciphertext || tag)
   * @returns a promise of the plaintext; it rejects with the errors of {@link decrypt}
   * @example const plain = await sm4.gcm(key, iv).decryptAsync(sealed);
   */
  async decryptAsync(data: Uint8Array): Promise<Uint8Array> {
    return this.#async('decryptAsync', true, data);
  }

  async #async(op: string, decrypt: boolean, data: unknown): Promise<Uint8Array> {
    // Checks and the IV bookkeeping happen now, in call order; the work runs on the libuv
    // thread pool (native) or a later turn of the event loop (pure). The backend copies the
    // input at once, so the caller may reuse its buffer.
    const input = this.#begin(op, decrypt, data);
    const plan = this.#impl.job(this.#keys!, decrypt, input);
    this.#pending++;
    try {
      const out = await this.#b.sm4Async(plan.job);
      return plan.finish ? plan.finish(out) : out;
    } finally {
      if (--this.#pending === 0 && this.#destroyRequested) this.#wipe();
    }
  }

  /**
   * Wipes the expanded key; the object cannot be used afterwards. Idempotent.
   * @example const c = sm4.cbc(key, iv); try { return c.encrypt(data); } finally { c.destroy(); }
   */
  destroy(): void {
    if (!this.#keys) return;
    this.#destroyRequested = true;
    if (this.#pending === 0) this.#wipe();
  }

  #wipe(): void {
    if (this.#keys) wipeKeys(this.#keys);
    this.#keys = undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The modes

function wholeBlocks(data: Uint8Array, what: string): void {
  if (data.length % BLOCK !== 0) {
    throw new RangeError(`"data" must be a multiple of 16 bytes long ${what}, got ${data.length}`);
  }
}

function checkPadded(decrypt: boolean, data: Uint8Array, padding: Sm4Padding): void {
  if (padding === 'none') wholeBlocks(data, "with padding 'none'");
  else if (decrypt) {
    if (data.length === 0) {
      throw new RangeError('"data" must be at least 16 bytes long to decrypt with PKCS#7 padding, got 0');
    }
    wholeBlocks(data, 'to decrypt');
  }
}

/** ECB (SP 800-38A §6.1). */
function ecbImpl(padding: Sm4Padding): ModeImpl {
  const run = (b: Sm4Backend, k: Sm4Key, decrypt: boolean, input: Uint8Array, output: Uint8Array): void => {
    if (input.length > 0) b.sm4Ecb(k, decrypt, input, output);
  };
  return {
    check: (decrypt, data) => checkPadded(decrypt, data, padding),
    job: ([k], decrypt, data) => paddedJob({ mode: 'ecb', key: k!, decrypt }, padding, decrypt, data),
    run(b, [k], decrypt, data) {
      const len = data.length;
      if (padding === 'none') {
        const out = new Uint8Array(len);
        run(b, k!, decrypt, data, out);
        return out;
      }
      if (!decrypt) {
        const full = len - (len % BLOCK);
        const out = new Uint8Array(full + BLOCK);
        run(b, k!, false, data.subarray(0, full), out.subarray(0, full));
        const last = pkcs7Block(data.subarray(full));
        run(b, k!, false, last, out.subarray(full));
        wipe(last);
        return out;
      }
      // The last block first: its padding fixes the output length, so the rest is decrypted
      // straight into an output of the right size.
      const last = new Uint8Array(BLOCK);
      run(b, k!, true, data.subarray(len - BLOCK), last);
      return unpadInto(last, len, (out) => run(b, k!, true, data.subarray(0, len - BLOCK), out));
    },
  };
}

/**
 * Checks the padding of the decrypted last block, then allocates the output, lets `fill`
 * decrypt everything before the last block into it and appends the unpadded last block.
 */
function unpadInto(last: Uint8Array, len: number, fill: (out: Uint8Array) => void): Uint8Array {
  let n: number;
  try {
    n = pkcs7PadLength(last);
  } catch (err) {
    wipe(last);
    throw err;
  }
  const out = new Uint8Array(len - n);
  fill(out.subarray(0, len - BLOCK));
  out.set(last.subarray(0, BLOCK - n), len - BLOCK);
  wipe(last);
  return out;
}

/** CBC (SP 800-38A §6.2). */
function cbcImpl(iv: Uint8Array, padding: Sm4Padding): ModeImpl {
  const run = (b: Sm4Backend, k: Sm4Key, decrypt: boolean, v: Uint8Array, input: Uint8Array, output: Uint8Array): void => {
    if (input.length > 0) b.sm4Cbc(k, decrypt, v, input, output);
  };
  return {
    check: (decrypt, data) => checkPadded(decrypt, data, padding),
    job: ([k], decrypt, data) => paddedJob({ mode: 'cbc', key: k!, decrypt, iv }, padding, decrypt, data),
    run(b, [k], decrypt, data) {
      const len = data.length;
      // The backend advances the IV in place; the object's own copy stays as it was.
      const v = copyBytes(iv);
      if (padding === 'none') {
        const out = new Uint8Array(len);
        run(b, k!, decrypt, v, data, out);
        return out;
      }
      if (!decrypt) {
        const full = len - (len % BLOCK);
        const out = new Uint8Array(full + BLOCK);
        run(b, k!, false, v, data.subarray(0, full), out.subarray(0, full));
        const last = pkcs7Block(data.subarray(full));
        run(b, k!, false, v, last, out.subarray(full));
        wipe(last);
        return out;
      }
      // P_m = D(C_m) ^ C_{m-1}: the last block can be decrypted on its own.
      const prev = len > BLOCK ? copyBytes(data.subarray(len - 2 * BLOCK, len - BLOCK)) : v.slice();
      const last = new Uint8Array(BLOCK);
      run(b, k!, true, prev, data.subarray(len - BLOCK), last);
      return unpadInto(last, len, (out) => run(b, k!, true, v, data.subarray(0, len - BLOCK), out));
    },
  };
}

/** CTR, CFB-128 and OFB (SP 800-38A §6.3–6.5): any length, output as long as the input. */
function streamImpl(mode: Sm4StreamMode, iv: Uint8Array): ModeImpl {
  return {
    check: () => undefined,
    job: ([k], decrypt, data) => ({ job: { mode, key: k!, decrypt, iv, input: data } }),
    run(b, [k], decrypt, data) {
      const out = new Uint8Array(data.length);
      const state = b.sm4Stream(k!, mode, decrypt, iv);
      state.update(data, out);
      state.destroy();
      return out;
    },
  };
}

function checkAeadLength(decrypt: boolean, data: Uint8Array, tagLength: number, max: number): void {
  if (decrypt && data.length < tagLength) {
    throw new RangeError(
      `"data" must hold the ${tagLength}-byte tag after the ciphertext, got ${data.length} bytes`,
    );
  }
  const payload = decrypt ? data.length - tagLength : data.length;
  if (payload > max) {
    throw new RangeError(`"data" is too long: at most ${max} bytes of plaintext with these parameters`);
  }
}

/**
 * GCM (SP 800-38D §7.1, §7.2). A class rather than an object of closures like the other modes:
 * GCM objects are typically made for one message each (a fresh IV per message), so their setup
 * cost counts, and one allocation is cheaper than four.
 */
class GcmMode implements ModeImpl {
  constructor(
    private readonly iv: Uint8Array,
    private readonly aad: Uint8Array,
    private readonly tagLength: number,
  ) {}

  check(decrypt: boolean, data: Uint8Array): void {
    checkAeadLength(decrypt, data, this.tagLength, GCM_MAX_DATA);
  }

  job([k]: Sm4Key[], decrypt: boolean, data: Uint8Array): AsyncPlan {
    const { iv, aad, tagLength } = this;
    return { job: { mode: 'gcm', key: k!, decrypt, iv, aad, tagLength, input: data } };
  }

  run(b: Sm4Backend, [k]: Sm4Key[], decrypt: boolean, data: Uint8Array): Uint8Array {
    const { iv, aad, tagLength } = this;
    if (!decrypt) {
      const out = new Uint8Array(data.length + tagLength);
      b.sm4GcmEncrypt(k!, iv, aad, data, out, tagLength);
      return out;
    }
    const n = data.length - tagLength;
    const out = new Uint8Array(n);
    if (!b.sm4GcmDecrypt(k!, iv, aad, data.subarray(0, n), data.subarray(n), out)) throw authFailed();
    return out;
  }
}

/** CCM (SP 800-38C §6.1, §6.2). */
function ccmImpl(nonce: Uint8Array, aad: Uint8Array, tagLength: number): ModeImpl {
  const max = ccmMaxData(nonce.length);
  return {
    check: (decrypt, data) => checkAeadLength(decrypt, data, tagLength, max),
    job: ([k], decrypt, data) => ({
      job: { mode: 'ccm', key: k!, decrypt, iv: nonce, aad, tagLength, input: data },
    }),
    run(b, [k], decrypt, data) {
      if (!decrypt) {
        const out = new Uint8Array(data.length + tagLength);
        b.sm4CcmEncrypt(k!, nonce, aad, data, out, tagLength);
        return out;
      }
      const n = data.length - tagLength;
      const out = new Uint8Array(n);
      if (!b.sm4CcmDecrypt(k!, nonce, aad, data.subarray(0, n), data.subarray(n), out)) {
        wipe(out);
        throw authFailed();
      }
      return out;
    },
  };
}

/** XTS (IEEE Std 1619 §5.3–5.4; GB/T 17964-2021), one data unit per call. */
function xtsImpl(tweak: Uint8Array, variant: Sm4XtsVariant): ModeImpl {
  return {
    check(_decrypt, data) {
      if (data.length < BLOCK || data.length > XTS_MAX_DATA) {
        throw new RangeError(`"data" must be 16 to ${XTS_MAX_DATA} bytes long for XTS, got ${data.length}`);
      }
    },
    job: ([k1, k2], decrypt, data) => ({
      job: { mode: 'xts', key: k1!, key2: k2!, decrypt, iv: tweak, variant, input: data },
    }),
    run(b, [k1, k2], decrypt, data) {
      const out = new Uint8Array(data.length);
      b.sm4Xts(k1!, k2!, tweak, variant, decrypt, data, out);
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The public functions

function make(mode: Sm4Mode, key: unknown, impl: ModeImpl, oneEncryption: boolean): Sm4Cipher {
  const xts = mode === 'xts';
  const k = abytes(key, 'key', xts ? 2 * SM4_KEY_LENGTH : SM4_KEY_LENGTH);
  const b = getBackend();
  return new Sm4Cipher(mode, b, expandKeys(b, k, xts), impl, oneEncryption);
}

function padding(options: unknown): Sm4Padding {
  const o = aoptions<Sm4BlockOptions>(options);
  return o.padding === undefined ? 'pkcs7' : aoneOf(o.padding, 'padding', ['pkcs7', 'none'] as const);
}

function iv16(iv: unknown, name = 'iv'): Uint8Array {
  return copyBytes(abytes(iv, name, BLOCK));
}

/** The AAD when none is given: shared, since a zero-length array cannot be changed. */
const NO_AAD = /* @__PURE__ */ new Uint8Array(0);

function aead(options: unknown, checkTag: (v: unknown, name: string) => number): [Uint8Array, number] {
  const o = aoptions<Sm4AeadOptions>(options);
  const aad = o.aad === undefined ? NO_AAD : copyBytes(toBytes(o.aad, 'aad'));
  const tagLength = o.tagLength === undefined ? 16 : checkTag(o.tagLength, 'tagLength');
  return [aad, tagLength];
}

/** The SM4 modes: each function returns an {@link Sm4Cipher} bound to a key and an IV. */
export interface Sm4Api {
  /**
   * ECB (SP 800-38A §6.1): every block on its own. Only for single blocks or legacy interop;
   * it shows equal plaintext blocks.
   * @param key 16 bytes
   * @param options `padding`: 'pkcs7' (default) or 'none'
   * @returns the cipher object
   * @throws TypeError / RangeError for a key that is not 16 bytes or an unknown padding
   * @example sm4.ecb(key, { padding: 'none' }).encrypt(block)
   */
  ecb(key: Uint8Array, options?: Sm4BlockOptions): Sm4Cipher;
  /**
   * CBC (SP 800-38A §6.2).
   * @param key 16 bytes
   * @param iv 16 bytes; should be unpredictable (random) for each message
   * @param options `padding`: 'pkcs7' (default) or 'none'
   * @returns the cipher object
   * @throws TypeError / RangeError for a key or IV that is not 16 bytes or an unknown padding
   * @example sm4.cbc(key, iv).decrypt(ciphertext) // throws ERR_BAD_PADDING on bad padding
   */
  cbc(key: Uint8Array, iv: Uint8Array, options?: Sm4BlockOptions): Sm4Cipher;
  /**
   * CTR (SP 800-38A §6.5) with the whole 16-byte counter block incremented as a 128-bit
   * big-endian integer (as OpenSSL's sm4-ctr and GmSSL). Any length; one encryption per object.
   * @param key 16 bytes
   * @param iv the initial counter block, 16 bytes
   * @returns the cipher object
   * @throws TypeError / RangeError for a key or IV that is not 16 bytes
   * @example sm4.ctr(key, counter0).encrypt(data)
   */
  ctr(key: Uint8Array, iv: Uint8Array): Sm4Cipher;
  /**
   * CFB with 128-bit feedback (SP 800-38A §6.3). Any length; one encryption per object.
   * @param key 16 bytes
   * @param iv 16 bytes
   * @returns the cipher object
   * @throws TypeError / RangeError for a key or IV that is not 16 bytes
   * @example sm4.cfb(key, iv).encrypt(data)
   */
  cfb(key: Uint8Array, iv: Uint8Array): Sm4Cipher;
  /**
   * OFB (SP 800-38A §6.4). Any length; one encryption per object.
   * @param key 16 bytes
   * @param iv 16 bytes
   * @returns the cipher object
   * @throws TypeError / RangeError for a key or IV that is not 16 bytes
   * @example sm4.ofb(key, iv).encrypt(data)
   */
  ofb(key: Uint8Array, iv: Uint8Array): Sm4Cipher;
  /**
   * GCM (SP 800-38D with SM4; RFC 8998 §3.5.1, GB/T 36624-2018). encrypt() returns
   * ciphertext || tag (the layout of Java's `SM4/GCM/NoPadding`, Go and OpenSSL-based TLS);
   * decrypt() takes the same. A 12-byte IV is recommended (other lengths are hashed into J0).
   * One encryption per object.
   * @param key 16 bytes
   * @param iv at least 1 byte; 12 recommended; never reuse one with the same key
   * @param options `aad` (default empty); `tagLength` 12..16 (default 16), or 4 or 8 under the
   *   limits of SP 800-38D Appendix C
   * @returns the cipher object
   * @throws TypeError / RangeError for a key that is not 16 bytes, an empty IV or a bad tag length
   * @example
   * const sealed = sm4.gcm(key, iv, { aad: header }).encrypt(message);
   * const message2 = sm4.gcm(key, iv, { aad: header }).decrypt(sealed);
   */
  gcm(key: Uint8Array, iv: Uint8Array, options?: Sm4AeadOptions): Sm4Cipher;
  /**
   * CCM (SP 800-38C with SM4; RFC 8998 §3.5.2 uses a 12-byte nonce and a 16-byte tag).
   * encrypt() returns ciphertext || tag. The plaintext is limited to 2^(8·(15 - nonce length)) - 1
   * bytes. One encryption per object.
   * @param key 16 bytes
   * @param nonce 7 to 13 bytes
   * @param options `aad` (default empty); `tagLength` 4, 6, …, 16 (default 16)
   * @returns the cipher object
   * @throws TypeError / RangeError for a key that is not 16 bytes, a nonce outside 7..13 bytes
   *   or a tag length that is odd or outside 4..16
   * @example sm4.ccm(key, nonce12, { aad }).encrypt(record)
   */
  ccm(key: Uint8Array, nonce: Uint8Array, options?: Sm4AeadOptions): Sm4Cipher;
  /**
   * XTS (IEEE Std 1619; GB/T 17964-2021) with ciphertext stealing: one data unit (16 bytes to
   * 16 MiB) per call. `variant` 'gb' (default; OpenSSL's default for SM4-XTS) or 'ieee' differ
   * in how the tweak is multiplied by α.
   * @param key 32 bytes: Key1 (data) || Key2 (tweak)
   * @param tweak 16 bytes, or a data-unit (sector) number encoded as a 128-bit little-endian value
   * @param options `variant`: 'gb' (default) or 'ieee'
   * @returns the cipher object
   * @throws TypeError / RangeError for a key that is not 32 bytes, a bad tweak or variant
   * @example sm4.xts(key32, 42).encrypt(sector)
   */
  xts(key: Uint8Array, tweak: Uint8Array | number | bigint, options?: Sm4XtsOptions): Sm4Cipher;
}

/**
 * SM4 (GB/T 32907-2016) in ECB, CBC, CTR, CFB, OFB, GCM, CCM and XTS. See {@link Sm4Api}.
 * @example
 * import { sm4 } from 'guomi/sm4';
 * const c = sm4.gcm(key, iv);
 * const sealed = c.encrypt('secret');   // ciphertext || tag
 * c.decrypt(sealed);                    // Uint8Array of 'secret'
 */
export const sm4: Sm4Api = {
  ecb: (key, options) => make('ecb', key, ecbImpl(padding(options)), false),
  cbc: (key, iv, options) => make('cbc', key, cbcImpl(iv16(iv), padding(options)), false),
  ctr: (key, iv) => make('ctr', key, streamImpl('ctr', iv16(iv)), true),
  cfb: (key, iv) => make('cfb', key, streamImpl('cfb', iv16(iv)), true),
  ofb: (key, iv) => make('ofb', key, streamImpl('ofb', iv16(iv)), true),
  gcm(key, iv, options) {
    const v = copyBytes(abytes(iv, 'iv'));
    checkGcmIv(v, 'iv');
    const [aad, tagLength] = aead(options, checkGcmTagLength);
    return make('gcm', key, new GcmMode(v, aad, tagLength), true);
  },
  ccm(key, nonce, options) {
    const n = copyBytes(abytes(nonce, 'nonce'));
    checkCcmNonce(n, 'nonce');
    const [aad, tagLength] = aead(options, checkCcmTagLength);
    return make('ccm', key, ccmImpl(n, aad, tagLength), true);
  },
  xts(key, tweak, options) {
    const t = xtsTweak(tweak, 'tweak');
    const o = aoptions<Sm4XtsOptions>(options);
    const variant = o.variant === undefined ? 'gb' : aoneOf(o.variant, 'variant', ['gb', 'ieee'] as const);
    return make('xts', key, xtsImpl(t, variant), false);
  },
};
