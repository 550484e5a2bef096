/**
 * The guomi command as a whole, run as a user would (child processes on dist/): --help on every
 * command and subcommand, the same wording for missing or unknown subcommands, exit statuses
 * 0/1/2, one-line errors without stack traces, hex/base64/file inputs, progress bars on
 * standard error only, and a reader that goes away (EPIPE) is not an error.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'guomi-cli-consistency-'));

function run(args: string[], input?: string | Buffer, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { input, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function runBytes(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, [cli, ...args], { input, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

const NO_STACK = /\n\s+at /;

/** Every command and its subcommands (none for sm3, selftest, bench). */
const COMMANDS: Record<string, string[]> = {
  sm2: ['keygen', 'pub', 'sign', 'verify', 'encrypt', 'decrypt'],
  sm3: [],
  sm4: ['encrypt', 'decrypt'],
  x509: ['show', 'verify', 'req', 'sign'],
  log: ['hash', 'chain', 'verify'],
  tls: ['connect', 'serve'],
  selftest: [],
  compliance: ['report'],
  bench: [],
};

describe('--help everywhere', () => {
  it('the top-level usage lists every command, exit 0 with --help and 2 without arguments', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(help.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    const bare = run([]);
    expect(bare.status).toBe(2);
    expect(bare.stdout).toBe(help.stdout);
  });

  for (const [name, subs] of Object.entries(COMMANDS)) {
    it(`guomi ${name} --help, guomi help ${name} and --help after each subcommand`, () => {
      const help = run([name, '--help']);
      expect(help.status).toBe(0);
      expect(help.stderr).toBe('');
      expect(help.stdout).toMatch(new RegExp(`^Usage: guomi ${name}\\b`));
      expect(run(['help', name]).stdout).toBe(help.stdout);
      expect(run([name, '-h']).stdout).toBe(help.stdout);
      for (const sub of subs) {
        expect(help.stdout, `${name} help names ${sub}`).toContain(sub);
        const r = run([name, sub, '--help']);
        expect(r.status, `${name} ${sub} --help`).toBe(0);
        expect(r.stdout).toBe(help.stdout);
      }
      // The exit statuses are documented (the TLS command states them in its module comment).
      if (name !== 'tls') expect(help.stdout).toMatch(/Exit status/);
    });
  }
});

describe('usage errors: exit 2, one line, no stack trace', () => {
  for (const [name, subs] of Object.entries(COMMANDS)) {
    it(`guomi ${name}: an unknown option${subs.length ? ', a missing and an unknown subcommand' : ''}`, () => {
      const bad = run([name, ...(subs.length ? [subs[0]!] : []), '--no-such-option']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/^guomi: .*--no-such-option/);
      expect(bad.stderr).not.toMatch(NO_STACK);
      if (!subs.length || name === 'tls') return;
      const missing = run([name]);
      expect(missing.status).toBe(2);
      expect(missing.stderr).toBe(`guomi: ${name} needs a subcommand: ${subs.join(', ')} (see guomi ${name} --help)\n`);
      const unknown = run([name, 'frobnicate']);
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toBe(`guomi: unknown ${name} subcommand 'frobnicate' (${subs.join(', ')})\n`);
    });
  }

  it('unreadable files and bad keys are one line each', () => {
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    const cases: string[][] = [
      ['sm4', 'encrypt', '--mode', 'cbc', '--key', '00'.repeat(16), '--iv', '00'.repeat(16), '--in', join(dir, 'missing')],
      ['sm4', 'encrypt', '--mode', 'cbc', '--key-file', join(dir, 'missing'), '--iv', '00'.repeat(16)],
      ['sm4', 'encrypt', '--mode', 'cbc', '--key', '00'.repeat(15), '--iv', '00'.repeat(16)],
      ['sm2', 'sign', '--key', join(dir, 'missing')],
      ['sm2', 'sign', '--key', junk],
      ['x509', 'show', join(dir, 'missing')],
      ['compliance', 'report', '--out', join(dir, 'no', 'such', 'dir', 'r.txt')],
    ];
    for (const args of cases) {
      const r = run(args, '');
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^guomi: [^\n]+\n$/);
    }
  });
});

