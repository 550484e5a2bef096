/**
 * The TLS 1.3 record layer (RFC 8446 §5): framing, the AEAD protection of records with SM4-GCM
 * or SM4-CCM (RFC 8998 §3.5) and the per-record nonce.
 * @module
 */
import { GuomiError } from '../errors.js';
import { sm4 } from '../sm4.js';
import { wipe } from '../utils.js';
import { AlertDescription, ContentType, MAX_CIPHERTEXT, MAX_INNER_PLAINTEXT, RECORD_HEADER, TAG_LENGTH } from './constants.js';
import { fail, unexpectedMessage } from './errors.js';
import { trafficKeys } from './keyschedule.js';

/** 2^64 - 1 cannot be reached with a double; stop well before 2^53 instead (never wraps). */
const MAX_SEQUENCE = Number.MAX_SAFE_INTEGER;

/**
 * One direction's record protection under one traffic secret: key, IV and the 64-bit sequence
 * number, which starts at 0 and is never allowed to wrap (RFC 8446 §5.3).
 */
export class RecordCipher {
  readonly #aead: 'gcm' | 'ccm';
  #key: Uint8Array;
  #iv: Uint8Array;
  #nonce = new Uint8Array(12);
  /** Records protected so far under this key. */
  seq = 0;

  constructor(aead: 'gcm' | 'ccm', secret: Uint8Array) {
    this.#aead = aead;
    const { key, iv } = trafficKeys(secret);
    this.#key = key;
    this.#iv = iv;
  }

  /** nonce = iv XOR (seq as 64-bit big-endian, left-padded to 12 bytes) (RFC 8446 §5.3). */
  #nextNonce(): Uint8Array {
    const seq = this.seq;
    if (seq >= MAX_SEQUENCE) throw fail(AlertDescription.INTERNAL_ERROR, 'record sequence number exhausted');
    this.seq = seq + 1;
    const n = this.#nonce, iv = this.#iv;
    const hi = Math.floor(seq / 0x100000000), lo = seq >>> 0;
    n.set(iv);
    n[4] = iv[4]! ^ (hi >>> 24);
    n[5] = iv[5]! ^ ((hi >>> 16) & 0xff);
    n[6] = iv[6]! ^ ((hi >>> 8) & 0xff);
    n[7] = iv[7]! ^ (hi & 0xff);
    n[8] = iv[8]! ^ (lo >>> 24);
    n[9] = iv[9]! ^ ((lo >>> 16) & 0xff);
    n[10] = iv[10]! ^ ((lo >>> 8) & 0xff);
    n[11] = iv[11]! ^ (lo & 0xff);
    return n;
  }

  #cipher(aad: Uint8Array) {
    const nonce = this.#nextNonce();
    return this.#aead === 'gcm' ? sm4.gcm(this.#key, nonce, { aad }) : sm4.ccm(this.#key, nonce, { aad });
  }

  /**
   * Protects one record: TLSInnerPlaintext = content || type || zeros(padding), sealed with
   * the record header 17 03 03 len as AAD (RFC 8446 §5.2). Returns header || ciphertext.
   */
  seal(type: number, content: Uint8Array, padding = 0): Uint8Array {
    const [header, sealed] = this.sealParts(type, content, padding);
    const out = new Uint8Array(RECORD_HEADER + sealed.length);
    out.set(header);
    out.set(sealed, RECORD_HEADER);
    return out;
  }

  /**
   * As {@link seal}, returning the header and the ciphertext separately, so that the bulk path
   * writes them (corked) without copying the ciphertext once more.
   */
  sealParts(type: number, content: Uint8Array, padding = 0): [Uint8Array, Uint8Array] {
    const innerLength = content.length + 1 + padding;
    // Every byte is written below, so the allocation need not be zero-filled.
    const inner = Buffer.allocUnsafe(innerLength);
    inner.set(content);
    inner[content.length] = type;
    if (padding > 0) inner.fill(0, content.length + 1);
    const len = innerLength + TAG_LENGTH;
    const header = Uint8Array.of(ContentType.APPLICATION_DATA, 3, 3, len >>> 8, len & 0xff);
    const c = this.#cipher(header);
    try {
      return [header, c.encrypt(inner)];
    } finally {
      c.destroy();
      // Application data is the caller's own plaintext; other contents (handshake messages,
      // alerts) are wiped.
      if (type !== ContentType.APPLICATION_DATA) wipe(inner);
    }
  }

  /**
   * Opens one protected record and returns [type, content]. Authentication comes first: a
   * record that fails it releases nothing (bad_record_mac); then the zero padding is stripped
   * and a record without a non-zero type byte is an unexpected_message (RFC 8446 §5.2, §5.4).
   */
  open(header: Uint8Array, body: Uint8Array): [number, Uint8Array] {
    if (body.length < TAG_LENGTH + 1) throw fail(AlertDescription.BAD_RECORD_MAC, 'protected record too short');
    const c = this.#cipher(header);
    let inner: Uint8Array;
    try {
      inner = c.decrypt(body);
    } catch (err) {
      if (err instanceof GuomiError && err.code === 'ERR_AUTH_FAILED') {
        throw fail(AlertDescription.BAD_RECORD_MAC, 'record authentication failed', err);
      }
      throw err;
    } finally {
      c.destroy();
    }
    if (inner.length > MAX_INNER_PLAINTEXT) {
      wipe(inner);
      throw fail(AlertDescription.RECORD_OVERFLOW, `TLSInnerPlaintext of ${inner.length} bytes exceeds 2^14 + 1`);
    }
    let i = inner.length - 1;
    while (i >= 0 && inner[i] === 0) i--;
    if (i < 0) throw unexpectedMessage('protected record without a content type');
    return [inner[i]!, inner.subarray(0, i)];
  }

  /** Wipes the key and IV. */
  destroy(): void {
    wipe(this.#key, this.#iv, this.#nonce);
  }
}

