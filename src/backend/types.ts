/**
 * The contract between the public modules (sm2, sm3, sm4) and the two backends (native, pure).
 *
 * Callers validate every argument before a backend sees it (types, lengths, ranges, options),
 * so backends may assume well-formed input; they still must not crash on it. Both backends
 * return byte-identical results for identical inputs.
 *
 * All byte values are Uint8Array; SM2 scalars and coordinates are 32-byte big-endian; SM2 points
 * are 65-byte uncompressed `04 || x || y` unless stated.
 * @module
 */

/** Which backend a value came from. */
export type BackendName = 'native' | 'pure';

/** A streaming hash or MAC state. Backends do not check the order of calls; callers do. */
export interface HashState {
  update(data: Uint8Array): void;
  /** Finishes and returns the digest (32 bytes); the state must not be used afterwards. */
  digest(): Uint8Array;
  /** An independent copy of the current state. */
  clone(): HashState;
  /** Wipes the state. */
  destroy(): void;
}

export interface Sm3Backend {
  /** SM3 (GB/T 32905-2016) of `data`. */
  sm3(data: Uint8Array): Uint8Array;
  sm3Create(): HashState;
  /** HMAC-SM3 (RFC 2104). */
  hmacSm3(key: Uint8Array, data: Uint8Array): Uint8Array;
  hmacSm3Create(key: Uint8Array): HashState;
  /**
   * The prepared form of an HMAC-SM3 key: the SM3 states after the key block xor ipad and xor
   * opad (64 bytes, in a layout of the backend's own). As secret as the key.
   */
  hmacSm3Prepare(key: Uint8Array): Uint8Array;
  /**
   * n HMACs in one call: out[32i .. 32i + 32) = HMAC-SM3 under the key at index which[i] of
   * `prepared` (prepared keys of this backend, concatenated) of data[ends[i-1] .. ends[i]), with
   * ends[-1] = 0. Callers check the indexes and ends; a message of up to 55 bytes costs two SM3
   * compressions.
   */
  hmacSm3Batch(prepared: Uint8Array, which: Uint32Array, data: Uint8Array, ends: Uint32Array, out: Uint8Array): void;
  /** The SM2 KDF (GB/T 32918.4-2016 §5.4.3): `length` bytes from SM3(z || ct), ct = 1, 2, … */
  sm3Kdf(z: Uint8Array, length: number): Uint8Array;
  /** HKDF-Extract with HMAC-SM3 (RFC 5869 §2.2); an empty salt acts as 32 zero bytes. */
  hkdfSm3Extract(salt: Uint8Array, ikm: Uint8Array): Uint8Array;
  /** HKDF-Expand with HMAC-SM3 (RFC 5869 §2.3); length <= 8160. */
  hkdfSm3Expand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  /** PBKDF2 with HMAC-SM3 (RFC 8018 §5.2); iterations >= 1. */
  pbkdf2Sm3(password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Uint8Array;
  /**
   * As pbkdf2Sm3, off the main thread where the backend can (the libuv pool for native). The
   * backend copies the inputs before returning, so callers may reuse their buffers at once.
   */
  pbkdf2Sm3Async(
    password: Uint8Array,
    salt: Uint8Array,
    iterations: number,
    length: number,
  ): Promise<Uint8Array>;
}

/**
 * An SM4 key prepared by a backend (an expanded schedule, GB/T 32907-2016 §7.3, or the key
 * itself for backends that expand per call). Opaque; wiped by destroy().
 */
export interface Sm4Key {
  destroy(): void;
}

/** The feedback modes that work like stream ciphers on any length. */
export type Sm4StreamMode = 'ctr' | 'cfb' | 'ofb';

/** State of CTR, CFB-128 or OFB across calls: takes any number of bytes per call. */
export interface Sm4StreamState {
  /** Processes input into output (same length; may be the same array). */
  update(input: Uint8Array, output: Uint8Array): void;
  destroy(): void;
}

/** Streaming GCM (SP 800-38D with SM4). AAD first, then data, then final. */
export interface Sm4GcmState {
  aad(data: Uint8Array): void;
  /** En- or decrypts any number of bytes (same length out). */
  update(input: Uint8Array, output: Uint8Array): void;
  /** Returns the full 16-byte tag (the caller truncates and, when decrypting, compares). */
  final(): Uint8Array;
  destroy(): void;
}

/**
 * One whole-message SM4 operation for sm4Async. ECB and CBC take whole blocks (padding is the
 * caller's); GCM and CCM decryption take ciphertext || tag; the key objects must stay alive until
 * the promise settles (the native backend copies them when the job starts).
 */
export interface Sm4AsyncJob {
  mode: 'ecb' | 'cbc' | Sm4StreamMode | 'gcm' | 'ccm' | 'xts';
  key: Sm4Key;
  /** XTS: the tweak key. */
  key2?: Sm4Key;
  decrypt: boolean;
  /** IV (CBC, CTR, CFB, OFB, GCM), nonce (CCM) or tweak (XTS). */
  iv?: Uint8Array;
  /** GCM and CCM. */
  aad?: Uint8Array;
  /** GCM and CCM. */
  tagLength?: number;
  /** XTS. */
  variant?: 'gb' | 'ieee';
  input: Uint8Array;
}

export interface Sm4Backend {
  /** Expands a 16-byte key. */
  sm4ExpandKey(key: Uint8Array): Sm4Key;
  /** ECB over whole blocks (input.length % 16 == 0). */
  sm4Ecb(key: Sm4Key, decrypt: boolean, input: Uint8Array, output: Uint8Array): void;
  /**
   * CBC over whole blocks. `iv` (16 bytes) is updated in place to the last ciphertext block, so
   * calls can be chained.
   */
  sm4Cbc(key: Sm4Key, decrypt: boolean, iv: Uint8Array, input: Uint8Array, output: Uint8Array): void;
  /**
   * A CTR (128-bit big-endian counter over the whole block), CFB-128 or OFB state starting from
   * `iv` (16 bytes, copied).
   */
  sm4Stream(key: Sm4Key, mode: Sm4StreamMode, decrypt: boolean, iv: Uint8Array): Sm4StreamState;
  /**
   * One-shot GCM encryption: output = ciphertext || tag (output.length = input.length + tagLength).
   * iv.length >= 1; tagLength in 4..16.
   */
  sm4GcmEncrypt(
    key: Sm4Key,
    iv: Uint8Array,
    aad: Uint8Array,
    input: Uint8Array,
    output: Uint8Array,
    tagLength: number,
  ): void;
  /**
   * One-shot GCM decryption. Returns false (and leaves output all zero) if the tag does not
   * verify; the tag is compared in constant time before any plaintext is kept.
   */
  sm4GcmDecrypt(
    key: Sm4Key,
    iv: Uint8Array,
    aad: Uint8Array,
    input: Uint8Array,
    tag: Uint8Array,
    output: Uint8Array,
  ): boolean;
  sm4GcmStream(key: Sm4Key, iv: Uint8Array, decrypt: boolean): Sm4GcmState;
  /**
   * One-shot CCM encryption (SP 800-38C): output = ciphertext || tag. nonce 7..13 bytes, tag
   * 4..16 and even, input.length < 2^(8·(15 - nonce.length)).
   */
  sm4CcmEncrypt(
    key: Sm4Key,
    nonce: Uint8Array,
    aad: Uint8Array,
    input: Uint8Array,
    output: Uint8Array,
    tagLength: number,
  ): void;
  /** One-shot CCM decryption; false (output all zero) if the tag does not verify. */
  sm4CcmDecrypt(
    key: Sm4Key,
    nonce: Uint8Array,
    aad: Uint8Array,
    input: Uint8Array,
    tag: Uint8Array,
    output: Uint8Array,
  ): boolean;
  /**
   * XTS over one data unit of input.length >= 16 bytes, with ciphertext stealing for a partial
   * last block. key1 encrypts the data, key2 the tweak. `variant` 'ieee' is IEEE 1619 (the tweak
   * is multiplied by x in GF(2^128) in little-endian bit order); 'gb' is GB/T 17964-2021, which
   * uses the big-endian bit order for that multiplication.
   */
  sm4Xts(
    key1: Sm4Key,
    key2: Sm4Key,
    tweak: Uint8Array,
    variant: 'gb' | 'ieee',
    decrypt: boolean,
    input: Uint8Array,
    output: Uint8Array,
  ): void;
  /**
   * Runs a whole-message job off the main thread where the backend can (the libuv thread pool
   * for native; a later tick for pure). The backend copies the input (and the key objects) before
   * returning. Rejects with GuomiError ERR_AUTH_FAILED when a GCM/CCM tag does not verify.
   */
  sm4Async(job: Sm4AsyncJob): Promise<Uint8Array>;
}

/** A private key with its per-key precomputation ((1+d)^-1, public point). Opaque. */
export interface Sm2PrivateHandle {
  destroy(): void;
}

/** A validated public key (with any per-key precomputation). Opaque. */
export interface Sm2PublicHandle {
  destroy(): void;
}

/**
 * Internal options for deterministic tests only; never reachable from the public API. `k` is
 * the 32-byte nonce for signing or encryption (GB/T 32918.5 worked examples fix it).
 */
export interface Sm2TestNonce {
  k?: Uint8Array;
}

/** One verification of sm2VerifyBatchAsync: raw r || s (64 bytes) over e (32 bytes). */
export interface Sm2VerifyJob {
  key: Sm2PublicHandle;
  e: Uint8Array;
  signature: Uint8Array;
}

export interface Sm2Backend {
  /**
   * Loads a private scalar. Throws GuomiError ERR_SM2_INVALID_KEY unless 1 <= d <= n-2
   * (GB/T 32918.1 §6.1).
   */
  sm2PrivateKey(d: Uint8Array): Sm2PrivateHandle;
  /** The public point [d]G of a private key, 65 bytes. */
  sm2PrivateToPublic(key: Sm2PrivateHandle): Uint8Array;
  /** A fresh private scalar in [1, n-2] from the CSPRNG (32 bytes). */
  sm2GenerateScalar(): Uint8Array;
  /**
   * Loads a public point, 65-byte uncompressed or 33-byte compressed (02/03). Throws GuomiError
   * ERR_SM2_INVALID_POINT unless it decodes to a point on the curve other than infinity with
   * coordinates < p (GB/T 32918.1 §6.2.1).
   */
  sm2PublicKey(point: Uint8Array): Sm2PublicHandle;
  /** The public point, 65 bytes uncompressed or 33 bytes compressed. */
  sm2PublicBytes(key: Sm2PublicHandle, compressed: boolean): Uint8Array;
  /**
   * Signs the 32-byte digest e = SM3(Z || M) (GB/T 32918.2 §6.1), returning raw r || s (64 bytes).
   * Nonces are hedged: derived with an HMAC-SM3 DRBG from d, e and fresh randomness.
   */
  sm2Sign(key: Sm2PrivateHandle, e: Uint8Array, test?: Sm2TestNonce): Uint8Array;
  /** Verifies raw r || s over e (GB/T 32918.2 §7.1) with every range check. */
  sm2Verify(key: Sm2PublicHandle, e: Uint8Array, signature: Uint8Array): boolean;
  /** Encrypts (GB/T 32918.4 §6.1), returning C1 (65) || C3 (32) || C2. */
  sm2Encrypt(key: Sm2PublicHandle, message: Uint8Array, test?: Sm2TestNonce): Uint8Array;
  /**
   * Decrypts C1 (65-byte uncompressed point) || C3 || C2 pieces (GB/T 32918.4 §7.1). Throws
   * GuomiError ERR_SM2_DECRYPT_FAILED for every failure (C1 off the curve, all-zero t, C3
   * mismatch), after a constant-time C3 comparison.
   */
  sm2Decrypt(key: Sm2PrivateHandle, c1: Uint8Array, c3: Uint8Array, c2: Uint8Array): Uint8Array;
  /** [d]Q as x || y (64 bytes). Throws ERR_SM2_INVALID_POINT if the result is infinity. */
  sm2Ecdh(key: Sm2PrivateHandle, peer: Sm2PublicHandle): Uint8Array;
  /**
   * The shared point of the GB/T 32918.3 §6.1 key exchange, for either role:
   * t = (d + x̄_own · r) mod n and U = [t](P_peer + [x̄_peer] R_peer), returned as x || y.
   * `ownEphemeral` is r (32 bytes), `ownEphemeralPoint` is R = [r]G (65 bytes), `peerEphemeral`
   * is R_peer (65 bytes). Throws ERR_SM2_INVALID_POINT if R_peer is not on the curve or U is
   * infinity.
   */
  sm2KeyExchangePoint(
    key: Sm2PrivateHandle,
    ownEphemeral: Uint8Array,
    ownEphemeralPoint: Uint8Array,
    peer: Sm2PublicHandle,
    peerEphemeral: Uint8Array,
  ): Uint8Array;
  sm2SignAsync(key: Sm2PrivateHandle, e: Uint8Array): Promise<Uint8Array>;
  sm2VerifyAsync(key: Sm2PublicHandle, e: Uint8Array, signature: Uint8Array): Promise<boolean>;
  /**
   * Verifies each raw r || s over its e, as sm2Verify. Keys and inputs are read before this
   * returns, so the caller may destroy the keys at once. The native backend runs the batch as a
   * few thread-pool jobs (one per pool thread), the pure one on later turns.
   */
  sm2VerifyBatchAsync(jobs: readonly Sm2VerifyJob[]): Promise<boolean[]>;
  sm2EncryptAsync(key: Sm2PublicHandle, message: Uint8Array): Promise<Uint8Array>;
  sm2DecryptAsync(
    key: Sm2PrivateHandle,
    c1: Uint8Array,
    c3: Uint8Array,
    c2: Uint8Array,
  ): Promise<Uint8Array>;
}

/** Which implementation each primitive uses, as reported by backendInfo(). */
export interface ImplementationInfo {
/** SM3 and HMAC-SM3, e.g. "x86-64 avx2" or "portable". */
  sm3: string;
/**
 * The multi-lane SM3 kernel that hmacSm3.batch uses for messages of up to 55 bytes (the log
 * hasher's field values), e.g. "x86-64 avx512 16 lanes", or "none" (one message at a time).
 */
  sm3Lanes: string;
/** SM4 block function, e.g. "x86-64 gfni-avx512", "armv8 sm4" or "portable bitsliced". */
  sm4: string;
/** GHASH (the GCM multiplication), e.g. "x86-64 vpclmul-avx512" or "portable ctmul". */
  ghash: string;
/** SM2 field arithmetic, e.g. "x86-64 bmi2+adx" or "armv8 asm". */
  sm2: string;
}

/** A complete backend. */
export interface Backend extends Sm3Backend, Sm4Backend, Sm2Backend {
  readonly name: BackendName;
  /** The implementation chosen for each primitive right now. */
  implementations(): ImplementationInfo;
}
