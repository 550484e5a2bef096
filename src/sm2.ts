/**
 * SM2 public-key cryptography (GB/T 32918.1–5; GM/T 0003-2012) on the recommended curve
 * sm2p256v1: signatures, public-key encryption, the GB/T 32918.3 key exchange and ECDH, with the
 * encodings peers use (GM/T 0009-2012) and keys in PKCS#8, SEC 1 and SPKI, PEM or DER.
 *
 * Defaults follow the standards: signatures are DER (raw r || s, always 64 bytes, on request),
 * the ID is "1234567812345678", ciphertexts are C1 || C3 || C2 with C1 = 04 || x || y (C1 || C2 ||
 * C3 and GM/T 0009 DER on request; sm-crypto's 64-byte C1 without 04 only with
 * `c1Prefix: false`).
 *
 * ```ts
 * import { Sm2PrivateKey, sign, verify, encrypt, decrypt } from 'guomi/sm2';
 * const key = Sm2PrivateKey.generate();
 * const sig = sign('message', key);                         // DER
 * verify('message', sig, key.publicKey);                    // true
 * const ct = encrypt(key.publicKey, 'secret');              // C1 || C3 || C2
 * decrypt(key, ct);                                         // Uint8Array "secret"
 * sign('message', key, { id: 'ALICE123@YAHOO.COM', encoding: 'raw' });
 * Sm2PublicKey.from(pem).export({ format: 'der' });         // SPKI, id-ecPublicKey + sm2
 * ```
 *
 * Keys may be passed as key objects or as anything `Sm2PrivateKey.from` / `Sm2PublicKey.from`
 * read (raw bytes, PEM, DER, node:crypto KeyObject); key objects keep their precomputation, so
 * reuse them when signing or verifying more than once.
 * @module
 */
import type { Backend, Sm2VerifyJob } from './backend/types.js';
import { GuomiError } from './errors.js';
import { abytes, aoneOf, aoptions, copyBytes, wipe, type BytesLike } from './utils.js';
import {
  formatCiphertext,
  parseCiphertext,
  signatureFromDer,
  signatureToDer as encodeSignatureDer,
  type Sm2CiphertextFormat,
} from './sm2/encoding.js';
import {
  Sm2PrivateKey,
  Sm2PublicKey,
  decryptOptions,
  privateKeyHandle,
  publicKeyHandle,
  toPrivateKey,
  toPublicKey,
  type Sm2DecryptOptions,
  type Sm2EncryptOptions,
  type Sm2GenerateOptions,
  type Sm2PrivateKeyInput,
  type Sm2PublicKeyInput,
  type Sm2SignOptions,
  type Sm2VerifyOptions,
} from './sm2/keys.js';

export {
  Sm2PrivateKey,
  Sm2PublicKey,
  type Sm2DecryptOptions,
  type Sm2EncryptOptions,
  type Sm2GenerateOptions,
  type Sm2PrivateKeyExportOptions,
  type Sm2PrivateKeyImportOptions,
  type Sm2PrivateKeyInput,
  type Sm2PublicKeyExportOptions,
  type Sm2PublicKeyInput,
  type Sm2SignOptions,
  type Sm2VerifyOptions,
} from './sm2/keys.js';
export {
  Sm2KeyExchangeInitiator,
  Sm2KeyExchangeResponder,
  type Sm2KeyExchangeOptions,
} from './sm2/kex.js';
export { SM2_DEFAULT_ID } from './sm2/params.js';
export type { Sm2CiphertextFormat, Sm2SignatureEncoding } from './sm2/encoding.js';

/** Runs fn with a private key object, destroying it afterwards if it was made from raw input. */
function withPrivate<T>(input: unknown, fn: (key: Sm2PrivateKey) => T): T {
  const [key, temporary] = toPrivateKey(input);
  try {
    return fn(key);
  } finally {
    if (temporary) key.destroy();
  }
}

async function withPrivateAsync<T>(input: unknown, fn: (key: Sm2PrivateKey) => Promise<T>): Promise<T> {
  const [key, temporary] = toPrivateKey(input);
  try {
    return await fn(key);
  } finally {
    if (temporary) key.destroy();
  }
}

