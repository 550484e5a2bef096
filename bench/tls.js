#!/usr/bin/env node
// npm run bench:tls [-- [--seconds N] [--mib N] [--concurrency N] [--rounds N]]
//
// TLS 1.3 over loopback, guomi/tls (TLS_SM4_GCM_SM3 and TLS_SM4_CCM_SM3, curveSM2, SM2
// certificates) next to node:tls (TLS_AES_128_GCM_SHA256, X25519, an ECDSA P-256 certificate
// made with the openssl command), in the same run:
//
// - full handshakes per second, server side: the server runs in this process (one thread);
//   clients run in a child process (the other core) with N connections in flight, each
//   connecting, completing the handshake and closing. Reported: handshakes per wall-clock
//   second, and per CPU-second of the server process (the server's one-core capacity, even when
//   the client process is the bottleneck). Clients do not validate the chain (they still check
//   the CertificateVerify signature), to keep the load on the server.
// - bulk transfer: one connection in this process, the client writing M MiB to a server that
//   discards it; both ends' encryption and decryption run on this one thread, for both stacks.
//
// Run `npm run build` first (it reads dist/).
import { execFileSync, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodeTls from 'node:tls';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};

// ------------------------------------------------------------------------------------------
// Child mode: the handshake load generator.
if (args[0] === '--client') {
  const [, lib, port, seconds, concurrency] = args;
  const guomi = lib === 'guomi' ? await import('../dist/tls/index.js') : undefined;
  const deadline = Date.now() + Number(seconds) * 1000;
  let done = 0, failed = 0;
  const one = () =>
    new Promise((resolve) => {
      const opts = { host: '127.0.0.1', port: Number(port), rejectUnauthorized: false, servername: 'localhost' };
      const s = guomi ? guomi.connect(opts) : nodeTls.connect({ ...opts, minVersion: 'TLSv1.3', ciphers: 'TLS_AES_128_GCM_SHA256' });
      s.once('secureConnect', () => {
        // end(), not destroy(): the client Finished must reach the server (TLS 1.3 servers
        // complete their handshake on it).
        done++;
        s.end();
        s.resume();
        resolve();
      });
      s.once('error', () => {
        failed++;
        s.destroy();
        resolve();
      });
    });
  await Promise.all(
    Array.from({ length: Number(concurrency) }, async () => {
      while (Date.now() < deadline) await one();
    }),
  );
  process.send({ done, failed });
  process.exit(0);
}

// ------------------------------------------------------------------------------------------
const seconds = opt('seconds', 3);
const mib = opt('mib', 128);
const concurrency = opt('concurrency', 16);
const { connect, createServer } = await import('../dist/tls/index.js');
const { Sm2PrivateKey } = await import('../dist/sm2.js');
const { createCertificate } = await import('../dist/x509/index.js');
const { backendInfo } = await import('../dist/backend/select.js');

// SM2 credentials: root → leaf.
const rootKey = Sm2PrivateKey.generate();
const root = createCertificate({ signingKey: rootKey, subject: 'CN=bench root', ca: true, days: 1 });
const leafKey = Sm2PrivateKey.generate();
const leaf = createCertificate({
  signingKey: rootKey,
  issuer: root,
  subject: 'CN=localhost',
  publicKey: leafKey.publicKey,
  subjectAltName: { dns: ['localhost'] },
  days: 1,
});
const sm = { cert: leaf.toPem() + root.toPem(), key: leafKey.export(), ca: root.toPem() };

// P-256 credentials for node:tls, from the openssl command.
const dir = mkdtempSync(join(tmpdir(), 'guomi-bench-tls-'));
execFileSync('openssl', [
  'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=localhost',
  '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
], { stdio: 'ignore' });
const p256 = { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) };
rmSync(dir, { recursive: true, force: true });

function makeServer(lib, suite, onSocket) {
  if (lib === 'guomi') return createServer({ cert: sm.cert, key: sm.key, ciphers: suite }, onSocket);
  return nodeTls.createServer({ ...p256, minVersion: 'TLSv1.3', ciphers: 'TLS_AES_128_GCM_SHA256' }, onSocket);
}

