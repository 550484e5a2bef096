/**
 * guomi/tls: server-side SNI (addContext and SNICallback, synchronous and asynchronous, with a
 * HelloRetryRequest in between), the middlebox ChangeCipherSpec as Tongsuo sends it (even to a
 * client with an empty legacy_session_id, toolchain.md C.4 #1) and where RFC 8446 §5 forbids
 * it, the server's 'keylog' event, and connect({ socket }) over an in-memory stream.
 */
import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackendForTesting } from '../src/backend/select.js';
import { Sm2PrivateKey } from '../src/sm2.js';
import { createCertificate } from '../src/x509/index.js';
import {
  connect,
  createSecureContext,
  createServer,
  TLSSocket,
  type ConnectionOptions,
  type TlsError,
  type TLSServer,
  type TlsServerOptions,
} from '../src/tls/index.js';
import { BACKENDS } from './backends.js';
import { close, duplexPair, listen, makePki, proxy, recordSplitter, type Pki } from './tls-helpers.js';

let pki: Pki;
/** A second, unrelated PKI: a root and a wildcard leaf for *.example.cn. */
let other: { ca: string; cert: string; key: string };
const servers: (TLSServer | net.Server)[] = [];

beforeAll(() => {
  useBackendForTesting(BACKENDS[0]!);
  pki = makePki();
  const rootKey = Sm2PrivateKey.generate({ consistencyTest: false });
  const root = createCertificate({ signingKey: rootKey, subject: 'CN=sni test root,C=CN', ca: true, days: 2 });
  const key = Sm2PrivateKey.generate({ consistencyTest: false });
  const leaf = createCertificate({
    signingKey: rootKey,
    issuer: root,
    subject: 'CN=*.example.cn,C=CN',
    publicKey: key.publicKey,
    subjectAltName: { dns: ['*.example.cn'] },
    extKeyUsage: ['serverAuth'],
    days: 2,
  });
  other = { ca: root.toPem(), cert: leaf.toPem(), key: key.export() as string };
});
afterAll(async () => {
  await Promise.all(servers.map((s) => close(s)));
});

async function echoServer(opts: Partial<TlsServerOptions> = {}): Promise<{ server: TLSServer; port: number; errors: Error[] }> {
  const errors: Error[] = [];
  const server = createServer({ cert: pki.server.cert, key: pki.server.key, ...opts }, (s) => {
    s.on('error', () => {});
    s.pipe(s);
  });
  server.on('tlsClientError', (e: Error) => errors.push(e));
  servers.push(server);
  return { server, port: await listen(server), errors };
}

/** Connects (both roots trusted), sends a line and resolves with the echo and the server's CN. */
function ask(port: number, extra: Partial<ConnectionOptions> = {}): Promise<{ echo: string; cn: unknown; socket: TLSSocket }> {
  return new Promise((resolve, reject) => {
    const c = connect({ host: '127.0.0.1', port, ca: [pki.ca, other.ca], ...extra });
    c.write('ping'); // queued until the handshake completes
    let echo = '';
    c.on('data', (d: Buffer) => {
      echo += d.toString();
      if (echo === 'ping') c.end();
    });
    c.on('end', () => resolve({ echo, cn: c.getPeerCertificate().subject?.['CN'], socket: c }));
    c.on('error', reject);
  });
}

function refused(port: number, extra: Partial<ConnectionOptions>): Promise<TlsError> {
  return new Promise((resolve, reject) => {
    const c = connect({ host: '127.0.0.1', port, ca: [pki.ca, other.ca], ...extra }, () => reject(new Error('handshake succeeded')));
    c.once('error', (e) => resolve(e as TlsError));
  });
}

