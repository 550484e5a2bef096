/**
 * The guomi command, run as a user would: `node dist/cli/main.js …` in a child process.
 * Checksums are compared with `openssl dgst -sm3` and node:crypto (independent peers).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtempSync, openSync, closeSync, ftruncateSync, writeFileSync, writeSync } from 'node:fs';
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