function withPublic<T>(input: unknown, fn: (key: Sm2PublicKey) => T): T {
  const [key, temporary] = toPublicKey(input);
  try {
    return fn(key);
  } finally {
    if (temporary) key.destroy();
  }
}

async function withPublicAsync<T>(input: unknown, fn: (key: Sm2PublicKey) => Promise<T>): Promise<T> {
  const [key, temporary] = toPublicKey(input);
  try {
    return await fn(key);
  } finally {
    if (temporary) key.destroy();
  }
}

/**
 * A new key pair (with the pairwise consistency test of GM/T 0028 unless
 * `consistencyTest: false`; see Sm2PrivateKey.generate).
 * @param options `consistencyTest` (default true)
 * @returns `privateKey` and its `publicKey`
 * @throws GuomiError ERR_SM2_INVALID_KEY if the consistency test fails
 * @example const { privateKey, publicKey } = generateKeyPair();
 */
export function generateKeyPair(options?: Sm2GenerateOptions): {
  /** The new private key. */
  privateKey: Sm2PrivateKey;
  /** Its public key (the same object as privateKey.publicKey). */
  publicKey: Sm2PublicKey;
} {
  const privateKey = Sm2PrivateKey.generate(options);
  return { privateKey, publicKey: privateKey.publicKey };
}

/**
 * Signs `message` with SM2 (GB/T 32918.2-2016 §6.1): e = SM3(Z || M) with Z from the signer's
 * public key and `id`, and a hedged nonce (HMAC-SM3 DRBG over d, e and fresh random bytes).
 * @param message the message (a string is UTF-8), or e = SM3(Z || M) (32 bytes) with `prehashed`
 * @param privateKey the signer's key (a key object, or anything Sm2PrivateKey.from reads)
 * @param options `id` (default '1234567812345678'; ≤ 8191 bytes), `encoding` ('der' default,
 *   or 'raw' = r || s, 64 bytes), `prehashed`
 * @returns the signature
 * @throws TypeError / RangeError for invalid arguments; GuomiError for an unusable key
 * @example sign('message digest', key, { id: 'ALICE123@YAHOO.COM' })
 */
export function sign(message: BytesLike, privateKey: Sm2PrivateKeyInput, options?: Sm2SignOptions): Uint8Array {
  return withPrivate(privateKey, (key) => key.sign(message, options));
}

/**
 * As {@link sign}, on the libuv thread pool (native backend) or a later tick (pure backend).
 * @example await signAsync(data, key, { encoding: 'raw' })
 */
export function signAsync(
  message: BytesLike,
  privateKey: Sm2PrivateKeyInput,
  options?: Sm2SignOptions,
): Promise<Uint8Array> {
  return withPrivateAsync(privateKey, (key) => key.signAsync(message, options));
}

/**
 * Verifies an SM2 signature (GB/T 32918.2-2016 §7.1), with every range check (r, s in
 * [1, n-1], t ≠ 0). Without `encoding`, the signature is read as strict DER (non-minimal
 * INTEGERs and trailing bytes are rejected) and otherwise, if it is 64 bytes, as raw r || s.
 * @param message the message (a string is UTF-8), or e (32 bytes) with `prehashed`
 * @param signature the signature bytes
 * @param publicKey the signer's public key (a key object, or anything Sm2PublicKey.from reads)
 * @param options `id`, `encoding` ('der' | 'raw'), `prehashed`
 * @returns true if valid; false for every invalid or malformed signature
 * @throws TypeError / RangeError for arguments of the wrong type; GuomiError
 *   ERR_SM2_INVALID_POINT / ERR_DECODE if `publicKey` is not a valid key — never for a bad
 *   signature
 * @example verify('message digest', sig, pub, { id: 'ALICE123@YAHOO.COM' })
 */
export function verify(
  message: BytesLike,
  signature: Uint8Array,
  publicKey: Sm2PublicKeyInput,
  options?: Sm2VerifyOptions,
): boolean {
  return withPublic(publicKey, (key) => key.verify(message, signature, options));
}

