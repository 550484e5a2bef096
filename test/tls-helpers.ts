/**
 * Shared pieces of the guomi/tls suites: a certificate hierarchy made with guomi/x509, an
 * in-memory Duplex pair, a tampering proxy and small promise helpers.
 */
import { once } from 'node:events';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { Sm2PrivateKey } from '../src/sm2.js';
import { createCertificate, type Certificate } from '../src/x509/index.js';
import type { TLSServer } from '../src/tls/index.js';

/** One end-entity credential: chain PEM (leaf + intermediate) and key PEM. */
export interface Credential {
  cert: string;
  key: string;
  leaf: Certificate;
}

/** A test PKI: root → intermediate → leaves, plus an unrelated root and a few bad leaves. */
export interface Pki {
  ca: string;
  otherCa: string;
  server: Credential;
  client: Credential;
  expiredServer: Credential;
  untrustedServer: Credential;
  clientOnlyServer: Credential;
  untrustedClient: Credential;
}

function leaf(
  issuerKey: Sm2PrivateKey,
  issuer: Certificate,
  chainExtra: Certificate[],
  subject: string,
  opts: { eku: string[]; dns?: string[]; ip?: string[]; notBefore?: Date; notAfter?: Date },
): Credential {
  const key = Sm2PrivateKey.generate({ consistencyTest: false });
  const cert = createCertificate({
    signingKey: issuerKey,
    issuer,
    subject,
    publicKey: key.publicKey,
    extKeyUsage: opts.eku,
    ...(opts.dns || opts.ip ? { subjectAltName: { dns: opts.dns ?? [], ip: opts.ip ?? [] } } : {}),
    ...(opts.notBefore ? { notBefore: opts.notBefore } : {}),
    ...(opts.notAfter ? { notAfter: opts.notAfter } : {}),
  });
  return {
    cert: [cert, ...chainExtra].map((c) => c.toPem()).join(''),
    key: key.export() as string,
    leaf: cert,
  };
}

let cached: Pki | undefined;

/** The PKI (made once per test file). */
export function makePki(): Pki {
  if (cached) return cached;
  const rootKey = Sm2PrivateKey.generate({ consistencyTest: false });
  const root = createCertificate({ signingKey: rootKey, subject: 'CN=guomi test root,O=guomi,C=CN', ca: true, days: 30 });
  const subKey = Sm2PrivateKey.generate({ consistencyTest: false });
  const sub = createCertificate({
    signingKey: rootKey,
    issuer: root,
    subject: 'CN=guomi test sub CA,O=guomi,C=CN',
    publicKey: subKey.publicKey,
    ca: true,
    pathLength: 0,
    days: 30,
  });
  const otherKey = Sm2PrivateKey.generate({ consistencyTest: false });
  const other = createCertificate({ signingKey: otherKey, subject: 'CN=unrelated root,C=CN', ca: true, days: 30 });
  const web = { eku: ['serverAuth'], dns: ['localhost', 'sm.test'], ip: ['127.0.0.1'] };
  cached = {
    ca: root.toPem(),
    otherCa: other.toPem(),
    server: leaf(subKey, sub, [sub], 'CN=localhost,O=guomi,C=CN', web),
    client: leaf(subKey, sub, [sub], 'CN=guomi client,O=guomi,C=CN', { eku: ['clientAuth'] }),
    expiredServer: leaf(subKey, sub, [sub], 'CN=expired,C=CN', {
      ...web,
      notBefore: new Date(Date.now() - 10 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    }),
    untrustedServer: leaf(otherKey, other, [], 'CN=localhost,C=CN', web),
    clientOnlyServer: leaf(subKey, sub, [sub], 'CN=localhost,C=CN', { ...web, eku: ['clientAuth'] }),
    untrustedClient: leaf(otherKey, other, [], 'CN=stranger,C=CN', { eku: ['clientAuth'] }),
  };
  return cached;
}

/** Two connected in-memory Duplex streams: what one writes, the other reads. */
export function duplexPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (peer: () => Duplex) =>
    new Duplex({
      allowHalfOpen: true,
      read() {},
      write(chunk: Buffer, _enc, cb) {
        const p = peer();
        if (!p.destroyed) p.push(chunk);
        cb();
      },
      final(cb) {
        const p = peer();
        if (!p.destroyed) p.push(null);
        cb();
      },
    });
  ends.push(make(() => ends[1]!), make(() => ends[0]!));
  return [ends[0]!, ends[1]!];
}

/** Starts `server` on 127.0.0.1 and resolves to its port. */
export async function listen(server: TLSServer | net.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as net.AddressInfo).port;
}

/** Closes a server and waits for it. */
export function close(server: TLSServer | net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * A TCP proxy between a client and `port` that passes the client→server and server→client
 * bytes through `toServer` / `toClient` (which may alter or drop them).
 */
export async function proxy(
  port: number,
  hooks: { toServer?: (b: Buffer) => Buffer | null; toClient?: (b: Buffer) => Buffer | null },
): Promise<{ port: number; server: net.Server }> {
  const server = net.createServer({ allowHalfOpen: true }, (c) => {
    const s = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    c.on('data', (d) => {
      const out = hooks.toServer ? hooks.toServer(d) : d;
      if (out) s.write(out);
    });
    s.on('data', (d) => {
      const out = hooks.toClient ? hooks.toClient(d) : d;
      if (out) c.write(out);
    });
    c.on('end', () => s.end());
    s.on('end', () => c.end());
    c.on('error', () => s.destroy());
    s.on('error', () => c.destroy());
    c.on('close', () => s.destroy());
    s.on('close', () => c.destroy());
  });
  return { port: await listen(server), server };
}

/**
 * Splits a byte stream into TLS records (5-byte headers); `feed` returns the records that are
 * complete so far.
 */
export function recordSplitter(): (chunk: Buffer) => Buffer[] {
  let buf = Buffer.alloc(0);
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    const out: Buffer[] = [];
    while (buf.length >= 5) {
      const len = buf.readUInt16BE(3);
      if (buf.length < 5 + len) break;
      out.push(buf.subarray(0, 5 + len));
      buf = buf.subarray(5 + len);
    }
    return out;
  };
}
