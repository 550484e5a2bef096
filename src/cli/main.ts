#!/usr/bin/env node
/**
 * The `guomi` command. Each subcommand lives in its own file; this one dispatches, prints errors
 * without stack traces and sets the exit status:
 *   0 success, 1 a check failed (bad checksum, failed self-test), 2 usage or input error.
 * @module
 */
import { GuomiError } from '../errors.js';
import { CliError, EXIT_FAILED, EXIT_USAGE, type Command } from './common.js';
import { sm2Command } from './sm2.js';
import { sm4Command } from './sm4.js';
import { sm3Command } from './sm3.js';
import { selftestCommand } from './selftest.js';
import { benchCommand } from './bench.js';
import { x509Command } from './x509.js';
import { logCommand } from './log.js';
import { tlsCommand } from './tls.js';
import { complianceCommand } from './compliance.js';

const COMMANDS: Command[] = [sm2Command, sm3Command, sm4Command, x509Command, logCommand, tlsCommand, selftestCommand, complianceCommand, benchCommand];

/** GuomiError codes that mean "the check failed" (exit 1) rather than bad usage (exit 2). */
const CHECK_FAILURES = new Set(['ERR_AUTH_FAILED', 'ERR_BAD_PADDING', 'ERR_SM2_DECRYPT_FAILED', 'ERR_SM2_KEY_CONFIRMATION', 'ERR_SELF_TEST_FAILED']);

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: guomi <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'guomi <command> --help' (or 'guomi help <command>') for a command's options.",
    'Exit status: 0 success, 1 a check failed (signature, tag, checksum, chain, self-test),',
    '2 bad usage or input.',
  ].join('\n');
}

/** Errors already printed (a failed pipeline also destroys standard output with the same error). */
const reported = new WeakSet<object>();

/** Prints an error as one line "guomi: …" (never a stack trace) and sets the exit status. */
function fail(err: unknown): void {
  if (typeof err === 'object' && err !== null) {
    if (reported.has(err)) return;
    reported.add(err);
  }
  if (err instanceof CliError) {
    console.error(`guomi: ${err.message}`);
    process.exitCode = err.exitCode;
    return;
  }
  const e = err as { code?: string; message?: string };
  const message = e.message ?? String(err);
  // System errors already start with their code ("ENOENT: no such file …").
  const code = e.code && !message.startsWith(`${e.code}:`) ? `${e.code}: ` : '';
  console.error(`guomi: ${code}${message}`);
  process.exitCode = err instanceof GuomiError && CHECK_FAILURES.has(err.code) ? EXIT_FAILED : EXIT_USAGE;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' && rest[0] !== undefined) {
    // guomi help COMMAND = guomi COMMAND --help
    const command = COMMANDS.find((c) => c.name === rest[0]);
    if (!command) throw new CliError(`unknown command '${rest[0]}'\n\n${usage()}`);
    console.log(command.help);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v') {
    const { createRequire } = await import('node:module');
    const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
    console.log(pkg.version);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`guomi: unknown command '${name}'\n\n${usage()}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  return command.run(rest);
}

// A reader that goes away (guomi sm3 big | head -c 10) is not an error of ours.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  fail(err);
});
// Errors from event emitters outside the command's promise still get one line, not a stack.
process.on('uncaughtException', (err) => {
  fail(err);
  process.exit();
});

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, fail);
