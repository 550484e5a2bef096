/**
 * TLSSocket: a Duplex stream of application data over any Duplex transport (a net.Socket or
 * anything else that moves bytes), driving the client or server engine. Shaped like node:tls's
 * TLSSocket: 'secureConnect' / 'secure', 'keylog', getPeerCertificate(), getCipher(),
 * getProtocol(), setTimeout(), exportKeyingMaterial(), alpnProtocol, authorized, …
 * @module
 */
import { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';
import { isIP } from 'node:net';
import { Duplex } from 'node:stream';
import { bytesToHex } from '../utils.js';
import {
  checkServerIdentity as defaultCheckServerIdentity,
  contextFromOptions,
  describeCertificate,
  describeChain,
  SecureContext,
  type PeerCertificate,
  type SecureContextOptions,
} from './certs.js';
import { ClientEngine } from './client.js';
import { CIPHER_SUITES, MAX_PLAINTEXT, type CipherSuiteInfo, type CipherSuiteName } from './constants.js';
import { TlsError } from './errors.js';
import type { EngineHost } from './engine.js';
import { ServerEngine } from './server.js';

/** Options common to client and server sockets. */
export interface CommonTlsOptions extends SecureContextOptions {
  /** Credentials made once with createSecureContext() (instead of cert/key/ca). */
  secureContext?: SecureContext;
  /**
   * ALPN protocols in order of preference: strings, or node:tls's wire format (length-prefixed
   * names in a Buffer/Uint8Array).
   */
  ALPNProtocols?: readonly string[] | Uint8Array;
  /**
   * The cipher suites, colon-separated or as an array: 'TLS_SM4_GCM_SM3', 'TLS_SM4_CCM_SM3'.
   * Default: both, GCM first.
   */
  ciphers?: string | readonly CipherSuiteName[];
  /**
   * Client: verify the server chain and name and abort on failure (default true).
   * Server: with requestCert, refuse clients without a valid certificate (default true).
   */
  rejectUnauthorized?: boolean;
  /**
   * Abort a handshake that has not completed after this many milliseconds with
   * ERR_TLS_HANDSHAKE_TIMEOUT (server default 120000; client default none).
   */
  handshakeTimeout?: number;
  /** Keep the writable side open after the peer's close_notify (default false, as net.Socket). */
  allowHalfOpen?: boolean;
  /** Records per traffic key before an automatic KeyUpdate (default 2^24; RFC 8446 §5.5). */
  keyUpdateAfterRecords?: number;
}

/** Options of a client socket (see connect()). */
export interface ClientSocketOptions extends CommonTlsOptions {
  /** The SNI name (default: `host` unless it is an IP address). */
  servername?: string;
  /** The name the server certificate is checked against (default: servername, else host). */
  host?: string;
  /**
   * The server identity check: return an Error to reject, undefined to accept. Default: RFC
   * 6125 matching of DNS and IP subjectAltNames. node:tls's tls.checkServerIdentity also works
   * with the certificate objects given here.
   */
  checkServerIdentity?: (hostname: string, cert: PeerCertificate) => Error | undefined;
  /**
   * Middlebox compatibility mode (RFC 8446 Appendix D.4): a 32-byte legacy_session_id and a
   * ChangeCipherSpec before the second flight. Default false: GmSSL 3.x servers mishandle it
   * (they try to decrypt the ChangeCipherSpec with client authentication, and 3.1.1 does not
   * echo the session id).
   */
  middleboxCompat?: boolean;
  /**
   * Send the curveSM2 key share in the first ClientHello (default true). false sends an empty
   * key_share, making the server answer with a HelloRetryRequest (useful for tests).
   */
  initialKeyShare?: boolean;
}

/** Options of a server socket (see createServer()). */
export interface ServerSocketOptions extends CommonTlsOptions {
  /** Ask clients for a certificate (default false). */
  requestCert?: boolean;
  /**
   * Answer every first ClientHello with a HelloRetryRequest carrying a cookie (default false;
   * the server sends one anyway when the client offers no curveSM2 key share).
   */
  forceHelloRetry?: boolean;
  /**
   * Chooses credentials by the client's SNI name, as node:tls's SNICallback: call
   * `cb(null, secureContext)` (from createSecureContext(), or its options) to use other
   * credentials, `cb(null)` to keep the default ones, `cb(err)` to refuse the name (the client
   * gets an unrecognized_name alert). `cb` may be called asynchronously. Not called when the
   * client sends no SNI.
   */
  SNICallback?: (servername: string, cb: (err: Error | null, ctx?: SecureContext | SecureContextOptions) => void) => void;
}

/** Internal options of the TLSSocket constructor. */
export interface TLSSocketOptions extends ClientSocketOptions, ServerSocketOptions {
  /** Server side (default false). */
  isServer?: boolean;
  /** @internal Errors before the handshake completed go here instead of 'error' (servers). */
  onHandshakeError?: (err: Error, socket: TLSSocket) => void;
  /** @internal Handshake record framing (see EngineOptions). */
  handshakeFraming?: 'separate' | 'coalesce';
  /** @internal Largest handshake fragment per record. */
  maxHandshakeFragment?: number;
  /** @internal Test hook (see EngineOptions). */
  mutateHandshake?: (message: Uint8Array) => Uint8Array;
  /** @internal The server, for its 'keylog' event. */
  server?: { listenerCount(name: string): number; emit(name: string, ...args: unknown[]): boolean };
}

/** The cipher description of getCipher(). */
export interface CipherNameAndProtocol {
  name: string;
  standardName: string;
  version: string;
}

/** A symbol giving tests access to the engine of a socket. */
export const kEngine = Symbol('guomi.tls.engine');

function parseSuites(value: unknown): CipherSuiteInfo[] {
  if (value === undefined) return [...CIPHER_SUITES];
  const names = typeof value === 'string' ? value.split(':').map((s) => s.trim()).filter(Boolean) : value;
  if (!Array.isArray(names)) throw new TypeError('"ciphers" must be a string or an array of suite names');
  const out: CipherSuiteInfo[] = [];
  for (const n of names) {
    const s = CIPHER_SUITES.find((c) => c.name === n);
    if (!s) throw new RangeError(`"ciphers": unknown or unsupported suite '${String(n)}' (TLS_SM4_GCM_SM3, TLS_SM4_CCM_SM3)`);
    if (!out.includes(s)) out.push(s);
  }
  if (out.length === 0) throw new RangeError('"ciphers" names no suite');
  return out;
}

function parseAlpnOption(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Uint8Array) {
    const out: string[] = [];
    for (let i = 0; i < value.length; ) {
      const n = value[i]!;
      if (n === 0 || i + 1 + n > value.length) throw new RangeError('"ALPNProtocols": malformed wire format');
      out.push(new TextDecoder().decode(value.subarray(i + 1, i + 1 + n)));
      i += 1 + n;
    }
    return out;
  }
  if (!Array.isArray(value) || value.some((p) => typeof p !== 'string' || p.length === 0 || p.length > 255)) {
    throw new TypeError('"ALPNProtocols" must be an array of non-empty strings');
  }
  return value.length ? [...(value as string[])] : undefined;
}

