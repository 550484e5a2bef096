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
    "Run 'guomi <command> --help' for a command's options.",
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof CliError) {
      console.error(`guomi: ${err.message}`);
      process.exitCode = err.exitCode;
    } else {
      const e = err as { code?: string; message?: string };
      console.error(`guomi: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`);
      process.exitCode = err instanceof GuomiError && CHECK_FAILURES.has(err.code) ? EXIT_FAILED : EXIT_USAGE;
    }
  },
);
