/**
 * `guomi tls connect` and `guomi tls serve`, run as a user would (node dist/cli/main.js in child
 * processes): an echo and a file server, client authentication, the key log, and the exit
 * status of a refused handshake and of bad usage.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePki, type Pki } from './tls-helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'guomi-tls-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = (n: string) => join(dir, n);

let pki: Pki;
beforeAll(() => {
  pki = makePki();
  writeFileSync(path('ca.pem'), pki.ca);
  writeFileSync(path('other-ca.pem'), pki.otherCa);
  writeFileSync(path('server.pem'), pki.server.cert);
  writeFileSync(path('server.key'), pki.server.key);
  writeFileSync(path('client.pem'), pki.client.cert);
  writeFileSync(path('client.key'), pki.client.key);
  // The client key encrypted by node:crypto (PBES2, hmacWithSHA256, SM4-CBC).
  const enc = createPrivateKey(pki.client.key).export({ type: 'pkcs8', format: 'pem', cipher: 'sm4-cbc', passphrase: 'cli secret' });
  writeFileSync(path('client-enc.key'), enc);
  writeFileSync(path('pass.txt'), 'cli secret\n');
});

/** Starts `guomi tls serve` and resolves with the process and its port. */
async function serve(extra: string[]): Promise<{ proc: ChildProcess; port: number; stderr: () => string; exited: Promise<unknown[]> }> {
  const proc = spawn(process.execPath, [cli, 'tls', 'serve', '--cert', path('server.pem'), '--key', path('server.key'), '--port', '0', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  // Listen for 'exit' at once: a --once server may exit before the client process reports.
  const exited = once(proc, 'exit');
  proc.stderr!.on('data', (d: Buffer) => (err += d));
  const [line] = (await once(proc.stdout!, 'data')) as [Buffer];
  const port = Number(/listening 127\.0\.0\.1:(\d+)/.exec(line.toString())![1]);
  return { proc, port, stderr: () => err, exited };
}

/** Runs `guomi tls connect` to completion with `input` on standard input. */
function connectCli(port: number, input: string, extra: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [cli, 'tls', 'connect', `127.0.0.1:${port}`, '--servername', 'localhost', ...extra], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d));
    p.stderr.on('data', (d: Buffer) => (stderr += d));
    p.stdin.end(input);
    p.on('exit', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

describe('guomi tls', { timeout: 60_000 }, () => {
  it('serve --once echoes; connect copies stdin to the server and the reply to stdout', async () => {
    const s = await serve(['--once']);
    const keylog = path('keylog.txt');
    const r = await connectCli(s.port, 'hello over the CLI\n', ['--ca', path('ca.pem'), '--keylog', keylog]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('hello over the CLI\n');
    expect(r.stderr).toMatch(/protocol: TLSv1\.3, cipher: TLS_SM4_GCM_SM3/);
    expect(r.stderr).toMatch(/verification: OK/);
    expect(readFileSync(keylog, 'utf8').trim().split('\n').map((l) => l.split(' ')[0])).toEqual([
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0', 'EXPORTER_SECRET',
    ]);
    const [code] = await s.exited;
    expect(code).toBe(0);
  });

  it('serve --file with client authentication (an encrypted key and --pass-file) and CCM', async () => {
    writeFileSync(path('payload.bin'), Buffer.alloc(100_000, 'x'));
    const s = await serve(['--once', '--file', path('payload.bin'), '--ca', path('ca.pem'), '--request-cert', '--ciphers', 'TLS_SM4_CCM_SM3']);
    const r = await connectCli(s.port, '', [
      '--ca', path('ca.pem'), '--cert', path('client.pem'), '--key', path('client-enc.key'), '--pass-file', path('pass.txt'),
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.length).toBe(100_000);
    expect(r.stderr).toMatch(/cipher: TLS_SM4_CCM_SM3/);
    await s.exited;
    expect(s.stderr()).toMatch(/peer certificate: C=CN, O=guomi, CN=guomi client\nverification: OK/);
  });

  it('a refused handshake exits 1 with the alert; bad usage exits 2', async () => {
    const s = await serve([]);
    try {
      const r = await connectCli(s.port, '', ['--ca', path('other-ca.pem')]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/ERR_TLS_UNKNOWN_CA/);
      const insecure = await connectCli(s.port, 'x', ['--ca', path('other-ca.pem'), '--insecure']);
      expect(insecure.status).toBe(0);
      expect(insecure.stderr).toMatch(/verification: FAILED \(UNABLE_TO_GET_ISSUER_CERT_LOCALLY\)/);
    } finally {
      s.proc.kill();
    }
    const usage = spawnSync(process.execPath, [cli, 'tls', 'connect', 'nohostport'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    const noCert = spawnSync(process.execPath, [cli, 'tls', 'serve'], { encoding: 'utf8' });
    expect(noCert.status).toBe(2);
    expect(noCert.stderr).toMatch(/--cert and --key/);
    const noPass = spawnSync(process.execPath, [cli, 'tls', 'connect', '127.0.0.1:1', '--cert', path('client.pem'), '--key', path('client-enc.key')], {
      encoding: 'utf8',
    });
    expect(noPass.status).toBe(2);
    expect(noPass.stderr).toMatch(/passphrase/);
  });
});
