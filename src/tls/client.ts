/**
 * The TLS 1.3 client state machine (RFC 8446 §2, §4; Appendix A.1) with the ShangMi profile of
 * RFC 8998: TLS_SM4_GCM_SM3 / TLS_SM4_CCM_SM3, a curveSM2 key share, sm2sig_sm3 with the ID
 * "TLSv1.3+GM+Cipher+Suite" in CertificateVerify.
 * @module
 */
import { GuomiError } from '../errors.js';
import { Sm2PrivateKey, Sm2PublicKey, ecdh } from '../sm2.js';
import { equalBytes, randomBytes, wipe } from '../utils.js';
import { matchHostname, type Certificate } from '../x509/index.js';
import {
  checkPeerChain,
  checkServerIdentity as defaultCheckServerIdentity,
  describeCertificate,
  type PeerCertificate,
  type SecureContext,
} from './certs.js';
import {
  AlertDescription,
  DOWNGRADE_PREFIX,
  ExtensionType,
  GROUP_CURVE_SM2,
  HRR_RANDOM,
  HandshakeType,
  LEGACY_VERSION,
  SIG_SM2SIG_SM3,
  SM2_TLS13_ID,
  TLS13,
  suiteById,
  type CipherSuiteInfo,
} from './constants.js';
import { Reader, handshakeMessage } from './codec.js';
import { TlsError, decodeError, fail, illegalParameter, unexpectedMessage } from './errors.js';
import { TlsEngine, type EngineHost, type EngineOptions } from './engine.js';
import { applicationSecrets, finishedVerifyData, handshakeSecrets } from './keyschedule.js';
import {
  Extensions,
  HRR_EXTENSIONS,
  NOT_IN_ENCRYPTED_EXTENSIONS,
  SERVER_HELLO_EXTENSIONS,
  certificateVerifyContent,
  encodeAlpn,
  encodeCertificateMessage,
  encodeCertificateVerify,
  encodeClientHello,
  encodeClientKeyShares,
  encodeCookie,
  encodeServerName,
  encodeU16List,
  parseAlpn,
  parseCertificateMessage,
  parseCertificateRequest,
  parseCookie,
  parseNewSessionTicket,
  parseSelectedGroup,
  parseServerHello,
  parseServerKeyShare,
  parseU16,
  parseU16List,
  type ServerHello,
} from './messages.js';

/** Options of the client engine. */
export interface ClientEngineOptions extends EngineOptions {
  context: SecureContext;
  /** Suites offered, in order. */
  suites: readonly CipherSuiteInfo[];
  /** SNI host name (omitted for IP addresses and when undefined). */
  servername: string | undefined;
  /** The name checked against the server certificate. */
  hostname: string;
  alpnProtocols: readonly string[] | undefined;
  rejectUnauthorized: boolean;
  checkServerIdentity: (hostname: string, cert: PeerCertificate) => Error | undefined;
  /** Send a 32-byte legacy_session_id and a ChangeCipherSpec (RFC 8446 Appendix D.4). */
  middleboxCompat: boolean;
  /** Send a curveSM2 key share in the first ClientHello (false forces a HelloRetryRequest). */
  initialKeyShare: boolean;
}

const enum State {
  Start,
  WaitServerHello,
  WaitEncryptedExtensions,
  WaitCertificateOrRequest,
  WaitCertificate,
  WaitCertificateVerify,
  WaitFinished,
  Connected,
}

/** The client side of one connection. */
export class ClientEngine extends TlsEngine {
  protected override readonly isServer = false;
  readonly #o: ClientEngineOptions;
  #state = State.Start;
  #random = randomBytes(32);
  #sessionId: Uint8Array;
  #keyShare: Sm2PrivateKey | undefined;
  #sentShare = false;
  #helloRetry: { suite: number } | undefined;
  #cookie: Uint8Array | undefined;
  #ccsSent = false;
  #sentExtensions = new Set<number>();
  #hsSecret: Uint8Array | undefined;
  #clientHs: Uint8Array | undefined;
  #serverHs: Uint8Array | undefined;
  #peerKey: Sm2PublicKey | undefined;
  #certRequest: { sm2: boolean } | undefined;
  /** The server chain as received (leaf first). */
  peerCertificates: Certificate[] = [];
  /** Whether the server chain (and identity) verified. */
  authorized = false;
  /** Why not, when {@link authorized} is false (a verify code such as 'CERT_HAS_EXPIRED'). */
  authorizationError: string | undefined;
  /** The protocol selected by ALPN, or false. */
  alpnProtocol: string | false = false;
  /** Whether a HelloRetryRequest was received. */
  helloRetried = false;

