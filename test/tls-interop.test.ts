/**
 * guomi/tls against an independent TLS 1.3 / RFC 8998 implementation: BouncyCastle 1.72's TLS
 * engine through shared/peers/bc/run (see its README), in both directions, with both suites,
 * mutual authentication and (guomi client) HelloRetryRequest and middlebox mode. Three JVM
 * starts in all. Certificates are made by guomi/x509; BC validates them with its PKIX code.
 * (BC 1.72's client rejects a HelloRetryRequest that carries only a cookie, which RFC 8446
 * §4.1.4 allows, and always sends a curveSM2 share, so the server-side HRR is not exercised
 * against BC.)
 *
 * With GUOMI_REQUIRE_BC=1 (CI) a missing peer is a failed test, not a skipped suite. Tongsuo and
 * GmSSL are not installable from Debian or npm: they are run by hand with
 * scripts/interop-tls-peers.sh (docs/tls-interop.md).
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackendForTesting } from '../src/backend/select.js';
import { connect, createServer, type TLSSocket } from '../src/tls/index.js';
import { BACKENDS } from './backends.js';
import { CONFORMANCE_DIR } from './conformance.js';
import { close, listen, makePki, type Pki } from './tls-helpers.js';

const BC_RUN = join(CONFORMANCE_DIR, '..', 'peers', 'bc', 'run');
const BC_JARS = process.env['BC_JAVA_DIR'] ?? '/usr/share/java';
/** Why the BouncyCastle peer cannot run here, or undefined when it can. */
const bcMissing = !existsSync(BC_RUN)
  ? `no peer script at ${BC_RUN}`
  : !existsSync(join(BC_JARS, 'bctls.jar'))
    ? `no bctls.jar in ${BC_JARS} (Debian libbctls-java)`
    : spawnSync('javac', ['-version'], { stdio: 'ignore' }).status !== 0
      ? 'no javac (Debian default-jdk-headless)'
      : undefined;
const REQUIRE_BC = process.env['GUOMI_REQUIRE_BC'] === '1';

const dir = mkdtempSync(join(tmpdir(), 'guomi-tls-interop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

let pki: Pki;
let paths: Record<'ca' | 'serverChain' | 'serverKey' | 'clientChain' | 'clientKey' | 'serverLeaf' | 'clientLeaf', string>;

beforeAll(() => {
  useBackendForTesting(BACKENDS[0]!);
  pki = makePki();
  paths = {
    ca: file('ca.pem', pki.ca),
    serverChain: file('server-chain.pem', pki.server.cert),
    serverKey: file('server.key', pki.server.key),
    clientChain: file('client-chain.pem', pki.client.cert),
    clientKey: file('client.key', pki.client.key),
    serverLeaf: file('server-leaf.pem', pki.server.leaf.toPem()),
    clientLeaf: file('client-leaf.pem', pki.client.leaf.toPem()),
  };
});

interface Peer {
  out: string[];
  exit: Promise<number>;
  line(re: RegExp): Promise<RegExpMatchArray>;
}

/** Starts a peer process; its stdout lines are collected. */
function startPeer(cmd: string, args: string[], input?: string, endInputAfterMs = 0): Peer {
  const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: string[] = [];
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  let buf = '';
  const onText = (d: Buffer) => {
    buf += d.toString();
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      out.push(line);
      for (const w of [...waiters]) {
        const m = w.re.exec(line);
        if (m) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    }
  };
  p.stdout.on('data', onText);
  p.stderr.on('data', onText);
  if (input !== undefined) {
    p.stdin.write(input);
    setTimeout(() => p.stdin.end(), endInputAfterMs);
  }
  return {
    out,
    exit: once(p, 'exit').then(([code]) => code as number),
    line(re) {
      const hit = out.map((l) => re.exec(l)).find(Boolean);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve) => waiters.push({ re, resolve }));
    },
  };
}