/**
 * A queue of received bytes from which whole records are taken, without copying when a record
 * lies within one received chunk.
 */
export class RecordQueue {
  #chunks: Uint8Array[] = [];
  #head = 0;
  #length = 0;

  /** Bytes queued. */
  get length(): number {
    return this.#length;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** The byte at `offset` from the front. */
  peek(offset: number): number {
    let i = this.#head;
    let off = offset;
    for (;;) {
      const c = this.#chunks[i]!;
      if (off < c.length) return c[off]!;
      off -= c.length;
      i++;
    }
  }

  /** Removes and returns the first `n` bytes (a view when they are contiguous). */
  take(n: number): Uint8Array {
    this.#length -= n;
    const first = this.#chunks[this.#head]!;
    if (first.length >= n) {
      if (first.length === n) {
        this.#chunks[this.#head++] = EMPTY;
        this.#compact();
      } else {
        this.#chunks[this.#head] = first.subarray(n);
      }
      return first.subarray(0, n);
    }
    const out = new Uint8Array(n);
    let off = 0;
    while (off < n) {
      const c = this.#chunks[this.#head]!;
      const k = Math.min(c.length, n - off);
      out.set(c.subarray(0, k), off);
      off += k;
      if (k === c.length) {
        this.#chunks[this.#head++] = EMPTY;
      } else {
        this.#chunks[this.#head] = c.subarray(k);
      }
    }
    this.#compact();
    return out;
  }

  #compact(): void {
    if (this.#head > 64 || this.#head === this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
  }

  clear(): void {
    this.#chunks = [];
    this.#head = 0;
    this.#length = 0;
  }
}

const EMPTY = new Uint8Array(0);

/** A record's header fields as read from the wire. */
export interface RecordHeader {
  type: number;
  version: number;
  length: number;
}

/**
 * Checks a record header (RFC 8446 §5.1, §5.2): the content type must be known and the length
 * within the limit for protected (2^14 + 256) or plaintext (2^14) records; `limit` is the
 * largest acceptable length.
 */
export function checkRecordHeader(type: number, length: number, limit: number): void {
  if (type < ContentType.CHANGE_CIPHER_SPEC || type > ContentType.APPLICATION_DATA) {
    throw unexpectedMessage(`record of unknown content type ${type}`);
  }
  if (length > limit || length > MAX_CIPHERTEXT) {
    throw fail(AlertDescription.RECORD_OVERFLOW, `record of ${length} bytes exceeds the limit of ${limit}`);
  }
}
