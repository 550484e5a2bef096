/**
 * SM2 key objects: {@link Sm2PrivateKey} and {@link Sm2PublicKey}, with the operations that use
 * them (signatures, encryption, Z) and their import and export in every common container.
 *
 * A key object holds a backend handle with the per-key precomputation ((1+d)^-1 and the public
 * point for a private key, the table of odd multiples for a public key), so reusing one key
 * object for many operations is much faster than passing raw bytes each time. destroy() wipes
 * the JavaScript copies of the secret and the backend handle (native memory is wiped by the
 * addon); a FinalizationRegistry releases handles of key objects that are garbage collected
 * without destroy().
 * @module
 */
import { Buffer } from 'node:buffer';
import { KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';
import { getBackend } from '../backend/select.js';
import type { Backend, Sm2PrivateHandle, Sm2PublicHandle, Sm2VerifyJob } from '../backend/types.js';
import { GuomiError } from '../errors.js';
import { pemDecode, pemDecodeAll, pemEncode } from '../pem.js';
import {
  abytes,
  aoneOf,
  aoptions,
  bytesToHex,
  copyBytes,
  equalBytes,
  isBytes,
  toBytes,
  wipe,
  type BytesLike,
} from '../utils.js';
import {
  formatCiphertext,
  parseCiphertext,
  signatureFromDer,
  signatureToDer,
  type Sm2CiphertextFormat,
  type Sm2SignatureEncoding,
} from './encoding.js';
import { encodePkcs8, encodeSec1, encodeSpki, parsePrivateKeyDer, parseSpki } from './keyformat.js';
import { decryptPrivateKeyInfo } from './pbes2.js';
import { SM2P256V1_Z, idBytes, zValue } from './params.js';

/** Options of sign(). */
export interface Sm2SignOptions {
  /** The signer's ID for Z (GB/T 32918.2-2016 §5.5): a string (UTF-8) or bytes. Default '1234567812345678'. */
  id?: string | Uint8Array;
  /** 'der' (default; GM/T 0009 SEQUENCE { r, s }) or 'raw' (r || s, always 64 bytes). */
  encoding?: Sm2SignatureEncoding;
  /** true when `message` is already e = SM3(Z || M), 32 bytes (then `id` must not be given). */
  prehashed?: boolean;
}

/** Options of verify(). */
export interface Sm2VerifyOptions {
  /** The signer's ID for Z; default '1234567812345678'. */
  id?: string | Uint8Array;
  /**
   * 'der' or 'raw'. When absent, the signature is read as strict DER and, if that fails and it
   * is 64 bytes long, as raw r || s.
   */
  encoding?: Sm2SignatureEncoding;
  /** true when `message` is already e = SM3(Z || M), 32 bytes. */
  prehashed?: boolean;
}

/** Options of encrypt(). */
export interface Sm2EncryptOptions {
  /** 'c1c3c2' (default; GB/T 32918.4-2016), 'c1c2c3' (the 2010 order) or 'der' (GM/T 0009). */
  format?: Sm2CiphertextFormat;
  /**
   * false to write C1 as 64 bytes without its 04 prefix, as sm-crypto and sm-crypto-v2 do
   * (raw formats only). Default true.
   */
  c1Prefix?: boolean;
}

/** Options of decrypt(). */
export interface Sm2DecryptOptions {
  /**
   * The layout. When absent, DER is recognised by its leading 0x30 and anything else is read as
   * raw C1 || C3 || C2; C1 || C2 || C3 must be named.
   */
  format?: Sm2CiphertextFormat;
  /**
   * false to read a 64-byte C1 without the 04 prefix (sm-crypto / sm-crypto-v2 output); the
   * ciphertext is then raw, C1 || C3 || C2 unless `format` is 'c1c2c3'. Default true.
   */
  c1Prefix?: boolean;
}

/** Options of Sm2PrivateKey.from(). */
export interface Sm2PrivateKeyImportOptions {
  /**
   * How to read a Uint8Array: 'raw' (the 32-byte scalar d) or 'der'. Default: 'raw' when it is
   * 32 bytes long, otherwise 'der'.
   */
  format?: 'raw' | 'der';
  /** The DER structure: 'pkcs8' or 'sec1'. Default: recognised from the structure. */
  type?: 'pkcs8' | 'sec1';
  /**
   * The password of an encrypted PKCS#8 key ("ENCRYPTED PRIVATE KEY", RFC 5958 §3; PBES2 with
   * PBKDF2 over HMAC-SM3 or SHA-2 and SM4-CBC, as GmSSL, Tongsuo and OpenSSL write it). With
   * a Uint8Array input, giving it means the bytes are an EncryptedPrivateKeyInfo in DER.
   * A string is taken as UTF-8.
   */
  passphrase?: string | Uint8Array;
}

/** Options of Sm2PrivateKey.export(). */
export interface Sm2PrivateKeyExportOptions {
  /** 'pem' (default), 'der' or 'raw' (the 32-byte d). */
  format?: 'pem' | 'der' | 'raw';
  /** 'pkcs8' (default; "PRIVATE KEY") or 'sec1' ("EC PRIVATE KEY"). */
  type?: 'pkcs8' | 'sec1';
}

/** Options of {@link Sm2PrivateKey.generate} and generateKeyPair(). */
export interface Sm2GenerateOptions {
  /** Run the GM/T 0028 pairwise consistency test (sign, then verify); default true. */
  consistencyTest?: boolean;
}

/** Options of Sm2PublicKey.export(). */
export interface Sm2PublicKeyExportOptions {
  /** 'pem' (default), 'der' or 'raw' (the encoded point). */
  format?: 'pem' | 'der' | 'raw';
  /** 'spki' (the only container for public keys). */
  type?: 'spki';
  /** Write the point compressed (02/03 || x, 33 bytes). Default false (04 || x || y). */
  compressed?: boolean;
}

/** Anything Sm2PrivateKey.from() reads. */
export type Sm2PrivateKeyInput = Sm2PrivateKey | Uint8Array | string | KeyObject;

/** Anything Sm2PublicKey.from() reads. */
export type Sm2PublicKeyInput = Sm2PublicKey | Sm2PrivateKey | Uint8Array | string | KeyObject;

interface Handle {
  destroy(): void;
}

/** Releases backend handles of key objects collected without destroy(). */
const registry: FinalizationRegistry<Handle> | undefined =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<Handle>((h) => {
        try {
          h.destroy();
        } catch {
          // Nothing to report to from a finalizer.
        }
      })
    : undefined;

/**
 * Internal accessors to the handles (set in the classes' static blocks; not part of the API).
 * @internal
 */
export let privateKeyHandle: (key: Sm2PrivateKey) => [Backend, Sm2PrivateHandle];
/** @internal */
export let publicKeyHandle: (key: Sm2PublicKey, backend: Backend) => Sm2PublicHandle;

/** Only this module may construct key objects. */
const INTERNAL = Symbol('Sm2Key');

const destroyed = (what: string): GuomiError =>
  new GuomiError('ERR_INVALID_STATE', `${what} used after destroy()`);

function aboolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new TypeError(`"${name}" must be a boolean, got ${value === null ? 'null' : typeof value}`);
}

