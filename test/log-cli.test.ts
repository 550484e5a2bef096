/**
 * `guomi log hash | chain | verify`, run as a user would (node dist/cli/main.js in a child
 * process). Pseudonyms are recomputed with node:crypto.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Sm2PrivateKey } from '../src/sm2.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'guomi-log-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [cli, 'log', ...args], { input, encoding: 'utf8', cwd: dir });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const KEY = crypto.randomBytes(32);
const keyFile = join(dir, 'key.hex');
writeFileSync(keyFile, KEY.toString('hex') + '\n');
const rawKeyFile = join(dir, 'key.bin');
writeFileSync(rawKeyFile, KEY);

function pseudonym(domain: string, value: string, keyId = 'k1'): string {
  const fieldKey = crypto.createHmac('sm3', KEY).update(`guomi-log-v1:field:${domain}`).digest();
  return `sm3:${keyId}:${crypto.createHmac('sm3', fieldKey).update(value).digest('hex')}`;
}

const INPUT = [
  JSON.stringify({ user: { phone: '+86 138 0013 8000', name: 'a' }, items: [{ email: 'A@X.cn' }] }),
  '{broken',
  JSON.stringify({ user: { phone: '13800138000' }, other: { idCard: '11010519491231002x' } }),
  '',
  JSON.stringify({ n: 1 }),
].join('\n') + '\n';

describe('guomi log hash', () => {
  it('hashes the selected fields (with normalisers), skips and counts malformed lines, exit 0', () => {
    const r = run(['hash', '--fields', 'user.phone:phone,items[].email:email', '-f', '*.idCard:idCard', '--key-file', keyFile, '--key-id', 'k1'], INPUT);
    expect(r.status).toBe(0);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toEqual([
      { user: { phone: pseudonym('user.phone', '13800138000'), name: 'a' }, items: [{ email: pseudonym('items[].email', 'a@x.cn') }] },
      { user: { phone: pseudonym('user.phone', '13800138000') }, other: { idCard: pseudonym('*.idCard', '11010519491231002X') } },
      { n: 1 },
    ]);
    expect(r.stderr).toContain('line 2: skipped (not JSON');
    expect(r.stderr).toMatch(/3 records, 4 fields hashed with key k1, 1 malformed line skipped/);
  });

  it('reads a raw key file and a file argument; --progress reports on standard error; --quiet is silent', () => {
    const file = join(dir, 'in.ndjson');
    writeFileSync(file, INPUT.repeat(50));
    const r = run(['hash', '--fields', 'user.phone:phone', '--key-file', rawKeyFile, '--key-id', 'k1', '--progress', file]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toContain(pseudonym('user.phone', '13800138000'));
    expect(r.stderr).toMatch(/\rguomi log: 150 records, 100% of 0\.0 MB/);
    expect(r.stderr).toMatch(/50 malformed lines skipped/);
    const q = run(['hash', '--fields', 'user.phone', '--key-file', keyFile, '--quiet', '--in', file, '--out', join(dir, 'out.ndjson')]);
    expect(q.status).toBe(0);
    expect(q.stderr).toBe('');
    expect(readFileSync(join(dir, 'out.ndjson'), 'utf8').split('\n')).toHaveLength(151);
  });

  it('--salted, --encoding base64url and --domain', () => {
    const salted = run(['hash', '--fields', 'n', '--key-file', keyFile, '--key-id', 'k1', '--salted', '--quiet'], '{"n":"v"}\n');
    const want = crypto.createHash('sm3').update(Buffer.concat([KEY, Buffer.from('v')])).digest('hex');
    expect(JSON.parse(salted.stdout)).toEqual({ n: `sm3s:k1:${want}` });
    const linked = run(['hash', '--fields', 'a,b', '--key-file', keyFile, '--key-id', 'k1', '--domain', 'person', '--encoding', 'base64url', '--quiet'], '{"a":"v","b":"v"}\n');
    const fieldKey = crypto.createHmac('sm3', KEY).update('guomi-log-v1:field:person').digest();
    const b64 = `sm3:k1:${crypto.createHmac('sm3', fieldKey).update('v').digest('base64url')}`;
    expect(JSON.parse(linked.stdout)).toEqual({ a: b64, b: b64 });
  });

  it('usage errors exit 2', () => {
    expect(run(['hash', '--key-file', keyFile], '').status).toBe(2);
    expect(run(['hash', '--fields', 'a:phon', '--key-file', keyFile], '').status).toBe(2);
    expect(run(['hash', '--fields', 'a..b', '--key-file', keyFile], '').status).toBe(2);
    expect(run(['hash', '--fields', 'a'], '').status).toBe(2);
    const short = join(dir, 'short.hex');
    writeFileSync(short, 'abcd');
    expect(run(['hash', '--fields', 'a', '--key-file', short], '').stderr).toMatch(/at least 16 bytes/);
    expect(run(['frobnicate']).status).toBe(2);
    expect(run([]).status).toBe(2);
  });
});

describe('guomi log chain / verify', () => {
  const signer = Sm2PrivateKey.generate();
  const signKey = join(dir, 'sign.pem');
  const pubKey = join(dir, 'sign.pub.pem');
  writeFileSync(signKey, signer.export());
  writeFileSync(pubKey, signer.publicKey.export());
  const records = Array.from({ length: 25 }, (_, i) => JSON.stringify({ i, msg: `event ${i}` })).join('\n') + '\nnot json\n';

  it('chains, then verifies with the key (exit 0) and reports a change (exit 1)', () => {
    const c = run(['chain', '--key-file', keyFile], records);
    expect(c.status).toBe(0);
    expect(c.stderr).toMatch(/25 records chained, next seq 25, 1 malformed line skipped/);
    const file = join(dir, 'chained.ndjson');
    writeFileSync(file, c.stdout);
    const ok = run(['verify', '--key-file', keyFile, file]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe('OK: 25 records, 0 checkpoints\n');
    const lines = c.stdout.trim().split('\n');
    lines[7] = lines[7]!.replace('event 7', 'event 8');
    const bad = run(['verify', '--key-file', keyFile], lines.join('\n') + '\n');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^FAILED: record 7 \(line 8\): altered: /);
    lines.splice(10, 2);
    lines[7] = c.stdout.split('\n')[7]!;
    expect(run(['verify', '--key-file', keyFile], lines.join('\n')).stdout).toMatch(/^FAILED: record 10 \(line 11\): missing/);
  });

  it('signed checkpoints verify with the public key alone; --state resumes the chain in the next file', () => {
    const state = join(dir, 'state.json');
    const a = run(['chain', '--key-file', keyFile, '--sign-key', signKey, '--checkpoint-every', '10', '--state', state], records);
    expect(a.status).toBe(0);
    const head = JSON.parse(readFileSync(state, 'utf8')) as { seq: number };
    expect(head.seq).toBe(28); // 25 records and 3 checkpoints
    const v = run(['verify', '--pub', pubKey], a.stdout);
    expect(v.status).toBe(0);
    expect(v.stdout).toBe('OK: 28 records, 3 checkpoints\n');
    const firstHead = join(dir, 'head1.json');
    writeFileSync(firstHead, readFileSync(state));
    const b = run(['chain', '--key-file', keyFile, '--state', state], '{"next":1}\n');
    expect(JSON.parse(b.stdout.trim())._audit.seq).toBe(28);
    expect(run(['verify', '--key-file', keyFile, '--start', firstHead], b.stdout).status).toBe(0);
    expect(run(['verify', '--key-file', keyFile], a.stdout + b.stdout).stdout).toBe('OK: 29 records, 3 checkpoints\n');
    expect(run(['verify', '--key-file', keyFile, '--end', state], a.stdout).stdout).toMatch(/FAILED: record 28: missing/);
    const tampered = a.stdout.replace('event 3"', 'event 4"');
    expect(run(['verify', '--pub', pubKey], tampered).stdout).toMatch(/^FAILED: record 10 \(line 11\): altered/);
  });

  it('usage errors exit 2', () => {
    expect(run(['verify'], '').status).toBe(2);
    expect(run(['chain', '--key-file', keyFile, '--checkpoint-every', '5'], '').status).toBe(2);
    expect(run(['verify', '--key-file', join(dir, 'nope')], '').status).toBe(2);
  });
});
