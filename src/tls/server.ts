/**
 * The TLS 1.3 server state machine (RFC 8446 §2, §4; Appendix A.2) with the ShangMi profile of
 * RFC 8998: it negotiates TLS_SM4_GCM_SM3 / TLS_SM4_CCM_SM3 over a curveSM2 key share (asking
 * for one with a HelloRetryRequest when the client did not send it) and authenticates with
 * sm2sig_sm3.
 * @module
 */
import { Sm2PrivateKey, ecdh, type Sm2PublicKey } from '../sm2.js';
import { equalBytes, randomBytes, wipe } from '../utils.js';
import type { Certificate } from '../x509/index.js';
import { SecureContext, checkPeerChain } from './certs.js';
import { readSm2Share } from './client.js';
import {
  AlertDescription,
  ExtensionType,
  GROUP_CURVE_SM2,
  HRR_RANDOM,
  HandshakeType,
  SIG_SM2SIG_SM3,
  SM2_TLS13_ID,
  TLS13,
  type CipherSuiteInfo,
} from './constants.js';
import { handshakeMessage, Writer } from './codec.js';
import { TlsError, fail, illegalParameter, unexpectedMessage } from './errors.js';
import { TlsEngine, type EngineHost, type EngineOptions } from './engine.js';
import { applicationSecrets, finishedVerifyData, handshakeSecrets } from './keyschedule.js';
import {
  certificateVerifyContent,
  encodeAlpn,
  encodeCertificateMessage,
  encodeCertificateRequest,
  encodeCertificateVerify,
  encodeCookie,
  encodeNewSessionTicket,
  encodeServerHello,
  encodeServerKeyShare,
  encodeU16,
  encodeU16List,
  parseAlpn,
  parseCertificateMessage,
  parseClientHello,
  parseClientKeyShares,
  parseCookie,
  parseServerName,
  parseSupportedVersionsList,
  parseU16List,
  type ClientHello,
  type KeyShareEntry,
} from './messages.js';

/** Options of the server engine. */
export interface ServerEngineOptions extends EngineOptions {
  context: SecureContext;
  /** Suites accepted, in the server's order of preference. */
  suites: readonly CipherSuiteInfo[];
  alpnProtocols: readonly string[] | undefined;
  /** Ask for a client certificate. */
  requestCert: boolean;
  /** With requestCert: refuse clients without a valid certificate. */
  rejectUnauthorized: boolean;
  /** Always answer the first ClientHello with a HelloRetryRequest carrying a cookie. */
  forceHelloRetry: boolean;
  /**
   * Chooses the credentials for the SNI name of the first ClientHello (node:tls's SNICallback
   * shape): `done(null, context)` switches to `context`, `done(null)` keeps the default, and
   * `done(err)` refuses the name with unrecognized_name. `done` may be called later.
   */
  selectContext?: (servername: string, done: (err: Error | null, ctx?: SecureContext) => void) => void;
}

const enum State {
  WaitClientHello,
  WaitSecondClientHello,
  WaitCertificate,
  WaitCertificateVerify,
  WaitFinished,
  Connected,
}

/** The server side of one connection. */
export class ServerEngine extends TlsEngine {
  protected override readonly isServer = true;
  readonly #o: ServerEngineOptions;
  #state = State.WaitClientHello;
  #first: { random: Uint8Array; sessionId: Uint8Array; suite: number; cookie: Uint8Array | undefined } | undefined;
  #ccsSent = false;
  #context: SecureContext;
  #destroyed = false;
  #hsSecret: Uint8Array | undefined;
  #clientHs: Uint8Array | undefined;
  #clientApp: Uint8Array | undefined;
  #peerKey: Sm2PublicKey | undefined;
  /** SNI host name sent by the client. */
  servername: string | undefined;
  /** The protocol selected by ALPN, or false. */
  alpnProtocol: string | false = false;
  /** The client chain as received (leaf first). */
  peerCertificates: Certificate[] = [];
  /** Whether the client presented a certificate that verified. */
  authorized = false;
  /** Why not, when a certificate was requested and {@link authorized} is false. */
  authorizationError: string | undefined;
  /** Whether a HelloRetryRequest was sent. */
  helloRetried = false;

