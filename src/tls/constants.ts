/**
 * Wire constants of TLS 1.3 (RFC 8446) and of the ShangMi profile (RFC 8998).
 * @module
 */

/** ProtocolVersion of TLS 1.3 in supported_versions (RFC 8446 §4.2.1). */
export const TLS13 = 0x0304;
/** legacy_version / legacy_record_version of TLS 1.3 messages (RFC 8446 §4.1.2, §5.1). */
export const LEGACY_VERSION = 0x0303;

/** ContentType (RFC 8446 §5.1). */
export const ContentType = {
  CHANGE_CIPHER_SPEC: 20,
  ALERT: 21,
  HANDSHAKE: 22,
  APPLICATION_DATA: 23,
} as const;

/** HandshakeType (RFC 8446 §4). */
export const HandshakeType = {
  CLIENT_HELLO: 1,
  SERVER_HELLO: 2,
  NEW_SESSION_TICKET: 4,
  END_OF_EARLY_DATA: 5,
  ENCRYPTED_EXTENSIONS: 8,
  CERTIFICATE: 11,
  CERTIFICATE_REQUEST: 13,
  CERTIFICATE_VERIFY: 15,
  FINISHED: 20,
  KEY_UPDATE: 24,
  MESSAGE_HASH: 254,
} as const;

/** ExtensionType (RFC 8446 §4.2 and the RFCs it cites). */
export const ExtensionType = {
  SERVER_NAME: 0,
  MAX_FRAGMENT_LENGTH: 1,
  STATUS_REQUEST: 5,
  SUPPORTED_GROUPS: 10,
  SIGNATURE_ALGORITHMS: 13,
  USE_SRTP: 14,
  HEARTBEAT: 15,
  ALPN: 16,
  SIGNED_CERTIFICATE_TIMESTAMP: 18,
  CLIENT_CERTIFICATE_TYPE: 19,
  SERVER_CERTIFICATE_TYPE: 20,
  PADDING: 21,
  PRE_SHARED_KEY: 41,
  EARLY_DATA: 42,
  SUPPORTED_VERSIONS: 43,
  COOKIE: 44,
  PSK_KEY_EXCHANGE_MODES: 45,
  CERTIFICATE_AUTHORITIES: 47,
  OID_FILTERS: 48,
  POST_HANDSHAKE_AUTH: 49,
  SIGNATURE_ALGORITHMS_CERT: 50,
  KEY_SHARE: 51,
} as const;

/** AlertDescription (RFC 8446 §6). */
export const AlertDescription = {
  CLOSE_NOTIFY: 0,
  UNEXPECTED_MESSAGE: 10,
  BAD_RECORD_MAC: 20,
  RECORD_OVERFLOW: 22,
  HANDSHAKE_FAILURE: 40,
  BAD_CERTIFICATE: 42,
  UNSUPPORTED_CERTIFICATE: 43,
  CERTIFICATE_REVOKED: 44,
  CERTIFICATE_EXPIRED: 45,
  CERTIFICATE_UNKNOWN: 46,
  ILLEGAL_PARAMETER: 47,
  UNKNOWN_CA: 48,
  ACCESS_DENIED: 49,
  DECODE_ERROR: 50,
  DECRYPT_ERROR: 51,
  PROTOCOL_VERSION: 70,
  INSUFFICIENT_SECURITY: 71,
  INTERNAL_ERROR: 80,
  INAPPROPRIATE_FALLBACK: 86,
  USER_CANCELED: 90,
  MISSING_EXTENSION: 109,
  UNSUPPORTED_EXTENSION: 110,
  UNRECOGNIZED_NAME: 112,
  BAD_CERTIFICATE_STATUS_RESPONSE: 113,
  UNKNOWN_PSK_IDENTITY: 115,
  CERTIFICATE_REQUIRED: 116,
  NO_APPLICATION_PROTOCOL: 120,
} as const;

/** The RFC 8446 §6 name of each alert description (e.g. 20 → 'bad_record_mac'). */
export const ALERT_NAMES: Readonly<Record<number, string>> = /* @__PURE__ */ (() => {
  const out: Record<number, string> = {};
  for (const [k, v] of Object.entries(AlertDescription)) out[v] = k.toLowerCase();
  return out;
})();

/** Alert levels (RFC 8446 §6; informative only in TLS 1.3). */
export const AlertLevel = { WARNING: 1, FATAL: 2 } as const;

/** TLS_SM4_GCM_SM3 (RFC 8998 §2). */
export const TLS_SM4_GCM_SM3 = 0x00c6;
/** TLS_SM4_CCM_SM3 (RFC 8998 §2). */
export const TLS_SM4_CCM_SM3 = 0x00c7;
/** NamedGroup curveSM2 (RFC 8998 §2). */
export const GROUP_CURVE_SM2 = 41;
/** SignatureScheme sm2sig_sm3 (RFC 8998 §2). */
export const SIG_SM2SIG_SM3 = 0x0708;

/** Names of the TLS 1.3 cipher suites this stack implements. */
export type CipherSuiteName = 'TLS_SM4_GCM_SM3' | 'TLS_SM4_CCM_SM3';

/** One cipher suite: its codepoint, name and AEAD (key 16, nonce 12, tag 16; RFC 8998 §3.5). */
export interface CipherSuiteInfo {
  readonly id: number;
  readonly name: CipherSuiteName;
  readonly aead: 'gcm' | 'ccm';
}

/** The suites, in the default order of preference. */
export const CIPHER_SUITES: readonly CipherSuiteInfo[] = [
  { id: TLS_SM4_GCM_SM3, name: 'TLS_SM4_GCM_SM3', aead: 'gcm' },
  { id: TLS_SM4_CCM_SM3, name: 'TLS_SM4_CCM_SM3', aead: 'ccm' },
];

/** The suite with codepoint `id`, if implemented. */
export function suiteById(id: number): CipherSuiteInfo | undefined {
  return CIPHER_SUITES.find((s) => s.id === id);
}

/**
 * SM2 ID for CertificateVerify signatures (RFC 8998 §3.2.1): the 23 ASCII bytes
 * "TLSv1.3+GM+Cipher+Suite", no terminating NUL.
 */
export const SM2_TLS13_ID = 'TLSv1.3+GM+Cipher+Suite';

/**
 * ServerHello.random of a HelloRetryRequest: SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3).
 */
export const HRR_RANDOM = /* @__PURE__ */ Uint8Array.from([
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
]);

/** The first 7 bytes of the downgrade sentinels "DOWNGRD" + 01 / 00 (RFC 8446 §4.1.3). */
export const DOWNGRADE_PREFIX = /* @__PURE__ */ Uint8Array.from([0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44]);

/** Largest plaintext fragment: 2^14 (RFC 8446 §5.1). */
export const MAX_PLAINTEXT = 16384;
/** Largest TLSInnerPlaintext: 2^14 + 1 (content + type byte; RFC 8446 §5.2). */
export const MAX_INNER_PLAINTEXT = MAX_PLAINTEXT + 1;
/** Largest TLSCiphertext.length: 2^14 + 256 (RFC 8446 §5.2). */
export const MAX_CIPHERTEXT = MAX_PLAINTEXT + 256;
/** Record header length. */
export const RECORD_HEADER = 5;
/** AEAD tag length of both SM4 suites (RFC 8998 §3.5). */
export const TAG_LENGTH = 16;
/** SM3 output length (Hash.length of the key schedule). */
export const HASH_LENGTH = 32;