/** Adapts an SNICallback to the engine: contexts given as options are parsed first. */
function sniSelector(
  callback: NonNullable<ServerSocketOptions['SNICallback']>,
): (servername: string, done: (err: Error | null, ctx?: SecureContext) => void) => void {
  if (typeof callback !== 'function') throw new TypeError('"SNICallback" must be a function');
  return (servername, done) => {
    callback(servername, (err, ctx) => {
      if (err || ctx === undefined || ctx === null || ctx instanceof SecureContext) {
        done(err ?? null, (ctx ?? undefined) as SecureContext | undefined);
        return;
      }
      let parsed: SecureContext;
      try {
        parsed = contextFromOptions(ctx);
      } catch (e) {
        done(e as Error);
        return;
      }
      done(null, parsed);
    });
  };
}

/**
 * A TLS 1.3 connection with the RFC 8998 ShangMi suites, as a Duplex stream of application
 * data. Made by connect() (client) or by a server from createServer(); `new TLSSocket(duplex,
 * options)` wraps any Duplex transport directly.
 *
 * Events: 'secureConnect' (client) and 'secure' (both) when the handshake completes; 'keylog'
 * (a Buffer with one NSS key-log line); 'timeout' after setTimeout(); the stream events 'data',
 * 'end' (peer's close_notify, or the transport ended), 'error' (a {@link TlsError}) and 'close'.
 */
