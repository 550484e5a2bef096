/**
 * guomi/tls end to end, client and server of this library against each other over TCP and
 * in-memory streams: both RFC 8998 suites, client authentication, HelloRetryRequest, KeyUpdate,
 * 64 MiB transfers, half and abrupt close, certificate and hostname failures, tampered and
 * oversized records, garbage and stalled handshakes, malformed ClientHellos, 200 concurrent
 * connections — each failure checked for the alert RFC 8446 §6.2 calls for.
 */
import { once } from 'node:events';
import crypto from 'node:crypto';
import net from 'node:net';
import nodeTls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackendForTesting } from '../src/backend/select.js';
import { sm3 } from '../src/sm3.js';
import {
  connect,
  createSecureContext,
  createServer,
  TLSSocket,
  TlsError,
  type ConnectionOptions,
  type TLSServer,
  type TlsServerOptions,
} from '../src/tls/index.js';
import { ServerEngine } from '../src/tls/server.js';
import { kEngine, type TLSSocketOptions } from '../src/tls/socket.js';
import { RecordCipher } from '../src/tls/record.js';
import { encodeClientHello, encodeClientKeyShares, encodeU16List, encodeServerName } from '../src/tls/messages.js';
import { Sm2PrivateKey } from '../src/sm2.js';
import { parseCertificate, parseCertificates } from '../src/x509/index.js';
import { BACKENDS, forEachBackend } from './backends.js';
import { close, duplexPair, listen, makePki, proxy, recordSplitter, type Pki } from './tls-helpers.js';
import { timeScale } from './time-scale.js';

let pki: Pki;

beforeAll(() => {
  useBackendForTesting(BACKENDS[0]!);
  pki = makePki();
});

interface Started {
  server: TLSServer;
  port: number;
  /** Server-side sockets after their handshake. */
  secure: TLSSocket[];
  /** Handshake failures on the server side. */
  clientErrors: Error[];
  nextSecure(): Promise<TLSSocket>;
  nextClientError(): Promise<Error>;
}

const servers: TLSServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => close(s)));
});

/** An echo server (unless `handler` says otherwise) on a free port. */
async function startServer(
  opts: Partial<TlsServerOptions & TLSSocketOptions> = {},
  handler: (s: TLSSocket) => void = (s) => {
    s.on('error', () => {});
    s.pipe(s);
  },
): Promise<Started> {
  const secure: TLSSocket[] = [];
  const clientErrors: Error[] = [];
  const server = createServer({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca, ...opts } as TlsServerOptions, (s) => {
    secure.push(s);
    handler(s);
  });
  server.on('tlsClientError', (e: Error) => clientErrors.push(e));
  servers.push(server);
  const port = await listen(server);
  return {
    server,
    port,
    secure,
    clientErrors,
    nextSecure: () => once(server, 'secureConnection').then((a) => a[0] as TLSSocket),
    nextClientError: () => once(server, 'tlsClientError').then((a) => a[0] as Error),
  };
}

function clientOptions(port: number, extra: Partial<ConnectionOptions & TLSSocketOptions> = {}): ConnectionOptions {
  return { host: 'localhost', port, ca: pki.ca, ...extra } as ConnectionOptions;
}

/** Connects and resolves once the handshake completed. */
function connectOk(port: number, extra: Partial<ConnectionOptions & TLSSocketOptions> = {}): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = connect(clientOptions(port, extra), () => resolve(s));
    s.once('error', reject);
  });
}

/** Connects, expecting the handshake to fail; resolves with the client's error. */
function connectFail(port: number, extra: Partial<ConnectionOptions & TLSSocketOptions> = {}): Promise<TlsError> {
  return new Promise((resolve, reject) => {
    const s = connect(clientOptions(port, extra), () => reject(new Error('handshake unexpectedly succeeded')));
    s.once('error', (e) => resolve(e as TlsError));
  });
}

/** Writes `data`, ends, and collects everything read until 'end'. */
async function roundTrip(s: TLSSocket, data: Buffer | string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  s.on('data', (d: Buffer) => chunks.push(d));
  const ended = once(s, 'end');
  s.end(data);
  await ended;
  return Buffer.concat(chunks);
}

/**
 * Connects, expecting an error after or instead of the client's own handshake completion (a
 * server rejects client credentials only after the client sent its Finished).
 */
function connectThenFail(port: number, extra: Partial<ConnectionOptions & TLSSocketOptions> = {}): Promise<TlsError> {
  return new Promise((resolve) => {
    const s = connect(clientOptions(port, extra));
    s.resume();
    s.once('error', (e) => resolve(e as TlsError));
  });
}

/** A raw TCP exchange: sends `bytes`, resolves with everything received until the server closes. */
function rawExchange(port: number, bytes: Uint8Array, endAfter = false): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const c = net.connect({ port, host: '127.0.0.1' }, () => {
      c.write(bytes);
      if (endAfter) c.end();
    });
    c.on('data', (d) => chunks.push(d));
    c.on('close', () => resolve(Buffer.concat(chunks)));
    c.on('error', reject);
  });
}

