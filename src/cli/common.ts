/** Shared pieces of the CLI: exit statuses, argument parsing, byte inputs and outputs, progress. */
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** An error printed as "guomi: <message>" with the given exit status (no stack trace). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
  }
}

export interface Command {
  name: string;
  summary: string;
  help: string;
  run(argv: string[]): Promise<number>;
}

/** Parsed options: strings for `type: 'string'`, booleans for `type: 'boolean'`. */
export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** util.parseArgs with strict checking, turning its errors into usage errors. */
export function parse(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  allowPositionals = true,
): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

/** The value of a string option, or undefined. */
export function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * The subcommand of a command with subcommands, or a usage error that lists them, worded the
 * same way by every command.
 */
export function subcommand(command: string, given: string | undefined, known: readonly string[]): string {
  if (given === undefined) throw new CliError(`${command} needs a subcommand: ${known.join(', ')} (see guomi ${command} --help)`);
  if (!known.includes(given)) throw new CliError(`unknown ${command} subcommand '${given}' (${known.join(', ')})`);
  return given;
}

/**
 * Bytes given on the command line: hex by default (whitespace and colons ignored), or
 * `hex:…` / `base64:…` to say which. Anything else is a usage error naming the option.
 */
export function bytesArg(text: string, name: string): Uint8Array {
  const m = /^(hex|base64):(.*)$/s.exec(text);
  const kind = m ? m[1]! : 'hex';
  const body = (m ? m[2]! : text).replace(/[\s:]+/g, '');
  if (kind === 'hex') {
    if (!/^([0-9a-fA-F]{2})*$/.test(body)) throw new CliError(`${name} must be hex (or base64:…), got '${text.slice(0, 40)}'`);
    return new Uint8Array(Buffer.from(body, 'hex'));
  }
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(body) || body.replace(/=+$/, '').length % 4 === 1) {
    throw new CliError(`${name} is not valid base64`);
  }
  return new Uint8Array(Buffer.from(body, body.includes('-') || body.includes('_') ? 'base64url' : 'base64'));
}

/**
 * The bytes of a file given for a key, IV, signature or ciphertext: a file holding only hex text
 * is read as hex, one holding only base64 text (with `--base64`-style output in mind) as base64,
 * anything else as raw bytes.
 */
export function bytesFromFile(raw: Uint8Array, options: { base64?: boolean } = {}): Uint8Array {
  const text = Buffer.from(raw).toString('latin1').trim();
  if (text.length > 0 && /^([0-9a-fA-F]{2})+$/.test(text.replace(/\s+/g, ''))) return new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
  if (options.base64 !== false && text.length >= 4 && /^[A-Za-z0-9+/\s]+={0,2}$/.test(text) && text.replace(/\s+/g, '').length % 4 === 0) {
    return new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'base64'));
  }
  return new Uint8Array(raw);
}

/** Text output of bytes: hex or base64 with a newline, or the raw bytes. */
export function encodeOutput(data: Uint8Array, as: 'raw' | 'hex' | 'base64'): Uint8Array | string {
  if (as === 'hex') return `${Buffer.from(data).toString('hex')}\n`;
  if (as === 'base64') return `${Buffer.from(data).toString('base64')}\n`;
  return data;
}

/** --hex / --base64 (exclusive) as an output form; raw when neither. */
export function outputForm(args: ParsedArgs): 'raw' | 'hex' | 'base64' {
  const hex = args.values['hex'] === true;
  const b64 = args.values['base64'] === true;
  if (hex && b64) throw new CliError('give --hex or --base64, not both');
  return hex ? 'hex' : b64 ? 'base64' : 'raw';
}

/** The options every command that reads files shares: --progress forces the bar, --quiet hides it. */
export const PROGRESS_OPTIONS = {
  progress: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

/** Work that is long enough for a progress bar when standard error is a terminal. */
const PROGRESS_AFTER_MS = 1000;
const PROGRESS_EVERY_MS = 200;

export interface ProgressMeter {
  /** Counts n more bytes done. */
  add(n: number): void;
  /** Draws the final state (if the bar was shown) and ends the line. */
  done(): void;
}

const NO_METER: ProgressMeter = { add() {}, done() {} };

function size(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`;
}

/**
 * A progress bar on standard error for reading `total` bytes (a regular file). Shown when
 * standard error is a terminal and the work has taken more than a second, or always with
 * --progress; never with --quiet, and never on standard output.
 */
export function progressMeter(args: ParsedArgs, label: string, total: number | undefined): ProgressMeter {
  if (args.values['quiet'] === true || !total) return NO_METER;
  const forced = args.values['progress'] === true;
  if (!forced && process.stderr.isTTY !== true) return NO_METER;
  const start = Date.now();
  let done = 0;
  let shown = false;
  const draw = () => {
    const elapsed = (Date.now() - start) / 1000;
    const frac = Math.min(1, done / total);
    const width = 24;
    const fill = Math.round(frac * width);
    const rate = elapsed > 0 ? `${size(done / elapsed)}/s` : '';
    process.stderr.write(
      `\rguomi ${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${String(Math.floor(frac * 100)).padStart(3)}% ${size(done)} of ${size(total)} ${rate}  `,
    );
    shown = true;
  };
  const timer = setInterval(() => {
    if (forced || Date.now() - start >= PROGRESS_AFTER_MS) draw();
  }, PROGRESS_EVERY_MS);
  timer.unref();
  return {
    add(n) {
      done += n;
    },
    done() {
      clearInterval(timer);
      if (forced || shown) {
        draw();
        process.stderr.write('\n');
      }
    },
  };
}

/** The size of a regular file, or undefined (standard input, pipes, devices). */
export function fileSize(file: string | undefined): number | undefined {
  if (file === undefined || file === '-') return undefined;
  try {
    const st = statSync(file);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A byte stream from FILE (or standard input for undefined or '-') that counts what passes into
 * `meter`; errors of the file (ENOENT, EISDIR…) surface when it is read.
 */
export function meteredInput(file: string | undefined, meter: ProgressMeter): Readable {
  const source: Readable = file === undefined || file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 16 });
  if (meter === NO_METER) return source;
  return Readable.from(
    (async function* () {
      for await (const chunk of source) {
        meter.add((chunk as Uint8Array).length);
        yield chunk as Uint8Array;
      }
    })(),
    { objectMode: false },
  );
}