  constructor(host: EngineHost, options: ClientEngineOptions) {
    super(host, options);
    this.#o = options;
    this.#sessionId = options.middleboxCompat ? randomBytes(32) : new Uint8Array(0);
    this.clientRandom = this.#random;
  }

  /** Sends the first ClientHello. */
  start(): void {
    if (this.#state !== State.Start) return;
    try {
      this.#keyShare = Sm2PrivateKey.generate({ consistencyTest: false });
      this.#sentShare = this.#o.initialKeyShare;
      this.#sendClientHello();
      this.ccsAllowed = true;
      this.#state = State.WaitServerHello;
    } catch (err) {
      this.fatal(err);
    }
    this.flush();
  }

  #sendClientHello(): void {
    const o = this.#o;
    const exts: [number, Uint8Array][] = [];
    if (o.servername) exts.push([ExtensionType.SERVER_NAME, encodeServerName(o.servername)]);
    exts.push([ExtensionType.SUPPORTED_GROUPS, encodeU16List([GROUP_CURVE_SM2])]);
    exts.push([ExtensionType.SIGNATURE_ALGORITHMS, encodeU16List([SIG_SM2SIG_SM3])]);
    if (o.alpnProtocols?.length) exts.push([ExtensionType.ALPN, encodeAlpn(o.alpnProtocols)]);
    exts.push([ExtensionType.SUPPORTED_VERSIONS, Uint8Array.of(2, TLS13 >>> 8, TLS13 & 0xff)]);
    if (this.#cookie) exts.push([ExtensionType.COOKIE, encodeCookie(this.#cookie)]);
    exts.push([
      ExtensionType.KEY_SHARE,
      encodeClientKeyShares(
        this.#sentShare ? [{ group: GROUP_CURVE_SM2, keyExchange: this.#keyShare!.publicKey.toBytes() }] : [],
      ),
    ]);
    for (const [t] of exts) this.#sentExtensions.add(t);
    const ch = this.out(encodeClientHello({
      random: this.#random,
      sessionId: this.#sessionId,
      cipherSuites: o.suites.map((s) => s.id),
      extensions: exts,
    }));
    this.transcript.update(ch);
    this.sendHandshake(ch);
  }

  protected handshakeMessage(type: number, body: Uint8Array, raw: Uint8Array): boolean {
    switch (this.#state) {
      case State.WaitServerHello:
        if (type !== HandshakeType.SERVER_HELLO) throw unexpectedMessage(`expected ServerHello, got message ${type}`);
        return this.#serverHello(parseServerHello(body), raw);
      case State.WaitEncryptedExtensions:
        if (type !== HandshakeType.ENCRYPTED_EXTENSIONS) {
          throw unexpectedMessage(`expected EncryptedExtensions, got message ${type}`);
        }
        this.#encryptedExtensions(body, raw);
        return false;
      case State.WaitCertificateOrRequest:
      case State.WaitCertificate:
        if (type === HandshakeType.CERTIFICATE_REQUEST && this.#state === State.WaitCertificateOrRequest) {
          this.#certificateRequest(body, raw);
          return false;
        }
        if (type !== HandshakeType.CERTIFICATE) throw unexpectedMessage(`expected Certificate, got message ${type}`);
        this.#certificate(body, raw);
        return false;
      case State.WaitCertificateVerify:
        if (type !== HandshakeType.CERTIFICATE_VERIFY) {
          throw unexpectedMessage(`expected CertificateVerify, got message ${type}`);
        }
        this.#certificateVerify(body, raw);
        return false;
      case State.WaitFinished:
        if (type !== HandshakeType.FINISHED) throw unexpectedMessage(`expected Finished, got message ${type}`);
        this.#finished(body, raw);
        return true;
      default:
        throw unexpectedMessage(`unexpected handshake message ${type}`);
    }
  }

  /** Checks the fields a ServerHello and a HelloRetryRequest share (RFC 8446 §4.1.3, §4.1.4). */
  #checkHelloFields(sh: ServerHello, allowed: ReadonlySet<number>, what: string): void {
    const sv = sh.extensions.get(ExtensionType.SUPPORTED_VERSIONS);
    if (!sv) {
      // A TLS 1.2-or-earlier ServerHello. With the downgrade sentinel that is an attack
      // (§4.1.3: illegal_parameter); otherwise TLS 1.3 is simply not available.
      if (equalBytes(sh.random.subarray(24, 31), DOWNGRADE_PREFIX) && sh.random[31]! <= 1) {
        throw illegalParameter(`${what}: downgrade sentinel in server random`);
      }
      throw fail(AlertDescription.PROTOCOL_VERSION, `${what}: the server does not support TLS 1.3`);
    }
    if (parseU16(sv, 'supported_versions') !== TLS13) throw illegalParameter(`${what}: selected version is not TLS 1.3`);
    if (sh.legacyVersion !== LEGACY_VERSION) throw illegalParameter(`${what}: legacy_version is not 0x0303`);
    if (!equalBytes(sh.sessionId, this.#sessionId)) throw illegalParameter(`${what}: legacy_session_id_echo mismatch`);
    if (sh.compressionMethod !== 0) throw illegalParameter(`${what}: non-zero compression method`);
    if (!this.#o.suites.some((s) => s.id === sh.cipherSuite)) {
      throw illegalParameter(`${what}: cipher suite 0x${sh.cipherSuite.toString(16)} was not offered`);
    }
    for (const t of sh.extensions.order) {
      if (allowed.has(t)) continue;
      if (this.#sentExtensions.has(t) || t === ExtensionType.PRE_SHARED_KEY) {
        if (t === ExtensionType.PRE_SHARED_KEY) {
          throw fail(AlertDescription.UNSUPPORTED_EXTENSION, `${what}: pre_shared_key without a PSK offer`);
        }
        throw illegalParameter(`${what}: extension ${t} is not allowed here`);
      }
      throw fail(AlertDescription.UNSUPPORTED_EXTENSION, `${what}: unsolicited extension ${t}`);
    }
  }

  #serverHello(sh: ServerHello, raw: Uint8Array): boolean {
    if (equalBytes(sh.random, HRR_RANDOM)) return this.#helloRetryRequest(sh, raw);
    this.#checkHelloFields(sh, SERVER_HELLO_EXTENSIONS, 'ServerHello');
    if (this.#helloRetry && sh.cipherSuite !== this.#helloRetry.suite) {
      throw illegalParameter('ServerHello: cipher suite differs from the HelloRetryRequest');
    }
    const ks = sh.extensions.get(ExtensionType.KEY_SHARE);
    if (!ks) throw fail(AlertDescription.MISSING_EXTENSION, 'ServerHello: no key_share');
    const share = parseServerKeyShare(ks);
    if (share.group !== GROUP_CURVE_SM2 || !this.#sentShare) {
      throw illegalParameter(`ServerHello: key_share for group ${share.group}, which was not offered`);
    }
    const peer = readSm2Share(share.keyExchange);
    this.suite = suiteById(sh.cipherSuite)!;
    const shared = ecdh(this.#keyShare!, peer);
    this.#keyShare!.destroy();
    this.#keyShare = undefined;
    this.transcript.update(raw);
    const hs = handshakeSecrets(shared, this.transcript.hash());
    wipe(shared);
    this.#hsSecret = hs.handshakeSecret;
    this.#clientHs = hs.clientHandshakeTrafficSecret;
    this.#serverHs = hs.serverHandshakeTrafficSecret;
    this.host.keylog('CLIENT_HANDSHAKE_TRAFFIC_SECRET', this.#clientHs);
    this.host.keylog('SERVER_HANDSHAKE_TRAFFIC_SECRET', this.#serverHs);
    this.setReadKey(this.#serverHs, false);
    this.setWriteKey(this.#clientHs, false);
    this.#state = State.WaitEncryptedExtensions;
    return true;
  }

  #helloRetryRequest(hrr: ServerHello, raw: Uint8Array): boolean {
    if (this.#helloRetry) throw unexpectedMessage('a second HelloRetryRequest');
    this.#checkHelloFields(hrr, HRR_EXTENSIONS, 'HelloRetryRequest');
    let changed = false;
    const ks = hrr.extensions.get(ExtensionType.KEY_SHARE);
    if (ks) {
      const group = parseSelectedGroup(ks);
      // §4.2.8: the group must have been offered in supported_groups and not already shared.
      if (group !== GROUP_CURVE_SM2) throw illegalParameter(`HelloRetryRequest: group ${group} was not offered`);
      if (this.#sentShare) throw illegalParameter('HelloRetryRequest: asks for a key share that was already sent');
      this.#sentShare = true;
      changed = true;
    }
    const cookie = hrr.extensions.get(ExtensionType.COOKIE);
    if (cookie) {
      this.#cookie = parseCookie(cookie).slice();
      changed = true;
    }
    // §4.1.4: a HelloRetryRequest that would not change the ClientHello is illegal.
    if (!changed) throw illegalParameter('HelloRetryRequest changes nothing');
    this.helloRetried = true;
    this.#helloRetry = { suite: hrr.cipherSuite };
    this.transcript.restartWithMessageHash();
    this.transcript.update(raw);
    if (this.#o.middleboxCompat && !this.#ccsSent) {
      this.sendChangeCipherSpec();
      this.#ccsSent = true;
    }
    this.#sendClientHello();
    return true;
  }

  #encryptedExtensions(body: Uint8Array, raw: Uint8Array): void {
    const r = new Reader(body, 'EncryptedExtensions');
    const exts = Extensions.read(r, 'EncryptedExtensions');
    r.end();
    for (const t of exts.order) {
      if (NOT_IN_ENCRYPTED_EXTENSIONS.has(t)) throw illegalParameter(`EncryptedExtensions: extension ${t} is not allowed here`);
      if (!this.#sentExtensions.has(t)) throw fail(AlertDescription.UNSUPPORTED_EXTENSION, `EncryptedExtensions: unsolicited extension ${t}`);
    }
    const sni = exts.get(ExtensionType.SERVER_NAME);
    if (sni && sni.length !== 0) throw decodeError('EncryptedExtensions: server_name must be empty');
    const groups = exts.get(ExtensionType.SUPPORTED_GROUPS);
    if (groups) parseU16List(groups, 'supported_groups');
    const alpn = exts.get(ExtensionType.ALPN);
    if (alpn) {
      const list = parseAlpn(alpn);
      if (list.length !== 1) throw decodeError('ALPN: the server must select exactly one protocol');
      if (!this.#o.alpnProtocols?.includes(list[0]!)) throw illegalParameter(`ALPN: protocol "${list[0]}" was not offered`);
      this.alpnProtocol = list[0]!;
    }
    this.transcript.update(raw);
    this.#state = State.WaitCertificateOrRequest;
  }

  #certificateRequest(body: Uint8Array, raw: Uint8Array): void {
    const cr = parseCertificateRequest(body);
    if (cr.context.length !== 0) throw illegalParameter('CertificateRequest: non-empty context during the handshake');
    const sa = cr.extensions.get(ExtensionType.SIGNATURE_ALGORITHMS);
    if (!sa) throw fail(AlertDescription.MISSING_EXTENSION, 'CertificateRequest: no signature_algorithms');
    const schemes = parseU16List(sa, 'signature_algorithms');
    this.#certRequest = { sm2: schemes.includes(SIG_SM2SIG_SM3) };
    this.transcript.update(raw);
    this.#state = State.WaitCertificate;
  }

  #certificate(body: Uint8Array, raw: Uint8Array): void {
    const msg = parseCertificateMessage(body);
    if (msg.context.length !== 0) throw illegalParameter('Certificate: non-empty certificate_request_context');
    // §4.4.2.4: an empty server Certificate is a decode_error.
    if (msg.entries.length === 0) throw decodeError('Certificate: the server sent no certificate');
    for (const e of msg.entries) {
      // No status_request or signed_certificate_timestamp was offered.
      if (e.extensions.size > 0) throw fail(AlertDescription.UNSUPPORTED_EXTENSION, 'CertificateEntry: unsolicited extension');
    }
    const check = checkPeerChain(msg.entries.map((e) => e.data), this.#o.context.ca, 'serverAuth');
    this.peerCertificates = check.certificates;
    this.#peerKey = check.publicKey;
    let problem = check.error;
    if (!problem) {
      const leaf = check.certificates[0]!;
      const checkId = this.#o.checkServerIdentity;
      // The default check needs no node:tls-style description unless it fails.
      const idErr =
        checkId === defaultCheckServerIdentity && matchHostname(leaf, this.#o.hostname)
          ? undefined
          : checkId(this.#o.hostname, describeCertificate(leaf));
      if (idErr) {
        const code = (idErr as { code?: unknown }).code;
        problem = new TlsError(idErr.message, {
          alert: AlertDescription.BAD_CERTIFICATE,
          code: typeof code === 'string' ? code : 'ERR_TLS_CERT_ALTNAME_INVALID',
          cause: idErr,
        });
        problem.verifyCode = typeof code === 'string' ? code : 'ERR_TLS_CERT_ALTNAME_INVALID';
      }
    }
    if (problem) {
      if (this.#o.rejectUnauthorized) throw problem;
      this.authorizationError = problem.verifyCode ?? problem.code;
    } else {
      this.authorized = true;
    }
    this.transcript.update(raw);
    this.#state = State.WaitCertificateVerify;
  }

  #certificateVerify(body: Uint8Array, raw: Uint8Array): void {
    this.verifyPeerCertificateVerify(body, raw, this.#peerKey!);
    this.#state = State.WaitFinished;
  }

  #finished(body: Uint8Array, raw: Uint8Array): void {
    this.checkPeerFinished(body, raw, this.#serverHs!);
    const app = applicationSecrets(this.#hsSecret!, this.transcript.hash());
    wipe(app.masterSecret);
    this.host.keylog('CLIENT_TRAFFIC_SECRET_0', app.clientApplicationTrafficSecret);
    this.host.keylog('SERVER_TRAFFIC_SECRET_0', app.serverApplicationTrafficSecret);
    this.host.keylog('EXPORTER_SECRET', app.exporterMasterSecret);
    this.setExporterSecret(app.exporterMasterSecret);
    this.setReadKey(app.serverApplicationTrafficSecret, true);

    // The client's second flight (§4.4): [ChangeCipherSpec] [Certificate CertificateVerify] Finished.
    if (this.#o.middleboxCompat && !this.#ccsSent) {
      this.sendChangeCipherSpec();
      this.#ccsSent = true;
    }
    const msgs: Uint8Array[] = [];
    if (this.#certRequest) {
      const ctx = this.#o.context;
      const canSign = ctx.key !== undefined && ctx.chain.length > 0 && this.#certRequest.sm2;
      const cert = this.out(encodeCertificateMessage(new Uint8Array(0), canSign ? ctx.chainDer : []));
      this.transcript.update(cert);
      msgs.push(cert);
      if (canSign) {
        const content = certificateVerifyContent(false, this.transcript.hash());
        const cv = this.out(encodeCertificateVerify(SIG_SM2SIG_SM3, ctx.key!.sign(content, { id: SM2_TLS13_ID })));
        this.transcript.update(cv);
        msgs.push(cv);
      }
    }
    const fin = this.out(handshakeMessage(HandshakeType.FINISHED, finishedVerifyData(this.#clientHs!, this.transcript.hash())));
    this.transcript.update(fin);
    msgs.push(fin);
    this.sendHandshake(...msgs);
    this.setWriteKey(app.clientApplicationTrafficSecret, true);
    wipe(this.#hsSecret, this.#clientHs, this.#serverHs);
    this.#hsSecret = this.#clientHs = this.#serverHs = undefined;
    this.#state = State.Connected;
    this.connected = true;
    this.host.handshakeDone();
  }

  protected override postHandshakeTicket(body: Uint8Array): void {
    // Tickets are parsed and checked, then handed to the host; resumption is not implemented.
    const t = parseNewSessionTicket(body);
    this.host.ticket?.(t);
  }

  override destroy(): void {
    this.#keyShare?.destroy();
    this.#keyShare = undefined;
    wipe(this.#hsSecret, this.#clientHs, this.#serverHs);
    super.destroy();
  }
}

/**
 * Reads a curveSM2 key_exchange: 04 || X || Y, 65 bytes, a valid point (RFC 8446 §4.2.8.2,
 * applied to curveSM2 as RFC 8998 peers do); anything else is an illegal_parameter.
 */
export function readSm2Share(bytes: Uint8Array): Sm2PublicKey {
  if (bytes.length !== 65 || bytes[0] !== 0x04) {
    throw illegalParameter('curveSM2 key share must be an uncompressed 65-byte point');
  }
  try {
    return Sm2PublicKey.from(bytes);
  } catch (err) {
    if (err instanceof GuomiError) throw illegalParameter(`invalid curveSM2 key share: ${err.message}`);
    throw err;
  }
}