/** The bytes of a plaintext fatal alert. */
const alertRecord = (description: number) => Buffer.from([21, 3, 3, 0, 2, 2, description]);

/** A ClientHello with the given changes (defaults: both suites, curveSM2 share, sm2sig_sm3). */
function clientHello(change: {
  suites?: number[];
  versions?: number[] | null;
  groups?: number[] | null;
  sigalgs?: number[] | null;
  share?: Uint8Array | null;
  compression?: number[];
}): Uint8Array {
  const share = change.share === undefined ? Sm2PrivateKey.generate({ consistencyTest: false }).publicKey.toBytes() : change.share;
  const exts: [number, Uint8Array][] = [[0, encodeServerName('localhost')]];
  if (change.groups !== null) exts.push([10, encodeU16List(change.groups ?? [41])]);
  if (change.sigalgs !== null) exts.push([13, encodeU16List(change.sigalgs ?? [0x0708])]);
  if (change.versions !== null) {
    const v = change.versions ?? [0x0304];
    exts.push([43, Uint8Array.from([v.length * 2, ...v.flatMap((x) => [x >> 8, x & 0xff])])]);
  }
  if (share !== null) exts.push([51, encodeClientKeyShares([{ group: 41, keyExchange: share }])]);
  let ch = encodeClientHello({
    random: crypto.randomBytes(32),
    sessionId: new Uint8Array(0),
    cipherSuites: change.suites ?? [0x00c6, 0x00c7],
    extensions: exts,
  });
  if (change.compression) {
    // Rewrite legacy_compression_methods (after version, random, session id, suites).
    const body = Buffer.from(ch.subarray(4));
    const suitesLen = body.readUInt16BE(35);
    const at = 35 + 2 + suitesLen;
    const rest = body.subarray(at + 2);
    const nb = Buffer.concat([body.subarray(0, at), Buffer.from([change.compression.length, ...change.compression]), rest]);
    ch = Buffer.concat([Buffer.from([1, nb.length >> 16, (nb.length >> 8) & 0xff, nb.length & 0xff]), nb]);
  }
  return Buffer.concat([Buffer.from([22, 3, 1, ch.length >> 8, ch.length & 0xff]), ch]);
}

// ---------------------------------------------------------------------------------------------

forEachBackend((backend) => {
  describe('handshake and data', { timeout: 60_000 }, () => {
    beforeAll(() => {
      pki = makePki();
    });

    for (const suite of ['TLS_SM4_GCM_SM3', 'TLS_SM4_CCM_SM3'] as const) {
      it(`${suite}: connect, echo, and the node:tls-shaped socket API`, async () => {
        const srv = await startServer({ ciphers: suite, ALPNProtocols: ['h2', 'http/1.1'] });
        const lines: string[] = [];
        const serverSide = srv.nextSecure();
        const c = await connectOk(srv.port, { ALPNProtocols: ['http/1.1'] });
        const s = await serverSide;
        expect(c.getCipher()).toEqual({ name: suite, standardName: suite, version: 'TLSv1.3' });
        expect(c.getProtocol()).toBe('TLSv1.3');
        expect(c.authorized).toBe(true);
        expect(c.alpnProtocol).toBe('http/1.1');
        expect(s.alpnProtocol).toBe('http/1.1');
        expect(s.servername).toBe('localhost');
        expect(s.getCipher()?.name).toBe(suite);
        const peer = c.getPeerCertificate(true);
        expect(peer.subject?.CN).toBe('localhost');
        expect(peer.subjectaltname).toBe('DNS:localhost, DNS:sm.test, IP Address:127.0.0.1');
        expect(peer.raw?.equals(Buffer.from(pki.server.leaf.der))).toBe(true);
        expect(peer.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
        expect(peer.issuerCertificate?.subject.CN).toBe('guomi test sub CA');
        expect(c.exportKeyingMaterial(32, 'EXPERIMENTAL x', Buffer.from('c'))).toEqual(
          s.exportKeyingMaterial(32, 'EXPERIMENTAL x', Buffer.from('c')),
        );
        c.on('keylog', (l: Buffer) => lines.push(l.toString()));
        const payload = crypto.randomBytes(100_000);
        expect((await roundTrip(c, payload)).equals(payload)).toBe(true);
        expect(backend).toBeTruthy();
      });
    }

    it('client authentication: the server sees the verified client certificate', async () => {
      const srv = await startServer({ requestCert: true });
      const serverSide = srv.nextSecure();
      const c = await connectOk(srv.port, { cert: pki.client.cert, key: pki.client.key });
      const s = await serverSide;
      expect(s.authorized).toBe(true);
      expect(s.getPeerCertificate().subject?.CN).toBe('guomi client');
      expect((await roundTrip(c, 'hi')).toString()).toBe('hi');
    });

    it('works over any Duplex (an in-memory pair), with the key log in NSS format', async () => {
      const [a, b] = duplexPair();
      const server = new TLSSocket(b, { isServer: true, cert: pki.server.cert, key: pki.server.key });
      server.on('data', (d: Buffer) => server.write(d));
      server.on('end', () => server.end());
      const client = new TLSSocket(a, { host: 'localhost', ca: pki.ca });
      const lines: string[] = [];
      client.on('keylog', (l: Buffer) => lines.push(l.toString()));
      await once(client, 'secureConnect');
      expect((await roundTrip(client, 'over a pair')).toString()).toBe('over a pair');
      expect(lines.map((l) => l.split(' ')[0])).toEqual([
        'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
        'SERVER_HANDSHAKE_TRAFFIC_SECRET',
        'CLIENT_TRAFFIC_SECRET_0',
        'SERVER_TRAFFIC_SECRET_0',
        'EXPORTER_SECRET',
      ]);
      for (const l of lines) expect(l).toMatch(/^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]{64}\n$/);
    });
  });
});