describe('hex, base64 and file inputs', () => {
  // GB/T 32907-2016 Appendix A.1: E_K(P) with K = P = 0123456789abcdeffedcba9876543210.
  const K = '0123456789abcdeffedcba9876543210';
  const C = '681edf34d206965e86b3e94f536e4246';
  const block = Buffer.from(K, 'hex');

  it('an SM4 key as hex, hex:, base64:, colon-separated, or a file of hex text or raw bytes', () => {
    const hexFile = join(dir, 'key.hex'), rawFile = join(dir, 'key.bin');
    writeFileSync(hexFile, `${K}\n`);
    writeFileSync(rawFile, block);
    const forms = [
      ['--key', K],
      ['--key', `hex:${K}`],
      ['--key', `base64:${block.toString('base64')}`],
      ['--key', K.match(/../g)!.join(':')],
      ['--key-file', hexFile],
      ['--key-file', rawFile],
    ];
    for (const form of forms) {
      const r = runBytes(['sm4', 'encrypt', '--mode', 'ecb', '--padding', 'none', ...form], block);
      expect(r.status, form.join(' ')).toBe(0);
      expect(r.stdout.toString('hex'), form.join(' ')).toBe(C);
    }
    const bad = run(['sm4', 'encrypt', '--mode', 'ecb', '--key', 'base64:!!!!'], '');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--key is not valid base64/);
  });

  it('SM2: sign --hex / --base64 / bytes, each verified from its file; --sig-hex; encrypt and decrypt as text', () => {
    const key = join(dir, 'sm2.pem'), pub = join(dir, 'sm2.pub');
    expect(run(['sm2', 'keygen', '--out', key, '--pubout', pub]).status).toBe(0);
    const msg = join(dir, 'msg.txt');
    writeFileSync(msg, 'the message');
    for (const form of [[], ['--hex'], ['--base64']]) {
      const sigFile = join(dir, `sig${form.join('')}`);
      expect(run(['sm2', 'sign', '--key', key, '--in', msg, '--out', sigFile, ...form]).status).toBe(0);
      const sig = readFileSync(sigFile);
      // Each form holds the same kind of DER signature (SEQUENCE of two INTEGERs).
      const der = form[0] === '--hex' ? Buffer.from(sig.toString().trim(), 'hex') : form[0] === '--base64' ? Buffer.from(sig.toString().trim(), 'base64') : sig;
      expect(der[0]).toBe(0x30);
      const ok = run(['sm2', 'verify', '--pub', pub, '--sig', sigFile, '--in', msg]);
      expect(ok.status, form.join(' ')).toBe(0);
      expect(ok.stdout).toBe('Verified OK\n');
      expect(run(['sm2', 'verify', '--pub', pub, '--sig-hex', der.toString('hex'), '--in', msg]).status).toBe(0);
      expect(run(['sm2', 'verify', '--pub', pub, '--sig-hex', `base64:${der.toString('base64')}`, '--in', msg]).status).toBe(0);
      writeFileSync(msg, 'the message!');
      const no = run(['sm2', 'verify', '--pub', pub, '--sig', sigFile, '--in', msg]);
      expect(no.status).toBe(1);
      expect(no.stdout).toBe('Verification failure\n');
      writeFileSync(msg, 'the message');
    }
    for (const form of ['--hex', '--base64']) {
      const ct = run(['sm2', 'encrypt', '--pub', pub, form, '--in', msg]);
      expect(ct.status).toBe(0);
      expect(ct.stdout).toMatch(form === '--hex' ? /^04[0-9a-f]+\n$/ : /^B[A-Za-z0-9+/]+=*\n$/);
      expect(run(['sm2', 'decrypt', '--key', key], ct.stdout).stdout).toBe('the message');
      expect(run(['sm2', 'decrypt', '--key', key, form], ct.stdout).stdout).toBe('the message');
    }
    const badHex = run(['sm2', 'verify', '--pub', pub, '--sig-hex', 'zz'], 'x');
    expect(badHex.status).toBe(2);
    expect(badHex.stderr).toBe("guomi: --sig-hex must be hex (or base64:…), got 'zz'\n");
    expect(run(['sm2', 'sign', '--key', key, '--hex', '--base64'], 'x').status).toBe(2);
  });

  it('sm2 pub writes base64 of the same point as hex', () => {
    const key = join(dir, 'sm2.pem');
    const hex = run(['sm2', 'pub', '--key', key, '--format', 'hex']).stdout.trim();
    const b64 = run(['sm2', 'pub', '--key', key, '--format', 'base64']).stdout.trim();
    expect(Buffer.from(b64, 'base64').toString('hex')).toBe(hex);
    expect(hex).toMatch(/^04[0-9a-f]{128}$/);
  });
});

