/**
 * The client's alert for each malformed or illegal server flight (RFC 8446 §4.1.3, §4.1.4,
 * §4.2, §4.3, §4.4, §6.2; RFC 7301 §3.2): a guomi server rewrites one of its handshake
 * messages (before it enters its transcript, so only the rule under test is broken) and the
 * client must refuse it with the alert the RFC names; the server must receive that alert.
 */
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackendForTesting } from '../src/backend/select.js';
import { Writer, handshakeMessage } from '../src/tls/codec.js';
import { connect, createServer, type TlsError, type TLSServer } from '../src/tls/index.js';
import {
  encodeAlpn,
  encodeCertificateMessage,
  encodeCertificateRequest,
  encodeServerHello,
  encodeServerKeyShare,
  encodeU16,
  encodeClientHello,
  parseCertificateRequest,
  parseClientHello,
  parseServerHello,
  writeExtensions,
  type ServerHello,
} from '../src/tls/messages.js';
import { BACKENDS } from './backends.js';
import { close, listen, makePki, type Pki } from './tls-helpers.js';

let pki: Pki;
const servers: TLSServer[] = [];
beforeAll(() => {
  useBackendForTesting(BACKENDS[0]!);
  pki = makePki();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => close(s)));
});

/** A ServerHello (or HelloRetryRequest) rebuilt after `change` edited its fields. */
function rewriteHello(m: Uint8Array, change: (sh: ServerHello, exts: [number, Uint8Array][]) => [number, Uint8Array][] | void): Uint8Array {
  const sh = parseServerHello(m.subarray(4));
  let exts: [number, Uint8Array][] = sh.extensions.order.map((t) => [t, sh.extensions.get(t)!]);
  exts = change(sh, exts) ?? exts;
  return encodeServerHello(sh.random, sh.sessionId, sh.cipherSuite, exts);
}

const HRR = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');
const isHrr = (m: Uint8Array) => m[0] === 2 && HRR.equals(m.subarray(6, 38));
const onServerHello = (f: (m: Uint8Array) => Uint8Array) => (m: Uint8Array) => (m[0] === 2 && !isHrr(m) ? f(m) : m);
const onHrr = (f: (m: Uint8Array) => Uint8Array) => (m: Uint8Array) => (isHrr(m) ? f(m) : m);
const on = (type: number, f: (m: Uint8Array) => Uint8Array) => (m: Uint8Array) => (m[0] === type ? f(m) : m);

/** EncryptedExtensions with the given extensions. */
const ee = (exts: [number, Uint8Array][]) => {
  const w = new Writer(64);
  writeExtensions(w, exts);
  return handshakeMessage(8, w.finish());
};

interface Case {
  what: string;
  server?: Record<string, unknown>;
  client?: Record<string, unknown>;
  mutate: (m: Uint8Array) => Uint8Array;
  alert: string;
}