const heavy = BACKENDS[0]!;

describe(`protocol features (${heavy} backend)`, { timeout: 30_000 * timeScale() }, () => {
  beforeAll(() => {
    useBackendForTesting(heavy);
  });

  it('HelloRetryRequest: forced with a cookie, and for a missing key share, with and without middlebox mode', async () => {
    const forced = await startServer({ forceHelloRetry: true });
    for (const middleboxCompat of [false, true]) {
      const side = forced.nextSecure();
      const c = await connectOk(forced.port, { middleboxCompat });
      const s = await side;
      expect((c[kEngine] as { helloRetried: boolean }).helloRetried).toBe(true);
      expect((s[kEngine] as ServerEngine).helloRetried).toBe(true);
      expect((await roundTrip(c, 'after HRR')).toString()).toBe('after HRR');
    }
    const plain = await startServer();
    const side = plain.nextSecure();
    const c = await connectOk(plain.port, { initialKeyShare: false, middleboxCompat: true });
    expect(((await side)[kEngine] as ServerEngine).helloRetried).toBe(true);
    expect((await roundTrip(c, 'group HRR')).toString()).toBe('group HRR');
  });

  it('KeyUpdate both ways, requested and not, and automatically after a record budget', async () => {
    const srv = await startServer();
    const side = srv.nextSecure();
    const c = await connectOk(srv.port, { keyUpdateAfterRecords: 3 });
    const s = await side;
    const echo = async (msg: string) => {
      const got = once(c, 'data');
      c.write(msg);
      expect(((await got)[0] as Buffer).toString()).toBe(msg);
    };
    await echo('before');
    c.keyUpdate(true);
    await echo('after client update');
    expect(c[kEngine].stats).toMatchObject({ keyUpdatesSent: 1, keyUpdatesReceived: 1 });
    expect(s[kEngine].stats).toMatchObject({ keyUpdatesSent: 1, keyUpdatesReceived: 1 });
    s.keyUpdate(false);
    await echo('after server update');
    expect(c[kEngine].stats.keyUpdatesReceived).toBe(2);
    // 3 records per key: ten writes force automatic updates.
    for (let i = 0; i < 10; i++) await echo(`record ${i}`);
    expect(c[kEngine].stats.keyUpdatesSent).toBeGreaterThanOrEqual(3);
    expect((await roundTrip(c, 'done')).toString()).toBe('done');
  });

  it('64 MiB each way, checked end to end with SM3', async () => {
    const srv = await startServer();
    const c = await connectOk(srv.port);
    const block = crypto.randomBytes(1 << 20);
    const total = 64;
    const sent = sm3.create();
    const received = sm3.create();
    let n = 0;
    c.on('data', (d: Buffer) => {
      received.update(d);
      n += d.length;
    });
    const ended = once(c, 'end');
    for (let i = 0; i < total; i++) {
      block[0] = i; // every MiB differs
      sent.update(block);
      if (!c.write(Buffer.from(block))) await once(c, 'drain');
    }
    c.end();
    await ended;
    expect(n).toBe(total << 20);
    expect(Buffer.from(received.digest()).toString('hex')).toBe(Buffer.from(sent.digest()).toString('hex'));
  });

  it('records on the wire never exceed 2^14 bytes of plaintext; setMaxSendFragment shrinks them', async () => {
    const srv = await startServer();
    const sizes: number[] = [];
    const split = recordSplitter();
    const px = await proxy(srv.port, {
      toServer: (b) => {
        for (const r of split(b)) sizes.push(r.length - 5);
        return b;
      },
    });
    const c = await connectOk(px.port);
    expect((await roundTrip(c, crypto.randomBytes(200_000))).length).toBe(200_000);
    expect(Math.max(...sizes)).toBe(16384 + 1 + 16);
    sizes.length = 0;
    const c2 = await connectOk(px.port);
    expect(c2.setMaxSendFragment(1000)).toBe(true);
    expect(c2.setMaxSendFragment(100)).toBe(false);
    await roundTrip(c2, crypto.randomBytes(10_000));
    expect(Math.max(...sizes.slice(3))).toBe(1000 + 1 + 16);
    await close(px.server);
  });

  it('half close: the server keeps writing after the client ended', async () => {
    const srv = await startServer({ allowHalfOpen: true }, (s) => {
      s.resume();
      s.on('end', () => {
        s.write('after your end');
        setTimeout(() => s.end(' and goodbye'), 20);
      });
    });
    const c = await connectOk(srv.port);
    const closed = once(c, 'close');
    const got = await roundTrip(c, 'bye');
    expect(got.toString()).toBe('after your end and goodbye');
    await closed;
  });

  it('abrupt close: without close_notify the stream just ends; before the handshake it is an error', async () => {
    const srv = await startServer({}, (s) => {
      s.on('error', () => {});
      setTimeout(() => s.transport.destroy(), 10);
    });
    const c = await connectOk(srv.port);
    const ended = once(c, 'end');
    const closed = once(c, 'close');
    c.resume();
    await ended;
    await closed;

    const silent = net.createServer((sock) => sock.once('data', () => sock.destroy()));
    const port = await listen(silent);
    const err = await connectFail(port);
    expect(err.code).toBe('ERR_TLS_CONNECTION_CLOSED');
    await close(silent);
  });

  it('a plaintext close_notify after the handshake (GmSSL 3.1.1) ends the stream without an error', async () => {
    const srv = await startServer({}, (s) => {
      s.on('error', () => {});
      setTimeout(() => s.transport.end(Buffer.from([21, 3, 3, 0, 2, 2, 0])), 10);
    });
    const c = await connectOk(srv.port);
    let failed: unknown;
    c.on('error', (e) => (failed = e));
    const ended = once(c, 'end');
    const closed = once(c, 'close');
    c.resume();
    await ended;
    await closed;
    expect(failed).toBeUndefined();
  });

  it('NewSessionTicket messages are accepted and dropped by the client', async () => {
    const srv = await startServer({}, (s) => {
      (s[kEngine] as ServerEngine).sendNewSessionTicket();
      (s[kEngine] as ServerEngine).sendNewSessionTicket();
      s.pipe(s);
    });
    const c = await connectOk(srv.port);
    expect((await roundTrip(c, 'ticket?')).toString()).toBe('ticket?');
    expect(c.ticketsReceived).toBe(2);
  });

  it('handshake messages split across many records and coalesced within one', async () => {
    const split = await startServer({ maxHandshakeFragment: 64 });
    const c1 = await connectOk(split.port, { maxHandshakeFragment: 40, cert: pki.client.cert, key: pki.client.key });
    expect((await roundTrip(c1, 'split')).toString()).toBe('split');
    const coalesced = await startServer({ handshakeFraming: 'coalesce', requestCert: true });
    const c2 = await connectOk(coalesced.port, { handshakeFraming: 'coalesce', cert: pki.client.cert, key: pki.client.key });
    expect((await roundTrip(c2, 'coalesced')).toString()).toBe('coalesced');
  });

  it('ALPN without overlap is a no_application_protocol alert; setTimeout emits timeout', async () => {
    const srv = await startServer({ ALPNProtocols: ['h2'] });
    const [err, serverErr] = await Promise.all([connectFail(srv.port, { ALPNProtocols: ['http/1.1'] }), srv.nextClientError()]);
    expect(err.code).toBe('ERR_TLS_ALERT_NO_APPLICATION_PROTOCOL');
    expect((serverErr as TlsError).code).toBe('ERR_TLS_NO_APPLICATION_PROTOCOL');
    const any = await startServer();
    const c = await connectOk(any.port);
    const t0 = Date.now();
    c.setTimeout(50);
    await once(c, 'timeout');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(40);
    c.setTimeout(0);
    c.destroy();
  });

  it('200 concurrent connections', async () => {
    const srv = await startServer();
    const results = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const c = await connectOk(srv.port);
        return (await roundTrip(c, `connection ${i}`)).toString();
      }),
    );
    results.forEach((r, i) => expect(r).toBe(`connection ${i}`));
    expect(srv.secure.length).toBe(200);
  });
});

