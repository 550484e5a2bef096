/**
 * Errors thrown by guomi.
 *
 * Wrong argument types throw `TypeError` and wrong lengths or ranges throw `RangeError`, each
 * naming the parameter. Cryptographic and state failures throw {@link GuomiError} with a stable
 * `code` that callers may switch on; the message is for humans and may change.
 * @module
 */

/** The stable codes carried by {@link GuomiError}. */
export type GuomiErrorCode =
  /** An AEAD tag (GCM, CCM) or MAC did not verify; no plaintext was released. */
  | 'ERR_AUTH_FAILED'
  /** PKCS#7 padding was malformed after decryption. */
  | 'ERR_BAD_PADDING'
  /** SM2 decryption failed (bad C1, all-zero key stream or C3 mismatch; one error for all). */
  | 'ERR_SM2_DECRYPT_FAILED'
  /** A point is not on the SM2 curve, is the point at infinity or is badly encoded. */
  | 'ERR_SM2_INVALID_POINT'
  /** A private key is outside [1, n-2] or otherwise unusable. */
  | 'ERR_SM2_INVALID_KEY'
  /** A signature is not DER or not 64 raw bytes (verify() returns false instead). */
  | 'ERR_SM2_INVALID_SIGNATURE'
  /** The GB/T 32918.3 key-exchange confirmation value did not match. */
  | 'ERR_SM2_KEY_CONFIRMATION'
  /** DER, PEM or another encoding could not be parsed. */
  | 'ERR_DECODE'
  /** An object was used in the wrong state (update after digest, use after destroy, …). */
  | 'ERR_INVALID_STATE'
  /** The requested backend could not be loaded. */
  | 'ERR_BACKEND_UNAVAILABLE'
  /**
   * A known-answer self-test failed under GUOMI_SELFTEST=startup (or that variable has a value it
   * does not know); from then on every cryptographic call throws it.
   */
  | 'ERR_SELF_TEST_FAILED'
  /** An algorithm, mode or option this version does not provide. */
  | 'ERR_UNSUPPORTED';

/** A cryptographic or state failure with a stable {@link GuomiErrorCode}. */
export class GuomiError extends Error {
  /** The stable code to switch on (the message may change between versions). */
  readonly code: GuomiErrorCode;

  /**
   * @param code the stable code
   * @param message a human-readable explanation
   * @param options `cause`: the underlying error, if any
   */
  constructor(code: GuomiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GuomiError';
    this.code = code;
  }
}
