/**
 * The I/O-free core shared by the TLS 1.3 client and server: record parsing and protection
 * (RFC 8446 §5), handshake message reassembly, alerts (§6), KeyUpdate (§4.6.3), the middlebox
 * ChangeCipherSpec (Appendix D.4) and close_notify (§6.1). The client and server subclasses
 * supply the handshake state machines.
 *
 * The engine is fed received bytes with {@link TlsEngine.receive} and hands its output to an
 * {@link EngineHost}; it never touches a socket, which keeps it testable byte by byte.
 * @module
 */
import type { Sm2PublicKey } from '../sm2.js';
import { concatBytes, equalBytes, wipe } from '../utils.js';
import {
  AlertDescription,
  AlertLevel,
  ContentType,
  HandshakeType,
  MAX_CIPHERTEXT,
  MAX_PLAINTEXT,
  RECORD_HEADER,
  SIG_SM2SIG_SM3,
  SM2_TLS13_ID,
  type CipherSuiteInfo,
} from './constants.js';
import { handshakeMessage } from './codec.js';
import { TlsError, decodeError, fail, illegalParameter, unexpectedMessage } from './errors.js';
import { Transcript, exportKeyingMaterial, finishedVerifyData, nextTrafficSecret } from './keyschedule.js';
import { certificateVerifyContent, parseCertificateVerify, type NewSessionTicket } from './messages.js';
import { RecordCipher, RecordQueue, checkRecordHeader } from './record.js';

/** What the engine hands out. */
export interface EngineHost {
  /** Bytes for the transport, in order (whole records, possibly as header and body pieces). */
  send(records: Uint8Array[]): void;
  /** Decrypted application data. */
  data(plaintext: Uint8Array): void;
  /** The handshake completed (both Finished messages done). */
  handshakeDone(): void;
  /**
   * The peer ended its side: an authenticated close_notify (`authenticated` true), or an
   * unprotected alert record saying close_notify after keys were in use (false; it could have
   * been forged, so treat it like a transport close without close_notify).
   */
  peerClosed(authenticated: boolean): void;
  /** A fatal error; the engine is dead afterwards (an alert was sent if one applies). */
  error(err: TlsError): void;
  /** A secret for the NSS key log, with its label (CLIENT_HANDSHAKE_TRAFFIC_SECRET, …). */
  keylog(label: string, secret: Uint8Array): void;
  /** A NewSessionTicket arrived (client side). */
  ticket?(ticket: NewSessionTicket): void;
}

/** Options common to both sides. */
export interface EngineOptions {
  /** Records per traffic key before an automatic KeyUpdate (RFC 8446 §5.5). */
  keyUpdateAfterRecords?: number;
  /** Largest handshake message accepted, in bytes. */
  maxHandshakeSize?: number;
  /**
   * @internal How handshake messages are framed: 'separate' (default; one message per record,
   * as OpenSSL/Tongsuo do and GmSSL 3.1.1 requires) or 'coalesce' (as many as fit per record).
   */
  handshakeFraming?: 'separate' | 'coalesce';
  /** @internal Largest handshake fragment per record (default 2^14; tests split messages). */
  maxHandshakeFragment?: number;
  /**
   * @internal Test hook: rewrites each outgoing handshake message before it enters the
   * transcript (negative tests: a wrong signature scheme, a corrupted signature or Finished).
   */
  mutateHandshake?: (message: Uint8Array) => Uint8Array;
}

/** RFC 8446 §5.5 bounds AES-GCM keys to 2^24.5 records; the same bound is applied to SM4. */
const DEFAULT_KEY_UPDATE_AFTER = 1 << 24;
const DEFAULT_MAX_HANDSHAKE = 1 << 18;
/** Undecryptable 0-RTT records skipped after a ClientHello with early_data (RFC 8446 §4.2.10). */
const EARLY_DATA_SKIP_BUDGET = 1 << 16;
/** Input held while suspended (a ClientHello flight is far smaller). */
const MAX_QUEUED_WHILE_SUSPENDED = 1 << 20;
const CCS_RECORD = /* @__PURE__ */ Uint8Array.of(ContentType.CHANGE_CIPHER_SPEC, 3, 3, 0, 1, 1);