/**
 * PEM labels of private keys. OpenSSL 3.0 writes SM2 keys in the traditional (SEC 1) form under
 * "SM2 PRIVATE KEY" (`openssl ec`, `openssl pkey -traditional`), with "SM2 PARAMETERS" for the
 * curve (`openssl ecparam -name SM2`): the same structures as "EC PRIVATE KEY" / "EC PARAMETERS".
 */
const PRIVATE_LABELS = ['PRIVATE KEY', 'EC PRIVATE KEY', 'SM2 PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'] as const;
const SEC1_LABELS: readonly string[] = ['EC PRIVATE KEY', 'SM2 PRIVATE KEY'];
const PARAMETER_LABELS: readonly string[] = ['EC PARAMETERS', 'SM2 PARAMETERS'];

/** The most Z values cached per public key (one per distinct ID). */
const Z_CACHE_SIZE = 16;

/** Message digest e = SM3(Z || M), or the prehashed e checked. */
function digestFor(
  key: Sm2PublicKey,
  message: unknown,
  options: { id?: unknown; prehashed?: unknown },
  backend: Backend,
): Uint8Array {
  const prehashed = aboolean(options.prehashed, 'prehashed');
  if (prehashed) {
    if (options.id !== undefined) throw new RangeError('"id" cannot be combined with "prehashed"');
    // GB/T 32918.2 defines e as the SM3 hash value, 32 bytes.
    return abytes(message, 'message', 32);
  }
  const m = toBytes(message, 'message');
  const z = key.zFor(options.id);
  const h = backend.sm3Create();
  h.update(z);
  h.update(m);
  return h.digest();
}

/** Reads the signature of verify() as raw r || s, or null when it is not a signature at all. */
function readSignature(signature: unknown, encoding: Sm2SignatureEncoding | undefined): Uint8Array | null {
  const sig = abytes(signature, 'signature');
  if (encoding === 'raw') return sig.length === 64 ? sig : null;
  const der = signatureFromDer(sig);
  if (der || encoding === 'der') return der;
  return sig.length === 64 ? sig : null;
}

/**
 * An SM2 public key on sm2p256v1 (GB/T 32918.1-2016 §6.2), validated on import.
 *
 * @example
 * const pub = Sm2PublicKey.from(pemText);
 * pub.verify('message', signature);
 * const ct = pub.encrypt('secret');            // C1 || C3 || C2 with the 04 prefix
 * pub.export();                                // SPKI PEM, id-ecPublicKey + sm2 curve
 */
export class Sm2PublicKey {
  #backend: Backend;
  #handle: Sm2PublicHandle | undefined;
  #point: Uint8Array;
  #zCache = new Map<string, Uint8Array>();
  #other: Map<Backend, Sm2PublicHandle> | undefined;

