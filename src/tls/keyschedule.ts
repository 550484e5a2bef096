/**
 * The TLS 1.3 key schedule (RFC 8446 §7.1–7.3, §7.5) instantiated with SM3, as RFC 8998 §3.4
 * requires: HKDF-Extract/Expand with HMAC-SM3, Hash.length = 32, SM4 keys of 16 bytes and
 * AEAD nonces of 12 bytes.
 * @module
 */
import { hkdfSm3, hmacSm3, sm3 } from '../sm3.js';
import { wipe } from '../utils.js';
import { HASH_LENGTH } from './constants.js';

const encoder = /* @__PURE__ */ new TextEncoder();
const EMPTY = /* @__PURE__ */ new Uint8Array(0);
const ZEROS = /* @__PURE__ */ new Uint8Array(HASH_LENGTH);
/** SM3 of the empty string: Transcript-Hash("") in Derive-Secret(., "derived", ""). */
let emptyHash: Uint8Array | undefined;
/** Derive-Secret(HKDF-Extract(0, 0), "derived", ""): the handshake-secret salt without a PSK (public). */
let noPskSalt: Uint8Array | undefined;

/**
 * HKDF-Expand-Label(Secret, Label, Context, Length) (RFC 8446 §7.1):
 * HKDF-Expand(Secret, uint16 Length || opaque label<7..255> = "tls13 " + Label ||
 * opaque context<0..255>, Length).
 * @param secret the PRK (32 bytes)
 * @param label the label without the "tls13 " prefix
 * @param context the context (a transcript hash, or empty)
 * @param length the output length
 * @returns `length` bytes
 */
export function hkdfExpandLabel(secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  const l = labelBytes(label);
  if (context.length > 255) throw new RangeError('HKDF context too long');
  const info = new Uint8Array(2 + 1 + l.length + 1 + context.length);
  info[0] = length >>> 8;
  info[1] = length & 0xff;
  info[2] = l.length;
  info.set(l, 3);
  info[3 + l.length] = context.length;
  info.set(context, 4 + l.length);
  return hkdfSm3.expand(secret, info, length);
}

/** "tls13 " + label as bytes, cached for the fixed labels of the key schedule. */
const labelCache = new Map<string, Uint8Array>();
function labelBytes(label: string): Uint8Array {
  let l = labelCache.get(label);
  if (!l) {
    l = encoder.encode(`tls13 ${label}`);
    if (l.length > 255) throw new RangeError('HKDF label too long');
    if (labelCache.size < 64) labelCache.set(label, l);
  }
  return l;
}

/**
 * Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label,
 * Transcript-Hash(Messages), Hash.length) (RFC 8446 §7.1), with the hash already computed.
 */
export function deriveSecret(secret: Uint8Array, label: string, transcriptHash: Uint8Array): Uint8Array {
  return hkdfExpandLabel(secret, label, transcriptHash, HASH_LENGTH);
}

/** HKDF-Extract(salt, IKM) = HMAC-SM3(salt, IKM) (RFC 5869 §2.2). */
export function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return hkdfSm3.extract(salt, ikm);
}

/** Traffic key and IV of a traffic secret (RFC 8446 §7.3): key 16 bytes, iv 12 bytes. */
export function trafficKeys(secret: Uint8Array): { key: Uint8Array; iv: Uint8Array } {
  return { key: hkdfExpandLabel(secret, 'key', EMPTY, 16), iv: hkdfExpandLabel(secret, 'iv', EMPTY, 12) };
}

/** finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length) (RFC 8446 §4.4.4). */
export function finishedKey(baseKey: Uint8Array): Uint8Array {
  return hkdfExpandLabel(baseKey, 'finished', EMPTY, HASH_LENGTH);
}

/** verify_data = HMAC(finished_key, Transcript-Hash(...)) (RFC 8446 §4.4.4). */
export function finishedVerifyData(baseKey: Uint8Array, transcriptHash: Uint8Array): Uint8Array {
  const k = finishedKey(baseKey);
  try {
    return hmacSm3(k, transcriptHash);
  } finally {
    wipe(k);
  }
}

/** application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", 32) (RFC 8446 §7.2). */
export function nextTrafficSecret(secret: Uint8Array): Uint8Array {
  return hkdfExpandLabel(secret, 'traffic upd', EMPTY, HASH_LENGTH);
}