describe('progress bars: standard error only, for files', () => {
  const file = join(dir, 'data.bin');
  writeFileSync(file, crypto.randomBytes(3 << 20));
  const want = crypto.createHash('sm3').update(readFileSync(file)).digest('hex');
  const BAR = /\[#{24}\] 100% 3\.1 MB of 3\.1 MB/;

  it('--progress: sm3, sm4 and sm2 sign/verify draw a bar on standard error; standard output is unchanged', () => {
    const sum = run(['sm3', '--progress', file]);
    expect(sum.stdout).toBe(`${want}  ${file}\n`);
    expect(sum.stderr).toMatch(new RegExp(`^\\rguomi sm3 ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
    expect(sum.stderr).toMatch(BAR);
    const enc = runBytes(['sm4', 'encrypt', '--mode', 'ctr', '--key', '00'.repeat(16), '--iv', '00'.repeat(16), '--in', file, '--progress']);
    expect(enc.stderr).toMatch(BAR);
    expect(enc.stdout.length).toBe(3 << 20);
    const key = join(dir, 'p.pem'), pub = join(dir, 'p.pub'), sig = join(dir, 'p.sig');
    run(['sm2', 'keygen', '--out', key, '--pubout', pub]);
    expect(run(['sm2', 'sign', '--key', key, '--in', file, '--out', sig, '--progress']).stderr).toMatch(BAR);
    const v = run(['sm2', 'verify', '--pub', pub, '--sig', sig, '--in', file, '--progress']);
    expect(v.stdout).toBe('Verified OK\n');
    expect(v.stderr).toMatch(BAR);
  });

  it('no bar when standard error is not a terminal, with --quiet, or for standard input', () => {
    expect(run(['sm3', file]).stderr).toBe('');
    expect(run(['sm3', '--progress', '--quiet', file]).stderr).toBe('');
    expect(run(['sm3', '--progress'], 'abc').stderr).toBe('');
  });

  it('on a terminal: a bar for work longer than a second, none for quick work', () => {
    // script(1) gives the command a pseudo-terminal. The pure backend hashes 256 MiB in well
    // over a second on any machine this runs on (a sparse file: no disk space), and the native
    // one 3 MiB in a few milliseconds.
    const big = join(dir, 'big.bin');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 256 << 20);
    closeSync(fd);
    const tty = (cmd: string, env: NodeJS.ProcessEnv = {}) =>
      execFileSync('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, ...env }, encoding: 'utf8' });
    const slow = tty(`${process.execPath} ${cli} sm3 ${big}`, { GUOMI_BACKEND: 'pure' });
    expect(slow).toMatch(/\[#{24}\] 100% 268\.4 MB of 268\.4 MB/);
    const quick = tty(`${process.execPath} ${cli} sm3 ${file}`, { GUOMI_BACKEND: 'native' });
    expect(quick).not.toContain('%');
    expect(quick).toContain(want);
  });

  it('sm3 -c --quiet prints only what does not match', () => {
    const list = join(dir, 'sums');
    writeFileSync(list, `${want}  ${file}\n${'0'.repeat(64)}  ${file}\n`);
    const r = run(['sm3', '--quiet', '-c', list]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(`${file}: FAILED\n`);
  });
});

describe('a closed pipe', () => {
  it('guomi sm4 … | head -c 10 ends quietly with status 0', () => {
    const big = join(dir, 'pipe.bin');
    writeFileSync(big, Buffer.alloc(32 << 20));
    const r = spawnSync(
      'bash',
      ['-c', `${process.execPath} ${cli} sm4 encrypt --mode ctr --key ${'00'.repeat(16)} --iv ${'00'.repeat(16)} --in ${big} | head -c 10 >/dev/null; echo "status \${PIPESTATUS[0]}"`],
      { encoding: 'utf8' },
    );
    expect(r.stdout).toBe('status 0\n');
    expect(r.stderr).toBe('');
  });
});

describe('guomi bench', () => {
  it('measures SM4 and SM2 too; rows without a node:crypto peer have no ratio', () => {
    const r = run(['bench', '--time', '20', '--backend', 'pure', 'sm4-']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^sm4-cbc 1 KiB +\S+ MB\/s +\S+ MB\/s +\d+\.\d\dx$/m);
    expect(r.stdout).toMatch(/^sm4-ctr 1 MiB +\S+ MB\/s +\S+ MB\/s +\d+\.\d\dx$/m);
    expect(r.stdout).toMatch(/^sm4-gcm 1 MiB +\S+ MB\/s +- +$/m);
    const sm2 = run(['bench', '--time', '20', 'sm2']);
    expect(sm2.stdout).toMatch(/^sm2 sign +[\d,]+ op\/s +- +$/m);
    expect(sm2.stdout).toMatch(/^sm2 verify +[\d,]+ op\/s +- +$/m);
    expect(run(['bench', '--backend', 'fast']).status).toBe(2);
  });
});

describe('standard input where a file is expected', () => {
  it("guomi x509 show - reads the certificate from standard input, as FILE does", () => {
    const key = join(dir, 'ca.pem'), cert = join(dir, 'ca.crt');
    expect(run(['sm2', 'keygen', '--out', key]).status).toBe(0);
    expect(run(['x509', 'sign', '--self-sign', '--key', key, '--subject', 'CN=stdin test,C=CN', '--profile', 'ca', '--out', cert]).status).toBe(0);
    const fromFile = run(['x509', 'show', cert]);
    const fromStdin = run(['x509', 'show', '-'], readFileSync(cert));
    expect(fromStdin.status).toBe(0);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
    expect(fromStdin.stdout).toMatch(/^Subject: +CN=stdin test,C=CN$/m);
  });
});
