/**
 * `guomi x509 show | verify | req | sign`, run as a user would (`node dist/cli/main.js …` in child
 * processes). OpenSSL checks the requests and certificates the command writes; the corpus gives
 * the expected subjects, fingerprints and chain verdicts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFORMANCE_DIR, HAVE_CONFORMANCE } from './conformance.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'guomi-x509-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const p = (name: string): string => join(dir, name);
const certs = (name: string): string => join(CONFORMANCE_DIR, 'certs', name);

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, 'x509', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const haveOpenssl = (() => {
  try {
    return /^OpenSSL 3\./.test(execFileSync('openssl', ['version'], { encoding: 'utf8' }));
  } catch {
    return false;
  }
})();

describe('guomi x509', () => {
  it.runIf(HAVE_CONFORMANCE)('show prints the fields (text and JSON) of a real certificate', () => {
    const file = certs('real-ebssec.boc.cn-sign.pem');
    const der = Buffer.from(readFileSync(file, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const r = run(['show', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Subject:             CN=ebssec.boc.cn,OU=SSL,OU=Local RA,O=中国银行股份有限公司,L=北京,ST=北京,C=CN\n');
    expect(r.stdout).toContain('Issuer:              O=CFCA SM2 OCA1,C=CN\n');
    expect(r.stdout).toContain(`SHA-256 Fingerprint: ${crypto.createHash('sha256').update(der).digest('hex')}`);
    expect(r.stdout).toContain(`SM3 Fingerprint:     ${crypto.createHash('sm3').update(der).digest('hex')}`);
    expect(r.stdout).toMatch(/subjectAltName: DNS:ebssec\.boc\.cn/);
    expect(r.stdout).toMatch(/basicConstraints \(critical\): CA:FALSE/);
    const j = run(['show', '--json', file, certs('real-nrcac-rootca-sm2.pem')]);
    const parsed = JSON.parse(j.stdout) as { subject: string; extKeyUsage?: string[] }[];
    expect(parsed.map((c) => c.subject)).toEqual(['CN=ebssec.boc.cn,OU=SSL,OU=Local RA,O=中国银行股份有限公司,L=北京,ST=北京,C=CN', 'CN=ROOTCA,O=NRCAC,C=CN']);
    expect(parsed[0]!.extKeyUsage).toEqual(['clientAuth', 'serverAuth']);
    const ss = run(['show', certs('edge-openssl3-spki-sm2-oid-selfsigned.pem')]);
    expect(ss.stdout).toMatch(/Self-signature: +valid only with an empty SM2 ID/);
  });

  it.runIf(HAVE_CONFORMANCE)('verify: OK and the path (exit 0), FAIL with the code (exit 1)', () => {
    const ok = run([
      'verify', '--roots', certs('real-nrcac-rootca-sm2.pem'),
      '--intermediates', certs('real-cfca-sm2-oca1.pem'), '--intermediates', certs('real-cfca-cs-sm2-ca-by-rootca.pem'),
      '--time', '2025-01-01T00:00:00Z', '--purpose', 'serverAuth', '--hostname', 'ebssec.boc.cn', certs('real-ebssec.boc.cn-sign.pem'),
    ]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/: OK\n {2}0: CN=ebssec\.boc\.cn.*\n {2}1: O=CFCA SM2 OCA1,C=CN\n {2}2: CN=CFCA CS SM2 CA.*\n {2}3: CN=ROOTCA,O=NRCAC,C=CN\n$/);
    const expired = run(['verify', '--roots', certs('real-cfca-cs-sm2-ca-selfsigned.pem'), '--intermediates', certs('real-cfca-sm2-oca1.pem'), '--time', '2026-11-22T00:00:00Z', certs('real-ebssec.boc.cn-sign.pem')]);
    expect(expired.status).toBe(1);
    expect(expired.stdout).toMatch(/FAIL CERT_HAS_EXPIRED at certificate 0/);
    const noza = run(['verify', '--json', '--roots', certs('tongsuo-sm2-noza-root.pem'), '--time', '2026-01-01T00:00:00Z', certs('tongsuo-sm2-noza-cert.pem')]);
    expect(noza.status).toBe(1);
    expect(JSON.parse(noza.stdout)).toMatchObject({ ok: false, code: 'CERT_SIGNATURE_FAILURE', index: 0 });
    // A file holding the leaf and then its intermediate, as TLS servers send it.
    writeFileSync(p('chain.pem'), readFileSync(certs('real-ebssec.boc.cn-enc.pem'), 'utf8') + readFileSync(certs('real-cfca-sm2-oca1.pem'), 'utf8'));
    const chain = run(['verify', '--roots', certs('real-cfca-cs-sm2-ca-selfsigned.pem'), '--time', '2025-06-01T00:00:00Z', p('chain.pem')]);
    expect(chain.status).toBe(0);
    expect(chain.stdout.split('\n').length).toBe(5);
    const edge = certs('edge-openssl3-spki-sm2-oid-selfsigned.pem');
    expect(run(['verify', '--roots', edge, '--time', '2026-01-01T00:00:00Z', edge]).status).toBe(1);
    expect(run(['verify', '--roots', edge, '--time', '2026-01-01T00:00:00Z', '--allow-empty-id', edge]).status).toBe(0);
  });

  it('req and sign: a root, a server certificate from a CSR, checked by verify (and OpenSSL)', () => {
    expect(run(['req', '--new-key', p('root.key'), '--subject', 'CN=CLI Root,O=guomi 测试,C=CN', '--out', p('root.csr')]).status).toBe(0);
    expect(statSync(p('root.key')).mode & 0o777).toBe(0o600);
    const rootSign = run(['sign', '--csr', p('root.csr'), '--self-sign', '--key', p('root.key'), '--profile', 'ca', '--pathlen', '0', '--days', '3650', '--out', p('root.pem')]);
    expect(rootSign.status, rootSign.stderr).toBe(0);
    expect(run(['req', '--new-key', p('srv.key'), '--subject', 'CN=localhost', '--dns', 'localhost', '--ip', '127.0.0.1', '--out', p('srv.csr')]).status).toBe(0);
    const srv = run(['sign', '--csr', p('srv.csr'), '--ca', p('root.pem'), '--ca-key', p('root.key'), '--profile', 'server', '--days', '30', '--serial', '0a1b2c', '--out', p('srv.pem')]);
    expect(srv.status, srv.stderr).toBe(0);
    const shown = run(['show', '--json', p('srv.pem')]);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      subject: 'CN=localhost',
      issuer: 'CN=CLI Root,O=guomi 测试,C=CN',
      serialNumber: '0a1b2c',
      extKeyUsage: ['serverAuth'],
      keyUsage: ['digitalSignature'],
      subjectAltName: ['DNS:localhost', 'IP:127.0.0.1'],
    });
    const v = run(['verify', '--roots', p('root.pem'), '--purpose', 'serverAuth', '--hostname', '127.0.0.1', p('srv.pem')]);
    expect(v.status, v.stdout).toBe(0);
    const wrongHost = run(['verify', '--roots', p('root.pem'), '--hostname', 'example.com', p('srv.pem')]);
    expect(wrongHost.status).toBe(1);
    expect(wrongHost.stdout).toMatch(/FAIL HOSTNAME_MISMATCH/);
    // A certificate without a CSR, for an existing key, and a client profile.
    const cli2 = run(['sign', '--subject', 'CN=client,O=guomi', '--key', p('srv.key'), '--ca', p('root.pem'), '--ca-key', p('root.key'), '--profile', 'client', '--out', p('client.pem')]);
    expect(cli2.status, cli2.stderr).toBe(0);
    expect(run(['verify', '--roots', p('root.pem'), '--purpose', 'serverAuth', p('client.pem')]).stdout).toMatch(/INVALID_PURPOSE/);
    if (haveOpenssl) {
      const opt = ['-vfyopt', 'distid:1234567812345678'];
      expect(execFileSync('openssl', ['req', '-in', p('srv.csr'), '-noout', '-verify', ...opt], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBeDefined();
      expect(execFileSync('openssl', ['verify', ...opt, '-CAfile', p('root.pem'), p('srv.pem')], { encoding: 'utf8' })).toContain(': OK');
      expect(execFileSync('openssl', ['x509', '-in', p('root.pem'), '-noout', '-ext', 'basicConstraints'], { encoding: 'utf8' })).toMatch(/critical\n\s+CA:TRUE, pathlen:0/);
    }
  });

  it('usage and input errors exit 2 with a message; a bad CSR signature exits 1', () => {
    expect(run([]).status).toBe(2);
    expect(run(['frobnicate']).status).toBe(2);
    const noRoots = run(['verify', p('srv.pem')]);
    expect(noRoots.status).toBe(2);
    expect(noRoots.stderr).toMatch(/--roots/);
    writeFileSync(p('junk.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const junk = run(['show', p('junk.pem')]);
    expect(junk.status).toBe(2);
    expect(junk.stderr).toMatch(/^guomi: ERR_DECODE: /);
    expect(run(['show', p('missing.pem')]).stderr).toMatch(/cannot read/);
    expect(run(['req', '--key', p('srv.key')]).status).toBe(2);
    expect(run(['sign', '--csr', p('srv.csr'), '--profile', 'ca']).status).toBe(2);
    const csr = readFileSync(p('srv.csr'), 'utf8');
    const body = Buffer.from(csr.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    body[body.length - 2]! ^= 1;
    writeFileSync(p('bad.csr'), `-----BEGIN CERTIFICATE REQUEST-----\n${body.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`);
    const bad = run(['sign', '--csr', p('bad.csr'), '--ca', p('root.pem'), '--ca-key', p('root.key')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/does not verify/);
    const help = spawnSync(process.execPath, [cli, 'x509', '--help'], { encoding: 'utf8' });
    expect(help.stdout).toMatch(/^Usage: guomi x509 show/);
    expect(spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' }).stdout).toMatch(/x509 +SM2 certificates/);
  });
});