/**
 * As {@link verify}, on the libuv thread pool (native backend) or a later tick (pure backend).
 * @example await verifyAsync(msg, sig, pub)
 */
export function verifyAsync(
  message: BytesLike,
  signature: Uint8Array,
  publicKey: Sm2PublicKeyInput,
  options?: Sm2VerifyOptions,
): Promise<boolean> {
  return withPublicAsync(publicKey, (key) => key.verifyAsync(message, signature, options));
}

/** One signature for {@link verifyBatch}. */
export interface Sm2VerifyItem {
  /** The signed message (a string is UTF-8), or e with `options.prehashed`. */
  message: BytesLike;
  /** The signature, DER or raw r || s. */
  signature: Uint8Array;
  /** The signer's public key. */
  publicKey: Sm2PublicKeyInput;
  /** `id`, `encoding`, `prehashed`, as for {@link verify}. */
  options?: Sm2VerifyOptions;
}

function checkItems(items: unknown): readonly Sm2VerifyItem[] {
  if (!Array.isArray(items)) throw new TypeError('"items" must be an array');
  items.forEach((item, i) => {
    if (item === null || typeof item !== 'object') throw new TypeError(`"items[${i}]" must be an object`);
  });
  return items as Sm2VerifyItem[];
}

/**
 * Verifies many signatures; the result for each is what {@link verify} returns.
 * @param items `{ message, signature, publicKey, options? }` each
 * @returns one boolean per item
 * @example verifyBatch(records.map((r) => ({ message: r.data, signature: r.sig, publicKey: pub })))
 */
export function verifyBatch(items: readonly Sm2VerifyItem[]): boolean[] {
  return checkItems(items).map((it) => verify(it.message, it.signature, it.publicKey, it.options));
}

/**
 * As {@link verifyBatch}, with the verifications spread over the libuv thread pool (native
 * backend) or later ticks (pure backend).
 * @example const ok = (await verifyBatchAsync(items)).every(Boolean);
 */
export function verifyBatchAsync(items: readonly Sm2VerifyItem[]): Promise<boolean[]> {
  return runBatch(checkItems(items));
}

/**
 * Reads every item (keys, e = SM3(Z || M), signature decoding: all as verifyAsync does) before
 * the first await, so the caller may destroy its keys once verifyBatchAsync has returned, then
 * hands each backend its verifications in one call, which the native backend sends to the
 * thread pool as a few large jobs instead of one per signature. An argument error rejects.
 */
async function runBatch(list: readonly Sm2VerifyItem[]): Promise<boolean[]> {
  const results = new Array<boolean>(list.length).fill(false);
  const groups = new Map<Backend, { at: number[]; jobs: Sm2VerifyJob[] }>();
  // Keys made from raw input live until the batch is handed over (the backends copy or keep
  // what they need then), not just while their item is read.
  const temporaries: Sm2PublicKey[] = [];
  let started: (readonly [number[], Promise<boolean[]>])[];
  try {
    list.forEach((it, i) => {
      const [key, temporary] = toPublicKey(it.publicKey);
      if (temporary) temporaries.push(key);
      const prepared = key.verifyJob(it.message, it.signature, it.options);
      if (!prepared) return;
      let group = groups.get(prepared.backend);
      if (!group) groups.set(prepared.backend, (group = { at: [], jobs: [] }));
      group.at.push(i);
      group.jobs.push(prepared.job);
    });
    started = [...groups].map(([backend, g]) => [g.at, backend.sm2VerifyBatchAsync(g.jobs)] as const);
  } finally {
    for (const key of temporaries) key.destroy();
  }
  const answers = await Promise.all(started.map(([, pending]) => pending));
  started.forEach(([at], g) => at.forEach((i, j) => (results[i] = answers[g]![j]!)));
  return results;
}