/** The TLS 1.3 machinery shared by client and server. */
export abstract class TlsEngine {
  protected readonly host: EngineHost;
  protected readonly transcript = new Transcript();
  /** The negotiated suite, once known. */
  suite: CipherSuiteInfo | undefined;
  /** ClientHello.random (for the key log). */
  clientRandom: Uint8Array | undefined;
  /** Whether both Finished messages have been processed. */
  connected = false;
  /** Whether a fatal error ended the connection. */
  dead = false;
  /** Whether the peer's close_notify arrived. */
  readClosed = false;
  /** Whether our close_notify was sent. */
  writeClosed = false;
  /** KeyUpdate messages sent and received (for tests and monitoring). */
  readonly stats = { keyUpdatesSent: 0, keyUpdatesReceived: 0 };

  #read: RecordCipher | undefined;
  #write: RecordCipher | undefined;
  #readIsApplication = false;
  #readSecret: Uint8Array | undefined;
  #writeSecret: Uint8Array | undefined;
  #readGeneration = 0;
  #writeGeneration = 0;
  #exporterSecret: Uint8Array | undefined;
  #queue = new RecordQueue();
  /**
   * Fragments of an incomplete handshake message, joined once the message is complete (joining
   * at every fragment would copy a 256 KiB message split into 1-byte records 2^17 times over).
   */
  #hsParts: Uint8Array[] = [];
  #hsPartsLength = 0;
  #out: Uint8Array[] = [];
  #respondKeyUpdate = false;
  #earlyDataSkip = 0;
  #suspended = false;
  #maxFragment = MAX_PLAINTEXT;
  readonly #keyUpdateAfter: number;
  readonly #maxHandshake: number;
  readonly #coalesce: boolean;
  readonly #mutate: ((message: Uint8Array) => Uint8Array) | undefined;
  readonly #maxHandshakeFragment: number;
  /** Whether a ChangeCipherSpec may still arrive (until the peer's Finished; RFC 8446 §5). */
  protected ccsAllowed = false;

  constructor(host: EngineHost, options: EngineOptions) {
    this.host = host;
    this.#keyUpdateAfter = options.keyUpdateAfterRecords ?? DEFAULT_KEY_UPDATE_AFTER;
    this.#maxHandshake = options.maxHandshakeSize ?? DEFAULT_MAX_HANDSHAKE;
    this.#coalesce = options.handshakeFraming === 'coalesce';
    this.#mutate = options.mutateHandshake;
    this.#maxHandshakeFragment = options.maxHandshakeFragment ?? MAX_PLAINTEXT;
  }

  /** An outgoing handshake message, through the test hook when one is set. */
  protected out(message: Uint8Array): Uint8Array {
    return this.#mutate ? this.#mutate(message) : message;
  }

  /** Handles one complete handshake message during the handshake; true when the read key changed. */
  protected abstract handshakeMessage(type: number, body: Uint8Array, raw: Uint8Array): boolean;

  /** Label prefix of this side's secrets in the key log ('CLIENT' or 'SERVER'). */
  protected abstract readonly isServer: boolean;