const cases: Case[] = [
  {
    what: 'ServerHello selects a suite the client did not offer',
    mutate: onServerHello((m) => rewriteHello(m, (sh) => void (sh.cipherSuite = 0x1301))),
    alert: 'ILLEGAL_PARAMETER',
  },
  {
    what: 'ServerHello for TLS 1.2 with the downgrade sentinel (§4.1.3)',
    mutate: onServerHello((m) =>
      rewriteHello(m, (sh, exts) => {
        sh.random.set([0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01], 24);
        return exts.filter(([t]) => t !== 43);
      }),
    ),
    alert: 'ILLEGAL_PARAMETER',
  },
  {
    what: 'ServerHello for TLS 1.2 without the sentinel',
    mutate: onServerHello((m) => rewriteHello(m, (_sh, exts) => exts.filter(([t]) => t !== 43))),
    alert: 'PROTOCOL_VERSION',
  },
  {
    what: 'supported_versions selecting 0x0303',
    mutate: onServerHello((m) => rewriteHello(m, (_sh, exts) => exts.map(([t, d]) => [t, t === 43 ? encodeU16(0x0303) : d]))),
    alert: 'ILLEGAL_PARAMETER',
  },
  {
    what: 'ServerHello without key_share',
    mutate: onServerHello((m) => rewriteHello(m, (_sh, exts) => exts.filter(([t]) => t !== 51))),
    alert: 'MISSING_EXTENSION',
  },
  {
    what: 'a key share that is not a curveSM2 point',
    mutate: onServerHello((m) =>
      rewriteHello(m, (_sh, exts) => exts.map(([t, d]) => [t, t === 51 ? encodeServerKeyShare({ group: 41, keyExchange: new Uint8Array(65).fill(4) }) : d])),
    ),
    alert: 'ILLEGAL_PARAMETER',
  },
  {
    what: 'a key share for a group that was not offered (x25519)',
    mutate: onServerHello((m) =>
      rewriteHello(m, (_sh, exts) => exts.map(([t, d]) => [t, t === 51 ? encodeServerKeyShare({ group: 29, keyExchange: new Uint8Array(32).fill(9) }) : d])),
    ),
    alert: 'ILLEGAL_PARAMETER',
  },
  {
    what: 'legacy_session_id_echo differs from the client session id',
    client: { middleboxCompat: true },
    mutate: onServerHello((m) => rewriteHello(m, (sh) => void sh.sessionId.fill(7))),
    alert: 'ILLEGAL_PARAMETER',
  },
  {
    what: 'a HelloRetryRequest that would not change the ClientHello (cookie removed)',
    server: { forceHelloRetry: true },
    mutate: onHrr((m) => rewriteHello(m, (_sh, exts) => exts.filter(([t]) => t !== 44))),
    alert: 'ILLEGAL_PARAMETER',
  },
  {
    what: 'a HelloRetryRequest asking for a group that was not offered',
    client: { initialKeyShare: false },
    mutate: onHrr((m) => rewriteHello(m, (_sh, exts) => exts.map(([t, d]) => [t, t === 51 ? encodeU16(29) : d]))),
    alert: 'ILLEGAL_PARAMETER',
  },
  {
    what: 'a HelloRetryRequest asking for the key share the client already sent',
    server: { forceHelloRetry: true },
    mutate: onHrr((m) => rewriteHello(m, (_sh, exts) => [...exts, [51, encodeU16(41)]])),
    alert: 'ILLEGAL_PARAMETER',
  },
  {
    what: 'EncryptedExtensions carrying supported_versions (not allowed there)',
    mutate: on(8, () => ee([[43, encodeU16(0x0304)]])),
    alert: 'ILLEGAL_PARAMETER',
  },
  {
    what: 'EncryptedExtensions with an extension the client never sent',
    mutate: on(8, () => ee([[0xff01, Uint8Array.of(0)]])),
    alert: 'UNSUPPORTED_EXTENSION',
  },
  {
    what: 'ALPN naming a protocol the client did not offer (RFC 7301 §3.2)',
    client: { ALPNProtocols: ['http/1.1'] },
    mutate: on(8, () => ee([[16, encodeAlpn(['h2'])]])),
    alert: 'ILLEGAL_PARAMETER',
  },
  {
    what: 'an empty server Certificate (§4.4.2.4)',
    mutate: on(11, () => encodeCertificateMessage(new Uint8Array(0), [])),
    alert: 'DECODE_ERROR',
  },
  {
    what: 'a server Certificate that is not X.509',
    mutate: on(11, () => encodeCertificateMessage(new Uint8Array(0), [Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00)])),
    alert: 'BAD_CERTIFICATE',
  },
  {
    what: 'a server certificate_request_context that is not empty',
    mutate: on(11, (m) => {
      const b = Buffer.from(m);
      return encodeCertificateMessage(Uint8Array.of(1), [b.subarray(11, 11 + b.readUIntBE(8, 3))]);
    }),
    alert: 'ILLEGAL_PARAMETER',
  },
  {
    what: 'a CertificateRequest with a context during the handshake',
    server: { requestCert: true },
    mutate: on(13, (m) => {
      const cr = parseCertificateRequest(m.subarray(4));
      return encodeCertificateRequest(Uint8Array.of(5), cr.extensions.order.map((t) => [t, cr.extensions.get(t)!]));
    }),
    alert: 'ILLEGAL_PARAMETER',
  },
  {
    what: 'a CertificateRequest without signature_algorithms',
    server: { requestCert: true },
    mutate: on(13, () => encodeCertificateRequest(new Uint8Array(0), [])),
    alert: 'MISSING_EXTENSION',
  },
  {
    what: 'a Finished of the wrong length',
    mutate: on(20, (m) => handshakeMessage(20, m.subarray(4, 20))),
    alert: 'DECODE_ERROR',
  },
  {
    what: 'a handshake message of an unexpected type (a second ServerHello instead of EncryptedExtensions)',
    mutate: on(8, () => encodeServerHello(new Uint8Array(32).fill(1), new Uint8Array(0), 0xc6, [[43, encodeU16(0x0304)]])),
    alert: 'UNEXPECTED_MESSAGE',
  },
];

describe('the client refuses each illegal server flight with the alert RFC 8446 names', { timeout: 30_000 }, () => {
  for (const c of cases) {
    it(`${c.what}: ${c.alert.toLowerCase()}`, async () => {
      const server = createServer({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca, mutateHandshake: c.mutate, ...c.server } as never);
      servers.push(server);
      const serverErr = once(server, 'tlsClientError');
      const port = await listen(server);
      const err = await new Promise<TlsError>((resolve, reject) => {
        const s = connect({ host: 'localhost', port, ca: pki.ca, cert: pki.client.cert, key: pki.client.key, ...c.client } as never, () =>
          reject(new Error('handshake succeeded')),
        );
        s.once('error', (e) => resolve(e as TlsError));
      });
      expect(err.code, err.message).toBe(`ERR_TLS_${c.alert}`);
      expect(((await serverErr)[0] as TlsError).code).toBe(`ERR_TLS_ALERT_${c.alert}`);
    });
  }

});