describe('server-side SNI', { timeout: 30_000 }, () => {
  it('addContext: a wildcard name gets its own certificate; other names and no SNI get the default', async () => {
    const { server, port } = await echoServer();
    server.addContext('*.example.cn', { cert: other.cert, key: other.key });
    const hit = await ask(port, { servername: 'www.example.cn' });
    expect(hit).toMatchObject({ echo: 'ping', cn: '*.example.cn' });
    expect(hit.socket.authorized).toBe(true);
    expect((await ask(port, { servername: 'WWW.Example.CN' })).cn).toBe('*.example.cn');
    expect((await ask(port, { servername: 'localhost' })).cn).toBe('localhost');
    // One wildcard label only: a.b.example.cn falls back to the default (which does not match it).
    const deep = await ask(port, { servername: 'a.b.example.cn', rejectUnauthorized: false });
    expect(deep.cn).toBe('localhost');
    expect(deep.socket.authorizationError).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    // An IP address is never sent as SNI (RFC 6066 §3): the default certificate.
    expect((await ask(port, { host: '127.0.0.1' })).cn).toBe('localhost');
    // servername '' turns SNI off (as node:tls); the certificate is then checked against host.
    const served = once(server, 'secureConnection');
    const noSni = await ask(port, { host: 'localhost', servername: '' });
    expect(noSni.socket.authorized).toBe(true);
    expect(((await served)[0] as TLSSocket).servername).toBe(false);
    expect(() => server.addContext('x.test', { ca: pki.ca })).toThrow(RangeError);
  });

  it('SNICallback answering later, with a forced HelloRetryRequest; the server socket reports the chosen certificate', async () => {
    const names: string[] = [];
    const chosen: unknown[] = [];
    const ctx = createSecureContext({ cert: other.cert, key: other.key });
    const { server, port } = await echoServer({
      forceHelloRetry: true,
      SNICallback: (name, cb) => {
        names.push(name);
        setTimeout(() => cb(null, name.endsWith('.example.cn') ? ctx : undefined), 30);
      },
    });
    server.on('secureConnection', (s: TLSSocket) => chosen.push(s.getCertificate()?.subject['CN']));
    expect((await ask(port, { servername: 'api.example.cn' })).cn).toBe('*.example.cn');
    expect((await ask(port, { servername: 'localhost', middleboxCompat: true })).cn).toBe('localhost');
    // Asked once per connection although each connection sent two ClientHellos.
    expect(names).toEqual(['api.example.cn', 'localhost']);
    expect(chosen).toEqual(['*.example.cn', 'localhost']);
  });

  it('SNICallback errors refuse the name with unrecognized_name; bad contexts are an internal_error', async () => {
    const { port, errors } = await echoServer({
      SNICallback: (name, cb) => {
        if (name === 'bad.test') cb(null, { ca: pki.ca });
        else cb(new Error(`no such site ${name}`));
      },
    });
    const e1 = await refused(port, { servername: 'nobody.test' });
    expect(e1.code).toBe('ERR_TLS_ALERT_UNRECOGNIZED_NAME');
    const e2 = await refused(port, { servername: 'bad.test' });
    expect(e2.code).toBe('ERR_TLS_ALERT_INTERNAL_ERROR');
    await new Promise((r) => setTimeout(r, 20));
    expect(errors.map((e) => (e as TlsError).code)).toEqual(['ERR_TLS_UNRECOGNIZED_NAME', 'ERR_TLS_INTERNAL_ERROR']);
  });
});

/** A record proxy that inserts `extra` before the n-th record (1-based) in one direction. */
async function inserting(port: number, dir: 'toClient' | 'toServer', n: number, extra: Buffer) {
  const split = recordSplitter();
  let count = 0;
  const hook = (b: Buffer) =>
    Buffer.concat(split(b).flatMap((r) => (++count === n ? [extra, r] : [r])));
  const px = await proxy(port, { [dir]: hook });
  servers.push(px.server);
  return px.port;
}

const CCS = Buffer.from([20, 3, 3, 0, 1, 1]);