  constructor(host: EngineHost, options: ServerEngineOptions) {
    super(host, options);
    this.#o = options;
    this.#context = options.context;
    if (!options.context.key || options.context.chain.length === 0) {
      throw new RangeError('a TLS server needs "cert" and "key"');
    }
  }

  protected handshakeMessage(type: number, body: Uint8Array, raw: Uint8Array): boolean {
    switch (this.#state) {
      case State.WaitClientHello:
      case State.WaitSecondClientHello:
        if (type !== HandshakeType.CLIENT_HELLO) throw unexpectedMessage(`expected ClientHello, got message ${type}`);
        return this.#clientHello(body, raw);
      case State.WaitCertificate:
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

  #clientHello(body: Uint8Array, raw: Uint8Array): boolean {
    const second = this.#state === State.WaitSecondClientHello;
    const ch = parseClientHello(body);
    this.ccsAllowed = true;
    const exts = ch.extensions;
    const sv = exts.get(ExtensionType.SUPPORTED_VERSIONS);
    if (!sv || !parseSupportedVersionsList(sv).includes(TLS13)) {
      throw fail(AlertDescription.PROTOCOL_VERSION, 'ClientHello: TLS 1.3 is not offered');
    }
    // §4.1.2: TLS 1.3 requires exactly the "null" compression method.
    if (ch.compressionMethods.length !== 1 || ch.compressionMethods[0] !== 0) {
      throw illegalParameter('ClientHello: legacy_compression_methods must be [null]');
    }
    // §4.2.11: pre_shared_key must be the last extension.
    const pskAt = exts.order.indexOf(ExtensionType.PRE_SHARED_KEY);
    if (pskAt >= 0 && pskAt !== exts.order.length - 1) throw illegalParameter('ClientHello: pre_shared_key is not last');

    // §9.2 and RFC 8998 §3.3.1.1: signature_algorithms, supported_groups and key_share.
    const sa = exts.get(ExtensionType.SIGNATURE_ALGORITHMS);
    if (!sa) throw fail(AlertDescription.MISSING_EXTENSION, 'ClientHello: no signature_algorithms');
    const schemes = parseU16List(sa, 'signature_algorithms');
    const sg = exts.get(ExtensionType.SUPPORTED_GROUPS);
    const ks = exts.get(ExtensionType.KEY_SHARE);
    if (!sg || !ks) throw fail(AlertDescription.MISSING_EXTENSION, 'ClientHello: supported_groups and key_share must both be present');
    const groups = parseU16List(sg, 'supported_groups');
    const shares = parseClientKeyShares(ks);
    const seen = new Set<number>();
    for (const s of shares) {
      if (!groups.includes(s.group)) throw illegalParameter(`ClientHello: key share for group ${s.group} not in supported_groups`);
      if (seen.has(s.group)) throw illegalParameter(`ClientHello: two key shares for group ${s.group}`);
      seen.add(s.group);
    }
    const sni = exts.get(ExtensionType.SERVER_NAME);
    const servername = sni ? parseServerName(sni) : undefined;
    const alpn = exts.get(ExtensionType.ALPN);
    const offeredAlpn = alpn ? parseAlpn(alpn) : undefined;
    const cookieExt = exts.get(ExtensionType.COOKIE);
    const cookie = cookieExt ? parseCookie(cookieExt) : undefined;

    const suite = this.#o.suites.find((s) => ch.cipherSuites.includes(s.id));
    if (!suite) throw fail(AlertDescription.HANDSHAKE_FAILURE, 'ClientHello: no ShangMi cipher suite in common');
    if (!schemes.includes(SIG_SM2SIG_SM3)) throw fail(AlertDescription.HANDSHAKE_FAILURE, 'ClientHello: sm2sig_sm3 not offered');
    if (!groups.includes(GROUP_CURVE_SM2)) throw fail(AlertDescription.HANDSHAKE_FAILURE, 'ClientHello: curveSM2 not offered');
    const share = shares.find((s) => s.group === GROUP_CURVE_SM2);

    // The SNI callback picks the credentials once, on the first ClientHello (it may answer
    // asynchronously: input waits meanwhile).
    if (!second && servername !== undefined && this.#o.selectContext) {
      const rest = () => this.#clientHelloRest(ch, raw, second, suite, share, servername, offeredAlpn, cookie);
      let inCall = true;
      let answered = false;
      let syncAnswer: [Error | null | undefined, SecureContext | undefined] | undefined;
      this.#o.selectContext(servername, (err, ctx) => {
        if (answered) return;
        answered = true;
        if (inCall) syncAnswer = [err, ctx];
        else if (!this.#destroyed) this.resume(() => {
          this.#useContext(servername, err, ctx);
          rest();
        });
      });
      inCall = false;
      if (syncAnswer) {
        this.#useContext(servername, syncAnswer[0], syncAnswer[1]);
        return rest();
      }
      this.suspend();
      return true;
    }
    return this.#clientHelloRest(ch, raw, second, suite, share, servername, offeredAlpn, cookie);
  }

  /** Applies the SNI callback's answer: an error refuses the name (RFC 6066 §3, RFC 8446 §6.2). */
  #useContext(servername: string, err: Error | null | undefined, ctx: SecureContext | undefined): void {
    if (err) throw fail(AlertDescription.UNRECOGNIZED_NAME, `SNICallback refused "${servername}": ${err.message}`, err);
    if (ctx === undefined || ctx === null) return;
    if (!(ctx instanceof SecureContext) || !ctx.key || ctx.chain.length === 0) {
      throw fail(AlertDescription.INTERNAL_ERROR, `SNICallback for "${servername}" gave no SecureContext with "cert" and "key"`);
    }
    this.#context = ctx;
  }

  #clientHelloRest(
    ch: ClientHello,
    raw: Uint8Array,
    second: boolean,
    suite: CipherSuiteInfo,
    share: KeyShareEntry | undefined,
    servername: string | undefined,
    offeredAlpn: string[] | undefined,
    cookie: Uint8Array | undefined,
  ): boolean {
    const exts = ch.extensions;
    if (second) {
      // §4.1.2: the second ClientHello repeats the first except for key_share, cookie, early_data.
      const f = this.#first!;
      if (!equalBytes(ch.random, f.random) || !equalBytes(ch.sessionId, f.sessionId)) {
        throw illegalParameter('second ClientHello: random or legacy_session_id changed');
      }
      if (suite.id !== f.suite) throw illegalParameter('second ClientHello: the selected cipher suite is no longer offered');
      if (f.cookie && (!cookie || !equalBytes(cookie, f.cookie))) throw illegalParameter('second ClientHello: cookie not echoed');
      if (!share) throw illegalParameter('second ClientHello: still no curveSM2 key share');
      if (exts.has(ExtensionType.EARLY_DATA)) throw illegalParameter('second ClientHello: early_data after HelloRetryRequest');
    } else if (!share || this.#o.forceHelloRetry) {
      this.#helloRetryRequest(ch, raw, suite, !share);
      return true;
    }
    const peer = readSm2Share(share!.keyExchange);

    this.suite = suite;
    this.clientRandom = ch.random.slice();
    this.servername = servername;
    if (offeredAlpn && this.#o.alpnProtocols?.length) {
      const chosen = this.#o.alpnProtocols.find((p) => offeredAlpn.includes(p));
      // RFC 7301 §3.2: no overlap is a no_application_protocol alert.
      if (chosen === undefined) throw fail(AlertDescription.NO_APPLICATION_PROTOCOL, 'ALPN: no protocol in common');
      this.alpnProtocol = chosen;
    }
    if (!second && exts.has(ExtensionType.EARLY_DATA)) this.skipEarlyData();
    this.transcript.update(raw);
    this.#respond(ch, peer, servername !== undefined);
    return true;
  }

  #helloRetryRequest(ch: ClientHello, raw: Uint8Array, suite: CipherSuiteInfo, needShare: boolean): void {
    const cookie = this.#o.forceHelloRetry ? randomBytes(32) : undefined;
    this.#first = { random: ch.random.slice(), sessionId: ch.sessionId.slice(), suite: suite.id, cookie };
    this.transcript.update(raw);
    this.transcript.restartWithMessageHash();
    const exts: [number, Uint8Array][] = [[ExtensionType.SUPPORTED_VERSIONS, encodeU16(TLS13)]];
    if (needShare) exts.push([ExtensionType.KEY_SHARE, encodeU16(GROUP_CURVE_SM2)]);
    if (cookie) exts.push([ExtensionType.COOKIE, encodeCookie(cookie)]);
    const hrr = this.out(encodeServerHello(HRR_RANDOM, ch.sessionId, suite.id, exts));
    this.transcript.update(hrr);
    this.sendHandshake(hrr);
    // Appendix D.4: a compatibility-mode client (non-empty session id) gets a ChangeCipherSpec.
    if (ch.sessionId.length > 0) {
      this.sendChangeCipherSpec();
      this.#ccsSent = true;
    }
    this.helloRetried = true;
    this.#state = State.WaitSecondClientHello;
  }

  /** ServerHello, [ChangeCipherSpec], EncryptedExtensions, [CertificateRequest], Certificate, CertificateVerify, Finished. */
  #respond(ch: ClientHello, peer: Sm2PublicKey, sniReceived: boolean): void {
    const ctx = this.#context;
    const eph = Sm2PrivateKey.generate({ consistencyTest: false });
    let shared: Uint8Array;
    try {
      shared = ecdh(eph, peer);
      const sh = this.out(
        encodeServerHello(randomBytes(32), ch.sessionId, this.suite!.id, [
          [ExtensionType.SUPPORTED_VERSIONS, encodeU16(TLS13)],
          [ExtensionType.KEY_SHARE, encodeServerKeyShare({ group: GROUP_CURVE_SM2, keyExchange: eph.publicKey.toBytes() })],
        ]),
      );
      this.transcript.update(sh);
      this.sendHandshake(sh);
    } finally {
      eph.destroy();
    }
    if (ch.sessionId.length > 0 && !this.#ccsSent) {
      this.sendChangeCipherSpec();
      this.#ccsSent = true;
    }
    const hs = handshakeSecrets(shared, this.transcript.hash());
    wipe(shared);
    this.#hsSecret = hs.handshakeSecret;
    this.#clientHs = hs.clientHandshakeTrafficSecret;
    const serverHs = hs.serverHandshakeTrafficSecret;
    this.host.keylog('CLIENT_HANDSHAKE_TRAFFIC_SECRET', this.#clientHs);
    this.host.keylog('SERVER_HANDSHAKE_TRAFFIC_SECRET', serverHs);
    this.setWriteKey(serverHs, false);
    this.setReadKey(this.#clientHs, false);

    const msgs: Uint8Array[] = [];
    const ee = new Writer(64);
    ee.block(2, (w) => {
      if (sniReceived) w.u16(ExtensionType.SERVER_NAME).u16(0);
      if (this.alpnProtocol !== false) w.u16(ExtensionType.ALPN).vec(2, encodeAlpn([this.alpnProtocol]));
    });
    msgs.push(handshakeMessage(HandshakeType.ENCRYPTED_EXTENSIONS, ee.finish()));
    if (this.#o.requestCert) {
      // RFC 8998 §3.3.2: signature_algorithms with sm2sig_sm3 only.
      msgs.push(
        encodeCertificateRequest(new Uint8Array(0), [[ExtensionType.SIGNATURE_ALGORITHMS, encodeU16List([SIG_SM2SIG_SM3])]]),
      );
    }
    msgs.push(encodeCertificateMessage(new Uint8Array(0), ctx.chainDer));
    for (let i = 0; i < msgs.length; i++) {
      msgs[i] = this.out(msgs[i]!);
      this.transcript.update(msgs[i]!);
    }
    const content = certificateVerifyContent(true, this.transcript.hash());
    const cv = this.out(encodeCertificateVerify(SIG_SM2SIG_SM3, ctx.key!.sign(content, { id: SM2_TLS13_ID })));
    this.transcript.update(cv);
    msgs.push(cv);
    const fin = this.out(handshakeMessage(HandshakeType.FINISHED, finishedVerifyData(serverHs, this.transcript.hash())));
    this.transcript.update(fin);
    msgs.push(fin);
    this.sendHandshake(...msgs);

    const app = applicationSecrets(this.#hsSecret, this.transcript.hash());
    wipe(app.masterSecret, serverHs);
    this.host.keylog('SERVER_TRAFFIC_SECRET_0', app.serverApplicationTrafficSecret);
    this.host.keylog('CLIENT_TRAFFIC_SECRET_0', app.clientApplicationTrafficSecret);
    this.host.keylog('EXPORTER_SECRET', app.exporterMasterSecret);
    this.setExporterSecret(app.exporterMasterSecret);
    this.setWriteKey(app.serverApplicationTrafficSecret, true);
    this.#clientApp = app.clientApplicationTrafficSecret;
    this.#state = this.#o.requestCert ? State.WaitCertificate : State.WaitFinished;
  }

  #certificate(body: Uint8Array, raw: Uint8Array): void {
    const msg = parseCertificateMessage(body);
    if (msg.context.length !== 0) throw illegalParameter('Certificate: certificate_request_context must be empty');
    for (const e of msg.entries) {
      if (e.extensions.size > 0) throw fail(AlertDescription.UNSUPPORTED_EXTENSION, 'CertificateEntry: unsolicited extension');
    }
    if (msg.entries.length === 0) {
      // RFC 8446 §4.4.2.4: without a certificate the server may abort with certificate_required.
      if (this.#o.rejectUnauthorized) {
        throw fail(AlertDescription.CERTIFICATE_REQUIRED, 'the client sent no certificate');
      }
      this.authorizationError = 'PEER_DID_NOT_RETURN_A_CERTIFICATE';
      this.transcript.update(raw);
      this.#state = State.WaitFinished;
      return;
    }
    // Trust anchors of the SNI-selected context, else those of the server.
    const ca = this.#context.ca.length > 0 ? this.#context.ca : this.#o.context.ca;
    const check = checkPeerChain(msg.entries.map((e) => e.data), ca, 'clientAuth');
    this.peerCertificates = check.certificates;
    this.#peerKey = check.publicKey;
    if (check.error) {
      if (this.#o.rejectUnauthorized) throw check.error;
      this.authorizationError = check.error.verifyCode ?? check.error.code;
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
    this.checkPeerFinished(body, raw, this.#clientHs!);
    this.setReadKey(this.#clientApp!, true);
    this.#clientApp = undefined;
    wipe(this.#hsSecret, this.#clientHs);
    this.#hsSecret = this.#clientHs = undefined;
    this.#state = State.Connected;
    this.connected = true;
    this.host.handshakeDone();
  }

  /**
   * Sends a NewSessionTicket (RFC 8446 §4.6.1) with an opaque random ticket. This server does
   * not resume sessions, so a client that offers the ticket later simply gets a full handshake;
   * the message exists to exercise clients.
   * @throws TlsError before the handshake completed
   */
  sendNewSessionTicket(): void {
    if (!this.connected || this.dead || this.writeClosed) {
      throw new TlsError('cannot send a ticket now', { code: 'ERR_TLS_INVALID_STATE' });
    }
    const age = randomBytes(4);
    const msg = encodeNewSessionTicket(
      7200,
      ((age[0]! << 24) | (age[1]! << 16) | (age[2]! << 8) | age[3]!) >>> 0,
      randomBytes(8),
      randomBytes(32),
    );
    this.sendHandshake(msg);
    this.flush();
  }

  /** The credentials in use (the SNI-selected ones once chosen). */
  get context(): SecureContext {
    return this.#context;
  }

  override destroy(): void {
    this.#destroyed = true;
    wipe(this.#hsSecret, this.#clientHs, this.#clientApp);
    super.destroy();
  }
}