  /** 'server' when this side is the client, and the other way round (for error messages). */
  get #peerName(): string {
    return this.isServer ? 'client' : 'server';
  }

  /**
   * The peer's CertificateVerify (RFC 8446 §4.4.3): only sm2sig_sm3, the one scheme offered
   * (RFC 8998 §3.3.4), with the ID "TLSv1.3+GM+Cipher+Suite" over the transcript so far. Then
   * adds the message to the transcript.
   */
  protected verifyPeerCertificateVerify(body: Uint8Array, raw: Uint8Array, peerKey: Sm2PublicKey): void {
    const cv = parseCertificateVerify(body);
    if (cv.algorithm !== SIG_SM2SIG_SM3) {
      throw illegalParameter(`CertificateVerify: signature scheme 0x${cv.algorithm.toString(16).padStart(4, '0')} was not offered`);
    }
    const content = certificateVerifyContent(!this.isServer, this.transcript.hash());
    if (!peerKey.verify(content, cv.signature, { id: SM2_TLS13_ID, encoding: 'der' })) {
      throw fail(AlertDescription.DECRYPT_ERROR, `CertificateVerify: the ${this.#peerName} signature does not verify`);
    }
    this.transcript.update(raw);
  }

  /**
   * The peer's Finished (RFC 8446 §4.4.4) under its handshake traffic secret; then adds it to the
   * transcript and stops tolerating middlebox ChangeCipherSpec records (§5).
   */
  protected checkPeerFinished(body: Uint8Array, raw: Uint8Array, peerHandshakeSecret: Uint8Array): void {
    if (body.length !== 32) throw decodeError('Finished: verify_data must be 32 bytes');
    const expected = finishedVerifyData(peerHandshakeSecret, this.transcript.hash());
    if (!equalBytes(expected, body)) throw fail(AlertDescription.DECRYPT_ERROR, `Finished: ${this.#peerName} verify_data mismatch`);
    this.transcript.update(raw);
    this.ccsAllowed = false;
  }

  // -------------------------------------------------------------------------------------------
  // Input

  /** Feeds bytes received from the transport. Output and events go to the host. */
  receive(chunk: Uint8Array): void {
    if (this.dead || this.readClosed) return;
    this.#queue.push(chunk);
    if (this.#suspended && this.#queue.length > MAX_QUEUED_WHILE_SUSPENDED) {
      this.fatal(unexpectedMessage('too much input while the server chose its certificate'));
      return;
    }
    try {
      this.#drain();
    } catch (err) {
      this.fatal(err);
    }
    this.flush();
  }

  #drain(): void {
    const q = this.#queue;
    while (!this.dead && !this.readClosed && !this.#suspended && q.length >= RECORD_HEADER) {
      const type = q.peek(0);
      const length = (q.peek(3) << 8) | q.peek(4);
      const limit = this.#read && type === ContentType.APPLICATION_DATA ? MAX_CIPHERTEXT : MAX_PLAINTEXT;
      checkRecordHeader(type, length, limit);
      if (q.length < RECORD_HEADER + length) return;
      const rec = q.take(RECORD_HEADER + length);
      this.#record(type, rec.subarray(0, RECORD_HEADER), rec.subarray(RECORD_HEADER));
    }
  }

  #record(type: number, header: Uint8Array, body: Uint8Array): void {
    switch (type) {
      case ContentType.CHANGE_CIPHER_SPEC:
        // RFC 8446 §5: one byte 0x01, only between the first ClientHello and the peer's Finished.
        if (body.length !== 1 || body[0] !== 1) throw unexpectedMessage('invalid ChangeCipherSpec record');
        if (!this.ccsAllowed) throw unexpectedMessage('ChangeCipherSpec outside the handshake');
        return;
      case ContentType.ALERT:
        // Unprotected alerts are accepted at any time: before keys they are the norm, and a peer
        // that could not derive keys (or GmSSL 3.1.1, after the handshake) sends them in clear.
        this.#content(ContentType.ALERT, body, !this.#read);
        return;
      case ContentType.HANDSHAKE:
        if (this.#read) throw unexpectedMessage('unprotected handshake record after keys were established');
        this.#content(ContentType.HANDSHAKE, body, true);
        return;
      default: {
        if (!this.#read) throw unexpectedMessage('application_data record before keys were established');
        let inner: [number, Uint8Array];
        try {
          inner = this.#read.open(header, body);
        } catch (err) {
          if (this.#earlyDataSkip > 0 && err instanceof TlsError && err.alert === AlertDescription.BAD_RECORD_MAC) {
            // A rejected 0-RTT record under a key we never had: skip it (RFC 8446 §4.2.10).
            this.#read.seq--;
            this.#earlyDataSkip -= body.length;
            if (this.#earlyDataSkip >= 0) return;
          }
          throw err;
        }
        this.#earlyDataSkip = 0;
        this.#content(inner[0], inner[1], true);
      }
    }
  }

  #content(type: number, content: Uint8Array, trusted: boolean): void {
    if (this.#hsPartsLength > 0 && type !== ContentType.HANDSHAKE) {
      throw unexpectedMessage('record of another type inside a fragmented handshake message');
    }
    switch (type) {
      case ContentType.HANDSHAKE:
        if (content.length === 0) throw unexpectedMessage('zero-length handshake fragment');
        this.#handshakeBytes(content);
        return;
      case ContentType.ALERT:
        this.#alert(content, trusted);
        return;
      case ContentType.APPLICATION_DATA:
        if (!this.#readIsApplication) throw unexpectedMessage('application data before the handshake completed');
        if (content.length > 0) this.host.data(content);
        return;
      default:
        throw unexpectedMessage(`protected record of content type ${type}`);
    }
  }

  #handshakeBytes(content: Uint8Array): void {
    let buf = content;
    if (this.#hsPartsLength > 0) {
      this.#hsParts.push(content);
      this.#hsPartsLength += content.length;
      if (this.#hsPartsLength < this.#pendingMessageLength()) return;
      // (Not concatBytes(...parts): a spread of 2^18 arguments overflows the stack.)
      buf = new Uint8Array(this.#hsPartsLength);
      let at = 0;
      for (const part of this.#hsParts) {
        buf.set(part, at);
        at += part.length;
      }
      this.#hsParts = [];
      this.#hsPartsLength = 0;
    }
    let off = 0;
    while (buf.length - off >= 4) {
      const len = (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!;
      if (len > this.#maxHandshake) {
        throw illegalParameter(`handshake message of ${len} bytes exceeds the limit of ${this.#maxHandshake}`);
      }
      if (buf.length - off < 4 + len) break;
      const raw = buf.subarray(off, off + 4 + len);
      off += 4 + len;
      const keyChanged = this.#handshake(raw[0]!, raw.subarray(4), raw);
      if (this.dead) return;
      // RFC 8446 §5.1: handshake messages must not span a key change.
      if (keyChanged && off < buf.length) throw unexpectedMessage('handshake message spans a key change');
      // Suspension only happens at a ClientHello, after which the key changes: nothing is left.
      if (this.#suspended) return;
    }
    if (off < buf.length) {
      this.#hsParts = [buf.slice(off)];
      this.#hsPartsLength = buf.length - off;
    }
  }

  /**
   * Bytes needed for the pending handshake message to be complete: its header, then 4 + its
   * declared length (checked against the size limit as soon as the header is in).
   */
  #pendingMessageLength(): number {
    if (this.#hsPartsLength < 4) return 4;
    const head = new Uint8Array(4);
    let got = 0;
    for (const part of this.#hsParts) {
      const k = Math.min(part.length, 4 - got);
      head.set(part.subarray(0, k), got);
      got += k;
      if (got === 4) break;
    }
    const len = (head[1]! << 16) | (head[2]! << 8) | head[3]!;
    if (len > this.#maxHandshake) {
      throw illegalParameter(`handshake message of ${len} bytes exceeds the limit of ${this.#maxHandshake}`);
    }
    return 4 + len;
  }

  #handshake(type: number, body: Uint8Array, raw: Uint8Array): boolean {
    if (!this.connected) return this.handshakeMessage(type, body, raw);
    switch (type) {
      case HandshakeType.KEY_UPDATE:
        return this.#keyUpdateReceived(body);
      case HandshakeType.NEW_SESSION_TICKET:
        this.postHandshakeTicket(body);
        return false;
      default:
        // No post_handshake_auth is offered, so a CertificateRequest is unexpected too.
        throw unexpectedMessage(`unexpected post-handshake message of type ${type}`);
    }
  }

  /** A NewSessionTicket after the handshake (the client overrides this). */
  protected postHandshakeTicket(_body: Uint8Array): void {
    throw unexpectedMessage('NewSessionTicket sent to a server');
  }

  #alert(content: Uint8Array, trusted: boolean): void {
    if (content.length !== 2) throw decodeError(`alert record of ${content.length} bytes`);
    const description = content[1]!;
    if (description === AlertDescription.CLOSE_NOTIFY) {
      if (!this.connected) {
        this.dead = true;
        this.host.error(new TlsError('peer closed the connection during the handshake', { alert: description, remote: true }));
        return;
      }
      this.readClosed = true;
      this.#queue.clear();
      this.host.peerClosed(trusted);
      return;
    }
    // user_canceled is followed by close_notify (RFC 8446 §6.1); every other alert is fatal (§6).
    if (description === AlertDescription.USER_CANCELED) return;
    this.dead = true;
    this.#queue.clear();
    const name = new TlsError('', { alert: description }).alertName;
    this.host.error(new TlsError(`peer sent fatal alert ${name}`, { alert: description, remote: true }));
  }

  /**
   * Stops processing input until {@link resume} (the server waits for an asynchronous SNI
   * callback between ClientHello and its reply). Received bytes stay queued.
   */
  protected suspend(): void {
    this.#suspended = true;
  }

  /**
   * Runs `continuation` (the rest of the interrupted message's processing), then the queued
   * input, as {@link receive} would; errors end the connection with their alert.
   */
  protected resume(continuation: () => void): void {
    this.#suspended = false;
    if (this.dead) return;
    try {
      continuation();
      this.#drain();
    } catch (err) {
      this.fatal(err);
    }
    this.flush();
  }

  // -------------------------------------------------------------------------------------------
  // Output

  /** Queues a plaintext or protected record of `type`, splitting content into fragments. */
  protected sendRecords(type: number, content: Uint8Array): void {
    const max =
      type === ContentType.APPLICATION_DATA
        ? this.#maxFragment
        : type === ContentType.HANDSHAKE
          ? this.#maxHandshakeFragment
          : MAX_PLAINTEXT;
    for (let off = 0; off < content.length; off += max) {
      const frag = content.subarray(off, Math.min(content.length, off + max));
      if (this.#write) {
        this.#maybeAutoKeyUpdate(type);
        const [header, sealed] = this.#write.sealParts(type, frag);
        this.#out.push(header, sealed);
      } else {
        const rec = new Uint8Array(RECORD_HEADER + frag.length);
        rec[0] = type;
        rec[1] = 3;
        rec[2] = 3;
        rec[3] = frag.length >>> 8;
        rec[4] = frag.length & 0xff;
        rec.set(frag, RECORD_HEADER);
        this.#out.push(rec);
      }
    }
  }

  /**
   * Queues handshake messages: each in its own record(s) by default (RFC 8446 §5.1 allows
   * either; GmSSL 3.1.1 reads one message per record), or coalesced.
   */
  protected sendHandshake(...messages: Uint8Array[]): void {
    if (this.#coalesce && messages.length > 1) {
      this.sendRecords(ContentType.HANDSHAKE, concatBytes(...messages));
      return;
    }
    for (const m of messages) this.sendRecords(ContentType.HANDSHAKE, m);
  }

  /** Queues the middlebox-compatibility ChangeCipherSpec (RFC 8446 Appendix D.4). */
  protected sendChangeCipherSpec(): void {
    this.#out.push(CCS_RECORD.slice());
  }

  /** Hands queued output to the host. */
  flush(): void {
    if (this.#respondKeyUpdate && !this.dead && !this.writeClosed) {
      this.#respondKeyUpdate = false;
      this.#sendKeyUpdate(false);
    }
    if (this.#out.length === 0) return;
    const out = this.#out;
    this.#out = [];
    this.host.send(out);
  }

  /** Ends the connection with a fatal alert for `err` (internal_error for non-TLS errors). */
  protected fatal(err: unknown): void {
    if (this.dead) return;
    const e =
      err instanceof TlsError
        ? err
        : new TlsError(`internal error: ${(err as Error)?.message ?? String(err)}`, {
            alert: AlertDescription.INTERNAL_ERROR,
            cause: err,
          });
    this.dead = true;
    this.#queue.clear();
    if (!e.remote && e.alert !== undefined && !this.writeClosed) {
      try {
        this.sendRecords(ContentType.ALERT, Uint8Array.of(AlertLevel.FATAL, e.alert));
      } catch {
        // nothing more can be sent
      }
      this.writeClosed = true;
    }
    this.flush();
    this.host.error(e);
    this.destroy();
  }

  /**
   * Sends application data (split into records of at most the fragment size).
   * @throws TlsError when the connection cannot send
   */
  writeApplicationData(data: Uint8Array): void {
    if (!this.connected || this.dead || this.writeClosed) {
      throw new TlsError('cannot send: the connection is not open for writing', { code: 'ERR_TLS_INVALID_STATE' });
    }
    if (data.length === 0) return;
    this.sendRecords(ContentType.APPLICATION_DATA, data);
    this.flush();
  }

  /** Sends close_notify (RFC 8446 §6.1); further writes are refused. */
  close(): void {
    if (this.dead || this.writeClosed) return;
    this.flush();
    this.sendRecords(ContentType.ALERT, Uint8Array.of(AlertLevel.WARNING, AlertDescription.CLOSE_NOTIFY));
    this.writeClosed = true;
    this.flush();
  }

  /** Largest plaintext per application-data record (512..16384). */
  setMaxFragment(size: number): void {
    this.#maxFragment = size;
  }

  // -------------------------------------------------------------------------------------------
  // Keys

  /** Installs the read key of a traffic secret; `application` marks application traffic keys. */
  protected setReadKey(secret: Uint8Array, application: boolean): void {
    this.#read?.destroy();
    this.#read = new RecordCipher(this.suite!.aead, secret);
    this.#readIsApplication = application;
    if (application) {
      if (this.#readSecret) wipe(this.#readSecret);
      this.#readSecret = secret;
    }
  }

  /** Installs the write key of a traffic secret. */
  protected setWriteKey(secret: Uint8Array, application: boolean): void {
    this.#write?.destroy();
    this.#write = new RecordCipher(this.suite!.aead, secret);
    if (application) {
      if (this.#writeSecret) wipe(this.#writeSecret);
      this.#writeSecret = secret;
    }
  }

  /** Enables skipping undecryptable early-data records (server, ClientHello with early_data). */
  protected skipEarlyData(): void {
    this.#earlyDataSkip = EARLY_DATA_SKIP_BUDGET;
  }

  /** Keeps the exporter master secret for {@link exportKeyingMaterial}. */
  protected setExporterSecret(secret: Uint8Array): void {
    this.#exporterSecret = secret;
  }

  /**
   * Sends a KeyUpdate (RFC 8446 §4.6.3) and switches to the next write key; with
   * `requestPeer` the peer must update its own keys too.
   * @throws TlsError when the connection is not established or closed for writing
   */
  updateKeys(requestPeer: boolean): void {
    if (!this.connected || this.dead || this.writeClosed) {
      throw new TlsError('cannot update keys: the connection is not open for writing', { code: 'ERR_TLS_INVALID_STATE' });
    }
    this.#sendKeyUpdate(requestPeer);
    this.flush();
  }

  #sendKeyUpdate(requestPeer: boolean): void {
    const msg = handshakeMessage(HandshakeType.KEY_UPDATE, Uint8Array.of(requestPeer ? 1 : 0));
    this.#out.push(this.#write!.seal(ContentType.HANDSHAKE, msg));
    const next = nextTrafficSecret(this.#writeSecret!);
    this.setWriteKey(next, true);
    this.#writeGeneration++;
    this.stats.keyUpdatesSent++;
    this.host.keylog(`${this.isServer ? 'SERVER' : 'CLIENT'}_TRAFFIC_SECRET_${this.#writeGeneration}`, next);
  }

  #maybeAutoKeyUpdate(type: number): void {
    if (
      type === ContentType.APPLICATION_DATA &&
      this.#writeSecret &&
      this.connected &&
      this.#write!.seq >= this.#keyUpdateAfter
    ) {
      this.#sendKeyUpdate(false);
    }
  }

  #keyUpdateReceived(body: Uint8Array): boolean {
    if (body.length !== 1) throw decodeError('KeyUpdate of wrong length');
    const request = body[0]!;
    if (request > 1) throw illegalParameter(`KeyUpdate request_update ${request}`);
    const next = nextTrafficSecret(this.#readSecret!);
    this.setReadKey(next, true);
    this.#readGeneration++;
    this.stats.keyUpdatesReceived++;
    this.host.keylog(`${this.isServer ? 'CLIENT' : 'SERVER'}_TRAFFIC_SECRET_${this.#readGeneration}`, next);
    // One answer for any number of requests received while silent (RFC 8446 §4.6.3).
    if (request === 1 && !this.writeClosed) this.#respondKeyUpdate = true;
    return true;
  }

  /**
   * Keying material exporter (RFC 8446 §7.5).
   * @throws TlsError before the handshake completed
   */
  exportKeyingMaterial(length: number, label: string, context: Uint8Array): Uint8Array {
    if (!this.#exporterSecret) throw new TlsError('no exporter secret before the handshake completed', { code: 'ERR_TLS_INVALID_STATE' });
    return exportKeyingMaterial(this.#exporterSecret, label, context, length);
  }

  /** Wipes keys and secrets. */
  destroy(): void {
    this.#read?.destroy();
    this.#write?.destroy();
    this.#read = undefined;
    this.#write = undefined;
    wipe(this.#readSecret, this.#writeSecret, this.#exporterSecret);
    this.#queue.clear();
    this.#hsParts = [];
    this.#hsPartsLength = 0;
    this.transcript.destroy();
  }

  /** Bytes received but not yet processed (a partial record). */
  get pendingInput(): number {
    return this.#queue.length;
  }
}

