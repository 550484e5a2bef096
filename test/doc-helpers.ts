/**
 * Helpers for the suites that check the documentation (examples.test.ts, interop-recipes.test.ts,
 * migration.test.ts): running an example as a user runs it (a child process on the built
 * package, `import … from 'guomi'` resolved through package.json "exports"), and the independent
 * peers the results are checked against (BouncyCastle through shared/peers/bc/run, the openssl
 * command line).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFORMANCE_DIR } from './conformance.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The result of a child process. */
export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs examples/<name> with node, from the package root, and returns its output. The example
 * must exit 0 unless `expectFailure`.
 */
export function runExample(name: string, args: string[] = [], env: Record<string, string> = {}, expectFailure = false): Run {
  const r = spawnSync(process.execPath, [join(ROOT, 'examples', name), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  if (!expectFailure && r.status !== 0) {
    throw new Error(`examples/${name} ${args.join(' ')} exited with ${r.status}\n${r.stdout}\n${r.stderr}`);
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The value after `label ` on the line starting with it. */
export function field(out: string, label: string): string {
  const line = out.split('\n').find((l) => l.startsWith(`${label} `));
  if (line === undefined) throw new Error(`no line "${label} …" in:\n${out}`);
  return line.slice(label.length + 1);
}

export const BC_RUN = join(CONFORMANCE_DIR, '..', 'peers', 'bc', 'run');
const BC_JARS = process.env['BC_JAVA_DIR'] ?? '/usr/share/java';
/** Whether the BouncyCastle peer can run (it is on the CI machine). */
export const HAVE_BC = existsSync(BC_RUN) && existsSync(join(BC_JARS, 'bcprov.jar'));

/** Runs the BouncyCastle peer (see shared/peers/bc/README.md). */
export function bc(args: string[]): Run {
  const r = spawnSync(BC_RUN, args, { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the BouncyCastle peer and returns its stdout; it must exit 0. */
export function bcOk(args: string[]): string {
  const r = bc(args);
  if (r.status !== 0) throw new Error(`bc ${args.join(' ')} exited with ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
}

/** Whether the openssl command is OpenSSL 3 (SM2 with distid, SM3, SM4). */
export const HAVE_OPENSSL = (() => {
  try {
    return /^OpenSSL 3\./.test(execFileSync('openssl', ['version'], { encoding: 'utf8' }));
  } catch {
    return false;
  }
})();

/** Runs openssl; returns status and output. */
export function openssl(args: string[], input?: string | Uint8Array): Run {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs openssl and returns stdout; it must exit 0. */
export function opensslOk(args: string[], input?: string | Uint8Array): string {
  const r = openssl(args, input);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} exited with ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const fromHex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
