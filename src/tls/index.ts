/**
 * TLS 1.3 with the ShangMi cipher suites of RFC 8998 (guomi/tls): TLS_SM4_GCM_SM3 and
 * TLS_SM4_CCM_SM3 over curveSM2 key shares, authenticated with sm2sig_sm3 certificates, for the
 * Tongsuo and GmSSL servers and clients that node:tls (OpenSSL 3.0) cannot talk to. The API is
 * shaped like node:tls.
 *
 * ```ts
 * import { connect, createServer } from 'guomi/tls';
 * const server = createServer({ cert: serverPem, key: serverKeyPem }, (socket) => socket.pipe(socket));
 * server.listen(8443);
 * const socket = connect({ host: 'localhost', port: 8443, ca: caPem }, () => {
 *   socket.getCipher();              // { name: 'TLS_SM4_GCM_SM3', version: 'TLSv1.3', … }
 *   socket.end('hello');
 * });
 * socket.on('data', (d) => console.log(d.toString()));
 * ```
 *
 * Implemented: the full TLS 1.3 handshake (RFC 8446) with HelloRetryRequest both ways,
 * client authentication, KeyUpdate both ways, middlebox-compatibility ChangeCipherSpec,
 * NewSessionTicket reception (tickets are checked and dropped), close_notify and half-close,
 * the exporter, NSS key logging, ALPN, SNI (server-side certificate choice with addContext or
 * SNICallback) and encrypted private keys (passphrase). Not implemented: session resumption and PSK,
 * 0-RTT, post-handshake client authentication, cipher suites other than the two of RFC 8998.
 * @module
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { SecureContext, contextFromOptions, type SecureContextOptions } from './certs.js';
import { TLSSocket, type ClientSocketOptions, type ServerSocketOptions } from './socket.js';

export {
  checkServerIdentity,
  createSecureContext,
  SecureContext,
  type CertificateLike,
  type PeerCertificate,
  type PrivateKeyLike,
  type SecureContextOptions,
} from './certs.js';
export { TlsError } from './errors.js';
export {
  TLSSocket,
  type CipherNameAndProtocol,
  type ClientSocketOptions,
  type CommonTlsOptions,
  type ServerSocketOptions,
  type TLSSocketOptions,
} from './socket.js';
export {
  AlertDescription,
  GROUP_CURVE_SM2,
  SIG_SM2SIG_SM3,
  SM2_TLS13_ID,
  TLS_SM4_CCM_SM3,
  TLS_SM4_GCM_SM3,
  type CipherSuiteName,
} from './constants.js';

/** The suites this module implements, in default order of preference. */
export const TLS_CIPHER_SUITES: readonly string[] = ['TLS_SM4_GCM_SM3', 'TLS_SM4_CCM_SM3'];

/** Options of {@link connect}. */
export interface ConnectionOptions extends ClientSocketOptions {
  /** Host to connect to (default 'localhost'). */
  host?: string;
  /** Port to connect to. */
  port?: number;
  /** A Unix socket path instead of host/port. */
  path?: string;
  /** An existing transport (a connected net.Socket or any Duplex) instead of a new connection. */
  socket?: Duplex;
  /** Passed to net.connect: address family, local address. */
  family?: number;
  localAddress?: string;
  /** Emit 'timeout' after this many idle milliseconds (socket.setTimeout). */
  timeout?: number;
}

/**
 * Opens a TLS 1.3 connection (client side), like node:tls.connect().
 * @param options host/port (or path, or socket), servername, ca, cert/key (client
 *   authentication), ALPNProtocols, rejectUnauthorized, checkServerIdentity, ciphers, …
 * @param callback added as a 'secureConnect' listener
 * @returns the socket; the handshake runs in the background
 * @throws TypeError / RangeError for invalid options; GuomiError ERR_DECODE for unreadable
 *   certificates or keys
 * @example connect({ host: 'sm.example.cn', port: 443, ca: rootPem }, () => console.log('secure'))
 */
export function connect(options: ConnectionOptions, callback?: () => void): TLSSocket;
/** connect(port, host?, options?, callback?) as node:tls. */
export function connect(port: number, host?: string, options?: ConnectionOptions, callback?: () => void): TLSSocket;
export function connect(...args: unknown[]): TLSSocket {
  let options: ConnectionOptions;
  let callback: (() => void) | undefined;
  if (typeof args[0] === 'number') {
    const rest = args.slice(1);
    const host = typeof rest[0] === 'string' ? (rest.shift() as string) : undefined;
    const opts = rest[0] !== null && typeof rest[0] === 'object' ? (rest.shift() as ConnectionOptions) : {};
    callback = typeof rest[0] === 'function' ? (rest[0] as () => void) : undefined;
    options = { ...opts, port: args[0], ...(host !== undefined ? { host } : {}) };
  } else {
    if (args[0] === null || typeof args[0] !== 'object') throw new TypeError('"options" must be an object');
    options = args[0] as ConnectionOptions;
    callback = typeof args[1] === 'function' ? (args[1] as () => void) : undefined;
  }
  let transport = options.socket;
  const own = !transport;
  if (!transport) {
    const netOpts: net.NetConnectOpts =
      options.path !== undefined
        ? { path: options.path, allowHalfOpen: true }
        : {
            host: options.host ?? 'localhost',
            port: options.port ?? 443,
            allowHalfOpen: true,
            ...(options.family !== undefined ? { family: options.family } : {}),
            ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
          };
    transport = net.connect(netOpts);
  }
  let socket: TLSSocket;
  try {
    socket = new TLSSocket(transport, { ...options, isServer: false });
  } catch (err) {
    if (own) transport.destroy();
    throw err;
  }
  if (options.timeout !== undefined) socket.setTimeout(options.timeout);
  if (callback) socket.once('secureConnect', callback);
  return socket;
}

