/**
 * The HTTP example (examples/http-over-guomi-tls.js), run as a user runs it: node:http served
 * over a guomi/tls server, and requests over guomi/tls connections (http.request with
 * createConnection, and a keep-alive http.Agent), in child processes on the built package.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makePki } from './tls-helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const example = join(root, 'examples', 'http-over-guomi-tls.js');
const dir = mkdtempSync(join(tmpdir(), 'guomi-tls-http-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples/http-over-guomi-tls.js', { timeout: 60_000 }, () => {
  it('the self-contained demo: one request per connection, then three over one keep-alive connection', () => {
    const r = spawnSync(process.execPath, [example], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    // The server handler read the cipher from its guomi/tls socket, the client from its own.
    expect(r.stdout).toContain(
      'GET /hello?x=1 -> 200 {"path":"/hello?x=1","cipher":"TLS_SM4_GCM_SM3","alpn":"http/1.1"} (client cipher TLS_SM4_GCM_SM3)',
    );
    for (const p of ['/a', '/b', '/c']) {
      expect(r.stdout).toContain(`agent GET ${p} -> 200 {"path":"${p}","cipher":"TLS_SM4_GCM_SM3","alpn":"http/1.1"}`);
    }
    expect(r.stdout).toContain('agent requests used 1 TLS connection(s)');
  });

  it('serve and get modes with certificate files', async () => {
    const pki = makePki();
    const cert = join(dir, 'server.pem'), key = join(dir, 'server.key'), ca = join(dir, 'ca.pem');
    writeFileSync(cert, pki.server.cert);
    writeFileSync(key, pki.server.key);
    writeFileSync(ca, pki.ca);
    const server = spawn(process.execPath, [example, 'serve', '0', cert, key], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [line] = (await once(server.stdout, 'data')) as [Buffer];
      const url = /https:\/\/127\.0\.0\.1:(\d+)/.exec(line.toString())![0];
      const client = spawn(process.execPath, [example, 'get', `${url}/x`, ca, 'localhost'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      client.stdout.on('data', (d: Buffer) => (out += d));
      const [code] = await once(client, 'exit');
      expect(code).toBe(0);
      expect(out).toBe('200 TLS_SM4_GCM_SM3\nhello over TLS_SM4_GCM_SM3\n\n');
    } finally {
      server.kill();
    }
  });
});