describe('certificate and identity failures', { timeout: 30_000 }, () => {
  beforeAll(() => {
    useBackendForTesting(heavy);
  });

  const cases: [string, () => Partial<TlsServerOptions>, Partial<ConnectionOptions>, string, string, string][] = [
    ['expired', () => ({ cert: pki.expiredServer.cert, key: pki.expiredServer.key }), {}, 'ERR_TLS_CERTIFICATE_EXPIRED', 'CERT_HAS_EXPIRED', 'ERR_TLS_ALERT_CERTIFICATE_EXPIRED'],
    ['from an unknown CA', () => ({ cert: pki.untrustedServer.cert, key: pki.untrustedServer.key }), {}, 'ERR_TLS_UNKNOWN_CA', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_ALERT_UNKNOWN_CA'],
    ['without serverAuth', () => ({ cert: pki.clientOnlyServer.cert, key: pki.clientOnlyServer.key }), {}, 'ERR_TLS_UNSUPPORTED_CERTIFICATE', 'INVALID_PURPOSE', 'ERR_TLS_ALERT_UNSUPPORTED_CERTIFICATE'],
    ['for another host name', () => ({}), { servername: 'wrong.test' }, 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_TLS_ALERT_BAD_CERTIFICATE'],
    ['with no trust anchors', () => ({}), { ca: undefined }, 'ERR_TLS_UNKNOWN_CA', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_ALERT_UNKNOWN_CA'],
  ];
  for (const [what, serverOpts, clientOpts, code, verifyCode, serverCode] of cases) {
    it(`a server certificate ${what} is refused with the right alert, or accepted with rejectUnauthorized: false`, async () => {
      const srv = await startServer(serverOpts());
      const [err, serverErr] = await Promise.all([connectFail(srv.port, clientOpts), srv.nextClientError()]);
      expect(err).toBeInstanceOf(Error);
      expect(err.code).toBe(code);
      expect(err.verifyCode).toBe(verifyCode);
      expect((serverErr as TlsError).code).toBe(serverCode);
      const c = await connectOk(srv.port, { ...clientOpts, rejectUnauthorized: false });
      expect(c.authorized).toBe(false);
      expect(c.authorizationError).toBe(verifyCode);
      c.destroy();
    });
  }

  it('IP addresses are matched against IP SANs; checkServerIdentity can be replaced (node:tls one works too)', async () => {
    const srv = await startServer();
    const byIp = await connectOk(srv.port, { host: '127.0.0.1' });
    expect(byIp.authorized).toBe(true);
    byIp.destroy();
    const custom = await connectOk(srv.port, { servername: 'wrong.test', checkServerIdentity: () => undefined });
    expect(custom.authorized).toBe(true);
    custom.destroy();
    const viaNode = await connectOk(srv.port, { servername: 'sm.test', checkServerIdentity: nodeTls.checkServerIdentity as never });
    expect(viaNode.authorized).toBe(true);
    viaNode.destroy();
    const err = await connectFail(srv.port, { servername: 'nope.test', checkServerIdentity: nodeTls.checkServerIdentity as never });
    expect(err.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('client certificates: required but missing, untrusted, or optional', async () => {
    const required = await startServer({ requestCert: true });
    const [e1, s1] = await Promise.all([connectThenFail(required.port), required.nextClientError()]);
    expect(e1.code).toBe('ERR_TLS_ALERT_CERTIFICATE_REQUIRED');
    expect((s1 as TlsError).code).toBe('ERR_TLS_CERTIFICATE_REQUIRED');
    const [e2, s2] = await Promise.all([
      connectThenFail(required.port, { cert: pki.untrustedClient.cert, key: pki.untrustedClient.key }),
      required.nextClientError(),
    ]);
    expect(e2.code).toBe('ERR_TLS_ALERT_UNKNOWN_CA');
    expect((s2 as TlsError).code).toBe('ERR_TLS_UNKNOWN_CA');
    const optional = await startServer({ requestCert: true, rejectUnauthorized: false });
    const side = optional.nextSecure();
    const c = await connectOk(optional.port);
    const s = await side;
    expect(s.authorized).toBe(false);
    expect(s.authorizationError).toBe('PEER_DID_NOT_RETURN_A_CERTIFICATE');
    c.destroy();
  });

  it('a CertificateVerify with another signature scheme is an illegal_parameter; bad signatures and Finished are decrypt_error', async () => {
    const mutate = (type: number, f: (m: Buffer) => void) => (m: Uint8Array) => {
      if (m[0] !== type) return m;
      const b = Buffer.from(m);
      f(b);
      return b;
    };
    const wrongScheme = await startServer({ mutateHandshake: mutate(15, (b) => b.writeUInt16BE(0x0403, 4)) });
    const [e1, s1] = await Promise.all([connectFail(wrongScheme.port), wrongScheme.nextClientError()]);
    expect(e1.code).toBe('ERR_TLS_ILLEGAL_PARAMETER');
    expect((s1 as TlsError).code).toBe('ERR_TLS_ALERT_ILLEGAL_PARAMETER');
    const badSig = await startServer({ mutateHandshake: mutate(15, (b) => (b[b.length - 3]! ^= 1)) });
    expect((await connectFail(badSig.port)).code).toBe('ERR_TLS_DECRYPT_ERROR');
    const badFin = await startServer({ mutateHandshake: mutate(20, (b) => (b[10]! ^= 1)) });
    expect((await connectFail(badFin.port)).code).toBe('ERR_TLS_DECRYPT_ERROR');
    // The client side: a client CertificateVerify with rsa_pss_rsae_sha256.
    const auth = await startServer({ requestCert: true });
    const [e4, s4] = await Promise.all([
      connectThenFail(auth.port, { cert: pki.client.cert, key: pki.client.key, mutateHandshake: mutate(15, (b) => b.writeUInt16BE(0x0804, 4)) }),
      auth.nextClientError(),
    ]);
    expect(e4.code).toBe('ERR_TLS_ALERT_ILLEGAL_PARAMETER');
    expect((s4 as TlsError).code).toBe('ERR_TLS_ILLEGAL_PARAMETER');
  });

  it('credentials as guomi objects and Buffers: Certificate[], Sm2PrivateKey, DER and PEM Buffers', async () => {
    const chain = parseCertificates(pki.server.cert);
    const srv = await startServer({ cert: chain, key: Sm2PrivateKey.from(pki.server.key) });
    const c = await connectOk(srv.port, { ca: parseCertificate(pki.ca) });
    expect(c.authorized).toBe(true);
    c.destroy();
    const ctx = createSecureContext({ cert: chain.map((x) => Buffer.from(x.der)), key: Buffer.from(pki.server.key), ca: Buffer.from(pki.ca) });
    expect(ctx.chain).toHaveLength(2);
    expect(ctx.ca).toHaveLength(1);
    const viaCtx = await startServer({ secureContext: ctx });
    const c2 = await connectOk(viaCtx.port, { secureContext: createSecureContext({ ca: pki.ca }) });
    expect(c2.getCertificate()).toBeNull();
    expect((await roundTrip(c2, 'ctx')).toString()).toBe('ctx');
  });

  it('createSecureContext refuses a key that does not match the certificate', () => {
    expect(() => createSecureContext({ cert: pki.server.cert, key: pki.client.key })).toThrow(RangeError);
    expect(() => createServer({} as TlsServerOptions)).toThrow(RangeError);
    // A file name where PEM text belongs is an error naming the option, not an empty list.
    expect(() => createSecureContext({ ca: '/etc/guomi/ca.pem' })).toThrow(/"ca" holds no PEM certificate/);
    expect(() => createSecureContext({ ca: [pki.ca, 'ca.pem'] })).toThrow(/"ca\[1\]" holds no PEM certificate/);
    expect(() => createSecureContext({ cert: Buffer.from('server.pem'), key: pki.server.key })).toThrow(
      expect.objectContaining({ code: 'ERR_DECODE', message: expect.stringContaining('"cert"') }),
    );
  });
});

describe('records and malformed input', { timeout: 30_000 }, () => {
  beforeAll(() => {
    useBackendForTesting(heavy);
  });

  it('a tampered application record is a bad_record_mac and releases no plaintext', async () => {
    let serverData = 0;
    const srv = await startServer({}, (s) => {
      s.on('data', () => serverData++);
      s.on('error', () => {});
    });
    const split = recordSplitter();
    let count = 0;
    const px = await proxy(srv.port, {
      toServer: (b) => {
        const out: Buffer[] = [];
        for (const r of split(b)) {
          // CH, client Finished, then the first application record: flip one ciphertext bit.
          if (++count === 3) r[r.length - 20]! ^= 0x01;
          out.push(r);
        }
        return Buffer.concat(out);
      },
    });
    const c = await connectOk(px.port);
    const side = srv.secure.length ? Promise.resolve(srv.secure[srv.secure.length - 1]!) : srv.nextSecure();
    const s = await side;
    const serverErr = once(s, 'error');
    const clientErr = once(c, 'error');
    c.write('this record will be altered');
    expect(((await serverErr)[0] as TlsError).code).toBe('ERR_TLS_BAD_RECORD_MAC');
    expect(((await clientErr)[0] as TlsError).code).toBe('ERR_TLS_ALERT_BAD_RECORD_MAC');
    expect(serverData).toBe(0);
    await close(px.server);
  });

  it('a tampered handshake record is a bad_record_mac on the client', async () => {
    const srv = await startServer();
    const split = recordSplitter();
    let count = 0;
    const px = await proxy(srv.port, {
      toClient: (b) => Buffer.concat(split(b).map((r) => ((++count === 2 && (r[8]! ^= 0x80)), r))),
    });
    const [err, serverErr] = await Promise.all([connectFail(px.port), srv.nextClientError()]);
    expect(err.code).toBe('ERR_TLS_BAD_RECORD_MAC');
    expect((serverErr as TlsError).code).toBe('ERR_TLS_ALERT_BAD_RECORD_MAC');
    await close(px.server);
  });

  it('oversized records: a ciphertext over 2^14+256, a plaintext over 2^14, and a valid record whose plaintext exceeds 2^14+1', async () => {
    // Protected record too long (header checked before the body even arrives).
    const srv = await startServer({}, (s) => s.on('error', () => {}));
    const side = srv.nextSecure();
    const c = await connectOk(srv.port);
    const err = once(await side, 'error');
    c.on('error', () => {});
    (c.transport as net.Socket).write(Buffer.from([23, 3, 3, 0x41, 0x01]));
    expect(((await err)[0] as TlsError).code).toBe('ERR_TLS_RECORD_OVERFLOW');

    // Plaintext handshake record of 2^14 + 1 bytes instead of a ClientHello.
    const rec = Buffer.concat([Buffer.from([22, 3, 1, 0x40, 0x01]), Buffer.alloc(16385, 1)]);
    const [reply, serverErr] = await Promise.all([rawExchange(srv.port, rec), srv.nextClientError()]);
    expect(reply.equals(alertRecord(22))).toBe(true);
    expect((serverErr as TlsError).code).toBe('ERR_TLS_RECORD_OVERFLOW');

    // A correctly protected record carrying 2^14 + 2 bytes of inner plaintext.
    let secret: Buffer | undefined;
    const c2 = connect(clientOptions(srv.port));
    c2.on('keylog', (l: Buffer) => {
      const [label, , s] = l.toString().trim().split(' ');
      if (label === 'CLIENT_TRAFFIC_SECRET_0') secret = Buffer.from(s!, 'hex');
    });
    c2.on('error', () => {});
    const side2 = srv.nextSecure();
    await once(c2, 'secureConnect');
    const s2 = await side2;
    const err2 = once(s2, 'error');
    const forged = new RecordCipher('gcm', secret!).seal(23, Buffer.alloc(16385, 7));
    (c2.transport as net.Socket).write(forged);
    expect(((await err2)[0] as TlsError).code).toBe('ERR_TLS_RECORD_OVERFLOW');
  });

  it('forged records under the right key: KeyUpdate with request 2, no content type, ChangeCipherSpec after the handshake', async () => {
    const srv = await startServer({}, (s) => s.on('error', () => {}));
    const attempt = async (make: (rc: RecordCipher) => Buffer, code: string) => {
      let secret: Buffer | undefined;
      const c = connect(clientOptions(srv.port));
      c.on('keylog', (l: Buffer) => {
        const [label, , s] = l.toString().trim().split(' ');
        if (label === 'CLIENT_TRAFFIC_SECRET_0') secret = Buffer.from(s!, 'hex');
      });
      c.on('error', () => {});
      const side = srv.nextSecure();
      await once(c, 'secureConnect');
      const s = await side;
      const err = once(s, 'error');
      (c.transport as net.Socket).write(make(new RecordCipher('gcm', secret!)));
      expect(((await err)[0] as TlsError).code).toBe(code);
    };
    await attempt((rc) => Buffer.from(rc.seal(22, Buffer.from([24, 0, 0, 1, 2]))), 'ERR_TLS_ILLEGAL_PARAMETER');
    await attempt((rc) => Buffer.from(rc.seal(0, Buffer.alloc(0), 5)), 'ERR_TLS_UNEXPECTED_MESSAGE');
    await attempt(() => Buffer.from([20, 3, 3, 0, 1, 1]), 'ERR_TLS_UNEXPECTED_MESSAGE');
    await attempt((rc) => Buffer.from(rc.seal(22, Buffer.from([4, 0, 0, 0]))), 'ERR_TLS_UNEXPECTED_MESSAGE');
  });

  it('handshake messages in 1-byte records: a ClientHello is accepted; 256 KiB of them are read without quadratic copying', async () => {
    // A whole handshake with the client's messages in 1-byte records.
    const srv = await startServer();
    const c = await connectOk(srv.port, { maxHandshakeFragment: 1 });
    expect((await roundTrip(c, 'one byte at a time')).toString()).toBe('one byte at a time');

    // A ClientHello declaring 2^18 - 4 bytes of body, sent as 2^18 one-byte records (1.5 MB on
    // the wire): joining the fragments at each record would copy 2^35 bytes; read linearly it
    // is a prompt decode_error.
    const [a, b] = duplexPair();
    const server = new TLSSocket(b, { isServer: true, cert: pki.server.cert, key: pki.server.key });
    const failed = once(server, 'error');
    const total = 1 << 18;
    const msg = Buffer.alloc(total, 0xee);
    msg.set([1, (total - 4) >> 16, ((total - 4) >> 8) & 0xff, (total - 4) & 0xff]);
    const records = Buffer.alloc(total * 6);
    for (let i = 0; i < total; i++) records.set([22, 3, 3, 0, 1, msg[i]!], i * 6);
    const replies: Buffer[] = [];
    a.on('data', (d: Buffer) => replies.push(d));
    for (let off = 0; off < records.length; off += 1 << 16) a.write(records.subarray(off, off + (1 << 16)));
    const e = (await failed)[0] as TlsError;
    expect(e.code, `${e.message} ${(e.cause as Error)?.stack}`).toBe('ERR_TLS_DECODE_ERROR');
    expect(Buffer.concat(replies).equals(alertRecord(50))).toBe(true);
  });

  it('garbage instead of a ClientHello gets an unexpected_message or decode_error alert', async () => {
    const srv = await startServer();
    const [http, e1] = await Promise.all([rawExchange(srv.port, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')), srv.nextClientError()]);
    expect(http.equals(alertRecord(10))).toBe(true);
    expect((e1 as TlsError).code).toBe('ERR_TLS_UNEXPECTED_MESSAGE');
    const junk = Buffer.concat([Buffer.from([22, 3, 1, 0, 40, 1, 0, 0, 36]), crypto.randomBytes(36)]);
    const [reply, e2] = await Promise.all([rawExchange(srv.port, junk), srv.nextClientError()]);
    expect(reply.equals(alertRecord(50))).toBe(true);
    expect((e2 as TlsError).code).toBe('ERR_TLS_DECODE_ERROR');
    const [appData] = await Promise.all([rawExchange(srv.port, Buffer.from([23, 3, 3, 0, 3, 1, 2, 3])), srv.nextClientError()]);
    expect(appData.equals(alertRecord(10))).toBe(true);
  });

  it('malformed or unacceptable ClientHellos get the alert RFC 8446 names', async () => {
    const srv = await startServer();
    const check = async (bytes: Uint8Array, alert: number) => {
      const [reply, err] = await Promise.all([rawExchange(srv.port, bytes), srv.nextClientError()]);
      expect(reply.equals(alertRecord(alert)), `alert ${alert} got ${reply.toString('hex')} (${(err as Error).message})`).toBe(true);
    };
    await check(clientHello({ versions: null }), 70); // protocol_version
    await check(clientHello({ versions: [0x0303] }), 70);
    await check(clientHello({ suites: [0x1301, 0x1302] }), 40); // handshake_failure
    await check(clientHello({ sigalgs: [0x0403] }), 40);
    await check(clientHello({ sigalgs: null }), 109); // missing_extension
    await check(clientHello({ groups: null }), 109);
    await check(clientHello({ groups: [29] }), 47); // share for a group not in supported_groups
    await check(clientHello({ share: crypto.randomBytes(65) }), 47); // not a point
    await check(clientHello({ compression: [1, 0] }), 47);
    // A ClientHello whose extensions vector claims more bytes than the message holds.
    const ch = Buffer.from(clientHello({}));
    const cut = Buffer.from(ch.subarray(0, ch.length - 3));
    cut.writeUInt16BE(cut.readUInt16BE(3) - 3, 3);
    cut.writeUIntBE(cut.readUIntBE(6, 3) - 3, 6, 3);
    await check(cut, 50); // decode_error
  });

  it('a stalled handshake times out on both sides', async () => {
    const srv = await startServer({ handshakeTimeout: 200 });
    const c = net.connect({ port: srv.port, host: '127.0.0.1' });
    const closed = once(c, 'close');
    c.write(clientHello({}).subarray(0, 50));
    const err = (await srv.nextClientError()) as TlsError;
    expect(err.code).toBe('ERR_TLS_HANDSHAKE_TIMEOUT');
    await closed;

    const mute = net.createServer((sock) => sock.resume());
    const port = await listen(mute);
    const t0 = Date.now();
    const e = await connectFail(port, { handshakeTimeout: 200 });
    expect(e.code).toBe('ERR_TLS_HANDSHAKE_TIMEOUT');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    await close(mute);
  });

  it('an unsolicited ServerHello extension is an unsupported_extension', async () => {
    // A ServerHello with an extension the client never offered: unsupported_extension.
    const srv = await startServer({
      mutateHandshake: (m) => {
        if (m[0] !== 2) return m;
        const extra = Buffer.from([0x00, 0x23, 0x00, 0x00]); // session_ticket, never offered
        const body = Buffer.concat([Buffer.from(m.subarray(4)), extra]);
        const sidLen = body[34]!;
        const extAt = 35 + sidLen + 3;
        body.writeUInt16BE(body.readUInt16BE(extAt) + 4, extAt);
        return Buffer.concat([Buffer.from([2, 0, body.length >> 8, body.length & 0xff]), body]);
      },
    });
    const [err, serverErr] = await Promise.all([connectFail(srv.port), srv.nextClientError()]);
    expect(err.code).toBe('ERR_TLS_UNSUPPORTED_EXTENSION');
    expect((serverErr as TlsError).code).toBe('ERR_TLS_ALERT_UNSUPPORTED_EXTENSION');
  });
});