/** Options of {@link createServer}. */
export interface TlsServerOptions extends ServerSocketOptions {
  /** Passed to net.Server: pause accepted sockets (default false). */
  pauseOnConnect?: boolean;
}

/**
 * A TLS 1.3 server, a net.Server like node:tls's tls.Server. Every 'connection' (a net.Socket,
 * or any Duplex emitted as 'connection' by hand) becomes a server-side {@link TLSSocket}.
 *
 * Events: 'secureConnection' (socket) after a completed handshake; 'tlsClientError' (err,
 * socket) when a handshake fails (the socket is destroyed, no 'error' is emitted on it);
 * 'keylog' (line, socket); and net.Server's 'listening', 'close', 'error'.
 */
export class TLSServer extends net.Server {
  #options: TlsServerOptions;
  #context: SecureContext;
  /** addContext() entries: a host-name pattern and its credentials (later entries win). */
  #sniContexts: { pattern: RegExp; context: SecureContext }[] = [];

  /** @internal Use createServer(). */
  constructor(options: TlsServerOptions, listener?: (socket: TLSSocket) => void) {
    super({ allowHalfOpen: true, pauseOnConnect: options.pauseOnConnect === true });
    this.#options = { ...options };
    this.#context = contextFromOptions(options);
    if (!this.#context.key || this.#context.chain.length === 0) {
      throw new RangeError('createServer: "cert" and "key" (or a "secureContext" with them) are required');
    }
    if (listener) this.on('secureConnection', listener);
    this.on('connection', (transport: Duplex) => this.#accept(transport));
  }

  #accept(transport: Duplex): void {
    let socket: TLSSocket;
    try {
      socket = new TLSSocket(transport, {
        ...this.#options,
        secureContext: this.#context,
        ...(this.#options.SNICallback === undefined && this.#sniContexts.length > 0
          ? { SNICallback: (name: string, cb: (err: Error | null, ctx?: SecureContext) => void) => cb(null, this.#lookup(name)) }
          : {}),
        isServer: true,
        server: this,
        onHandshakeError: (err, s) => this.emit('tlsClientError', err, s),
      });
    } catch (err) {
      transport.destroy();
      this.emit('tlsClientError', err, undefined);
      return;
    }
    socket.once('secure', () => this.emit('secureConnection', socket));
  }

  /**
   * Adds credentials for an SNI host name, as node:tls's server.addContext(): a client asking
   * for `hostname` gets this certificate instead of the default one. `hostname` may start with
   * a wildcard label ("*.example.cn" matches "a.example.cn", not "example.cn" nor "a.b.example.cn").
   * Ignored for connections when an SNICallback option is set.
   * @param hostname the name or wildcard pattern
   * @param context createSecureContext() output, or its options (cert and key required)
   * @throws TypeError / RangeError for a bad name or credentials without cert and key
   */
  addContext(hostname: string, context: SecureContext | SecureContextOptions): void {
    if (typeof hostname !== 'string' || hostname.length === 0) throw new TypeError('"hostname" must be a non-empty string');
    const ctx = context instanceof SecureContext ? context : contextFromOptions(context);
    if (!ctx.key || ctx.chain.length === 0) throw new RangeError('addContext: the context needs "cert" and "key"');
    const labels = hostname.toLowerCase().split('.');
    const source = labels.map((l, i) => (i === 0 && l === '*' ? '[^.]+' : l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('\\.');
    this.#sniContexts.push({ pattern: new RegExp(`^${source}$`), context: ctx });
  }

  #lookup(servername: string): SecureContext | undefined {
    const name = servername.toLowerCase();
    for (let i = this.#sniContexts.length - 1; i >= 0; i--) {
      if (this.#sniContexts[i]!.pattern.test(name)) return this.#sniContexts[i]!.context;
    }
    return undefined;
  }

  /**
   * Replaces the credentials for new connections (as node:tls's setSecureContext).
   * @param options cert, key, ca (or secureContext)
   */
  setSecureContext(options: TlsServerOptions): void {
    const ctx = contextFromOptions(options);
    if (!ctx.key || ctx.chain.length === 0) throw new RangeError('setSecureContext: "cert" and "key" are required');
    this.#context = ctx;
  }
}

/**
 * Creates a TLS 1.3 server, like node:tls.createServer().
 * @param options cert + key (required; passphrase for an encrypted key), ca and requestCert
 *   (client authentication), rejectUnauthorized, ALPNProtocols, ciphers, SNICallback,
 *   handshakeTimeout (default 120 s), forceHelloRetry, allowHalfOpen
 * @param secureConnectionListener added as a 'secureConnection' listener
 * @returns the server (call listen())
 * @throws RangeError without cert and key
 * @example createServer({ cert, key }, (s) => s.end('hello\n')).listen(8443)
 */
export function createServer(
  options: TlsServerOptions,
  secureConnectionListener?: (socket: TLSSocket) => void,
): TLSServer {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  return new TLSServer(options, secureConnectionListener);
}
