#!/usr/bin/env node
/**
 * The `guomi` command. Each subcommand lives in its own file; this one dispatches, prints errors
 * without stack traces and sets the exit status:
 *   0 success, 1 a check failed (bad checksum, failed self-test), 2 usage or input error.
 * @module
 */
import { CliError, EXIT_USAGE, type Command } from './common.js';
import { sm3Command } from './sm3.js';
import { selftestCommand } from './selftest.js';
import { benchCommand } from './bench.js';

const COMMANDS: Command[] = [sm3Command, selftestCommand, benchCommand];

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
      process.exitCode = EXIT_USAGE;
    }
  },
);
