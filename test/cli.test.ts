/**
 * The guomi command, run as a user would: `node dist/cli/main.js …` in a child process.
 * Checksums are compared with `openssl dgst -sm3` and node:crypto (independent peers).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { existsSync, mkdtempSync, openSync, closeSync, ftruncateSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from './backends.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'guomi-cli-'));

function run(args: string[], input?: string | Buffer, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    input,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function opensslSm3(file: string): string {
  return execFileSync('openssl', ['dgst', '-sm3', '-r', file], { encoding: 'utf8' }).split(' ')[0]!;
}

describe('guomi sm3', () => {
  const a = join(dir, 'a.bin');
  const b = join(dir, 'b.txt');
  writeFileSync(a, crypto.randomBytes(100_000));
  writeFileSync(b, 'abc');

  it('prints sha256sum-style lines that match openssl dgst -sm3', () => {
    const r = run(['sm3', a, b]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${opensslSm3(a)}  ${a}\n${opensslSm3(b)}  ${b}\n`);
  });

  it('reads standard input when no file is given', () => {
    const r = run(['sm3'], 'abc');
    expect(r.stdout).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0  -\n');
  });

  it('-c checks a list: exit 0 when all match, 1 and FAILED when one does not', () => {
    const list = join(dir, 'sums');
    writeFileSync(list, `${opensslSm3(a)}  ${a}\nSM3 (${b}) = ${opensslSm3(b)}\n`);
    const ok = run(['sm3', '-c', list]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe(`${a}: OK\n${b}: OK\n`);
    writeFileSync(list, `${'0'.repeat(64)}  ${a}\n${opensslSm3(b)}  ${b}\nnot a checksum line\n`);
    const bad = run(['sm3', '-c', list]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(`${a}: FAILED`);
    expect(bad.stderr).toMatch(/1 computed checksum did NOT match/);
    expect(bad.stderr).toMatch(/1 line is improperly formatted/);
  });

  it('hashes a 512 MiB file in constant memory', () => {
    // A sparse file: zeros that take no disk space. The expected value comes from node:crypto.
    const big = join(dir, 'big.bin');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 512 * 1024 * 1024 - 1);
    writeSync(fd, Buffer.from([1]), 0, 1, 512 * 1024 * 1024 - 1);
    closeSync(fd);
    const want = crypto.createHash('sm3');
    const zeros = Buffer.alloc(1 << 20);
    for (let i = 0; i < 511; i++) want.update(zeros);
    want.update(zeros.subarray(0, (1 << 20) - 1));
    want.update(Buffer.from([1]));
    const r = spawnSync(
      process.execPath,
      ['-e', `process.on('exit', () => console.error('maxRSS=' + process.resourceUsage().maxRSS)); process.argv = [process.argv[0], ${JSON.stringify(cli)}, 'sm3', ${JSON.stringify(big)}]; import(${JSON.stringify('file://' + cli)});`],
      { encoding: 'utf8' },
    );
    expect(r.stdout).toBe(`${want.digest('hex')}  ${big}\n`);
    const rssKiB = Number(/maxRSS=(\d+)/.exec(r.stderr)![1]);
    expect(rssKiB).toBeLessThan(200 * 1024);
  });

  it('a missing file is reported without a stack trace, exit 1', () => {
    const r = run(['sm3', join(dir, 'nope')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^guomi: .*nope: ENOENT/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('guomi sm4', () => {
  const key = '0123456789abcdeffedcba9876543210';
  const iv = '00112233445566778899aabbccddeeff';
  const plain = join(dir, 'plain.bin');
  writeFileSync(plain, crypto.randomBytes(300_001));

  it('ECB, CBC, CTR, CFB and OFB files match openssl enc, and decrypt back', () => {
    for (const mode of ['ecb', 'cbc', 'ctr', 'cfb', 'ofb']) {
      const ivArgs = mode === 'ecb' ? [] : ['--iv', iv];
      const enc = join(dir, `c.${mode}`), dec = join(dir, `d.${mode}`);
      expect(run(['sm4', 'encrypt', '--mode', mode, '--key', key, ...ivArgs, '--in', plain, '--out', enc]).status).toBe(0);
      const want = execFileSync('openssl', ['enc', `-sm4-${mode}`, '-K', key, ...(mode === 'ecb' ? [] : ['-iv', iv]), '-in', plain]);
      expect(readFileSync(enc).equals(want), mode).toBe(true);
      expect(run(['sm4', 'decrypt', '--mode', mode, '--key', key, ...ivArgs, '--in', enc, '--out', dec]).status).toBe(0);
      expect(readFileSync(dec).equals(readFileSync(plain)), mode).toBe(true);
    }
  });

  it('GCM: a tampered file fails with exit 1 and leaves no output', () => {
    const enc = join(dir, 'c.gcm'), dec = join(dir, 'd.gcm');
    const args = ['--mode', 'gcm', '--key', key, '--iv', '000102030405060708090a0b', '--aad', 'feed'];
    expect(run(['sm4', 'encrypt', ...args, '--in', plain, '--out', enc]).status).toBe(0);
    expect(readFileSync(enc).length).toBe(300_001 + 16);
    expect(run(['sm4', 'decrypt', ...args, '--in', enc, '--out', dec]).status).toBe(0);
    expect(readFileSync(dec).equals(readFileSync(plain))).toBe(true);
    const bad = readFileSync(enc);
    bad[1000]! ^= 1;
    writeFileSync(enc, bad);
    rmSync(dec);
    const r = run(['sm4', 'decrypt', ...args, '--in', enc, '--out', dec]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ERR_AUTH_FAILED/);
    expect(existsSync(dec)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('CCM and XTS round trips; standard input and output', () => {
    for (const [mode, k, v] of [['ccm', key, '000102030405060708090a0b'], ['xts', key + key.split('').reverse().join(''), iv]] as const) {
      const enc = spawnSync(process.execPath, [cli, 'sm4', 'encrypt', '--mode', mode, '--key', k, '--iv', v], {
        input: readFileSync(plain).subarray(0, 5000),
      });
      expect(enc.status).toBe(0);
      expect(enc.stdout.length).toBe(mode === 'ccm' ? 5016 : 5000);
      const r = spawnSync(process.execPath, [cli, 'sm4', 'decrypt', '--mode', mode, '--key', k, '--iv', v], {
        input: enc.stdout,
      });
      expect(r.status).toBe(0);
      expect(Buffer.compare(r.stdout, readFileSync(plain).subarray(0, 5000))).toBe(0);
    }
  });

  it('bad keys, IVs and options are usage errors (exit 2)', () => {
    expect(run(['sm4', 'encrypt', '--mode', 'cbc', '--key', '00', '--iv', iv], 'x').status).toBe(2);
    expect(run(['sm4', 'encrypt', '--mode', 'cbc', '--key', key], 'x').stderr).toMatch(/needs a 16-byte IV/);
    expect(run(['sm4', 'frob', '--key', key]).status).toBe(2);
    expect(run(['sm4', 'encrypt', '--mode', 'rot13', '--key', key]).status).toBe(2);
  });
});

describe('guomi sm2', () => {
  const key = join(dir, 'sm2.key'), pub = join(dir, 'sm2.pub'), msg = join(dir, 'sm2.msg');
  writeFileSync(msg, crypto.randomBytes(2_000_000));

  it('keygen writes PEM that openssl reads; sign/verify interoperate with openssl both ways', () => {
    expect(run(['sm2', 'keygen', '--out', key, '--pubout', pub]).status).toBe(0);
    expect(execFileSync('openssl', ['pkey', '-in', key, '-noout', '-text'], { encoding: 'utf8' })).toMatch(/SM2/);
    const sig = join(dir, 'sm2.sig');
    expect(run(['sm2', 'sign', '--key', key, '--in', msg, '--out', sig]).status).toBe(0);
    const distid = ['-pkeyopt', 'distid:1234567812345678'];
    expect(
      spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-digest', 'sm3', ...distid, '-in', msg, '-sigfile', sig]).status,
    ).toBe(0);
    const osig = join(dir, 'openssl.sig');
    execFileSync('openssl', ['pkeyutl', '-sign', '-inkey', key, '-rawin', '-digest', 'sm3', ...distid, '-in', msg, '-out', osig]);
    const ok = run(['sm2', 'verify', '--pub', pub, '--sig', osig, '--in', msg]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe('Verified OK\n');
    const other = join(dir, 'other.msg');
    writeFileSync(other, Buffer.concat([readFileSync(msg), Buffer.from('x')]));
    const bad = run(['sm2', 'verify', '--pub', pub, '--sig', osig, '--in', other]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('Verification failure\n');
  });

  it('encrypt/decrypt interoperate with openssl (DER) both ways', () => {
    const ct = spawnSync(process.execPath, [cli, 'sm2', 'encrypt', '--pub', pub, '--format', 'der'], { input: 'secret' });
    expect(ct.status).toBe(0);
    expect(execFileSync('openssl', ['pkeyutl', '-decrypt', '-inkey', key], { input: ct.stdout, encoding: 'utf8' })).toBe('secret');
    const oct = execFileSync('openssl', ['pkeyutl', '-encrypt', '-pubin', '-inkey', pub], { input: 'from openssl' });
    const back = spawnSync(process.execPath, [cli, 'sm2', 'decrypt', '--key', key], { input: oct });
    expect(back.status).toBe(0);
    expect(back.stdout.toString()).toBe('from openssl');
    const raw = spawnSync(process.execPath, [cli, 'sm2', 'encrypt', '--key', key, '--hex'], { input: 'hex please' });
    const dec = spawnSync(process.execPath, [cli, 'sm2', 'decrypt', '--key', key], { input: raw.stdout });
    expect(dec.stdout.toString()).toBe('hex please');
  });

  it('pub prints the point; bad keys are usage errors', () => {
    const hex = run(['sm2', 'pub', '--key', key, '--format', 'hex']).stdout.trim();
    expect(hex).toMatch(/^04[0-9a-f]{128}$/);
    const ossl = execFileSync('openssl', ['pkey', '-in', key, '-pubout', '-outform', 'DER']);
    expect(ossl.subarray(ossl.length - 65).toString('hex')).toBe(hex);
    writeFileSync(join(dir, 'junk.pem'), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    const r = run(['sm2', 'sign', '--key', join(dir, 'junk.pem')], 'm');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^guomi: ERR_DECODE/);
  });
});

describe('guomi selftest, bench and usage', () => {
  it('selftest passes on each backend and names it', () => {
    for (const backend of BACKENDS) {
      const r = run(['selftest'], undefined, { GUOMI_BACKEND: backend });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain(`backend: ${backend}`);
      expect(r.stdout).toMatch(/all \d+ known answers passed/);
    }
    const json = JSON.parse(run(['selftest', '--json'], undefined, { GUOMI_BACKEND: 'pure' }).stdout);
    expect(json.ok).toBe(true);
    expect(json.results.length).toBeGreaterThan(4);
  });

  it('bench measures against node:crypto', () => {
    const r = run(['bench', '--time', '20', 'sm3 64']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/sm3 64 B .* op\/s .* op\/s\s+\d+\.\d\dx/);
  });

  it('usage errors exit 2 with a message, --help exits 0', () => {
    expect(run([]).status).toBe(2);
    const unknown = run(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(run(['sm3', '--bogus']).status).toBe(2);
    const help = run(['sm3', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: guomi sm3/);
  });
});