/** A ClientHello rebuilt after `change` edited its fields and extensions. */
function rewriteClientHello(m: Uint8Array, change: (random: Uint8Array, exts: [number, Uint8Array][]) => [number, Uint8Array][] | void): Uint8Array {
  const ch = parseClientHello(m.subarray(4));
  let exts: [number, Uint8Array][] = ch.extensions.order.map((t) => [t, ch.extensions.get(t)!]);
  exts = change(ch.random, exts) ?? exts;
  return encodeClientHello({ random: ch.random, sessionId: ch.sessionId, cipherSuites: ch.cipherSuites, extensions: exts });
}

/** Mutates the n-th (1-based) handshake message of `type` the client sends. */
function nth(type: number, n: number, f: (m: Uint8Array) => Uint8Array): (m: Uint8Array) => Uint8Array {
  let seen = 0;
  return (m) => (m[0] === type && ++seen === n ? f(m) : m);
}

const serverCases: Case[] = [
  {
    what: 'a second ClientHello with another random (§4.1.2)',
    server: { forceHelloRetry: true },
    mutate: nth(1, 2, (m) => rewriteClientHello(m, (random) => void random.fill(3))),
    alert: 'ILLEGAL_PARAMETER',
  },
  {
    what: 'a second ClientHello that drops the cookie (§4.2.2)',
    server: { forceHelloRetry: true },
    mutate: nth(1, 2, (m) => rewriteClientHello(m, (_r, exts) => exts.filter(([t]) => t !== 44))),
    alert: 'ILLEGAL_PARAMETER',
  },
  {
    what: 'a ClientHello whose pre_shared_key is not the last extension (§4.2.11)',
    mutate: nth(1, 1, (m) => rewriteClientHello(m, (_r, exts) => [[41, Uint8Array.of(0, 0, 0, 0)], ...exts])),
    alert: 'ILLEGAL_PARAMETER',
  },
  {
    what: 'two key shares for curveSM2 (§4.2.8)',
    mutate: nth(1, 1, (m) =>
      rewriteClientHello(m, (_r, exts) =>
        exts.map(([t, d]) => {
          if (t !== 51) return [t, d];
          const one = d.subarray(2);
          const both = new Uint8Array(2 + one.length * 2);
          both.set([(one.length * 2) >> 8, (one.length * 2) & 0xff]);
          both.set(one, 2);
          both.set(one, 2 + one.length);
          return [t, both];
        }),
      ),
    ),
    alert: 'ILLEGAL_PARAMETER',
  },
  {
    what: 'a client certificate_request_context that is not empty',
    server: { requestCert: true },
    mutate: on(11, (m) => {
      const b = Buffer.from(m);
      return encodeCertificateMessage(Uint8Array.of(1), [b.subarray(11, 11 + b.readUIntBE(8, 3))]);
    }),
    alert: 'ILLEGAL_PARAMETER',
  },
  {
    what: 'a client CertificateVerify whose signature does not verify',
    server: { requestCert: true },
    mutate: on(15, (m) => {
      const b = Buffer.from(m);
      b[b.length - 3]! ^= 1;
      return b;
    }),
    alert: 'DECRYPT_ERROR',
  },
  {
    what: 'a client Finished with the wrong verify_data',
    mutate: on(20, (m) => {
      const b = Buffer.from(m);
      b[8]! ^= 1;
      return b;
    }),
    alert: 'DECRYPT_ERROR',
  },
];

describe('the server refuses each illegal client flight with the alert RFC 8446 names', { timeout: 30_000 }, () => {
  for (const c of serverCases) {
    it(`${c.what}: ${c.alert.toLowerCase()}`, async () => {
      const server = createServer({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca, ...c.server } as never);
      servers.push(server);
      const serverErr = once(server, 'tlsClientError');
      const port = await listen(server);
      // The client may complete its side first (its Finished is its last message).
      const err = await new Promise<TlsError>((resolve) => {
        const s = connect({ host: 'localhost', port, ca: pki.ca, cert: pki.client.cert, key: pki.client.key, mutateHandshake: c.mutate } as never);
        s.resume();
        s.once('error', (e) => resolve(e as TlsError));
      });
      expect(((await serverErr)[0] as TlsError).code).toBe(`ERR_TLS_${c.alert}`);
      expect(err.code, err.message).toBe(`ERR_TLS_ALERT_${c.alert}`);
    });
  }
});