/** Early Secret without a PSK: HKDF-Extract(0, 0^32) (RFC 8446 §7.1). */
export function earlySecret(psk?: Uint8Array): Uint8Array {
  return hkdfExtract(ZEROS, psk ?? ZEROS);
}

/** Derive-Secret(secret, "derived", "") (RFC 8446 §7.1). */
export function derivedSecret(secret: Uint8Array): Uint8Array {
  emptyHash ??= sm3(EMPTY);
  return deriveSecret(secret, 'derived', emptyHash);
}

/** The secrets of one full handshake without PSK. */
export interface HandshakeSecrets {
  handshakeSecret: Uint8Array;
  clientHandshakeTrafficSecret: Uint8Array;
  serverHandshakeTrafficSecret: Uint8Array;
}

/** The secrets derived from the master secret. */
export interface ApplicationSecrets {
  masterSecret: Uint8Array;
  clientApplicationTrafficSecret: Uint8Array;
  serverApplicationTrafficSecret: Uint8Array;
  exporterMasterSecret: Uint8Array;
}

/**
 * Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived", ""), (EC)DHE), and the
 * two handshake traffic secrets over Transcript-Hash(ClientHello..ServerHello) (RFC 8446 §7.1).
 */
export function handshakeSecrets(ecdhe: Uint8Array, helloHash: Uint8Array): HandshakeSecrets {
  // Without a PSK, Derive-Secret(Early Secret, "derived", "") is a constant: computed once.
  if (!noPskSalt) {
    const early = earlySecret();
    noPskSalt = derivedSecret(early);
    wipe(early);
  }
  const handshakeSecret = hkdfExtract(noPskSalt, ecdhe);
  return {
    handshakeSecret,
    clientHandshakeTrafficSecret: deriveSecret(handshakeSecret, 'c hs traffic', helloHash),
    serverHandshakeTrafficSecret: deriveSecret(handshakeSecret, 's hs traffic', helloHash),
  };
}

/**
 * Master Secret = HKDF-Extract(Derive-Secret(Handshake Secret, "derived", ""), 0) and the
 * application traffic and exporter secrets over Transcript-Hash(ClientHello..server Finished)
 * (RFC 8446 §7.1).
 */
export function applicationSecrets(handshakeSecret: Uint8Array, serverFinishedHash: Uint8Array): ApplicationSecrets {
  const salt = derivedSecret(handshakeSecret);
  const masterSecret = hkdfExtract(salt, ZEROS);
  wipe(salt);
  return {
    masterSecret,
    clientApplicationTrafficSecret: deriveSecret(masterSecret, 'c ap traffic', serverFinishedHash),
    serverApplicationTrafficSecret: deriveSecret(masterSecret, 's ap traffic', serverFinishedHash),
    exporterMasterSecret: deriveSecret(masterSecret, 'exp master', serverFinishedHash),
  };
}

/**
 * TLS-Exporter(label, context_value, key_length) = HKDF-Expand-Label(Derive-Secret(Secret,
 * label, ""), "exporter", Hash(context_value), key_length) (RFC 8446 §7.5).
 */
export function exportKeyingMaterial(
  exporterMasterSecret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Uint8Array {
  emptyHash ??= sm3(EMPTY);
  const s = deriveSecret(exporterMasterSecret, label, emptyHash);
  try {
    return hkdfExpandLabel(s, 'exporter', sm3(context), length);
  } finally {
    wipe(s);
  }
}

/**
 * The running Transcript-Hash (RFC 8446 §4.4.1): SM3 over the handshake messages, headers
 * included, record framing excluded.
 */
export class Transcript {
  #h = sm3.create();

  /** Adds a whole handshake message (header included). */
  update(message: Uint8Array): void {
    this.#h.update(message);
  }

  /** Transcript-Hash of the messages so far. */
  hash(): Uint8Array {
    return this.#h.clone().digest();
  }

  /**
   * Replaces ClientHello1 by the synthetic message_hash message after a HelloRetryRequest
   * (RFC 8446 §4.4.1): FE 00 00 20 || Hash(ClientHello1). Call with only ClientHello1 hashed.
   */
  restartWithMessageHash(): void {
    const h1 = this.#h.digest();
    this.#h = sm3.create();
    this.#h.update(Uint8Array.of(254, 0, 0, HASH_LENGTH));
    this.#h.update(h1);
  }

  destroy(): void {
    this.#h.destroy();
  }
}