describe('middlebox ChangeCipherSpec (RFC 8446 §5, Appendix D.4)', { timeout: 30_000 }, () => {
  it('a client without middlebox mode ignores a CCS after ServerHello (as Tongsuo sends it)', async () => {
    const { port } = await echoServer();
    // Records to the client: ServerHello, then the encrypted flight; the CCS goes before record 2.
    const p = await inserting(port, 'toClient', 2, CCS);
    const r = await ask(p, { servername: 'localhost', middleboxCompat: false });
    expect(r.echo).toBe('ping');
  });

  it('a server ignores a CCS before the client Finished even with an empty session id', async () => {
    const { port } = await echoServer({ requestCert: true, ca: pki.ca });
    const p = await inserting(port, 'toServer', 2, CCS);
    const r = await ask(p, { servername: 'localhost', cert: pki.client.cert, key: pki.client.key });
    expect(r.echo).toBe('ping');
  });

  it('a CCS before the ClientHello, or with a value other than 1, is an unexpected_message', async () => {
    const { port, errors } = await echoServer();
    const early = await inserting(port, 'toServer', 1, CCS);
    await expect(refused(early, { servername: 'localhost' })).resolves.toMatchObject({ code: 'ERR_TLS_ALERT_UNEXPECTED_MESSAGE' });
    const wrong = await inserting(port, 'toServer', 2, Buffer.from([20, 3, 3, 0, 1, 2]));
    const e = await new Promise<TlsError>((resolve) => {
      const c = connect({ host: '127.0.0.1', port: wrong, ca: pki.ca, servername: 'localhost' });
      c.resume();
      c.once('error', (err) => resolve(err as TlsError));
    });
    expect(e.code).toBe('ERR_TLS_ALERT_UNEXPECTED_MESSAGE');
    await new Promise((r) => setTimeout(r, 20));
    expect(errors.map((x) => (x as TlsError).code)).toEqual(['ERR_TLS_UNEXPECTED_MESSAGE', 'ERR_TLS_UNEXPECTED_MESSAGE']);
  });
});

describe('key log and transports', { timeout: 30_000 }, () => {
  it("the server's 'keylog' event gives the same NSS lines as the client's, with the socket; X509Certificate views", async () => {
    const { server, port } = await echoServer();
    const serverLines: string[] = [];
    const sockets = new Set<unknown>();
    server.on('keylog', (line: Buffer, socket: TLSSocket) => {
      serverLines.push(line.toString());
      sockets.add(socket);
    });
    const clientLines: string[] = [];
    const c = connect({ host: 'localhost', port, ca: pki.ca });
    c.on('keylog', (l: Buffer) => clientLines.push(l.toString()));
    const served = once(server, 'secureConnection');
    await once(c, 'secureConnect');
    const [s] = (await served) as [TLSSocket];
    // node:crypto's X509Certificate views of both certificates.
    expect(c.getPeerX509Certificate()?.fingerprint256).toBe(c.getPeerCertificate().fingerprint256);
    expect(s.getX509Certificate()?.raw.equals(Buffer.from(pki.server.leaf.der))).toBe(true);
    expect(s.getPeerX509Certificate()).toBeUndefined();
    expect(c.getX509Certificate()).toBeUndefined();
    c.destroy();
    expect(clientLines).toHaveLength(5);
    expect([...serverLines].sort()).toEqual([...clientLines].sort());
    expect([...sockets]).toEqual([s]);
  });

  it('connect({ socket }) runs over any Duplex', async () => {
    const [a, b] = duplexPair();
    const server = new TLSSocket(b, { isServer: true, cert: pki.server.cert, key: pki.server.key });
    server.on('data', (d: Buffer) => server.end(d));
    const r = await new Promise<string>((resolve, reject) => {
      const c = connect({ socket: a, host: 'localhost', ca: pki.ca }, () => c.end('over a stream'));
      let got = '';
      c.on('data', (d: Buffer) => (got += d.toString()));
      c.on('end', () => resolve(got));
      c.on('error', reject);
    });
    expect(r).toBe('over a stream');
  });
});