/**
 * Encrypts `plaintext` to `publicKey` (GB/T 32918.4-2016 §6.1).
 * @param publicKey the recipient's key (a key object, or anything Sm2PublicKey.from reads)
 * @param plaintext at least one byte (a string is UTF-8)
 * @param options `format`: 'c1c3c2' (default), 'c1c2c3' or 'der' (GM/T 0009 SEQUENCE);
 *   `c1Prefix: false` to write C1 without 04 (sm-crypto's form; raw formats only)
 * @returns the ciphertext (raw formats: 97 + plaintext length bytes)
 * @throws RangeError for an empty plaintext
 * @example encrypt(pub, 'encryption standard', { format: 'c1c2c3' })
 */
export function encrypt(publicKey: Sm2PublicKeyInput, plaintext: BytesLike, options?: Sm2EncryptOptions): Uint8Array {
  return withPublic(publicKey, (key) => key.encrypt(plaintext, options));
}

/**
 * As {@link encrypt}, on the libuv thread pool (native backend) or a later tick (pure backend).
 * @example await encryptAsync(pub, data)
 */
export function encryptAsync(
  publicKey: Sm2PublicKeyInput,
  plaintext: BytesLike,
  options?: Sm2EncryptOptions,
): Promise<Uint8Array> {
  return withPublicAsync(publicKey, (key) => key.encryptAsync(plaintext, options));
}

/**
 * Decrypts an SM2 ciphertext (GB/T 32918.4-2016 §7.1). Without `format`, a ciphertext starting
 * with 0x30 is read as GM/T 0009 DER and anything else as C1 || C3 || C2 with C1 = 04 || x || y;
 * C1 || C2 || C3 must be named, and sm-crypto's prefix-less C1 needs `c1Prefix: false`.
 * @param privateKey the recipient's key (a key object, or anything Sm2PrivateKey.from reads)
 * @param ciphertext the ciphertext
 * @param options `format`, `c1Prefix`
 * @returns the plaintext (released only after C3 has been checked)
 * @throws GuomiError ERR_SM2_DECRYPT_FAILED for every invalid ciphertext
 * @example decrypt(key, ciphertextFromJava, { format: 'c1c2c3' })
 */
export function decrypt(privateKey: Sm2PrivateKeyInput, ciphertext: Uint8Array, options?: Sm2DecryptOptions): Uint8Array {
  return withPrivate(privateKey, (key) => key.decrypt(ciphertext, options));
}

/**
 * As {@link decrypt}, on the libuv thread pool (native backend) or a later tick (pure backend).
 * @example await decryptAsync(key, ct)
 */
export function decryptAsync(
  privateKey: Sm2PrivateKeyInput,
  ciphertext: Uint8Array,
  options?: Sm2DecryptOptions,
): Promise<Uint8Array> {
  return withPrivateAsync(privateKey, (key) => key.decryptAsync(ciphertext, options));
}

/**
 * Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA) (GB/T 32918.2-2016 §5.5), cached per
 * key object and ID.
 * @param publicKey the key (a key object, or anything Sm2PublicKey.from reads)
 * @param id the user ID, string (UTF-8) or bytes, at most 8191 bytes; default
 *   '1234567812345678' (GM/T 0009-2012 §10). An empty ID gives OpenSSL 3's default Z.
 * @returns the 32-byte Z
 * @example computeZ(pub)            // Z with the default ID
 */
export function computeZ(publicKey: Sm2PublicKeyInput, id?: string | Uint8Array): Uint8Array {
  return withPublic(publicKey, (key) => key.computeZ(id));
}

/**
 * Plain elliptic-curve Diffie–Hellman on the SM2 curve: the x coordinate of [d]Q (32 bytes),
 * which is the shared secret of TLS 1.3 with curveSM2 (RFC 8998 §3.2.1, RFC 8446 §7.4.2).
 * This is not the SM2 key exchange of GB/T 32918.3 (see Sm2KeyExchangeInitiator); hash the
 * result with a KDF before using it as a key.
 * @param privateKey own private key
 * @param publicKey the peer's public key
 * @returns x of the shared point, 32 bytes
 * @throws GuomiError ERR_SM2_INVALID_POINT for an invalid peer key
 * @example const secret = ecdh(myKey, peerPublicKeyBytes);
 */