export class TLSSocket extends Duplex {
  /** Always true (as node:tls). */
  readonly encrypted = true;
  /** Whether the peer's chain (and, on clients, name) verified. */
  authorized = false;
  /** Why not: a verify code such as 'CERT_HAS_EXPIRED' or 'ERR_TLS_CERT_ALTNAME_INVALID'. */
  authorizationError: string | undefined;
  /** The ALPN protocol selected, false when none, null before the handshake. */
  alpnProtocol: string | false | null = null;
  /** Server side: the SNI name the client sent (false when none). */
  servername: string | false | undefined;
  readonly #transport: Duplex;
  readonly #engine: ClientEngine | ServerEngine;
  readonly #isServer: boolean;
  readonly #context: SecureContext;
  #secure = false;
  #queued: { chunk: Uint8Array; cb: (err?: Error | null) => void }[] = [];
  #finalCb: ((err?: Error | null) => void) | undefined;
  #drainCb: ((err?: Error | null) => void) | undefined;
  #transportFull = false;
  #readPaused = false;
  #timeoutMs = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #handshakeTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #onHandshakeError: TLSSocketOptions['onHandshakeError'];
  readonly #server: TLSSocketOptions['server'];
  #transportEnded = false;
  #ticketsReceived = 0;

  /**
   * Wraps `transport` (a connected net.Socket or any Duplex) and starts the handshake.
   * @param transport the byte stream
   * @param options see {@link TLSSocketOptions}
   */
  constructor(transport: Duplex, options: TLSSocketOptions = {}) {
    super({ allowHalfOpen: options.allowHalfOpen ?? false });
    if (!(transport instanceof Duplex) && typeof (transport as { write?: unknown })?.write !== 'function') {
      throw new TypeError('"transport" must be a Duplex stream');
    }
    this.#transport = transport;
    this.#isServer = options.isServer === true;
    this.#context = contextFromOptions(options);
    this.#onHandshakeError = options.onHandshakeError;
    this.#server = options.server;
    const suites = parseSuites(options.ciphers);
    const alpn = parseAlpnOption(options.ALPNProtocols);
    const host = this.#host();
    const common = {
      context: this.#context,
      suites,
      alpnProtocols: alpn,
      keyUpdateAfterRecords: options.keyUpdateAfterRecords,
      handshakeFraming: options.handshakeFraming,
      maxHandshakeFragment: options.maxHandshakeFragment,
      mutateHandshake: options.mutateHandshake,
    };
    if (this.#isServer) {
      this.#engine = new ServerEngine(host, {
        ...common,
        requestCert: options.requestCert === true,
        rejectUnauthorized: options.rejectUnauthorized !== false,
        forceHelloRetry: options.forceHelloRetry === true,
        ...(options.SNICallback ? { selectContext: sniSelector(options.SNICallback) } : {}),
      });
    } else {
      const hostName = options.host ?? 'localhost';
      const servername = options.servername ?? (isIP(hostName) ? undefined : hostName);
      this.#engine = new ClientEngine(host, {
        ...common,
        servername: servername && !isIP(servername) ? servername : undefined,
        // As node:tls: an empty servername sends no SNI, and the name checked is then the host.
        hostname: options.servername || hostName,
        rejectUnauthorized: options.rejectUnauthorized !== false,
        checkServerIdentity: options.checkServerIdentity ?? defaultCheckServerIdentity,
        middleboxCompat: options.middleboxCompat === true,
        initialKeyShare: options.initialKeyShare !== false,
      });
    }
    const ht = options.handshakeTimeout ?? (this.#isServer ? 120_000 : 0);
    if (ht > 0) {
      this.#handshakeTimer = setTimeout(() => {
        this.#handshakeFailed(new TlsError(`TLS handshake timeout after ${ht} ms`, { code: 'ERR_TLS_HANDSHAKE_TIMEOUT' }));
      }, ht);
      this.#handshakeTimer.unref?.();
    }
    transport.on('data', this.#onData);
    transport.on('end', this.#onEnd);
    transport.on('error', this.#onError);
    transport.on('close', this.#onClose);
    transport.on('drain', this.#onDrain);
    if (!this.#isServer) (this.#engine as ClientEngine).start();
  }

  #host(): EngineHost {
    return {
      send: (records) => {
        const t = this.#transport as Duplex & { cork?: () => void; uncork?: () => void };
        if (t.destroyed) return;
        this.#touch();
        let ok = true;
        // Corked, a net.Socket hands all pieces to one writev() system call.
        const cork = records.length > 1 && typeof t.cork === 'function';
        if (cork) t.cork();
        for (const r of records) ok = t.write(r);
        if (cork) t.uncork!();
        if (!ok) this.#transportFull = true;
      },
      data: (plain) => {
        this.#touch();
        if (!this.push(plain) && !this.#readPaused) {
          this.#readPaused = true;
          this.#transport.pause();
        }
      },
      handshakeDone: () => this.#handshakeDone(),
      peerClosed: () => {
        this.push(null);
      },
      error: (err) => this.#failed(err),
      keylog: (label, secret) => this.#keylog(label, secret),
      ticket: () => {
        this.#ticketsReceived++;
      },
    };
  }

  #keylog(label: string, secret: Uint8Array): void {
    const server = this.#server;
    const wanted = this.listenerCount('keylog') > 0 || (server !== undefined && server.listenerCount('keylog') > 0);
    if (!wanted || !this.#engine?.clientRandom) return;
    const line = Buffer.from(`${label} ${bytesToHex(this.#engine.clientRandom)} ${bytesToHex(secret)}\n`, 'latin1');
    this.emit('keylog', line);
    server?.emit('keylog', line, this);
  }

  #handshakeDone(): void {
    this.#secure = true;
    if (this.#handshakeTimer) clearTimeout(this.#handshakeTimer);
    const e = this.#engine;
    this.authorized = e.authorized;
    this.authorizationError = e.authorizationError;
    this.alpnProtocol = e.alpnProtocol;
    if (e instanceof ServerEngine) this.servername = e.servername ?? false;
    // Defer the events and the queued writes past the engine's current call.
    process.nextTick(() => {
      if (this.destroyed) return;
      if (!this.#isServer) this.emit('connect');
      this.emit('secure');
      if (!this.#isServer) this.emit('secureConnect');
      const queued = this.#queued;
      this.#queued = [];
      for (const q of queued) this.#send(q.chunk, q.cb);
      if (this.#finalCb) {
        const cb = this.#finalCb;
        this.#finalCb = undefined;
        this.#closeWrite(cb);
      }
    });
  }

  #handshakeFailed(err: Error): void {
    if (this.#secure || this.destroyed) return;
    if (this.#onHandshakeError) {
      this.#onHandshakeError(err, this);
      this.#shutdown();
      this.destroy();
    } else {
      this.#shutdown();
      this.destroy(err);
    }
  }

  /** A fatal TLS error from the engine (the alert, if any, is already written). */
  #failed(err: TlsError): void {
    if (!this.#secure) {
      this.#handshakeFailed(err);
      return;
    }
    this.#shutdown();
    this.destroy(err);
  }

  /** Lets the transport flush what was written (an alert) and then closes it. */
  #shutdown(): void {
    const t = this.#transport;
    if (t.destroyed || t.writableEnded) return;
    t.end();
    const timer = setTimeout(() => t.destroy(), 2000);
    timer.unref?.();
    t.once('close', () => clearTimeout(timer));
  }

  readonly #onData = (chunk: Buffer): void => {
    this.#touch();
    this.#engine.receive(chunk);
  };

  readonly #onEnd = (): void => {
    this.#transportEnded = true;
    if (this.#engine.readClosed || this.#engine.dead) return;
    if (!this.#secure) {
      this.#handshakeFailed(
        new TlsError('the connection closed before the TLS handshake completed', { code: 'ERR_TLS_CONNECTION_CLOSED' }),
      );
      return;
    }
    // No close_notify: reported as the end of the stream, as node:tls does.
    this.push(null);
  };

  readonly #onError = (err: Error): void => {
    if (!this.#secure) this.#handshakeFailed(err);
    else this.destroy(err);
  };

  readonly #onClose = (): void => {
    if (this.destroyed) return;
    if (!this.#secure) {
      this.#handshakeFailed(
        new TlsError('the connection closed before the TLS handshake completed', { code: 'ERR_TLS_CONNECTION_CLOSED' }),
      );
      return;
    }
    if (!this.#engine.readClosed && !this.#transportEnded) this.push(null);
    this.destroy();
  };

  readonly #onDrain = (): void => {
    this.#transportFull = false;
    const cb = this.#drainCb;
    this.#drainCb = undefined;
    cb?.();
  };

  #touch(): void {
    this.#timer?.refresh();
  }

  #send(chunk: Uint8Array, cb: (err?: Error | null) => void): void {
    try {
      this.#engine.writeApplicationData(chunk);
    } catch (err) {
      cb(err as Error);
      return;
    }
    if (this.#transportFull) this.#drainCb = cb;
    else cb();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (!this.#secure) {
      this.#queued.push({ chunk, cb });
      return;
    }
    this.#send(chunk, cb);
  }

  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    const data = chunks.length === 1 ? chunks[0]!.chunk : Buffer.concat(chunks.map((c) => c.chunk));
    this._write(data, 'binary', cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (!this.#secure) {
      this.#finalCb = cb;
      return;
    }
    this.#closeWrite(cb);
  }

  /** close_notify, then the end of the transport's writable side. */
  #closeWrite(cb: (err?: Error | null) => void): void {
    this.#engine.close();
    const t = this.#transport;
    if (t.destroyed || t.writableEnded) {
      cb();
      return;
    }
    t.end(() => cb());
  }

  override _read(): void {
    if (this.#readPaused) {
      this.#readPaused = false;
      this.#transport.resume();
    }
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#handshakeTimer) clearTimeout(this.#handshakeTimer);
    const t = this.#transport;
    t.off('data', this.#onData);
    t.off('drain', this.#onDrain);
    // Keep listening for transport errors so that none goes unhandled after we are gone.
    t.off('error', this.#onError);
    t.on('error', () => {});
    if (!t.destroyed) {
      if (!t.writableEnded || t.writableFinished) {
        t.destroy();
      } else {
        // Our close_notify or fatal alert is still being flushed: close once it is out.
        t.once('finish', () => t.destroy());
        const timer = setTimeout(() => t.destroy(), 2000);
        timer.unref?.();
        t.once('close', () => clearTimeout(timer));
      }
    }
    for (const q of this.#queued) q.cb(err ?? new TlsError('socket destroyed', { code: 'ERR_TLS_CONNECTION_CLOSED' }));
    this.#queued = [];
    this.#engine.destroy();
    cb(err);
  }

  // -------------------------------------------------------------------------------------------
  // node:tls-like API

  /**
   * The peer's certificate as node:tls describes it (subject, issuer, subjectaltname,
   * valid_from, fingerprint256, raw, …, plus `x509`, the parsed guomi Certificate); with
   * `detailed`, each entry links to its issuer through issuerCertificate. An empty object when
   * the peer sent none.
   */
  getPeerCertificate(detailed = false): PeerCertificate | Record<string, never> {
    return describeChain(this.#engine.peerCertificates, detailed);
  }

  /** This side's certificate (as getPeerCertificate describes one), or null. */
  getCertificate(): PeerCertificate | null {
    const ctx = this.#engine instanceof ServerEngine ? this.#engine.context : this.#context;
    const leaf = ctx.chain[0];
    return leaf ? describeCertificate(leaf) : null;
  }

  /**
   * The peer's leaf certificate as a node:crypto X509Certificate (node:tls's
   * getPeerX509Certificate()), or undefined when the peer sent none. node:crypto parses SM2
   * certificates but cannot verify their signatures; use `getPeerCertificate().x509` for that.
   */
  getPeerX509Certificate(): X509Certificate | undefined {
    const leaf = this.#engine.peerCertificates[0];
    return leaf ? new X509Certificate(leaf.der) : undefined;
  }

  /** This side's certificate as a node:crypto X509Certificate, or undefined. */
  getX509Certificate(): X509Certificate | undefined {
    const ctx = this.#engine instanceof ServerEngine ? this.#engine.context : this.#context;
    const leaf = ctx.chain[0];
    return leaf ? new X509Certificate(leaf.der) : undefined;
  }

  /** The negotiated suite: { name, standardName, version: 'TLSv1.3' }; null before ServerHello. */
  getCipher(): CipherNameAndProtocol | null {
    const s = this.#engine.suite;
    return s ? { name: s.name, standardName: s.name, version: 'TLSv1.3' } : null;
  }

  /** 'TLSv1.3' once the handshake completed, null before. */
  getProtocol(): string | null {
    return this.#secure ? 'TLSv1.3' : null;
  }

  /** Always false: session resumption is not implemented. */
  isSessionReused(): boolean {
    return false;
  }

  /**
   * Keying material from the TLS 1.3 exporter (RFC 8446 §7.5).
   * @param length bytes wanted
   * @param label the exporter label
   * @param context optional context (an absent context is the empty string in TLS 1.3)
   */
  exportKeyingMaterial(length: number, label: string, context?: Uint8Array): Buffer {
    return Buffer.from(this.#engine.exportKeyingMaterial(length, label, context ?? new Uint8Array(0)));
  }

  /**
   * Sends a KeyUpdate (RFC 8446 §4.6.3) and moves to the next write key; with `requestPeer`
   * the peer is asked to update its keys as well.
   * @throws TlsError before the handshake completed or after end()
   */
  keyUpdate(requestPeer = false): void {
    this.#engine.updateKeys(requestPeer);
  }

  /** Largest plaintext per record, 512 to 16384 (as node:tls). Returns false for other values. */
  setMaxSendFragment(size: number): boolean {
    if (!Number.isInteger(size) || size < 512 || size > MAX_PLAINTEXT) return false;
    this.#engine.setMaxFragment(size);
    return true;
  }

  /**
   * Emits 'timeout' after `ms` milliseconds without traffic in either direction (0 disables),
   * as net.Socket does; the socket is not closed.
   */
  setTimeout(ms: number, callback?: () => void): this {
    if (callback) {
      if (ms === 0) this.off('timeout', callback);
      else this.once('timeout', callback);
    }
    this.#timeoutMs = ms;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (ms > 0) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.emit('timeout');
      }, ms);
      this.#timer.unref?.();
    }
    return this;
  }

  /** The idle timeout set by setTimeout() (0 when none). */
  get timeout(): number {
    return this.#timeoutMs;
  }

  /** Whether the handshake is still in progress. */
  get connecting(): boolean {
    return !this.#secure && !this.destroyed;
  }

  /** Alias of !connecting, as net.Socket.pending. */
  get pending(): boolean {
    return !this.#secure;
  }

  /** NewSessionTicket messages received (they are checked and dropped; no resumption). */
  get ticketsReceived(): number {
    return this.#ticketsReceived;
  }

  /** @internal */
  get [kEngine](): ClientEngine | ServerEngine {
    return this.#engine;
  }

  #net(): Partial<Socket> {
    return this.#transport as Partial<Socket>;
  }

  /** The transport's remote address, when it is a net.Socket. */
  get remoteAddress(): string | undefined {
    return this.#net().remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.#net().remotePort;
  }

  get remoteFamily(): string | undefined {
    return this.#net().remoteFamily;
  }

  get localAddress(): string | undefined {
    return this.#net().localAddress;
  }

  get localPort(): number | undefined {
    return this.#net().localPort;
  }

  /** The transport's address(), when it has one. */
  address(): ReturnType<Socket['address']> | Record<string, never> {
    const a = this.#net().address;
    return typeof a === 'function' ? a.call(this.#transport) : {};
  }

  /** Passes through to the transport (net.Socket). */
  setNoDelay(noDelay?: boolean): this {
    this.#net().setNoDelay?.call(this.#transport, noDelay);
    return this;
  }

  /** Passes through to the transport (net.Socket). */
  setKeepAlive(enable?: boolean, initialDelay?: number): this {
    this.#net().setKeepAlive?.call(this.#transport, enable, initialDelay);
    return this;
  }

  /** Passes through to the transport (net.Socket). */
  ref(): this {
    this.#net().ref?.call(this.#transport);
    return this;
  }

  /** Passes through to the transport (net.Socket). */
  unref(): this {
    this.#net().unref?.call(this.#transport);
    return this;
  }

  /** The transport stream. */
  get transport(): Duplex {
    return this.#transport;
  }
}