async function listen(server) {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server.address().port;
}

async function handshakes(lib, suite) {
  let count = 0;
  const server = makeServer(lib, suite, (s) => {
    count++;
    s.on('error', () => {});
    s.resume();
  });
  server.on('tlsClientError', () => {});
  const port = await listen(server);
  const child = fork(fileURLToPath(import.meta.url), ['--client', lib, String(port), String(seconds), String(concurrency)]);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const [result] = await once(child, 'message');
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  server.close();
  return { perSecond: count / wall, perCpuSecond: count / cpuSeconds, cpuShare: cpuSeconds / wall, failed: result.failed };
}

async function bulk(lib, suite) {
  const total = mib << 20;
  let received = 0;
  let resolveDone;
  const done = new Promise((r) => (resolveDone = r));
  const server = makeServer(lib, suite, (s) => {
    s.on('data', (d) => {
      received += d.length;
      if (received >= total) resolveDone();
    });
  });
  const port = await listen(server);
  const client =
    lib === 'guomi'
      ? connect({ host: '127.0.0.1', port, servername: 'localhost', ca: sm.ca, ciphers: suite })
      : nodeTls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ciphers: 'TLS_AES_128_GCM_SHA256' });
  await once(client, 'secureConnect');
  const chunk = Buffer.alloc(1 << 16, 0x61);
  const t0 = process.hrtime.bigint();
  for (let sent = 0; sent < total; sent += chunk.length) {
    if (!client.write(chunk)) await once(client, 'drain');
  }
  await done;
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  client.destroy();
  server.close();
  return total / secs / 1e6;
}

const rounds = opt('rounds', 3);
const cases = [
  ['node:tls', 'TLS_AES_128_GCM_SHA256'],
  ['guomi', 'TLS_SM4_GCM_SM3'],
  ['guomi', 'TLS_SM4_CCM_SM3'],
];
console.log(`guomi/tls vs node:tls over loopback; guomi backend: ${backendInfo().backend}`);
console.log(
  `handshakes: ${seconds} s per measurement, ${concurrency} connections in flight from a child process; ` +
    `bulk: ${mib} MiB one way; ${rounds} rounds with the cases interleaved, best of each kept\n`,
);
// The cases alternate within each round, so that drifting machine load hits them alike; the best
// of the rounds is reported for each.
const rows = cases.map(([lib, suite]) => ({ lib, suite, perSecond: 0, perCpuSecond: 0, cpuShare: 0, failed: 0, mbps: 0 }));
for (let round = 0; round < rounds; round++) {
  for (const row of rows) {
    const hs = await handshakes(row.lib, row.suite);
    if (hs.perCpuSecond > row.perCpuSecond) Object.assign(row, hs);
    row.mbps = Math.max(row.mbps, await bulk(row.lib, row.suite));
  }
}
const base = rows[0];
const pad = (s, n) => String(s).padEnd(n);
const num = (v, n) => String(Math.round(v).toLocaleString('en-US')).padStart(n);
console.log(`${pad('stack', 10)} ${pad('suite', 24)} ${'hs/s'.padStart(8)} ${'hs/cpu-s'.padStart(9)} ${'server cpu'.padStart(10)} ${'ratio'.padStart(6)}   ${'bulk MB/s'.padStart(9)} ${'ratio'.padStart(6)}`);
for (const r of rows) {
  console.log(
    `${pad(r.lib, 10)} ${pad(r.suite, 24)} ${num(r.perSecond, 8)} ${num(r.perCpuSecond, 9)} ${`${Math.round(r.cpuShare * 100)}%`.padStart(10)} ${(r.perCpuSecond / base.perCpuSecond).toFixed(2).padStart(6)}   ${r.mbps.toFixed(1).padStart(9)} ${(r.mbps / base.mbps).toFixed(2).padStart(6)}${r.failed ? `  (${r.failed} failed)` : ''}`,
  );
}
process.exit(0);