/** Our client: connects, sends a line, resolves with the echo and the socket facts. */
function ourClient(port: number, opts: Record<string, unknown>): Promise<{ echo: string; suite: string; socket: TLSSocket }> {
  return new Promise((resolve, reject) => {
    const c = connect({ host: '127.0.0.1', servername: 'localhost', port, ca: pki.ca, ...opts }, () => {
      c.write('hello from guomi\n');
    });
    let echo = '';
    c.on('data', (d: Buffer) => {
      echo += d.toString();
      if (echo.endsWith('\n')) c.end();
    });
    c.on('close', () => resolve({ echo, suite: c.getCipher()?.name ?? '', socket: c }));
    c.on('error', reject);
  });
}

// Runs wherever the peer is usable, and always under GUOMI_REQUIRE_BC=1, where a missing peer fails.
describe.runIf(!bcMissing || REQUIRE_BC)('BouncyCastle 1.72 TLS 1.3 peer (shared/peers/bc)', { timeout: 60_000 }, () => {
  it('the peer is usable', () => {
    expect(bcMissing, 'GUOMI_REQUIRE_BC=1 but the BouncyCastle peer is missing').toBeUndefined();
  });

  it('guomi client → BC server: both suites, mutual authentication, HelloRetryRequest', async () => {
    const bc = startPeer(BC_RUN, [
      'tls', 'server', '--cert', paths.serverChain, '--key', paths.serverKey, '--port', '0', '--suite', 'both',
      '--verify-client', '--ca', paths.ca, '--accept', '3', '--timeout', '50',
    ]);
    const port = Number((await bc.line(/^listening [\d.]+:(\d+)/))[1]);
    const auth = { cert: pki.client.cert, key: pki.client.key };
    const gcm = await ourClient(port, { ...auth, ciphers: 'TLS_SM4_GCM_SM3' });
    expect(gcm).toMatchObject({ echo: 'hello from guomi\n', suite: 'TLS_SM4_GCM_SM3' });
    expect(gcm.socket.authorized).toBe(true);
    const ccm = await ourClient(port, { ...auth, ciphers: 'TLS_SM4_CCM_SM3' });
    expect(ccm).toMatchObject({ echo: 'hello from guomi\n', suite: 'TLS_SM4_CCM_SM3' });
    const hrr = await ourClient(port, { ...auth, initialKeyShare: false, middleboxCompat: true });
    expect(hrr.echo).toBe('hello from guomi\n');
    expect(await bc.exit, bc.out.join('\n')).toBe(0);
    const summary = bc.out.filter((l) => l.includes('handshake ok'));
    expect(summary).toHaveLength(3);
    expect(summary[0]).toMatch(/suite=TLS_SM4_GCM_SM3 group=curveSM2 peer_sigalg=sm2sig_sm3/);
    expect(summary[1]).toMatch(/suite=TLS_SM4_CCM_SM3/);
    expect(summary[0]).toMatch(/peer_cert="C=CN,O=guomi,CN=guomi client"/);
  });

  for (const suite of ['TLS_SM4_GCM_SM3', 'TLS_SM4_CCM_SM3']) {
    it(`BC client → guomi server: ${suite}, mutual authentication`, async () => {
      const accepted: TLSSocket[] = [];
      const server = createServer(
        {
          cert: pki.server.cert,
          key: pki.server.key,
          ca: pki.ca,
          requestCert: true,
          ciphers: suite,
        },
        (s) => {
          accepted.push(s);
          s.pipe(s);
        },
      );
      const errors: Error[] = [];
      server.on('tlsClientError', (e: Error) => errors.push(e));
      const port = await listen(server);
      const bc = startPeer(BC_RUN, [
        'tls', 'client', '--port', String(port), '--ca', paths.ca, '--cert', paths.clientChain, '--key', paths.clientKey,
        '--suite', 'both', '--message', 'hello from bc', '--expect', 'hello from bc', '--sni', 'localhost',
      ]);
      const code = await bc.exit;
      await close(server);
      expect(errors).toEqual([]);
      expect(code, bc.out.join('\n')).toBe(0);
      expect(bc.out.join('\n')).toMatch(new RegExp(`handshake ok .*suite=${suite} group=curveSM2 peer_sigalg=sm2sig_sm3`));
      expect(accepted).toHaveLength(1);
      expect(accepted[0]!.authorized).toBe(true);
      expect(accepted[0]!.servername).toBe('localhost');
      expect(accepted[0]!.getPeerCertificate().subject?.CN).toBe('guomi client');
    });
  }
});
