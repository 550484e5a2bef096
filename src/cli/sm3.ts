/**
 * `guomi sm3 [-c FILE] [FILE...]`: SM3 checksums in the format of sha256sum
 * ("<hex>  <name>"), reading standard input when no file is given, in constant memory.
 */
import { readFile } from 'node:fs/promises';
import { GuomiError } from '../errors.js';
import { sm3 } from '../sm3.js';
import { bytesToHex } from '../utils.js';
import {
  CliError,
  EXIT_FAILED,
  EXIT_OK,
  PROGRESS_OPTIONS,
  fileSize,
  meteredInput,
  parse,
  progressMeter,
  str,
  type Command,
  type ParsedArgs,
} from './common.js';

/** SM3 of a file ('-' = standard input), read in chunks, with a progress bar for long files. */
async function hashFile(args: ParsedArgs, name: string): Promise<string> {
  const meter = progressMeter(args, `sm3 ${name}`, fileSize(name));
  try {
    const h = sm3.create();
    for await (const chunk of meteredInput(name, meter)) h.update(chunk as Uint8Array);
    return bytesToHex(h.digest());
  } finally {
    meter.done();
  }
}

/** A file that cannot be read is reported and counted; a failure of guomi itself is not caught. */
function isFileError(err: unknown): boolean {
  return !(err instanceof GuomiError) && typeof (err as { code?: unknown }).code === 'string';
}

/** Reads "<hex>  <name>", "<hex> *<name>" (binary mode marker) and BSD "SM3 (<name>) = <hex>". */
function parseCheckLine(line: string): { digest: string; name: string } | undefined {
  const gnu = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
  if (gnu) return { digest: gnu[1]!.toLowerCase(), name: gnu[2]! };
  const bsd = /^SM3 \((.+)\) = ([0-9a-fA-F]{64})$/.exec(line);
  if (bsd) return { digest: bsd[2]!.toLowerCase(), name: bsd[1]! };
  return undefined;
}

async function check(args: ParsedArgs, listFile: string): Promise<number> {
  const quiet = args.values['quiet'] === true;
  const text = listFile === '-' ? await new Response(process.stdin as never).text() : await readFile(listFile, 'utf8');
  let failed = 0, unreadable = 0, malformed = 0, checked = 0;
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const entry = parseCheckLine(line);
    if (!entry) {
      malformed++;
      continue;
    }
    checked++;
    try {
      const ok = (await hashFile(args, entry.name)) === entry.digest;
      // --quiet: like sha256sum, no line for a file that matches.
      if (!ok || !quiet) console.log(`${entry.name}: ${ok ? 'OK' : 'FAILED'}`);
      if (!ok) failed++;
    } catch (err) {
      if (!isFileError(err)) throw err;
      console.log(`${entry.name}: FAILED open or read`);
      console.error(`guomi: ${entry.name}: ${(err as Error).message}`);
      unreadable++;
    }
  }
  if (malformed) console.error(`guomi: WARNING: ${malformed} line${malformed > 1 ? 's are' : ' is'} improperly formatted`);
  if (unreadable) console.error(`guomi: WARNING: ${unreadable} listed file${unreadable > 1 ? 's' : ''} could not be read`);
  if (failed) console.error(`guomi: WARNING: ${failed} computed checksum${failed > 1 ? 's' : ''} did NOT match`);
  if (checked === 0) throw new CliError(`${listFile}: no properly formatted SM3 checksum lines found`, EXIT_FAILED);
  return failed || unreadable ? EXIT_FAILED : EXIT_OK;
}

export const sm3Command: Command = {
  name: 'sm3',
  summary: 'print or check SM3 checksums (like sha256sum)',
  help: `Usage: guomi sm3 [--progress] [-q] [FILE...]
       guomi sm3 -c LIST [--progress] [-q]

Print the SM3 (GB/T 32905) digest of each FILE as "<hex>  <name>"; with no FILE, or when
FILE is -, read standard input. Files are read in chunks, so any size works.

Options:
  -c, --check LIST   read "<hex>  <name>" lines (or BSD "SM3 (<name>) = <hex>") from LIST
                     and check each file; exit status 1 if any does not match
  --progress         show a progress bar on standard error for each file (by default it is
                     shown when standard error is a terminal and a file takes over a second)
  -q, --quiet        no progress bar; with -c, print only the files that do not match
  -h, --help         show this help

Exit status: 0 on success, 1 if a checksum does not match or a file cannot be read, 2 on bad
usage.`,
  async run(argv) {
    const args = parse(argv, { check: { type: 'string', short: 'c' }, ...PROGRESS_OPTIONS });
    const positionals = args.positionals;
    const list = str(args, 'check');
    if (list !== undefined) {
      if (positionals.length) throw new CliError('-c takes one list file and no other files');
      return check(args, list);
    }
    const files = positionals.length ? positionals : ['-'];
    let status = EXIT_OK;
    for (const name of files) {
      try {
        console.log(`${await hashFile(args, name)}  ${name}`);
      } catch (err) {
        if (!isFileError(err)) throw err;
        console.error(`guomi: ${name}: ${(err as Error).message}`);
        status = EXIT_FAILED;
      }
    }
    return status;
  },
};