  /** @internal Use Sm2PublicKey.from(). */
  constructor(token: symbol, backend: Backend, handle: Sm2PublicHandle, point: Uint8Array) {
    if (token !== INTERNAL) throw new TypeError('use Sm2PublicKey.from()');
    this.#backend = backend;
    this.#handle = handle;
    this.#point = point;
    registry?.register(this, handle, this);
  }

  /**
   * Reads a public key: a 65-byte uncompressed or 33-byte compressed point, a DER or PEM
   * SubjectPublicKeyInfo (algorithm id-ecPublicKey + sm2 curve, or the sm2 OID), a node:crypto
   * KeyObject (public or private), or a key object of this module.
   * @param input the key
   * @returns the validated key
   * @throws TypeError for an input of the wrong type
   * @throws GuomiError ERR_SM2_INVALID_POINT if the point is not on the curve (or is infinity,
   *   or has a coordinate >= p); ERR_DECODE for malformed DER/PEM; ERR_UNSUPPORTED for a key of
   *   another algorithm or curve
   * @example Sm2PublicKey.from(Buffer.from('04' + xHex + yHex, 'hex'))
   */
  static from(input: Sm2PublicKeyInput): Sm2PublicKey {
    if (input instanceof Sm2PublicKey) return input;
    if (input instanceof Sm2PrivateKey) return input.publicKey;
    let point: Uint8Array;
    if (typeof input === 'string') {
      point = parseSpki(pemDecode(input, ['PUBLIC KEY']).der);
    } else if (input instanceof KeyObject) {
      const pub = input.type === 'private' ? createPublicKey(input) : input;
      if (pub.type !== 'public') throw new TypeError('"input" must be a public or private KeyObject');
      point = parseSpki(new Uint8Array(pub.export({ format: 'der', type: 'spki' })));
    } else if (isBytes(input)) {
      const isPoint =
        (input.length === 65 && input[0] === 0x04) ||
        (input.length === 33 && (input[0] === 0x02 || input[0] === 0x03));
      point = isPoint ? input : input[0] === 0x30 ? parseSpki(input) : input;
    } else {
      throw new TypeError(
        '"input" must be a Uint8Array, a PEM string, a KeyObject or an SM2 key object',
      );
    }
    return Sm2PublicKey.#fromPoint(point);
  }