export function ecdh(privateKey: Sm2PrivateKeyInput, publicKey: Sm2PublicKeyInput): Uint8Array {
  return withPrivate(privateKey, (key) =>
    withPublic(publicKey, (peer) => {
      const [backend, handle] = privateKeyHandle(key);
      const xy = backend.sm2Ecdh(handle, publicKeyHandle(peer, backend));
      const x = copyBytes(xy.subarray(0, 32));
      wipe(xy);
      return x;
    }),
  );
}

/**
 * Converts a DER signature (GM/T 0009-2012 SEQUENCE { r, s }) to raw r || s (64 bytes, each
 * left-padded to 32), as SDF/SKF device APIs and some Java code expect.
 * @param der the DER signature (strict DER)
 * @returns r || s
 * @throws GuomiError ERR_SM2_INVALID_SIGNATURE if it is not a strict DER signature with r, s
 *   below 2^256
 * @example signatureToRaw(sign(msg, key)).length // 64
 */
export function signatureToRaw(der: Uint8Array): Uint8Array {
  const raw = signatureFromDer(abytes(der, 'der'));
  if (!raw) throw new GuomiError('ERR_SM2_INVALID_SIGNATURE', 'not a DER SM2 signature');
  return raw;
}

/**
 * Converts a raw r || s signature (64 bytes) to DER (GM/T 0009-2012 SEQUENCE { r, s }).
 * @param raw r || s
 * @returns the DER signature
 * @throws RangeError unless `raw` is 64 bytes
 * @example signatureToDer(rawSignatureFromDevice)
 */
export function signatureToDer(raw: Uint8Array): Uint8Array {
  return encodeSignatureDer(abytes(raw, 'raw', 64));
}

/** Options of {@link convertCiphertext}. */
export interface Sm2CiphertextConversion {
  /** The input layout; as decrypt() when absent (DER by its 0x30, else C1 || C3 || C2). */
  from?: Sm2CiphertextFormat;
  /** The output layout. */
  to: Sm2CiphertextFormat;
  /** Whether the input's C1 has the 04 prefix (default true). */
  fromC1Prefix?: boolean;
  /** Whether the output's C1 has the 04 prefix (default true; raw layouts only). */
  toC1Prefix?: boolean;
}

/**
 * Re-encodes an SM2 ciphertext between C1 || C3 || C2, C1 || C2 || C3 and GM/T 0009 DER (with or
 * without the 04 prefix on C1), without decrypting it. C1 is not validated here; decryption
 * does that.
 * @param ciphertext the ciphertext
 * @param options `from`, `to`, `fromC1Prefix`, `toC1Prefix`
 * @returns the ciphertext in the `to` layout
 * @throws GuomiError ERR_SM2_DECRYPT_FAILED if the input cannot be split in the `from` layout
 * @example convertCiphertext(javaCt, { from: 'c1c2c3', to: 'c1c3c2' })
 */
export function convertCiphertext(ciphertext: Uint8Array, options: Sm2CiphertextConversion): Uint8Array {
  const ct = abytes(ciphertext, 'ciphertext');
  const opts = aoptions<Sm2CiphertextConversion>(options);
  const to = aoneOf(opts.to, 'to', FORMATS);
  const [from, fromPrefix] = decryptOptions({ format: opts.from, c1Prefix: opts.fromC1Prefix });
  const toPrefix = opts.toC1Prefix ?? true;
  if (typeof toPrefix !== 'boolean') throw new TypeError('"toC1Prefix" must be a boolean');
  if (!toPrefix && to === 'der') throw new RangeError('"toC1Prefix": false applies to raw formats only');
  const p = parseCiphertext(ct, from, fromPrefix);
  const raw = new Uint8Array(97 + p.c2.length);
  raw.set(p.c1, 0);
  raw.set(p.c3, 65);
  raw.set(p.c2, 97);
  return formatCiphertext(raw, to, toPrefix);
}

const FORMATS = ['c1c3c2', 'c1c2c3', 'der'] as const;