  static #fromPoint(point: Uint8Array): Sm2PublicKey {
    if (point.length !== 65 && point.length !== 33) {
      throw new GuomiError(
        'ERR_SM2_INVALID_POINT',
        `an SM2 public key is a 65-byte (04) or 33-byte (02/03) point, got ${point.length} bytes`,
      );
    }
    const backend = getBackend();
    const handle = backend.sm2PublicKey(point);
    return new Sm2PublicKey(INTERNAL, backend, handle, backend.sm2PublicBytes(handle, false));
  }

  #live(): Sm2PublicHandle {
    if (!this.#handle) throw destroyed('Sm2PublicKey');
    return this.#handle;
  }

  static {
    publicKeyHandle = (key, backend) => key.#handleFor(backend);
  }

  /** The handle of this key for `backend` (a second one if the key was made by another). */
  #handleFor(backend: Backend): Sm2PublicHandle {
    const own = this.#live();
    if (backend === this.#backend) return own;
    this.#other ??= new Map();
    let h = this.#other.get(backend);
    if (!h) {
      h = backend.sm2PublicKey(this.#point);
      this.#other.set(backend, h);
      registry?.register(this, h, this);
    }
    return h;
  }

  /**
   * The point, uncompressed (04 || x || y, 65 bytes) or compressed (02/03 || x, 33 bytes).
   * @example pub.toBytes({ compressed: true }).length // 33
   */
  toBytes(options?: { compressed?: boolean }): Uint8Array {
    const compressed = aboolean(aoptions<{ compressed: boolean }>(options).compressed, 'compressed');
    const h = this.#live();
    return compressed ? this.#backend.sm2PublicBytes(h, true) : copyBytes(this.#point);
  }

  /**
   * Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA) for this key (GB/T 32918.2-2016 §5.5),
   * cached per ID.
   * @param id the user ID (string as UTF-8, or bytes, at most 8191 bytes); default
   *   '1234567812345678'
   * @returns the 32-byte Z
   * @example pub.computeZ('ALICE123@YAHOO.COM')
   */
  computeZ(id?: string | Uint8Array): Uint8Array {
    return copyBytes(this.zFor(id));
  }

  /**
   * @internal Z for `id` (checked like computeZ's argument) from the cache, not copied: callers
   * must not change it. Signing and verification call this per message, so a cache hit encodes
   * nothing: the default ID has its own key, and a string ID is its own key.
   */
  zFor(id: unknown): Uint8Array {
    this.#live();
    const cacheKey =
      id === undefined ? '' : typeof id === 'string' ? `s${id}` : `b${bytesToHex(idBytes(id))}`;
    let z = this.#zCache.get(cacheKey);
    if (!z) {
      z = zValue(getBackend(), SM2P256V1_Z, this.#point, idBytes(id));
      if (this.#zCache.size >= Z_CACHE_SIZE) {
        this.#zCache.delete(this.#zCache.keys().next().value!);
      }
      this.#zCache.set(cacheKey, z);
    }
    return z;
  }

  /**
   * Verifies an SM2 signature (GB/T 32918.2-2016 §7) on `message`.
   * @param message the message (a string is UTF-8), or e when `prehashed`
   * @param signature DER or raw r || s
   * @param options `id`, `encoding`, `prehashed`
   * @returns true for a valid signature; false for any invalid one, malformed encodings included
   * @throws TypeError / RangeError for arguments of the wrong type or length (never for a bad
   *   signature)
   * @example pub.verify('message digest', sig, { id: 'ALICE123@YAHOO.COM' })
   */
  verify(message: BytesLike, signature: Uint8Array, options?: Sm2VerifyOptions): boolean {
    const [e, raw] = this.#prepareVerify(message, signature, options);
    return raw !== null && this.#backend.sm2Verify(this.#live(), e, raw);
  }

  /**
   * As {@link Sm2PublicKey.verify}, off the main thread where the backend can.
   * @example await pub.verifyAsync(msg, sig)
   */
  async verifyAsync(message: BytesLike, signature: Uint8Array, options?: Sm2VerifyOptions): Promise<boolean> {
    const [e, raw] = this.#prepareVerify(message, signature, options);
    return raw !== null && this.#backend.sm2VerifyAsync(this.#live(), e, raw);
  }

  /**
   * @internal For verifyBatchAsync: what {@link Sm2PublicKey.verifyAsync} would hand its
   * backend (same checks, same e = SM3(Z || M), same signature decoding), or null when the
   * signature is malformed and the answer is false without any backend work.
   */
  verifyJob(
    message: BytesLike,
    signature: Uint8Array,
    options?: Sm2VerifyOptions,
  ): { backend: Backend; job: Sm2VerifyJob } | null {
    const [e, raw] = this.#prepareVerify(message, signature, options);
    return raw === null ? null : { backend: this.#backend, job: { key: this.#live(), e, signature: raw } };
  }

  #prepareVerify(message: unknown, signature: unknown, options: unknown): [Uint8Array, Uint8Array | null] {
    const opts = aoptions<Sm2VerifyOptions>(options);
    const encoding =
      opts.encoding === undefined ? undefined : aoneOf(opts.encoding, 'encoding', ['der', 'raw'] as const);
    const raw = readSignature(signature, encoding);
    this.#live();
    return [digestFor(this, message, opts, getBackend()), raw];
  }

  /**
   * Encrypts `plaintext` to this key (GB/T 32918.4-2016 §6).
   * @param plaintext at least one byte (a string is UTF-8)
   * @param options `format` ('c1c3c2' default, 'c1c2c3', 'der'), `c1Prefix`
   * @returns the ciphertext (raw: 97 + length bytes with the 04 prefix)
   * @throws RangeError for an empty plaintext or c1Prefix: false with format 'der'
   * @example pub.encrypt('encryption standard', { format: 'der' })
   */
  encrypt(plaintext: BytesLike, options?: Sm2EncryptOptions): Uint8Array {
    const [m, format, prefix] = this.#prepareEncrypt(plaintext, options);
    return formatCiphertext(this.#backend.sm2Encrypt(this.#live(), m), format, prefix);
  }

  /**
   * As {@link Sm2PublicKey.encrypt}, off the main thread where the backend can.
   * @example await pub.encryptAsync(data)
   */
  async encryptAsync(plaintext: BytesLike, options?: Sm2EncryptOptions): Promise<Uint8Array> {
    const [m, format, prefix] = this.#prepareEncrypt(plaintext, options);
    return formatCiphertext(await this.#backend.sm2EncryptAsync(this.#live(), m), format, prefix);
  }

  #prepareEncrypt(plaintext: unknown, options: unknown): [Uint8Array, Sm2CiphertextFormat, boolean] {
    const m = toBytes(plaintext, 'plaintext');
    const [format, prefix] = encryptOptions(options);
    if (m.length === 0) throw new RangeError('"plaintext" must not be empty (GB/T 32918.4 needs klen > 0)');
    this.#live();
    return [m, format, prefix];
  }

  /**
   * Exports the key.
   * @param options `format` 'pem' (default), 'der' or 'raw'; `type` 'spki'; `compressed`
   * @returns PEM text ("PUBLIC KEY"), or the DER SubjectPublicKeyInfo, or the point
   * @example pub.export({ format: 'der' }).length // 91
   */
  export(options?: Sm2PublicKeyExportOptions & { format?: 'pem' }): string;
  export(options: Sm2PublicKeyExportOptions & { format: 'der' | 'raw' }): Uint8Array;
  export(options?: Sm2PublicKeyExportOptions): string | Uint8Array {
    const opts = aoptions<Sm2PublicKeyExportOptions>(options);
    const format = aoneOf(opts.format ?? 'pem', 'format', ['pem', 'der', 'raw'] as const);
    aoneOf(opts.type ?? 'spki', 'type', ['spki'] as const);
    const point = this.toBytes({ compressed: aboolean(opts.compressed, 'compressed') ?? false });
    if (format === 'raw') return point;
    const der = encodeSpki(point);
    return format === 'der' ? der : pemEncode('PUBLIC KEY', der);
  }

  /**
   * The key as a node:crypto public KeyObject (an 'ec' key on the SM2 curve). Note that
   * node:crypto's own sign/verify with it do not apply the SM2 Z value (see the README).
   * @example pub.toKeyObject().export({ format: 'pem', type: 'spki' })
   */
  toKeyObject(): KeyObject {
    return createPublicKey({ key: Buffer.from(this.export({ format: 'der' })), format: 'der', type: 'spki' });
  }

  /**
   * Whether `other` is the same public key.
   * @param other a key object or anything Sm2PublicKey.from() reads
   * @example a.equals(b.publicKey)
   */
  equals(other: Sm2PublicKeyInput): boolean {
    const o = Sm2PublicKey.from(other);
    return equalBytes(this.#point, o.#point);
  }

  /** Releases the backend handle; the key cannot be used afterwards. */
  destroy(): void {
    if (!this.#handle) return;
    registry?.unregister(this);
    this.#handle.destroy();
    this.#handle = undefined;
    for (const h of this.#other?.values() ?? []) h.destroy();
    this.#other = undefined;
    this.#zCache.clear();
  }
}

function encryptOptions(options: unknown): [Sm2CiphertextFormat, boolean] {
  const opts = aoptions<Sm2EncryptOptions>(options);
  const format = aoneOf(opts.format ?? 'c1c3c2', 'format', ['c1c3c2', 'c1c2c3', 'der'] as const);
  const prefix = aboolean(opts.c1Prefix, 'c1Prefix') ?? true;
  if (!prefix && format === 'der') throw new RangeError('"c1Prefix": false applies to raw formats only');
  return [format, prefix];
}

/**
 * Validates decrypt() options.
 * @param options the options object
 * @returns the format (undefined: detect) and whether C1 has its 04 prefix
 * @throws TypeError / RangeError for invalid options
 * @example const [format, prefix] = decryptOptions({ format: 'der' });
 * @internal
 */
export function decryptOptions(options: unknown): [Sm2CiphertextFormat | undefined, boolean] {
  const opts = aoptions<Sm2DecryptOptions>(options);
  const format =
    opts.format === undefined ? undefined : aoneOf(opts.format, 'format', ['c1c3c2', 'c1c2c3', 'der'] as const);
  const prefix = aboolean(opts.c1Prefix, 'c1Prefix') ?? true;
  if (!prefix && format === 'der') throw new RangeError('"c1Prefix": false applies to raw formats only');
  return [format, prefix];
}

/**
 * The digest e that the GM/T 0028-style pairwise consistency test signs: 32 fixed bytes (the
 * ASCII of the test's name, padded). The test checks the key pair, not the Z_A/SM3 layers above
 * it, which have their own known answers (src/kat.ts).
 */
const PCT_DIGEST = /* @__PURE__ */ new TextEncoder().encode('guomi SM2 pairwise test e.......');

/**
 * Signs PCT_DIGEST with the new key and verifies the signature against the key's own public point,
 * through a fresh public-key handle (without the precomputed tables, which one verification does
 * not repay); true if the pair is consistent.
 */
function pairwiseConsistent(backend: Backend, handle: Sm2PrivateHandle): boolean {
  const signature = backend.sm2Sign(handle, PCT_DIGEST);
  const pub = backend.sm2PublicKey(backend.sm2PrivateToPublic(handle));
  try {
    return backend.sm2Verify(pub, PCT_DIGEST, signature);
  } finally {
    pub.destroy();
  }
}

/**
 * An SM2 private key on sm2p256v1 (GB/T 32918.1-2016 §6.1: d in [1, n-2]).
 *
 * @example
 * const key = Sm2PrivateKey.generate();
 * const sig = key.sign('message');                 // DER, default ID
 * key.publicKey.verify('message', sig);            // true
 * key.export({ type: 'pkcs8' });                   // PEM "PRIVATE KEY"
 * key.destroy();
 */
export class Sm2PrivateKey {
  #backend: Backend;
  #handle: Sm2PrivateHandle | undefined;
  #d: Uint8Array;
  #publicKey: Sm2PublicKey | undefined;

  /** @internal Use Sm2PrivateKey.generate() or Sm2PrivateKey.from(). */
  constructor(token: symbol, backend: Backend, handle: Sm2PrivateHandle, d: Uint8Array) {
    if (token !== INTERNAL) throw new TypeError('use Sm2PrivateKey.generate() or Sm2PrivateKey.from()');
    this.#backend = backend;
    this.#handle = handle;
    this.#d = d;
    registry?.register(this, handle, this);
  }

  /**
   * A new random key from the platform CSPRNG, checked by a sign/verify round trip (the
   * pairwise consistency test of GM/T 0028) unless `consistencyTest: false`.
   *
   * The test costs a signature and a verification, about four times the key generation itself
   * (natively ~9k keys/s with it, ~45k/s without); code that makes many short-lived keys
   * (ephemeral key-exchange keys, tests) may turn it off.
   * @param options `consistencyTest` (default true)
   * @returns the key
   * @throws GuomiError ERR_SM2_INVALID_KEY if the consistency test fails
   * @example const key = Sm2PrivateKey.generate();
   */
  static generate(options?: Sm2GenerateOptions): Sm2PrivateKey {
    const test = aboolean(aoptions<Sm2GenerateOptions>(options).consistencyTest, 'consistencyTest') ?? true;
    const backend = getBackend();
    const d = backend.sm2GenerateScalar();
    const key = Sm2PrivateKey.#fromScalar(backend, d);
    wipe(d);
    if (!test) return key;
    let ok = false;
    try {
      ok = pairwiseConsistent(backend, key.#handle!);
    } catch {
      ok = false;
    }
    if (!ok) {
      key.destroy();
      throw new GuomiError('ERR_SM2_INVALID_KEY', 'SM2 key generation failed its pairwise consistency test');
    }
    return key;
  }

  static #fromScalar(backend: Backend, d: Uint8Array): Sm2PrivateKey {
    const handle = backend.sm2PrivateKey(d);
    return new Sm2PrivateKey(INTERNAL, backend, handle, copyBytes(d));
  }

  /**
   * Reads a private key: the raw 32-byte scalar d; PKCS#8 or SEC 1 ECPrivateKey in DER; PEM
   * ("PRIVATE KEY", or SEC 1 as "EC PRIVATE KEY" or OpenSSL 3.0's "SM2 PRIVATE KEY", with any text or an
   * "EC PARAMETERS" / "SM2 PARAMETERS" block around it);
   * or a node:crypto private KeyObject. When the container also stores the public key, it must
   * match d.
   * @param input the key
   * @param options `format` ('raw' | 'der') and `type` ('pkcs8' | 'sec1') to force a reading;
   *   `passphrase` for an encrypted PKCS#8 key ("ENCRYPTED PRIVATE KEY")
   * @returns the key
   * @throws TypeError for an input of the wrong type
   * @throws GuomiError ERR_SM2_INVALID_KEY if d is not in [1, n-2] or the stored public key
   *   does not match; ERR_DECODE for malformed DER/PEM or a wrong passphrase; ERR_UNSUPPORTED for
   *   keys of another algorithm or curve or an unsupported encryption scheme
   * @example Sm2PrivateKey.from(fs.readFileSync('key.pem', 'utf8'))
   */
  static from(input: Sm2PrivateKeyInput, options?: Sm2PrivateKeyImportOptions): Sm2PrivateKey {
    const opts = aoptions<Sm2PrivateKeyImportOptions>(options);
    const format = opts.format === undefined ? undefined : aoneOf(opts.format, 'format', ['raw', 'der'] as const);
    const type = opts.type === undefined ? undefined : aoneOf(opts.type, 'type', ['pkcs8', 'sec1'] as const);
    const passphrase = opts.passphrase;
    if (passphrase !== undefined && typeof passphrase !== 'string' && !isBytes(passphrase)) {
      throw new TypeError('"passphrase" must be a string or a Uint8Array');
    }
    if (input instanceof Sm2PrivateKey) return input;
    if (typeof input === 'string') {
      const block = pemDecode(input, PRIVATE_LABELS);
      if (block.label === 'ENCRYPTED PRIVATE KEY') {
        if (passphrase === undefined) throw new TypeError('"input" is an encrypted private key: give its "passphrase"');
        return Sm2PrivateKey.#fromEncrypted(block.der, passphrase);
      }
      // An "EC PARAMETERS" (or "SM2 PARAMETERS") block, if any, must name the SM2 curve.
      for (const b of pemDecodeAll(input)) {
        if (PARAMETER_LABELS.includes(b.label)) checkEcParameters(b.der);
      }
      return Sm2PrivateKey.#fromParsed(block.der, SEC1_LABELS.includes(block.label) ? 'sec1' : 'pkcs8');
    }
    if (input instanceof KeyObject) {
      if (input.type !== 'private') throw new TypeError('"input" must be a private KeyObject');
      const der = new Uint8Array(input.export({ format: 'der', type: 'pkcs8' }));
      try {
        return Sm2PrivateKey.#fromParsed(der, 'pkcs8');
      } finally {
        wipe(der);
      }
    }
    if (!isBytes(input)) {
      throw new TypeError('"input" must be a Uint8Array, a PEM string, a KeyObject or an Sm2PrivateKey');
    }
    if (passphrase !== undefined) return Sm2PrivateKey.#fromEncrypted(input, passphrase);
    if (format === 'raw' || (format === undefined && input.length === 32)) {
      abytes(input, 'input', 32);
      return Sm2PrivateKey.#fromScalar(getBackend(), input);
    }
    return Sm2PrivateKey.#fromParsed(input, type);
  }

  /** An EncryptedPrivateKeyInfo (DER): decrypted (RFC 8018 PBES2), read as PKCS#8, wiped. */
  static #fromEncrypted(der: Uint8Array, passphrase: string | Uint8Array): Sm2PrivateKey {
    const inner = decryptPrivateKeyInfo(der, passphrase);
    try {
      return Sm2PrivateKey.#fromParsed(inner, 'pkcs8');
    } catch (err) {
      // Garbage that happened to end in valid padding: most likely the wrong passphrase.
      if (err instanceof GuomiError && err.code === 'ERR_DECODE') {
        throw new GuomiError('ERR_DECODE', `"input": wrong passphrase or corrupted key (${err.message})`, { cause: err });
      }
      throw err;
    } finally {
      wipe(inner);
    }
  }

  static #fromParsed(der: Uint8Array, type: 'pkcs8' | 'sec1' | undefined): Sm2PrivateKey {
    const parsed = parsePrivateKeyDer(der, type);
    try {
      const key = Sm2PrivateKey.#fromScalar(getBackend(), parsed.d);
      if (parsed.publicKey && !equalPoint(key, parsed.publicKey)) {
        key.destroy();
        throw new GuomiError('ERR_SM2_INVALID_KEY', 'the public key stored with the private key does not match it');
      }
      return key;
    } finally {
      wipe(parsed.d);
    }
  }

  #live(): Sm2PrivateHandle {
    if (!this.#handle) throw destroyed('Sm2PrivateKey');
    return this.#handle;
  }

  static {
    privateKeyHandle = (key) => [key.#backend, key.#live()];
  }

  /** The public key [d]G. */
  get publicKey(): Sm2PublicKey {
    const h = this.#live();
    if (!this.#publicKey) {
      const point = this.#backend.sm2PrivateToPublic(h);
      this.#publicKey = new Sm2PublicKey(INTERNAL, this.#backend, this.#backend.sm2PublicKey(point), point);
    }
    return this.#publicKey;
  }

  /**
   * Signs `message` (GB/T 32918.2-2016 §6.1), with e = SM3(Z || M) for this key and `id`.
   * The nonce is hedged: derived by HMAC-SM3 DRBG from d, e and fresh random bytes.
   * @param message the message (a string is UTF-8), or e (32 bytes) with `prehashed: true`
   * @param options `id` (default '1234567812345678'), `encoding` ('der' default, or 'raw'),
   *   `prehashed`
   * @returns the signature: DER (70–72 bytes typically) or raw r || s (64 bytes)
   * @throws TypeError / RangeError for invalid arguments
   * @example key.sign('message digest', { id: 'ALICE123@YAHOO.COM', encoding: 'raw' })
   */
  sign(message: BytesLike, options?: Sm2SignOptions): Uint8Array {
    const [e, encoding] = this.#prepareSign(message, options);
    const raw = this.#backend.sm2Sign(this.#live(), e);
    return encoding === 'raw' ? raw : signatureToDer(raw);
  }

  /**
   * As {@link Sm2PrivateKey.sign}, off the main thread where the backend can.
   * @example await key.signAsync(data)
   */
  async signAsync(message: BytesLike, options?: Sm2SignOptions): Promise<Uint8Array> {
    const [e, encoding] = this.#prepareSign(message, options);
    const raw = await this.#backend.sm2SignAsync(this.#live(), e);
    return encoding === 'raw' ? raw : signatureToDer(raw);
  }

  #prepareSign(message: unknown, options: unknown): [Uint8Array, Sm2SignatureEncoding] {
    const opts = aoptions<Sm2SignOptions>(options);
    const encoding = aoneOf(opts.encoding ?? 'der', 'encoding', ['der', 'raw'] as const);
    this.#live();
    return [digestFor(this.publicKey, message, opts, getBackend()), encoding];
  }

  /**
   * Decrypts an SM2 ciphertext (GB/T 32918.4-2016 §7) addressed to this key.
   * @param ciphertext raw C1 || C3 || C2 (default), C1 || C2 || C3 or GM/T 0009 DER
   * @param options `format` (auto-detects DER vs C1 || C3 || C2 when absent), `c1Prefix`
   * @returns the plaintext
   * @throws GuomiError ERR_SM2_DECRYPT_FAILED for every bad ciphertext (malformed, C1 not on
   *   the curve, wrong C3 …); no plaintext is released
   * @example key.decrypt(ct, { format: 'c1c2c3' })
   */
  decrypt(ciphertext: Uint8Array, options?: Sm2DecryptOptions): Uint8Array {
    const p = this.#prepareDecrypt(ciphertext, options);
    return this.#backend.sm2Decrypt(this.#live(), p.c1, p.c3, p.c2);
  }

  /**
   * As {@link Sm2PrivateKey.decrypt}, off the main thread where the backend can.
   * @example await key.decryptAsync(ct)
   */
  async decryptAsync(ciphertext: Uint8Array, options?: Sm2DecryptOptions): Promise<Uint8Array> {
    const p = this.#prepareDecrypt(ciphertext, options);
    return this.#backend.sm2DecryptAsync(this.#live(), p.c1, p.c3, p.c2);
  }

  #prepareDecrypt(ciphertext: unknown, options: unknown): { c1: Uint8Array; c3: Uint8Array; c2: Uint8Array } {
    const ct = abytes(ciphertext, 'ciphertext');
    const [format, prefix] = decryptOptions(options);
    this.#live();
    return parseCiphertext(ct, format, prefix);
  }

  /**
   * Exports the key.
   * @param options `format` 'pem' (default), 'der' or 'raw'; `type` 'pkcs8' (default) or 'sec1'
   * @returns PEM text, or DER, or the 32-byte d ('raw')
   * @example key.export({ format: 'der', type: 'sec1' })
   */
  export(options?: Sm2PrivateKeyExportOptions & { format?: 'pem' }): string;
  export(options: Sm2PrivateKeyExportOptions & { format: 'der' | 'raw' }): Uint8Array;
  export(options?: Sm2PrivateKeyExportOptions): string | Uint8Array {
    const opts = aoptions<Sm2PrivateKeyExportOptions>(options);
    const format = aoneOf(opts.format ?? 'pem', 'format', ['pem', 'der', 'raw'] as const);
    const type = aoneOf(opts.type ?? 'pkcs8', 'type', ['pkcs8', 'sec1'] as const);
    this.#live();
    if (format === 'raw') return copyBytes(this.#d);
    const point = this.publicKey.toBytes();
    const der = type === 'sec1' ? encodeSec1(this.#d, point) : encodePkcs8(this.#d, point);
    if (format === 'der') return der;
    const pem = pemEncode(type === 'sec1' ? 'EC PRIVATE KEY' : 'PRIVATE KEY', der);
    wipe(der);
    return pem;
  }

  /**
   * The key as a node:crypto private KeyObject (an 'ec' key on the SM2 curve). Note that
   * node:crypto's own sign() with it is ECDSA or SM2 with an empty ID depending on how it was
   * made (see the README); use this module to sign.
   * @example key.toKeyObject().export({ format: 'pem', type: 'pkcs8' })
   */
  toKeyObject(): KeyObject {
    const der = this.export({ format: 'der' });
    const buf = Buffer.from(der);
    try {
      return createPrivateKey({ key: buf, format: 'der', type: 'pkcs8' });
    } finally {
      wipe(der, buf);
    }
  }

  /** Whether destroy() has been called. */
  get destroyed(): boolean {
    return this.#handle === undefined;
  }

  /**
   * Wipes the key: the JavaScript copy of d and the backend handle (the native addon wipes its
   * memory). The key cannot be used afterwards.
   */
  destroy(): void {
    if (!this.#handle) return;
    registry?.unregister(this);
    this.#handle.destroy();
    this.#handle = undefined;
    wipe(this.#d);
    // The public key object stays usable: it holds nothing secret.
    this.#publicKey = undefined;
  }
}

function equalPoint(key: Sm2PrivateKey, stored: Uint8Array): boolean {
  try {
    return key.publicKey.equals(stored);
  } catch {
    return false;
  }
}

/** An "EC PARAMETERS" PEM block must be the named curve sm2. */
function checkEcParameters(der: Uint8Array): void {
  // ECParameters ::= CHOICE { namedCurve OID, … }: 06 08 2A 81 1C CF 55 01 82 2D.
  const sm2 = Uint8Array.of(0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d);
  if (!equalBytes(der, sm2)) throw new GuomiError('ERR_UNSUPPORTED', 'the EC PARAMETERS block does not name the SM2 curve');
}

/**
 * A private key object from anything Sm2PrivateKey.from() reads, and whether it was made here
 * (and must be destroyed after use).
 * @param input the key or key material
 * @param name the parameter name for error messages
 * @returns the key object and whether it is temporary
 * @throws TypeError for an input of the wrong type
 * @example const [key, temporary] = toPrivateKey(input);
 * @internal
 */
export function toPrivateKey(input: unknown, name = 'privateKey'): [Sm2PrivateKey, boolean] {
  if (input instanceof Sm2PrivateKey) return [input, false];
  if (typeof input === 'string' || isBytes(input) || input instanceof KeyObject) {
    return [Sm2PrivateKey.from(input), true];
  }
  throw new TypeError(`"${name}" must be an Sm2PrivateKey, a Uint8Array, a PEM string or a KeyObject`);
}

/**
 * A public key object from anything Sm2PublicKey.from() reads, and whether it is temporary.
 * @param input the key or key material
 * @param name the parameter name for error messages
 * @returns the key object and whether it is temporary
 * @throws TypeError for an input of the wrong type
 * @example const [pub, temporary] = toPublicKey(input);
 * @internal
 */
export function toPublicKey(input: unknown, name = 'publicKey'): [Sm2PublicKey, boolean] {
  if (input instanceof Sm2PublicKey) return [input, false];
  if (input instanceof Sm2PrivateKey) return [input.publicKey, false];
  if (typeof input === 'string' || isBytes(input) || input instanceof KeyObject) {
    return [Sm2PublicKey.from(input), true];
  }
  throw new TypeError(`"${name}" must be an Sm2PublicKey, a Uint8Array, a PEM string or a KeyObject`);
}
